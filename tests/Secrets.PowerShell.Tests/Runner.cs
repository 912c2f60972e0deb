using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace Secrets.PowerShell.Tests
{
    /// <summary>
    /// Runs Secrets.Runner (a console PowerShell host with the module imported) in a child process,
    /// for tests that must not load anything into the test process. Input is redirected, so the
    /// child cannot prompt. The child gets its own Secrets home unless the caller sets one.
    /// </summary>
    internal static class Runner
    {
        public static Result Run(IEnumerable<string> arguments, IDictionary<string, string?>? environment = null, int timeoutSeconds = 120)
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = PowerShellSession.RepoRoot,
            };
            start.ArgumentList.Add(PowerShellSession.RunnerPath);
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            var home = Path.Combine(Path.GetTempPath(), "secrets-ps-tests", "child-" + Guid.NewGuid().ToString("N"));
            start.Environment["SECRETS_HOME"] = home;
            start.Environment.Remove("SECRETS_IDENTITY");
            start.Environment.Remove("SECRETS_STORE");
            if (environment != null)
            {
                foreach (var pair in environment)
                {
                    start.Environment[pair.Key] = pair.Value;
                }
            }

            try
            {
                using var process = Process.Start(start)!;
                process.StandardInput.Close();
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                if (!process.WaitForExit(timeoutSeconds * 1000))
                {
                    process.Kill(entireProcessTree: true);
                    throw new TimeoutException($"The runner did not finish in {timeoutSeconds} s. Output so far: {stdout.Result}{stderr.Result}");
                }

                process.WaitForExit();
                return new Result(process.ExitCode, stdout.Result, stderr.Result);
            }
            finally
            {
                if (Directory.Exists(home))
                {
                    Directory.Delete(home, recursive: true);
                }
            }
        }

        /// <summary>
        /// Starts the runner on a script without waiting for it, with the Secrets home the caller
        /// gives: for tests that kill it. Its output is discarded.
        /// </summary>
        public static Process Start(string script, string secretsHome)
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = PowerShellSession.RepoRoot,
            };
            start.ArgumentList.Add(PowerShellSession.RunnerPath);
            start.ArgumentList.Add(script);
            start.Environment["SECRETS_HOME"] = secretsHome;
            start.Environment.Remove("SECRETS_IDENTITY");
            start.Environment.Remove("SECRETS_STORE");
            var process = Process.Start(start)!;
            process.StandardInput.Close();
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return process;
        }

        public sealed class Result
        {
            public Result(int exitCode, string output, string error)
            {
                ExitCode = exitCode;
                Output = output;
                Error = error;
            }

            public int ExitCode { get; }
            public string Output { get; }
            public string Error { get; }

            public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
        }
    }
}
