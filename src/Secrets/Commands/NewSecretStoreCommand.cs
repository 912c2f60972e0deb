using System.Management.Automation;
using Secrets.Core.Errors;
using Secrets.Core.Lookup;
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
    public sealed class NewSecretStoreCommand : IdentityCmdlet
    {
        /// <summary>The folder; it must be new or empty.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>How many versions of each secret to keep (default 10).</summary>
        [Parameter]
        [ValidateRange(1, StoreManifest.MaxKeepVersions)]
        public int VersionsToKeep { get; set; } = StoreManifest.DefaultKeepVersions;

        /// <summary>Also register the store under this name (as Register-SecretStore does), for -Store and secret URIs.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        protected override void EndProcessing()
        {
            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path, out var provider, out _);
            if (provider.Name != "FileSystem")
            {
                ThrowTerminatingError(ErrorMapping.InvalidArgument("StoreNotOnFileSystem",
                    $"The store path '{Path}' is on the {provider.Name} provider; a store is a folder on the file system.", Path));
            }

            var problem = Name == null ? null : StoreNames.Validate(Name);
            if (problem != null)
            {
                ThrowFailure(new InvalidInputException("InvalidStoreName", nameof(Name), problem), Name);
            }

            if (!ShouldProcess(path, Name == null ? "Create secret store" : $"Create secret store and register it as '{Name}'"))
            {
                return;
            }

            try
            {
                if (Name != null)
                {
                    // Checked before anything is created: a name taken or reserved stops here.
                    StoreRegistry.Load().Register(Name, StorePaths.Normalize(path));
                }

                var store = SecretStore.Create(path, Caller, VersionsToKeep);
                WriteVerbose($"Created store '{store.Path}' owned by '{store.Manifest.OwnerName}'.");
                if (Name != null)
                {
                    RegistryChanged(StoreRegistry.Update(r => r.Register(Name, StorePaths.Normalize(store.Path))));
                    WriteVerbose($"Registered it as '{Name}'.");
                }

                WriteObject(DescribeStore(store));
            }
            catch (SecretsException e)
            {
                ThrowFailure(e, path);
            }
        }
    }
}
