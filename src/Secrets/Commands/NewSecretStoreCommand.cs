using System.Management.Automation;
using Secrets.Core.Errors;
using Secrets.Core.Platform;
using Secrets.Core.Store;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Creates a store in a folder (shared drive, git repository…), owned by your identity.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "SecretStore", SupportsShouldProcess = true, HelpUri = HelpLinks.Base + "New-SecretStore.md")]
    [OutputType(typeof(SecretStoreInfo))]
    public sealed class NewSecretStoreCommand : SecretsCmdlet
    {
        /// <summary>The folder; it must be new or empty.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>How many versions of each secret to keep (default 10).</summary>
        [Parameter]
        [ValidateRange(1, StoreManifest.MaxKeepVersions)]
        public int VersionsToKeep { get; set; } = StoreManifest.DefaultKeepVersions;

        protected override void EndProcessing()
        {
            var path = ResolveStorePath(Path);
            if (!ShouldProcess(path, "Create secret store"))
            {
                return;
            }

            try
            {
                var store = SecretStore.Create(path, Identity, VersionsToKeep);
                WriteVerbose($"Created store '{store.Path}' owned by '{store.Manifest.OwnerName}'.");
                WriteObject(new SecretStoreInfo(store, store.Path == System.IO.Path.GetFullPath(SecretsPaths.DefaultStorePath)));
            }
            catch (SecretsException e)
            {
                ThrowFailure(e, path);
            }
        }
    }
}
