using System.Management.Automation;
using Secrets.Core.Errors;
using Secrets.Core.Platform;
using Secrets.Core.Store;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Shows a store: its folder, owner and settings.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SecretStore", HelpUri = HelpLinks.Base + "Get-SecretStore.md")]
    [OutputType(typeof(SecretStoreInfo))]
    public sealed class GetSecretStoreCommand : SecretsCmdlet
    {
        /// <summary>The store folder; the personal default store when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Store")]
        public string? Path { get; set; }

        protected override void ProcessRecord()
        {
            var path = ResolveStorePath(Path);
            try
            {
                if (string.IsNullOrEmpty(Path) && !SecretStore.Exists(path))
                {
                    throw new SecretsException("StoreNotFound", FailureKind.NotFound, $"Your personal store at '{path}' does not exist yet.")
                    {
                        RecommendedAction = "It is created by the first New-Secret or Set-Secret.",
                    };
                }

                var store = SecretStore.Open(path);
                WriteObject(new SecretStoreInfo(store, store.Path == System.IO.Path.GetFullPath(SecretsPaths.DefaultStorePath)));
            }
            catch (SecretsException e)
            {
                WriteFailure(e, path);
            }
        }
    }
}
