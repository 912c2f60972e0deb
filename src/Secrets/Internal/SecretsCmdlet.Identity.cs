using System;
using System.IO;
using System.Management.Automation;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Platform;

namespace Secrets.Internal
{
    /// <summary>
    /// Choosing an identity: by name in the Secrets home (-Name work: identities/work.identity), by
    /// file (-Path), or the one in use ($env:SECRETS_IDENTITY, else 'default').
    /// </summary>
    public abstract partial class SecretsCmdlet
    {
        /// <summary>The identity file for an identity cmdlet's -Name or -Path (at most one of them), else the identity in use.</summary>
        internal string ResolveIdentityPath(string? name, string? path)
        {
            if (!string.IsNullOrEmpty(name) && !string.IsNullOrEmpty(path))
            {
                ThrowTerminatingError(ErrorMapping.InvalidArgument("NameAndPath",
                    "Give -Name (an identity in your Secrets home) or -Path (an identity file), not both.", name));
            }

            if (!string.IsNullOrEmpty(name))
            {
                try
                {
                    return IdentityNames.PathOf(name!);
                }
                catch (SecretsException e)
                {
                    ThrowFailure(e, name);
                }
            }

            return string.IsNullOrEmpty(path) ? SecretsPaths.DefaultIdentityPath : GetUnresolvedProviderPathFromPSPath(path);
        }

        /// <summary>
        /// The identity file for a -Identity value: an identity name of the Secrets home, or a path
        /// (through the file-system provider); null when not given.
        /// </summary>
        internal string? ResolveIdentityArgument(string? identity)
        {
            if (string.IsNullOrEmpty(identity))
            {
                return null;
            }

            return IdentityNames.IsName(identity) ? IdentityNames.PathOf(identity!) : GetUnresolvedProviderPathFromPSPath(identity);
        }

        /// <summary>
        /// Whether the command's ShouldProcess asks for confirmation of an action of
        /// <paramref name="impact"/>: -Confirm, or $ConfirmPreference at or below that impact.
        /// </summary>
        internal bool ShouldProcessAsks(ConfirmImpact impact)
        {
            if (MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm))
            {
                return confirm is SwitchParameter s ? s.IsPresent : confirm is bool b && b;
            }

            var preference = GetVariableValue("ConfirmPreference");
            var level = preference is ConfirmImpact value ? value
                : Enum.TryParse<ConfirmImpact>(preference?.ToString(), true, out var parsed) ? parsed : ConfirmImpact.High;
            return level != ConfirmImpact.None && impact >= level;
        }

        /// <summary>Whether the command was given -Confirm:$false.</summary>
        internal bool ConfirmDeclined =>
            MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm)
            && !(confirm is SwitchParameter s ? s.IsPresent : confirm is bool b && b);

        /// <summary>Whether -WhatIf or -Confirm was given.</summary>
        internal bool WhatIfOrConfirmGiven =>
            MyInvocation.BoundParameters.ContainsKey("WhatIf") || MyInvocation.BoundParameters.ContainsKey("Confirm");

        /// <summary>
        /// Confirms a destructive step: ShouldProcess (-WhatIf, -Confirm, ConfirmImpact), then, in an
        /// interactive session whose ShouldProcess did not already ask (a $ConfirmPreference of
        /// None), ShouldContinue. -Confirm:$false skips both questions.
        /// </summary>
        internal bool ConfirmDestructive(string target, string action, string question, string caption)
        {
            bool asked = ShouldProcessAsks(ConfirmImpact.High);
            if (!ShouldProcess(target, action))
            {
                return false;
            }

            if (asked || ConfirmDeclined || !IsInteractive)
            {
                return true;
            }

            return Ask(question, caption);
        }

        /// <summary>
        /// A new passphrase (for an identity or a backup): the one given, else asked for twice. Refused
        /// when empty, or shorter than the minimum unless <paramref name="force"/> (-Force); a common
        /// one is taken with a warning. The texts say what it is for: the prompt, why it is required
        /// where the session cannot prompt (with the command to run), what nothing confirmed left
        /// undone, and what an empty one cannot be. The caller zeroes the result.
        /// </summary>
        internal byte[] NewPassphrase(System.Security.SecureString? given, bool force, string prompt, string cannotPrompt, string notConfirmed, string empty)
        {
            byte[]? passphrase;
            if (given != null)
            {
                passphrase = SecureText.ToUtf8(given);
            }
            else
            {
                var required = new InvalidInputException("PasswordRequired", "Password", cannotPrompt);
                if (!IsInteractive)
                {
                    throw required;
                }

                passphrase = PromptNewPassphraseTwice($"{prompt} (at least {PassphrasePolicy.MinLength} characters)", force)
                    ?? throw (HostCannotPrompt ? required : new InvalidInputException("PasswordRequired", "Password", notConfirmed));
            }

            try
            {
                if (passphrase.Length == 0)
                {
                    throw new InvalidInputException("EmptyPassword", "Password", empty);
                }

                if (PassphrasePolicy.Enforce(passphrase, force, "Password", "add -Force to use it anyway").IsCommon)
                {
                    WriteWarning(PassphrasePolicy.CommonWarning);
                }

                return passphrase;
            }
            catch
            {
                Sensitive.Zero(passphrase);
                throw;
            }
        }

        /// <summary>
        /// Asks for a new passphrase twice (up to three times), refusing one shorter than the minimum
        /// unless <paramref name="allowShort"/>; null when nothing was confirmed or the host cannot prompt.
        /// </summary>
        private byte[]? PromptNewPassphraseTwice(string prompt, bool allowShort)
        {
            for (int attempt = 0; attempt < MaxPassphraseAttempts; attempt++)
            {
                var first = PromptSecure(prompt);
                if (first == null)
                {
                    if (HostCannotPrompt)
                    {
                        return null;
                    }

                    continue;
                }

                if (!allowShort && PassphrasePolicy.Check(first).TooShort)
                {
                    Sensitive.Zero(first);
                    Host.UI.WriteWarningLine($"That passphrase is shorter than {PassphrasePolicy.MinLength} characters. Choose a longer one (a few unrelated words are easy to remember).");
                    continue;
                }

                var second = PromptSecure("Repeat the passphrase");
                if (second != null && Sensitive.FixedTimeEquals(first, second))
                {
                    Sensitive.Zero(second);
                    return first;
                }

                Sensitive.Zero(first);
                Sensitive.Zero(second);
                Host.UI.WriteWarningLine("The passphrases differ or are empty. Try again.");
            }

            return null;
        }

        /// <summary>The public keys of an identity file, or null when it cannot be read.</summary>
        internal static Recipient? TryReadRecipient(string path)
        {
            try
            {
                return File.Exists(path) ? IdentityFile.ReadRecipient(path) : null;
            }
            catch (SecretsException)
            {
                return null;
            }
        }
    }
}
