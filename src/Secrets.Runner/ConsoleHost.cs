using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace Secrets.Runner
{
    /// <summary>A console host: output to stdout/stderr, prompts from the keyboard (none when input is redirected).</summary>
    internal sealed class ConsoleHost : PSHost
    {
        private readonly ConsoleUI _ui = new ConsoleUI();

        public override string Name => "Secrets.Runner";
        public override Version Version => typeof(ConsoleHost).Assembly.GetName().Version ?? new Version(1, 0);
        public override Guid InstanceId { get; } = Guid.NewGuid();
        public override PSHostUserInterface UI => _ui;
        public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;

        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
        public override void SetShouldExit(int exitCode) => Environment.Exit(exitCode);
    }

    internal sealed class ConsoleUI : PSHostUserInterface
    {
        private readonly ConsoleRawUI _raw = new ConsoleRawUI();

        public override PSHostRawUserInterface RawUI => _raw;

        private static readonly bool PlainOutput = Console.IsOutputRedirected;
        private static readonly System.Text.RegularExpressions.Regex Escape = new System.Text.RegularExpressions.Regex("\x1b\\[[0-9;?]*[A-Za-z]");

        public override bool SupportsVirtualTerminal => !PlainOutput;

        public override void Write(string value) => Console.Write(Plain(value));
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Console.Write(Plain(value));
        public override void WriteLine(string value) => Console.WriteLine(Plain(value));
        public override void WriteErrorLine(string value) => Console.Error.WriteLine(Plain(value));
        public override void WriteDebugLine(string message) => Console.WriteLine("DEBUG: " + message);
        public override void WriteVerboseLine(string message) => Console.WriteLine("VERBOSE: " + message);
        public override void WriteWarningLine(string message) => Console.WriteLine("WARNING: " + message);
        public override void WriteProgress(long sourceId, ProgressRecord record) { }

        public override string ReadLine()
        {
            RequireInput();
            return Console.ReadLine() ?? string.Empty;
        }

        public override SecureString ReadLineAsSecureString()
        {
            RequireInput();
            var secure = new SecureString();
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter)
                {
                    Console.WriteLine();
                    break;
                }

                if (key.Key == ConsoleKey.Backspace)
                {
                    if (secure.Length > 0)
                    {
                        secure.RemoveAt(secure.Length - 1);
                    }

                    continue;
                }

                secure.AppendChar(key.KeyChar);
            }

            secure.MakeReadOnly();
            return secure;
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
        {
            RequireInput();
            var result = new Dictionary<string, PSObject>();
            foreach (var field in descriptions)
            {
                Console.Write(field.Name + ": ");
                result[field.Name] = field.ParameterTypeFullName == typeof(SecureString).FullName
                    ? new PSObject(ReadLineAsSecureString())
                    : new PSObject(Console.ReadLine() ?? string.Empty);
            }

            return result;
        }

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            RequireInput();
            Console.WriteLine(caption);
            Console.WriteLine(message);
            while (true)
            {
                for (int i = 0; i < choices.Count; i++)
                {
                    Console.Write($"[{i}] {choices[i].Label.Replace("&", string.Empty)}  ");
                }

                Console.Write($"(default {defaultChoice}): ");
                var answer = Console.ReadLine();
                if (string.IsNullOrWhiteSpace(answer))
                {
                    return defaultChoice;
                }

                for (int i = 0; i < choices.Count; i++)
                {
                    var label = choices[i].Label;
                    int hot = label.IndexOf('&');
                    if (answer.Trim() == i.ToString(CultureInfo.InvariantCulture)
                        || (hot >= 0 && hot + 1 < label.Length && string.Equals(answer.Trim(), label[hot + 1].ToString(), StringComparison.OrdinalIgnoreCase)))
                    {
                        return i;
                    }
                }
            }
        }

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            PromptForCredential(caption, message, userName, targetName, PSCredentialTypes.Default, PSCredentialUIOptions.Default);

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options)
        {
            RequireInput();
            Console.WriteLine(message);
            if (string.IsNullOrEmpty(userName))
            {
                Console.Write("User: ");
                userName = Console.ReadLine() ?? string.Empty;
            }

            Console.Write("Password: ");
            return new PSCredential(userName, ReadLineAsSecureString());
        }

        /// <summary>Drops terminal escape sequences when the output goes to a file or a pipe.</summary>
        private static string Plain(string value) => PlainOutput && value != null ? Escape.Replace(value, string.Empty) : value!;

        private static void RequireInput()
        {
            if (Console.IsInputRedirected)
            {
                throw new PSInvalidOperationException("The input of this host is redirected: it cannot prompt.");
            }
        }
    }

    internal sealed class ConsoleRawUI : PSHostRawUserInterface
    {
        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
        public override Size BufferSize
        {
            get => new Size(Width, 9999);
            set { }
        }

        public override Coordinates CursorPosition { get; set; }
        public override int CursorSize { get; set; }
        public override bool KeyAvailable => false;
        public override Size MaxPhysicalWindowSize => new Size(Width, 100);
        public override Size MaxWindowSize => new Size(Width, 100);
        public override Coordinates WindowPosition { get; set; }
        public override Size WindowSize
        {
            get => new Size(Width, 50);
            set { }
        }

        public override string WindowTitle { get; set; } = "Secrets";

        private static int Width
        {
            get
            {
                try
                {
                    return Console.IsOutputRedirected ? 120 : Math.Max(Console.WindowWidth, 80);
                }
                catch (System.IO.IOException)
                {
                    return 120;
                }
            }
        }

        public override void FlushInputBuffer() { }
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) => throw new NotSupportedException();
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) => throw new NotSupportedException();
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) => throw new NotSupportedException();
    }
}
