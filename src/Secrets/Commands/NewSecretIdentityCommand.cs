using System;
using System.IO;
using System.Management.Automation;
using System.Security;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Platform;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Creates your identity: the key pairs that decrypt and sign your secrets.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "SecretIdentity", SupportsShouldProcess = true, DefaultParameterSetName = PassphraseSet, HelpUri = HelpLinks.Base + "New-SecretIdentity.md")]
    [OutputType(typeof(SecretIdentityInfo))]
    public sealed class NewSecretIdentityCommand : SecretsCmdlet
    {
        private const string PassphraseSet = "Passphrase";
        private const string NoPassphraseSet = "NoPassword";

        /// <summary>A display name others see (default: user@machine).</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary>The passphrase that protects the private keys (prompted for when interactive).</summary>
        [Parameter(ParameterSetName = PassphraseSet)]
        public SecureString? Password { get; set; }

        /// <summary>Store the private keys without a passphrase, in an owner-only file (for unattended automation).</summary>
        [Parameter(Mandatory = true, ParameterSetName = NoPassphraseSet)]
        public SwitchParameter NoPassword { get; set; }

        /// <summary>Where to write the identity; the default identity file when omitted.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Replace an existing identity. Secrets encrypted to it become unreadable.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void EndProcessing()
        {
            var path = string.IsNullOrEmpty(Path) ? SecretsPaths.DefaultIdentityPath : GetUnresolvedProviderPathFromPSPath(Path);
            var name = Name ?? Environment.UserName + "@" + Environment.MachineName;
            try
            {
                if (File.Exists(path))
                {
                    if (!Force)
                    {
                        throw new SecretsException("IdentityExists", FailureKind.AlreadyExists, $"An identity already exists at '{path}'.")
                        {
                            FilePath = path,
                            RecommendedAction = "Use it (Get-SecretIdentity). To replace it, add -Force: every secret encrypted only to it becomes unreadable.",
                        };
                    }

                    if (!ShouldProcess(path, "Replace the identity (secrets encrypted only to it become unreadable)"))
                    {
                        return;
                    }
                }
                else if (!ShouldProcess(path, "Create identity"))
                {
                    return;
                }

                byte[]? passphrase = null;
                try
                {
                    if (!NoPassword)
                    {
                        passphrase = Password != null ? SecureText.ToUtf8(Password) : PromptNewPassphrase(path);
                        if (passphrase.Length == 0)
                        {
                            throw new InvalidInputException("EmptyPassword", nameof(Password), "The passphrase is empty. Give a passphrase, or use -NoPassword for an identity without one.");
                        }
                    }

                    var file = IdentityFile.Create(path, name, passphrase, overwrite: Force.IsPresent);
                    DateTime? until = null;
                    IdentitySession.Forget(path);
                    if (passphrase != null)
                    {
                        // The passphrase was just given: leave the new identity unlocked for the usual time.
                        using var unlocked = file.Unlock(passphrase);
                        until = IdentitySession.Remember(unlocked, IdentitySession.DefaultTimeout);
                    }

                    WriteVerbose($"Created identity '{file.Name}' ({file.Recipient.Fingerprint}) at '{file.Path}'.");
                    WriteObject(new SecretIdentityInfo(file, until));
                }
                finally
                {
                    Sensitive.Zero(passphrase);
                }
            }
            catch (SecretsException e)
            {
                ThrowFailure(e, path);
            }
        }

        private byte[] PromptNewPassphrase(string path)
        {
            var cannotPrompt = new InvalidInputException("PasswordRequired", nameof(Password),
                "No passphrase given and this session cannot prompt. Run: New-SecretIdentity -Password $password (a SecureString), or New-SecretIdentity -NoPassword for unattended automation.");
            if (!IsInteractive)
            {
                throw cannotPrompt;
            }

            for (int attempt = 0; attempt < MaxPassphraseAttempts; attempt++)
            {
                var first = PromptSecure($"Passphrase for the new identity at '{path}'");
                if (first == null)
                {
                    if (HostCannotPrompt)
                    {
                        throw cannotPrompt;
                    }

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

            throw new InvalidInputException("PasswordRequired", nameof(Password), "No passphrase was confirmed; the identity was not created.");
        }
    }
}
