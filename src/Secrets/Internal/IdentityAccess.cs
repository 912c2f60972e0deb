using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Platform;

namespace Secrets.Internal
{
    /// <summary>
    /// Getting an unlocked identity for a command: from the process-wide unlock cache, from a file
    /// without a passphrase, or by asking for the passphrase when the session is interactive.
    /// Shared by the cmdlets and by the SecretManagement vault, whose commands run as functions in
    /// SecretManagement's own runspace (with the caller's host).
    /// </summary>
    internal static class IdentityAccess
    {
        internal const int MaxPassphraseAttempts = 3;

        /// <summary>
        /// The unlocked identity at <paramref name="path"/> (a copy the caller disposes). A locked
        /// identity is unlocked by prompting when the session is interactive; otherwise, and when the
        /// prompt gets nothing, an <see cref="IdentityLockedException"/> names the command to run.
        /// </summary>
        /// <param name="cmdlet">the running command: its host prompts and its verbose stream reports.</param>
        /// <param name="path">the identity file.</param>
        /// <param name="unlockFor">how long a passphrase typed at the prompt keeps the identity unlocked.</param>
        /// <param name="vaultName">the SecretManagement vault the call came through, for messages; null for the cmdlets.</param>
        /// <param name="whenMissing">what to do when the file does not exist (null: IdentityNotFound).</param>
        public static UnlockedIdentity Acquire(PSCmdlet cmdlet, string path, TimeSpan unlockFor, string? vaultName,
            Func<string, UnlockedIdentity>? whenMissing)
        {
            var cached = IdentitySession.TryGet(path);
            if (cached != null)
            {
                return cached;
            }

            if (!File.Exists(path))
            {
                if (whenMissing != null)
                {
                    return whenMissing(path);
                }

                throw NotFound(path, vaultName);
            }

            var unprotected = IdentityFile.UnlockUnprotected(path);
            if (unprotected != null)
            {
                return unprotected;
            }

            var file = IdentityFile.Load(path);

            if (!IsInteractive(cmdlet))
            {
                throw Locked(path, vaultName);
            }

            var where = vaultName == null ? string.Empty : $" (vault '{vaultName}')";
            for (int attempt = 1; ; attempt++)
            {
                var passphrase = PromptSecure(cmdlet, $"Passphrase for identity '{file.Name}' ({file.Recipient.Fingerprint}){where}");
                if (passphrase == null)
                {
                    throw Locked(path, vaultName);
                }

                try
                {
                    var unlocked = file.Unlock(passphrase);
                    var outcome = IdentitySession.Remember(unlocked, unlockFor, IdentitySession.PreferredScope);
                    cmdlet.WriteVerbose($"Identity '{file.Name}' unlocked for {Describe(unlockFor)}, {DescribeScope(outcome)}.");
                    return unlocked;
                }
                catch (WrongPassphraseException) when (attempt < MaxPassphraseAttempts)
                {
                    cmdlet.Host.UI.WriteWarningLine("That passphrase does not unlock the identity. Try again.");
                }
                finally
                {
                    Sensitive.Zero(passphrase);
                }
            }
        }

        /// <summary>The error for a locked identity, naming the command that unlocks it.</summary>
        public static IdentityLockedException Locked(string path, string? vaultName)
        {
            var exception = new IdentityLockedException(path);
            exception.RecommendedAction = UnlockAdvice(path, vaultName);
            return exception;
        }

        /// <summary>What to run to unlock the identity: through the vault when there is one, else with Unlock-SecretIdentity.</summary>
        public static string UnlockAdvice(string path, string? vaultName)
        {
            var identity = IsDefault(path)
                ? "Unlock-SecretIdentity -Password $password"
                : $"Unlock-SecretIdentity -Path {Quote(path)} -Password $password";
            return vaultName == null
                ? $"Run: {identity}  (a SecureString), then try again."
                : $"Run: Unlock-SecretVault -Name {Quote(vaultName)} -Password $password  (or {identity}), then try again.";
        }

        /// <summary>Whether prompts can be shown: a host with a UI, not -NonInteractive, input not redirected.</summary>
        public static bool IsInteractive(PSCmdlet cmdlet)
        {
            var host = cmdlet.Host;
            if (host?.UI == null || !Environment.UserInteractive)
            {
                return false;
            }

            // Background jobs and remoting forward prompts to a caller that may never answer.
            if (host.Name == "ServerRemoteHost" || host.Name == "Default Host")
            {
                return false;
            }

            if (host.Name == "ConsoleHost" || host.Name == "Secrets.Runner")
            {
                if (Console.IsInputRedirected)
                {
                    return false;
                }

                if (Environment.GetCommandLineArgs().Any(a => a.StartsWith("-noni", StringComparison.OrdinalIgnoreCase)))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Reads a passphrase from the host; null when the user gives nothing or the host cannot prompt.</summary>
        public static byte[]? PromptSecure(PSCmdlet cmdlet, string prompt) => PromptSecure(cmdlet, prompt, out _);

        /// <summary>Reads a passphrase; <paramref name="hostRefused"/> tells a host that cannot prompt from an empty answer.</summary>
        public static byte[]? PromptSecure(PSCmdlet cmdlet, string prompt, out bool hostRefused)
        {
            hostRefused = false;
            SecureString? secure;
            try
            {
                cmdlet.Host.UI.Write(prompt + ": ");
                secure = cmdlet.Host.UI.ReadLineAsSecureString();
            }
            catch (Exception e) when (e is PSInvalidOperationException || e is HostException || e is NotImplementedException || e is PSNotImplementedException)
            {
                hostRefused = true;
                return null;
            }

            if (secure == null || secure.Length == 0)
            {
                return null;
            }

            try
            {
                return SecureText.ToUtf8(secure);
            }
            finally
            {
                secure.Dispose();
            }
        }

        /// <summary>Where an unlock is kept, and why it was not shared when that was asked for, for verbose messages.</summary>
        public static string DescribeScope(UnlockOutcome outcome) =>
            outcome.Scope == UnlockScope.User ? "for every process of yours (until then, or Lock-SecretIdentity)"
            : outcome.NotSharedBecause == null ? "in this process only"
            : $"in this process only: {outcome.NotSharedBecause}";

        /// <summary>A path or name in single quotes, as PowerShell reads it.</summary>
        public static string Quote(string text) => "'" + text.Replace("'", "''") + "'";

        /// <summary>A timeout for messages: "15 minutes", "1 hour", "90 seconds".</summary>
        public static string Describe(TimeSpan span)
        {
            if (span.TotalMinutes < 1 || span.TotalSeconds % 60 != 0)
            {
                return $"{span.TotalSeconds:0} seconds";
            }

            if (span.TotalHours >= 1 && span.TotalMinutes % 60 == 0)
            {
                return span.TotalHours == 1 ? "1 hour" : $"{span.TotalHours:0} hours";
            }

            return span.TotalMinutes == 1 ? "1 minute" : $"{span.TotalMinutes:0} minutes";
        }

        /// <summary>The error for a missing identity file, naming the command that creates it.</summary>
        public static IdentityNotFoundException NotFound(string path, string? vaultName)
        {
            var exception = new IdentityNotFoundException(path);
            if (!IsDefault(path))
            {
                exception.RecommendedAction = $"Run: New-SecretIdentity -Path {Quote(path)}  (or add -NoPassword for unattended automation)"
                    + (vaultName == null ? "." : $", or register vault '{vaultName}' with an identity you have.");
            }
            else if (vaultName != null)
            {
                exception.RecommendedAction += $" Or register vault '{vaultName}' with an identity you have.";
            }

            return exception;
        }

        private static bool IsDefault(string path)
        {
            try
            {
                return string.Equals(Path.GetFullPath(path), Path.GetFullPath(SecretsPaths.DefaultIdentityPath),
                    Environment.OSVersion.Platform == PlatformID.Win32NT ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
            }
            catch (ArgumentException)
            {
                return false;
            }
        }
    }
}
