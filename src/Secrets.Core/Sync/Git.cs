using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Secrets.Core.Errors;
using Secrets.Core.Jobs;

namespace Secrets.Core.Sync
{
    /// <summary>
    /// The <c>git</c> command, run in one working tree. Git is the sync's engine: fetching, pushing,
    /// committing and moving the branch are all git's; this class only runs it, with no prompt for
    /// credentials (a job has no one to answer), literal path specs and messages in English.
    /// </summary>
    internal sealed class Git
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

        public Git(string workTree, Action<string>? trace = null)
        {
            WorkTree = workTree;
            Trace = trace;
        }

        public string WorkTree { get; }

        public Action<string>? Trace { get; }

        /// <summary>The git command to run (a test may point it elsewhere).</summary>
        internal static string Command { get; set; } = "git";

        /// <summary>Runs git and returns its standard output; a failure is a <see cref="GitException"/> with what git said.</summary>
        public string Run(params string[] arguments)
        {
            var result = TryRun(arguments);
            if (result.ExitCode != 0)
            {
                throw new GitException(arguments, result.ExitCode, result.Error.Trim());
            }

            return result.Output;
        }

        /// <summary>Runs git and returns its exit code and output, whatever the exit code.</summary>
        public GitResult TryRun(params string[] arguments) => TryRun((IEnumerable<string>)arguments);

        public GitResult TryRun(IEnumerable<string> arguments) => TryRun(arguments, null);

        /// <summary>Runs git with <paramref name="input"/> on its standard input (a commit message: no argument is long enough for one of any size).</summary>
        public GitResult TryRun(IEnumerable<string> arguments, string? input)
        {
            var list = arguments.ToList();
            Trace?.Invoke("git " + string.Join(" ", list));
            var start = new ProcessStartInfo(Command)
            {
                WorkingDirectory = WorkTree,
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                CreateNoWindow = true,
                StandardOutputEncoding = new UTF8Encoding(false),
                StandardErrorEncoding = new UTF8Encoding(false),
            };
            start.EnvironmentVariables["GIT_TERMINAL_PROMPT"] = "0";
            start.EnvironmentVariables["GIT_LITERAL_PATHSPECS"] = "1";
            start.EnvironmentVariables["LC_ALL"] = "C";
            start.EnvironmentVariables["LANGUAGE"] = "C";
            start.EnvironmentVariables["GIT_EDITOR"] = "true";
            start.EnvironmentVariables["GIT_MERGE_AUTOEDIT"] = "no";
            JobProcess.AddArguments(start, list);

            Process process;
            try
            {
                process = Process.Start(start) ?? throw new InvalidOperationException("git did not start");
            }
            catch (Exception e) when (e is FileNotFoundException || (e is System.ComponentModel.Win32Exception w && w.NativeErrorCode == 2))
            {
                throw new SecretsException("GitNotFound", FailureKind.InvalidOperation,
                    $"Syncing a store runs the 'git' command, which could not be started: {e.Message}")
                {
                    RecommendedAction = "Install git (https://git-scm.com) and make sure 'git' is on PATH.",
                };
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception || e is InvalidOperationException)
            {
                throw new GitException(list, -1, $"git could not be started: {e.Message}");
            }

            using (process)
            {
                if (input != null)
                {
                    process.StandardInput.Write(input);
                }

                process.StandardInput.Close();
                var output = process.StandardOutput.ReadToEndAsync();
                var error = process.StandardError.ReadToEndAsync();
                if (!process.WaitForExit((int)Timeout.TotalMilliseconds))
                {
                    try
                    {
                        process.Kill();
                    }
                    catch (InvalidOperationException)
                    {
                    }

                    throw new GitException(list, -1, $"git did not finish within {Timeout.TotalMinutes} minutes");
                }

                Task.WaitAll(output, error);
                return new GitResult(process.ExitCode, output.Result, error.Result);
            }
        }

        /// <summary>The commit a revision names, or null when it names none.</summary>
        public string? Resolve(string revision)
        {
            var result = TryRun("rev-parse", "--verify", "--quiet", revision + "^{commit}");
            return result.ExitCode == 0 ? result.Output.Trim() : null;
        }

        public bool IsAncestor(string ancestor, string descendant) =>
            TryRun("merge-base", "--is-ancestor", ancestor, descendant).ExitCode == 0;

        public string? MergeBase(string a, string b)
        {
            var result = TryRun("merge-base", a, b);
            return result.ExitCode == 0 ? result.Output.Trim() : null;
        }

        /// <summary>The names in a folder of a commit's tree (none when the folder is not there).</summary>
        public IReadOnlyList<string> ListFolder(string commit, string folder)
        {
            var result = TryRun("ls-tree", "-z", "--name-only", commit + ":" + folder);
            return result.ExitCode == 0 ? SplitZ(result.Output) : Array.Empty<string>();
        }

        /// <summary>A file of a commit's tree, or null when it is not there.</summary>
        public byte[]? ReadFile(string commit, string file)
        {
            // Blobs are read as bytes, not decoded as text.
            var start = new ProcessStartInfo(Command)
            {
                WorkingDirectory = WorkTree,
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                CreateNoWindow = true,
            };
            JobProcess.AddArguments(start, new[] { "cat-file", "blob", commit + ":" + file });
            using var process = Process.Start(start)!;
            using var buffer = new MemoryStream();
            var error = process.StandardError.ReadToEndAsync();
            process.StandardOutput.BaseStream.CopyTo(buffer);
            process.WaitForExit();
            error.Wait();
            return process.ExitCode == 0 ? buffer.ToArray() : null;
        }

        /// <summary>The files that differ between two commits under a path: status letter (A, D, M, T) and path.</summary>
        public IReadOnlyList<(char Status, string Path)> Diff(string from, string to, string path)
        {
            var fields = SplitZ(Run("diff", "--name-status", "--no-renames", "-z", from, to, "--", PathSpec(path)));
            var result = new List<(char, string)>();
            for (int i = 0; i + 1 < fields.Count; i += 2)
            {
                result.Add((fields[i][0], fields[i + 1]));
            }

            return result;
        }

        /// <summary>The newest commit of <paramref name="from"/>..<paramref name="to"/> that changed a path.</summary>
        public string? LastCommitTouching(string? from, string to, string path)
        {
            var range = from == null ? to : from + ".." + to;
            var result = TryRun("log", "-1", "--format=%H %an%x00%s", range, "--", path);
            var line = result.Output.Trim();
            return result.ExitCode == 0 && line.Length > 0 ? line : null;
        }

        public static string PathSpec(string path) => path.Length == 0 ? "." : path;

        public static List<string> SplitZ(string output) =>
            output.Split(new[] { '\0' }, StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    internal readonly struct GitResult
    {
        public GitResult(int exitCode, string output, string error)
        {
            ExitCode = exitCode;
            Output = output;
            Error = error;
        }

        public int ExitCode { get; }
        public string Output { get; }
        public string Error { get; }
    }

    /// <summary>A git command that failed: the command and what git said.</summary>
    public sealed class GitException : SecretsException
    {
        internal GitException(IEnumerable<string> arguments, int exitCode, string said)
            : base("GitFailed", FailureKind.InvalidOperation,
                $"'git {string.Join(" ", arguments)}' failed (exit code {exitCode}): {(said.Length == 0 ? "it printed nothing" : said)}")
        {
            ExitCode = exitCode;
            GitOutput = said;
        }

        public int ExitCode { get; }

        public string GitOutput { get; }
    }
}
