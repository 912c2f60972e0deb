using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace Secrets.Pester.Tests
{
    /// <summary>
    /// Runs each Pester file of tests/ on the real PowerShell of the repository's tool manifest
    /// (`dotnet pwsh`), against the built module, through tests/Invoke-SecretsPester.ps1. A file
    /// passes when none of its tests failed; the failures, with their messages, are the assertion
    /// message, and the whole Pester output is the test's output.
    /// </summary>
    public class PesterSuiteTests
    {
        private static readonly TimeSpan FileTimeout = TimeSpan.FromMinutes(10);
        private readonly ITestOutputHelper _output;

        public PesterSuiteTests(ITestOutputHelper output) => _output = output;

        public static string RepoRoot => Metadata("RepoRoot");

        public static IEnumerable<object[]> PesterFiles() =>
            Directory.GetFiles(Path.Combine(RepoRoot, "tests"), "*.Tests.ps1")
                .Select(Path.GetFileName)
                .OrderBy(name => name, StringComparer.Ordinal)
                .Select(name => new object[] { name! });

        [Fact]
        public void TheSuiteHasPesterFiles()
        {
            Assert.Contains(PesterFiles(), file => (string)file[0] == "Secrets.Tests.ps1");
            Assert.True(File.Exists(Metadata("Pester")), $"Pester was not restored to '{Metadata("Pester")}'.");
        }

        [Theory]
        [MemberData(nameof(PesterFiles))]
        public void PesterFile(string file)
        {
            var results = Path.Combine(Path.GetTempPath(), $"secrets-pester-{Guid.NewGuid():N}.json");
            try
            {
                var (exitCode, output) = RunPowerShell(
                    "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass",
                    "-File", Path.Combine(RepoRoot, "tests", "Invoke-SecretsPester.ps1"),
                    "-Path", Path.Combine(RepoRoot, "tests", file),
                    "-PesterPath", Metadata("Pester"),
                    "-ModuleManifest", Metadata("ModuleManifest"),
                    "-ResultPath", results);
                _output.WriteLine(output);

                Assert.True(File.Exists(results), $"Pester wrote no results for {file} (exit code {exitCode}):\n{Tail(output)}");
                var tests = Read(results);
                var failed = tests.Where(t => t.Result == "Failed").ToList();
                foreach (var skipped in tests.Where(t => t.Result == "Skipped"))
                {
                    _output.WriteLine($"Skipped: {skipped.Path}: {skipped.Message}");
                }

                Assert.True(failed.Count == 0, $"{failed.Count} of {tests.Count} Pester tests failed in {file}:\n" +
                    string.Join("\n", failed.Select(t => $"- {t.Path}\n  {t.Message.Replace("\n", "\n  ")}")));
                Assert.True(exitCode == 0, $"Pester exited with {exitCode} for {file}:\n{Tail(output)}");
                Assert.Contains(tests, t => t.Result == "Passed" || t.Result == "Skipped");
            }
            finally
            {
                File.Delete(results);
            }
        }

        private static (int ExitCode, string Output) RunPowerShell(params string[] arguments)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = RepoRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("pwsh");
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            // The suites make their own Secrets homes; nothing of the caller's may leak in.
            foreach (var variable in new[] { "SECRETS_HOME", "SECRETS_IDENTITY", "SECRETS_STORE", "SECRETS_TEST_MODULE" })
            {
                start.Environment.Remove(variable);
            }

            start.Environment["NO_COLOR"] = "1";
            var output = new StringBuilder();
            using var process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, e) => { if (e.Data != null) { lock (output) { output.AppendLine(e.Data); } } };
            process.ErrorDataReceived += (_, e) => { if (e.Data != null) { lock (output) { output.AppendLine(e.Data); } } };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit((int)FileTimeout.TotalMilliseconds))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                throw new TimeoutException($"The Pester run did not end within {FileTimeout}:\n{Tail(output.ToString())}");
            }

            process.WaitForExit();
            lock (output)
            {
                return (process.ExitCode, output.ToString());
            }
        }

        private static List<PesterResult> Read(string path)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var items = json.RootElement.ValueKind == JsonValueKind.Array ? json.RootElement.EnumerateArray().ToList() : new List<JsonElement> { json.RootElement };
            return items.Select(e => new PesterResult(Text(e, "Path"), Text(e, "Result"), Text(e, "Message"))).ToList();
        }

        private static string Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;

        private static string Tail(string text) => text.Length <= 4000 ? text : "…" + text.Substring(text.Length - 4000);

        private static string Metadata(string key) =>
            typeof(PesterSuiteTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == key).Value!;

        private sealed record PesterResult(string Path, string Result, string Message);
    }
}
