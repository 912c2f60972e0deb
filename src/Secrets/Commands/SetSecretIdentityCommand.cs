using System.Management.Automation;
using System.Security;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Changes, adds or removes the passphrase of an identity, keeping its keys.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "SecretIdentity", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
        DefaultParameterSetName = PassphraseSet, HelpUri = HelpLinks.Base + "Set-SecretIdentity.md")]
    [OutputType(typeof(SecretIdentityInfo))]
    public sealed class SetSecretIdentityCommand : SecretsCmdlet
    {
        private const string PassphraseSet = "Passphrase";
        private const string NoPassphraseSet = "NoPassword";

        /// <summary>The name of an identity in the Secrets home; the identity in use when omitted.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(IdentityNameCompleter))]
        public string? Name { get; set; }

        /// <summary>The identity file; the identity in use when omitted.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>The new passphrase (prompted for twice when omitted in an interactive session).</summary>
        [Parameter(ParameterSetName = PassphraseSet)]
        public SecureString? Password { get; set; }

        /// <summary>Remove the passphrase: the private keys are then protected only by the file's owner-only permissions.</summary>
        [Parameter(Mandatory = true, ParameterSetName = NoPassphraseSet)]
        public SwitchParameter NoPassword { get; set; }

        /// <summary>The passphrase the identity has now (prompted for when omitted in an interactive session).</summary>
        [Parameter]
        public SecureString? CurrentPassword { get; set; }

        /// <summary>Accept a new passphrase shorter than the minimum.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write the identity's information to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            var path = ResolveIdentityPath(Name, Path);
            var label = IdentityNames.LabelOf(path);
            try
            {
                var file = IdentityFile.Load(path);
                var described = $"identity '{label}' ({file.Recipient.Fingerprint})";
                if (NoPassword)
                {
                    if (file.Protection == IdentityProtection.None)
                    {
                        file.ClearKeyMaterial();
                        WriteVerbose($"The {described} already has no passphrase.");
                        WriteResult(file);
                        return;
                    }

                    if (!ConfirmDestructive(path, "Remove the passphrase",
                        $"Remove the passphrase of {described}? Its private keys will be written in clear to '{path}', "
                        + "protected only by the file's owner-only permissions: anyone who can read that file can read every secret it can read.",
                        "Remove passphrase"))
                    {
                        file.ClearKeyMaterial();
                        return;
                    }
                }
                else if (!ShouldProcess(path, file.Protection == IdentityProtection.None ? "Add a passphrase" : "Change the passphrase"))
                {
                    file.ClearKeyMaterial();
                    return;
                }

                byte[]? passphrase = null;
                try
                {
                    // A new passphrase given as a parameter is checked before the (slow) unlock.
                    if (Password != null)
                    {
                        passphrase = NewPassphrase(path);
                    }

                    using var unlocked = UnlockCurrent(file);
                    if (!NoPassword && passphrase == null)
                    {
                        passphrase = NewPassphrase(path);
                    }

                    var changed = file.ChangeProtection(unlocked, passphrase);
                    file.ClearKeyMaterial();
                    if (passphrase != null)
                    {
                        // The passphrase was just given: the identity stays unlocked for the usual time.
                        IdentitySession.Remember(unlocked, IdentitySession.DefaultTimeout);
                    }

                    WriteVerbose(NoPassword
                        ? $"Removed the passphrase of {described}; the file '{path}' is owner-only."
                        : $"Changed the passphrase of {described}; its keys are unchanged.");
                    WriteResult(changed);
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

        /// <summary>The new passphrase: -Password, else asked for.</summary>
        private byte[] NewPassphrase(string path) =>
            NewPassphrase(Password, Force, $"New passphrase for the identity at '{path}'",
                "No new passphrase given and this session cannot prompt. Run: Set-SecretIdentity -Password $password (a SecureString), or -NoPassword to remove the passphrase.",
                "No new passphrase was confirmed; the identity was not changed.",
                "The new passphrase is empty. Give a passphrase, or use -NoPassword to remove it.");

        private void WriteResult(IdentityFile file)
        {
            file.ClearKeyMaterial();
            if (PassThru)
            {
                WriteObject(new SecretIdentityInfo(file, IdentitySession.ExpiresAt(file.Path)));
            }
        }

        /// <summary>
        /// The identity's keys: for a passphrase identity the current passphrase is always asked for
        /// (an identity left unlocked is not enough to change how it is protected).
        /// </summary>
        private UnlockedIdentity UnlockCurrent(IdentityFile file)
        {
            if (file.Protection == IdentityProtection.None)
            {
                return file.Unlock(null);
            }

            if (CurrentPassword != null)
            {
                var given = SecureText.ToUtf8(CurrentPassword);
                try
                {
                    return file.Unlock(given);
                }
                finally
                {
                    Sensitive.Zero(given);
                }
            }

            for (int attempt = 1; ; attempt++)
            {
                var current = IsInteractive ? PromptSecure($"Current passphrase for identity '{file.Name}' ({file.Recipient.Fingerprint})") : null;
                if (current == null)
                {
                    throw new InvalidInputException("PasswordRequired", nameof(CurrentPassword),
                        "Changing how an identity is protected needs its current passphrase, and this session cannot prompt. "
                        + "Run: Set-SecretIdentity -CurrentPassword $current -Password $new (SecureStrings).");
                }

                try
                {
                    return file.Unlock(current);
                }
                catch (WrongPassphraseException) when (attempt < MaxPassphraseAttempts)
                {
                    Host.UI.WriteWarningLine("That passphrase does not unlock the identity. Try again.");
                }
                finally
                {
                    Sensitive.Zero(current);
                }
            }
        }
    }
}
