using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Threading;

namespace Secrets.Core.Jobs
{
    /// <summary>One line a job printed, already masked.</summary>
    public readonly struct JobOutputLine
    {
        public JobOutputLine(bool isError, string text)
        {
            IsError = isError;
            Text = text;
        }

        /// <summary>True for standard error.</summary>
        public bool IsError { get; }

        public string Text { get; }

        public override string ToString() => (IsError ? "stderr: " : "stdout: ") + Text;
    }

    /// <summary>
    /// Runs an external program with extra environment variables (the caller's environment is
    /// not changed) and hands its output back line by line, masked, as it is printed. Arguments
    /// go to the program as an argument list, never through a shell.
    /// </summary>
    public sealed class JobProcess : IDisposable
    {
        private readonly Process _process;
        private readonly OutputMasker _masker;
        private readonly BlockingCollection<JobOutputLine> _lines = new BlockingCollection<JobOutputLine>();
        private int _openStreams = 2;
        private bool _started;

        public JobProcess(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment, OutputMasker masker, IEnumerable<string>? unset = null)
        {
            _masker = masker ?? throw new ArgumentNullException(nameof(masker));
            var start = new ProcessStartInfo(fileName)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = false,
                WorkingDirectory = workingDirectory,
                StandardOutputEncoding = new UTF8Encoding(false),
                StandardErrorEncoding = new UTF8Encoding(false),
                CreateNoWindow = true,
            };
            AddArguments(start, arguments);
            foreach (var name in unset ?? Array.Empty<string>())
            {
                start.Environment.Remove(name);
            }

            foreach (var pair in environment)
            {
                start.Environment[pair.Key] = pair.Value;
            }

            _process = new Process { StartInfo = start, EnableRaisingEvents = true };
            _process.OutputDataReceived += (_, e) => Receive(false, e.Data);
            _process.ErrorDataReceived += (_, e) => Receive(true, e.Data);
        }

        /// <summary>The exit code, once <see cref="Run"/> has been enumerated to the end.</summary>
        public int ExitCode { get; private set; }

        /// <summary>The process id, once started.</summary>
        public int Id => _process.Id;

        /// <summary>
        /// Starts the program and yields its lines as they come. Cancelling kills the program (and its
        /// children where the platform allows) and throws <see cref="OperationCanceledException"/>.
        /// </summary>
        public IEnumerable<JobOutputLine> Run(CancellationToken cancellation)
        {
            if (_started)
            {
                throw new InvalidOperationException("The job has already run.");
            }

            _started = true;
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            using (cancellation.Register(Kill))
            {
                foreach (var line in _lines.GetConsumingEnumerable(cancellation))
                {
                    yield return line;
                }

                _process.WaitForExit();
                ExitCode = _process.ExitCode;
            }
        }

        public void Dispose()
        {
            Kill();
            _process.Dispose();
            _lines.Dispose();
        }

        private void Receive(bool isError, string? data)
        {
            if (data == null)
            {
                if (Interlocked.Decrement(ref _openStreams) == 0)
                {
                    _lines.CompleteAdding();
                }

                return;
            }

            try
            {
                _lines.Add(new JobOutputLine(isError, _masker.Apply(data)));
            }
            catch (InvalidOperationException)
            {
                // Completed after a cancellation.
            }
        }

        private void Kill()
        {
            try
            {
                if (!_started || _process.HasExited)
                {
                    return;
                }

                // Kill(bool entireProcessTree) exists from .NET Core 3.0; Windows PowerShell has only Kill().
                var killTree = typeof(Process).GetMethod("Kill", new[] { typeof(bool) });
                if (killTree != null)
                {
                    killTree.Invoke(_process, new object[] { true });
                }
                else
                {
                    _process.Kill();
                }
            }
            catch (Exception e) when (e is InvalidOperationException || e is System.ComponentModel.Win32Exception || e is TargetInvocationException || e is NotSupportedException)
            {
                // Already gone.
            }
        }

        internal static void AddArguments(ProcessStartInfo start, IEnumerable<string> arguments)
        {
            // ArgumentList (.NET Core 2.1+) passes each argument as is; on .NET Framework the
            // arguments are quoted by the rules CommandLineToArgvW and the C runtime use.
            var list = typeof(ProcessStartInfo).GetProperty("ArgumentList")?.GetValue(start) as ICollection<string>;
            if (list != null)
            {
                foreach (var argument in arguments)
                {
                    list.Add(argument);
                }

                return;
            }

            var builder = new StringBuilder();
            foreach (var argument in arguments)
            {
                if (builder.Length > 0)
                {
                    builder.Append(' ');
                }

                AppendQuoted(builder, argument);
            }

            start.Arguments = builder.ToString();
        }

        internal static void AppendQuoted(StringBuilder builder, string argument)
        {
            if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '\n', '\v', '"' }) < 0)
            {
                builder.Append(argument);
                return;
            }

            builder.Append('"');
            int backslashes = 0;
            foreach (char c in argument)
            {
                if (c == '\\')
                {
                    backslashes++;
                    continue;
                }

                if (c == '"')
                {
                    builder.Append('\\', backslashes * 2 + 1).Append('"');
                }
                else
                {
                    builder.Append('\\', backslashes).Append(c);
                }

                backslashes = 0;
            }

            builder.Append('\\', backslashes * 2).Append('"');
        }
    }
}
