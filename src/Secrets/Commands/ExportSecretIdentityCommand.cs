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
    /// <para type="synopsis">Writes a passphrase-protected backup of an identity, as text to print or as a file.</para>
    /// </summary>
    [Cmdlet(VerbsData.Export, "SecretIdentity", SupportsShouldProcess = true, DefaultParameterSetName = TextSet,
        HelpUri = HelpLinks.Base + "Export-SecretIdentity.md")]
    [OutputType(typeof(string), ParameterSetName = new[] { TextSet })]
    public sealed class ExportSecretIdentityCommand : SecretsCmdlet
    {
        private const string TextSet = "Text";
        private const string FileSet = "File";

        /// <summary>The identity to back up: a name in the Secrets home or an identity file; the identity in use when omitted.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(IdentityNameCompleter))]
        public string? Identity { get; set; }

        /// <summary>The file to write the backup to; without it the backup's text is written to the pipeline.</summary>
        [Parameter(Mandatory = true, ParameterSetName = FileSet)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>The passphrase that protects the backup (prompted for twice when omitted in an interactive session).</summary>
        [Parameter]
        public SecureString? Password { get; set; }

        /// <summary>Replace an existing backup file, or accept a passphrase shorter than the minimum.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void EndProcessing()
        {
            var identityPath = ResolveIdentityArgument(Identity) ?? SecretsPaths.DefaultIdentityPath;
            var target = Path == null ? null : GetUnresolvedProviderPathFromPSPath(Path);
            byte[]? passphrase = null;
            try
            {
                if (target != null && File.Exists(target) && !Force)
                {
                    IdentityBackup.WriteFile(target, string.Empty, overwrite: false); // throws BackupExists
                }

                var file = IdentityFile.Load(identityPath);
                file.ClearKeyMaterial();
                if (target != null && !ShouldProcess(target, $"Write a backup of identity '{file.Name}' ({file.Recipient.Fingerprint})"))
                {
                    return;
                }

                passphrase = NewPassphrase(Password, Force, $"Passphrase for the backup of '{identityPath}', to keep apart from the backup",
                    "No backup passphrase given and this session cannot prompt. Run: Export-SecretIdentity -Password $password (a SecureString).",
                    "No backup passphrase was confirmed; no backup was written.",
                    "The backup passphrase is empty: a backup is always protected by a passphrase.");

                string text;
                using (var unlocked = IdentityAccess.Acquire(this, identityPath, IdentitySession.DefaultTimeout, null, null))
                {
                    text = IdentityBackup.Write(unlocked, file.Created, passphrase);
                }

                if (target == null)
                {
                    WriteObject(text.TrimEnd('\n'));
                    return;
                }

                IdentityBackup.WriteFile(target, text, overwrite: Force);
                WriteVerbose($"Wrote a backup of identity '{file.Name}' ({file.Recipient.Fingerprint}) to '{target}'.");
            }
            catch (SecretsException e)
            {
                ThrowFailure(e, target ?? identityPath);
            }
            finally
            {
                Sensitive.Zero(passphrase);
            }
        }
    }
}
