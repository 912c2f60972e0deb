using System.Collections.Generic;
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
    /// <para type="synopsis">Restores an identity from a backup written by Export-SecretIdentity.</para>
    /// </summary>
    [Cmdlet(VerbsData.Import, "SecretIdentity", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
        DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Base + "Import-SecretIdentity.md")]
    [OutputType(typeof(SecretIdentityInfo))]
    public sealed class ImportSecretIdentityCommand : SecretsCmdlet
    {
        private const string PathSet = "Path";
        private const string TextSet = "Text";
        private readonly List<string> _lines = new List<string>();

        /// <summary>The backup file.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>The backup's text (typed back, or read with Get-Content): lines from the pipeline or one string.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = TextSet)]
        [AllowEmptyString]
        public string[]? Text { get; set; }

        /// <summary>Where to restore the identity: a name in the Secrets home or an identity file; the identity in use when omitted.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(IdentityNameCompleter))]
        public string? Identity { get; set; }

        /// <summary>The backup's passphrase (prompted for when omitted in an interactive session); the restored identity keeps it.</summary>
        [Parameter]
        public SecureString? Password { get; set; }

        /// <summary>Restore the identity without a passphrase, in an owner-only file (for unattended automation).</summary>
        [Parameter]
        public SwitchParameter NoPassword { get; set; }

        /// <summary>Replace an existing identity (it is kept, retired).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            if (Text != null)
            {
                _lines.AddRange(Text);
            }
        }

        protected override void EndProcessing()
        {
            var destination = ResolveIdentityArgument(Identity) ?? SecretsPaths.DefaultIdentityPath;
            string source = "the backup text";
            byte[]? passphrase = null;
            try
            {
                IdentityBackup backup;
                if (Path != null)
                {
                    source = GetUnresolvedProviderPathFromPSPath(Path);
                    backup = IdentityBackup.ReadFile(source);
                }
                else
                {
                    backup = IdentityBackup.Parse(string.Join("\n", _lines), source);
                }

                bool replacing = File.Exists(destination);
                if (replacing && !Force)
                {
                    throw new SecretsException("IdentityExists", FailureKind.AlreadyExists, $"An identity already exists at '{destination}'.")
                    {
                        FilePath = destination,
                        RecommendedAction = "Restore it as another identity (-Identity restored), or add -Force to replace it: the old one is kept, retired.",
                    };
                }

                var action = $"Restore identity {backup.Fingerprint}" + (replacing ? " (the identity there is kept, retired)" : string.Empty);
                if (replacing
                    ? !ConfirmDestructive(destination, action, $"Replace the identity at '{destination}' with the one of the backup ({backup.Fingerprint})? The old file is kept, retired.", "Replace identity")
                    : !ShouldProcess(destination, action))
                {
                    return;
                }

                using var restored = OpenBackup(backup, destination, out var created, out passphrase);
                string? retired = null;
                if (replacing)
                {
                    retired = IdentityNames.Retire(destination);
                    IdentitySession.Forget(destination);
                }

                IdentityFile file;
                try
                {
                    file = IdentityFile.Restore(destination, restored, created, NoPassword ? null : passphrase);
                }
                catch when (retired != null && !File.Exists(destination))
                {
                    File.Move(retired, destination);
                    throw;
                }

                if (retired != null)
                {
                    WriteWarning($"The identity that was at '{destination}' is kept, retired, at '{retired}'.");
                }

                file.ClearKeyMaterial();
                System.DateTime? until = null;
                if (!NoPassword)
                {
                    until = IdentitySession.Remember(restored, IdentitySession.DefaultTimeout);
                }

                WriteVerbose($"Restored identity '{file.Name}' ({file.Recipient.Fingerprint}) to '{file.Path}'.");
                WriteObject(new SecretIdentityInfo(file, until));
            }
            catch (SecretsException e)
            {
                ThrowFailure(e, source);
            }
            finally
            {
                Sensitive.Zero(passphrase);
            }
        }

        private UnlockedIdentity OpenBackup(IdentityBackup backup, string destination, out System.DateTime created, out byte[]? passphrase)
        {
            if (Password != null)
            {
                passphrase = SecureText.ToUtf8(Password);
                return backup.Open(passphrase, out created, destination);
            }

            for (int attempt = 1; ; attempt++)
            {
                passphrase = IsInteractive ? PromptSecure($"Passphrase of the backup of identity {backup.Fingerprint}") : null;
                if (passphrase == null)
                {
                    throw new InvalidInputException("PasswordRequired", nameof(Password),
                        "No backup passphrase given and this session cannot prompt. Run: Import-SecretIdentity -Password $password (a SecureString).");
                }

                try
                {
                    return backup.Open(passphrase, out created, destination);
                }
                catch (SecretsException e) when (e.ErrorId == "WrongPassphrase" && attempt < MaxPassphraseAttempts)
                {
                    Sensitive.Zero(passphrase);
                    Host.UI.WriteWarningLine("That passphrase does not open the backup. Try again.");
                }
            }
        }
    }
}
