using System;
using System.IO;
using System.Management.Automation;
using System.Security;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Identity;
using Secrets.Core.Platform;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Creates an identity: the key pairs that decrypt and sign your secrets.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "SecretIdentity", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High,
        DefaultParameterSetName = PassphraseSet, HelpUri = HelpLinks.Base + "New-SecretIdentity.md")]
    [OutputType(typeof(SecretIdentityInfo))]
    public sealed class NewSecretIdentityCommand : SecretsCmdlet
    {
        private const string PassphraseSet = "Passphrase";
        private const string NoPassphraseSet = "NoPassword";

        /// <summary>The identity's name in the Secrets home (default: the identity in use, normally 'default').</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(IdentityNameCompleter))]
        public string? Name { get; set; }

        /// <summary>The name others see (default: user@machine).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? DisplayName { get; set; }

        /// <summary>The passphrase that protects the private keys (prompted for when interactive).</summary>
        [Parameter(ParameterSetName = PassphraseSet)]
        public SecureString? Password { get; set; }

        /// <summary>Store the private keys without a passphrase, in an owner-only file (for unattended automation).</summary>
        [Parameter(Mandatory = true, ParameterSetName = NoPassphraseSet)]
        public SwitchParameter NoPassword { get; set; }

        /// <summary>Where to write the identity file, instead of a named identity of the Secrets home.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Replace an existing identity (it is kept, retired), or accept a passphrase shorter than the minimum.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void EndProcessing()
        {
            var path = ResolveIdentityPath(Name, Path);
            var displayName = DisplayName ?? Environment.UserName + "@" + Environment.MachineName;
            var label = IdentityNames.LabelOf(path);
            try
            {
                CheckDisplayName(displayName);
                bool replacing = File.Exists(path);
                if (replacing)
                {
                    if (!Force)
                    {
                        throw new SecretsException("IdentityExists", FailureKind.AlreadyExists, $"An identity already exists at '{path}'.")
                        {
                            FilePath = path,
                            RecommendedAction = "Use it (Get-SecretIdentity), or create another one beside it: New-SecretIdentity -Name work. "
                                + "To replace it, add -Force: the old identity is kept, retired, but secrets and stores that only it can open need it.",
                        };
                    }

                    var old = TryReadRecipient(path);
                    var described = old == null ? $"the identity at '{path}'" : $"identity '{label}' ({old.Fingerprint})";
                    if (!ConfirmDestructive(path, "Replace the identity (the old one is kept, retired)",
                        $"Replace {described} with new keys? The old file is kept as a retired identity in '{IdentityNames.RetiredDirectory}', "
                        + "but new secrets are encrypted to the new keys only, and stores the old identity owns still name it as their owner.",
                        "Replace identity"))
                    {
                        return;
                    }
                }
                else if (WhatIfOrConfirmGiven && !ShouldProcess(path, "Create identity"))
                {
                    return;
                }

                byte[]? passphrase = null;
                try
                {
                    if (!NoPassword)
                    {
                        passphrase = NewPassphrase(Password, Force, $"Passphrase for the new identity at '{path}'",
                            "No passphrase given and this session cannot prompt. Run: New-SecretIdentity -Password $password (a SecureString), or New-SecretIdentity -NoPassword for unattended automation.",
                            "No passphrase was confirmed; the identity was not created.",
                            "The passphrase is empty. Give a passphrase, or use -NoPassword for an identity without one.");
                    }

                    string? retired = null;
                    Recipient? retiredRecipient = null;
                    if (replacing)
                    {
                        retiredRecipient = TryReadRecipient(path);
                        retired = IdentityNames.Retire(path);
                        IdentitySession.Forget(path);
                    }

                    IdentityFile file;
                    try
                    {
                        file = IdentityFile.Create(path, displayName, passphrase);
                    }
                    catch when (retired != null && !File.Exists(path))
                    {
                        // Nothing replaced it: put the old identity back where it was.
                        File.Move(retired, path);
                        throw;
                    }

                    UnlockOutcome? outcome = null;
                    if (passphrase != null)
                    {
                        // The passphrase was just given: leave the new identity unlocked for the usual time.
                        using var unlocked = file.Unlock(passphrase);
                        outcome = IdentitySession.Remember(unlocked, IdentitySession.DefaultTimeout, IdentitySession.PreferredScope);
                    }

                    WriteVerbose($"Created identity '{label}' ({file.Recipient.Fingerprint}) at '{file.Path}'"
                        + (outcome == null ? "." : $", unlocked until {outcome.Value.Expires.ToLocalTime():T}, {IdentityAccess.DescribeScope(outcome.Value)}."));
                    if (retired != null)
                    {
                        WarnRetired(label, path, retired, retiredRecipient);
                    }

                    WriteObject(new SecretIdentityInfo(file, outcome?.Expires, outcome?.Scope));
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

        private static void CheckDisplayName(string displayName)
        {
            var normalized = DisplayText.Normalize(displayName);
            if (normalized.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(normalized) > DisplayText.MaxBytes)
            {
                throw new InvalidInputException("InvalidIdentityName", nameof(DisplayName), $"The display name must be 1 to {DisplayText.MaxBytes} bytes of text.");
            }

            DisplayText.Validate(normalized, "identity name");
        }

        private void WarnRetired(string label, string path, string retired, Recipient? old)
        {
            var fingerprint = old == null ? string.Empty : $" ({old.Fingerprint})";
            var restoreName = IdentityNames.IsName(label + "-old") ? label.ToLowerInvariant() + "-old" : "previous";
            var restore = $"Move-Item -LiteralPath {IdentityAccess.Quote(retired)} -Destination {IdentityAccess.Quote(System.IO.Path.Combine(IdentityNames.Directory, restoreName + IdentityNames.Extension))}";
            WriteWarning($"The previous identity '{label}'{fingerprint} was not deleted: it is kept, retired, at '{retired}'. "
                + $"Secrets encrypted to it stay readable through it (if it has a passphrase, unlock it first: Unlock-SecretIdentity -Path {IdentityAccess.Quote(retired)}). "
                + $"To use it again as the identity '{restoreName}', run: {restore}");
        }
    }
}
