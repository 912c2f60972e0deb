using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Secrets.Core.Jobs;
using Xunit;

namespace Secrets.Core.Tests.Jobs
{
    /// <summary>Real child processes (bash, env): environment, output, masking, exit codes, cancellation.</summary>
    public class JobProcessTests
    {
        private static readonly string Bash = File.Exists("/bin/bash") ? "/bin/bash" : "bash";

        private static (List<JobOutputLine> Lines, int ExitCode) Run(string script, IReadOnlyDictionary<string, string> environment, OutputMasker masker, params string[] extra)
        {
            using var process = new JobProcess(Bash, new[] { "-c", script, "job" }.Concat(extra), Path.GetTempPath(), environment, masker);
            var lines = process.Run(CancellationToken.None).ToList();
            return (lines, process.ExitCode);
        }

        [Fact]
        public void ChildGetsVariablesAndTheParentDoesNot()
        {
            var variable = "SECRETS_TEST_" + Guid.NewGuid().ToString("N");
            var env = new Dictionary<string, string> { [variable] = "value-for-child" };
            var (lines, exitCode) = Run($"printf '%s\\n' \"${variable}\"; env | grep -c '^{variable}='", env, OutputMasker.None);
            Assert.Equal(0, exitCode);
            Assert.Equal(new[] { "value-for-child", "1" }, lines.Select(l => l.Text));
            Assert.Null(Environment.GetEnvironmentVariable(variable));
        }

        [Fact]
        public void OutputIsMaskedOnBothStreamsLineByLine()
        {
            var env = new Dictionary<string, string> { ["TOKEN"] = "s3cr3t-token-value" };
            var masker = new OutputMasker(new[] { System.Text.Encoding.UTF8.GetBytes("s3cr3t-token-value") });
            var (lines, _) = Run("echo \"out $TOKEN\"; echo \"err $TOKEN\" >&2; printf %s \"$TOKEN\" | base64; echo plain", env, masker);
            Assert.Contains(lines, l => !l.IsError && l.Text == "out ***");
            Assert.Contains(lines, l => l.IsError && l.Text == "err ***");
            Assert.Contains(lines, l => !l.IsError && l.Text == "***");
            Assert.Contains(lines, l => l.Text == "plain");
            Assert.DoesNotContain(lines, l => l.Text.Contains("s3cr3t"));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(3)]
        [InlineData(255)]
        public void ReturnsTheExitCode(int code)
        {
            var (_, exitCode) = Run($"exit {code}", new Dictionary<string, string>(), OutputMasker.None);
            Assert.Equal(code, exitCode);
        }

        [Fact]
        public void ArgumentsArriveVerbatimWithoutAShell()
        {
            var tricky = new[] { "two words", "quote\"inside", "$HOME", "back\\slash\\", "" };
            var (lines, _) = Run("for a in \"$@\"; do printf '[%s]\\n' \"$a\"; done", new Dictionary<string, string>(), OutputMasker.None, tricky);
            Assert.Equal(tricky.Select(a => "[" + a + "]"), lines.Select(l => l.Text));
        }

        [Fact]
        public void LinesArriveWhileTheProgramRuns()
        {
            using var process = new JobProcess(Bash, new[] { "-c", "echo first; sleep 30; echo never" }, Path.GetTempPath(), new Dictionary<string, string>(), OutputMasker.None);
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var enumerator = process.Run(cancel.Token).GetEnumerator();
            Assert.True(enumerator.MoveNext());
            Assert.Equal("first", enumerator.Current.Text);
            cancel.Cancel();
            Assert.Throws<OperationCanceledException>(() => enumerator.MoveNext());
        }

        [Fact]
        public void CancellingKillsTheProgramAndItsFilesAreErased()
        {
            using var journals = new Support.TempFolder();
            var files = new JobFiles(journals.Path);
            var secretFile = Path.Combine(files.PrivateDirectory, "db.txt");
            files.Write(secretFile, System.Text.Encoding.UTF8.GetBytes("secret"));
            var marker = Path.Combine(Path.GetTempPath(), "secrets-job-" + Guid.NewGuid().ToString("N"));
            var env = new Dictionary<string, string> { ["SECRETS_DIR"] = files.PrivateDirectory };
            int pid;
            using (var process = new JobProcess(Bash, new[] { "-c", $"cat \"$SECRETS_DIR/db.txt\"; echo; sleep 30; touch {marker}" }, Path.GetTempPath(), env, OutputMasker.None))
            {
                using var cancel = new CancellationTokenSource();
                try
                {
                    foreach (var line in process.Run(cancel.Token))
                    {
                        Assert.Equal("secret", line.Text);
                        cancel.Cancel();
                    }
                }
                catch (OperationCanceledException)
                {
                }
                finally
                {
                    files.Dispose();
                }

                pid = process.Id;
            }

            Assert.False(File.Exists(secretFile));
            Assert.False(Directory.Exists(Path.GetDirectoryName(secretFile)));
            Thread.Sleep(200);
            Assert.False(File.Exists(marker));
            Assert.False(IsRunning(pid));
        }

        private static bool IsRunning(int pid)
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }
    }
}
