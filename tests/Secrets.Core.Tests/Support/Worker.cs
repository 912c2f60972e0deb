using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Text;
using Xunit;

namespace Secrets.Core.Tests.Support
{
    /// <summary>A Secrets.TestWorker process: its stdout lines arrive in a queue; stderr is kept for messages.</summary>
    public sealed class Worker : IDisposable
    {
        private readonly Process _process;
        private readonly BlockingCollection<string> _lines = new BlockingCollection<string>();
        private readonly StringBuilder _errors = new StringBuilder();

        private Worker(Process process)
        {
            _process = process;
        }

        public static string DllPath =>
            typeof(Worker).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TestWorker").Value!;

        public int Id => _process.Id;

        public static Worker Start(params string[] args) => Start(null, args);

        /// <summary>Starts a worker with extra environment variables (null: the test process's environment).</summary>
        public static Worker Start(System.Collections.Generic.IDictionary<string, string>? environment, params string[] args)
        {
            var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            var info = new ProcessStartInfo(string.IsNullOrEmpty(host) ? "dotnet" : host)
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
            };
            if (environment != null)
            {
                foreach (var pair in environment)
                {
                    info.Environment[pair.Key] = pair.Value;
                }
            }

            info.ArgumentList.Add(DllPath);
            foreach (var arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            var process = new Process { StartInfo = info };
            var worker = new Worker(process);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data != null)
                {
                    worker._lines.Add(e.Data);
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data != null)
                {
                    lock (worker._errors)
                    {
                        worker._errors.AppendLine(e.Data);
                    }
                }
            };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return worker;
        }

        public string Errors
        {
            get
            {
                lock (_errors)
                {
                    return _errors.ToString();
                }
            }
        }

        /// <summary>The next stdout line; fails the test when none comes in time.</summary>
        public string ReadLine(TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < timeout)
            {
                if (_lines.TryTake(out var line, TimeSpan.FromMilliseconds(200)))
                {
                    return line;
                }

                if (_process.HasExited)
                {
                    // Whatever it printed before it ended has been read once WaitForExit returns.
                    _process.WaitForExit();
                    if (_lines.TryTake(out line))
                    {
                        return line;
                    }

                    Assert.Fail($"Worker {Id} exited with {_process.ExitCode} without printing a line. stderr: {Errors}");
                }
            }

            Assert.Fail($"Worker {Id} printed nothing for {timeout.TotalSeconds:0} s. stderr: {Errors}");
            return null!;
        }

        /// <summary>A stdout line if one is waiting.</summary>
        public bool TryReadLine(out string? line) => _lines.TryTake(out line);

        public void WriteLine(string line)
        {
            _process.StandardInput.WriteLine(line);
            _process.StandardInput.Flush();
        }

        /// <summary>Waits for a normal exit and asserts exit code 0.</summary>
        public void AssertExitsCleanly(TimeSpan timeout)
        {
            Assert.True(_process.WaitForExit((int)timeout.TotalMilliseconds), $"Worker {Id} did not exit. stderr: {Errors}");
            _process.WaitForExit();
            Assert.True(_process.ExitCode == 0, $"Worker {Id} exited with {_process.ExitCode}. stderr: {Errors}");
        }

        /// <summary>Kills the process (SIGKILL on Unix) and waits until it is gone.</summary>
        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    Kill();
                }
            }
            catch (InvalidOperationException)
            {
            }

            _process.Dispose();
            _lines.Dispose();
        }
    }
}
