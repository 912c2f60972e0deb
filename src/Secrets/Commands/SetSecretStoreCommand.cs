using System.Management.Automation;
using Secrets.Core.Errors;
using Secrets.Core.Platform;
using Secrets.Core.Store;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Changes a store's settings (owner only).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "SecretStore", SupportsShouldProcess = true, HelpUri = HelpLinks.Base + "Set-SecretStore.md")]
    [OutputType(typeof(SecretStoreInfo))]
    public sealed class SetSecretStoreCommand : IdentityCmdlet
    {
        /// <summary>The store folder; the personal default store when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(StoreNameCompleter))]
        [Alias("Store")]
        public string? Path { get; set; }

        /// <summary>How many versions of each secret to keep; older ones are deleted at the next write of each secret.</summary>
        [Parameter(Mandatory = true)]
        [ValidateRange(1, StoreManifest.MaxKeepVersions)]
        public int VersionsToKeep { get; set; }

        /// <summary>Write the store's information to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var path = ResolveStorePath(Path);
            try
            {
                var store = SecretStore.Open(path);
                if (!ShouldProcess(store.Path, $"Keep {VersionsToKeep} versions of each secret"))
                {
                    return;
                }

                store.SetKeepVersions(VersionsToKeep, Caller);
                if (PassThru)
                {
                    WriteObject(DescribeStore(store));
                }
            }
            catch (SecretsException e)
            {
                ThrowFailure(e, path);
            }
        }
    }
}
