using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace Secrets.PowerShell.Tests
{
    /// <summary>
    /// A host whose user answers from a script: queued answers for choices (ShouldContinue,
    /// -Confirm), for passphrase and value prompts (masked: ReadLineAsSecureString) and for lines
    /// typed in the open (ReadLine). Everything shown to the user is recorded in
    /// <see cref="Transcript"/> (Out-Default output, prompts, warnings, verbose lines), so tests can
    /// check what a person at the console would see. A prompt with no queued answer fails the test
    /// with an exception the module does not catch.
    /// </summary>
    public sealed class ScriptedHost : PSHost
    {
        private readonly ScriptedUI _ui;

        public ScriptedHost()
        {
            _ui = new ScriptedUI(this);
        }

        public override string Name => "ScriptedHost";
        public override Version Version => new Version(1, 0);
        public override Guid InstanceId { get; } = Guid.NewGuid();
        public override PSHostUserInterface UI => _ui;
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

        /// <summary>Everything written to the user, in order.</summary>
        public StringBuilder Transcript { get; } = new StringBuilder();

        /// <summary>Every question asked: "choice: caption | message", "secure: prompt text" (masked) or "line: prompt text" (echoed).</summary>
        public List<string> Questions { get; } = new List<string>();

        /// <summary>Answers, in order: a choice label such as "Yes" or "No" (hot-key ampersand ignored), or a passphrase.</summary>
        public Queue<Answer> Answers { get; } = new Queue<Answer>();

        public ScriptedHost Choose(string label)
        {
            Answers.Enqueue(new Answer(AnswerKind.Choice, label));
            return this;
        }

        public ScriptedHost Type(string passphrase)
        {
            Answers.Enqueue(new Answer(AnswerKind.Secure, passphrase));
            return this;
        }

        /// <summary>An answer to a ReadLine prompt, which the console shows as it is typed.</summary>
        public ScriptedHost Say(string line)
        {
            Answers.Enqueue(new Answer(AnswerKind.Line, line));
            return this;
        }

        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
        public override void SetShouldExit(int exitCode) { }

        internal Answer Next(AnswerKind kind, string question)
        {
            Questions.Add(question);
            if (Answers.Count == 0)
            {
                throw new UnexpectedPromptException($"No scripted answer for: {question}");
            }

            var answer = Answers.Dequeue();
            if (answer.Kind != kind)
            {
                throw new UnexpectedPromptException($"Expected to answer a {answer.Kind} prompt with '{answer.Text}', but was asked: {question}");
            }

            return answer;
        }

        public enum AnswerKind
        {
            Choice,
            Secure,
            Line,
        }

        public sealed class Answer
        {
            public Answer(AnswerKind kind, string text)
            {
                Kind = kind;
                Text = text;
            }

            public AnswerKind Kind { get; }
            public string Text { get; }
        }

        /// <summary>Not a host exception type the module handles: a missing answer fails the test loudly.</summary>
        public sealed class UnexpectedPromptException : Exception
        {
            public UnexpectedPromptException(string message) : base(message) { }
        }

        private sealed class ScriptedUI : PSHostUserInterface
        {
            private readonly ScriptedHost _host;
            private readonly RawUI _raw = new RawUI();

            public ScriptedUI(ScriptedHost host) => _host = host;

            public override PSHostRawUserInterface RawUI => _raw;

            private static readonly System.Text.RegularExpressions.Regex Escape = new System.Text.RegularExpressions.Regex("\x1b\\[[0-9;?]*[A-Za-z]");

            public override void Write(string value) => _host.Transcript.Append(Plain(value));
            public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => _host.Transcript.Append(Plain(value));
            public override void WriteLine(string value) => _host.Transcript.Append(Plain(value)).Append('\n');
            public override void WriteErrorLine(string value) => _host.Transcript.Append("ERROR: ").Append(value).Append('\n');
            public override void WriteDebugLine(string message) => _host.Transcript.Append("DEBUG: ").Append(message).Append('\n');
            public override void WriteVerboseLine(string message) => _host.Transcript.Append("VERBOSE: ").Append(message).Append('\n');
            public override void WriteWarningLine(string message) => _host.Transcript.Append("WARNING: ").Append(message).Append('\n');
            public override void WriteProgress(long sourceId, ProgressRecord record) { }

            /// <summary>Without terminal colour sequences, as a log file would hold it.</summary>
            private static string Plain(string value) => value == null ? string.Empty : Escape.Replace(value, string.Empty);

            public override string ReadLine()
            {
                // Shown as typed, as the console echoes it.
                var text = _host.Transcript.ToString();
                var lastLine = text.Substring(text.LastIndexOf('\n') + 1);
                var answer = _host.Next(AnswerKind.Line, "line: " + lastLine);
                _host.Transcript.Append(answer.Text).Append('\n');
                return answer.Text;
            }

            public override SecureString ReadLineAsSecureString()
            {
                // The prompt text is what was written just before.
                var text = _host.Transcript.ToString();
                var lastLine = text.Substring(text.LastIndexOf('\n') + 1);
                var answer = _host.Next(AnswerKind.Secure, "secure: " + lastLine);
                _host.Transcript.Append("********\n");
                var secure = new SecureString();
                foreach (var c in answer.Text)
                {
                    secure.AppendChar(c);
                }

                secure.MakeReadOnly();
                return secure;
            }

            public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
                throw new UnexpectedPromptException($"Prompt was called: {caption} | {message}");

            public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
            {
                _host.Transcript.Append(caption).Append('\n').Append(message).Append('\n');
                var answer = _host.Next(AnswerKind.Choice, $"choice: {caption} | {message}");
                var labels = choices.Select(c => c.Label.Replace("&", string.Empty)).ToList();
                int index = labels.FindIndex(l => string.Equals(l, answer.Text, StringComparison.OrdinalIgnoreCase));
                if (index < 0)
                {
                    throw new UnexpectedPromptException($"No choice '{answer.Text}' among {string.Join(", ", labels)} for: {caption} | {message}");
                }

                return index;
            }

            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
                throw new UnexpectedPromptException($"PromptForCredential was called: {caption} | {message}");

            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
                PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
                throw new UnexpectedPromptException($"PromptForCredential was called: {caption} | {message}");
        }

        private sealed class RawUI : PSHostRawUserInterface
        {
            public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
            public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
            public override Size BufferSize { get => new Size(250, 9999); set { } }
            public override Coordinates CursorPosition { get; set; }
            public override int CursorSize { get; set; }
            public override bool KeyAvailable => false;
            public override Size MaxPhysicalWindowSize => new Size(250, 100);
            public override Size MaxWindowSize => new Size(250, 100);
            public override Coordinates WindowPosition { get; set; }
            public override Size WindowSize { get => new Size(250, 100); set { } }
            public override string WindowTitle { get; set; } = "Secrets tests";

            public override void FlushInputBuffer() { }
            public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();
            public override KeyInfo ReadKey(ReadKeyOptions options) => throw new UnexpectedPromptException("ReadKey was called.");
            public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) => throw new NotSupportedException();
            public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) => throw new NotSupportedException();
            public override void SetBufferContents(Rectangle rectangle, BufferCell fill) => throw new NotSupportedException();
        }
    }
}
