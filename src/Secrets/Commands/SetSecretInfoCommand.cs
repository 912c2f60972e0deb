using System.Collections;
using System.Management.Automation;
using Secrets.Core.Errors;
using Secrets.Core.Platform;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Replaces a secret's metadata (writes a new version with the same value).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "SecretInfo", SupportsShouldProcess = true, HelpUri = HelpLinks.Base + "Set-SecretInfo.md")]
    [OutputType(typeof(SecretInfo))]
    public sealed class SetSecretInfoCommand : SecretsCmdlet
    {
        /// <summary>The name of the secret.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SecretNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        /// <summary>The new metadata: string, int, long, bool or DateTime values. Replaces the old metadata.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        public Hashtable Metadata { get; set; } = new Hashtable();

        /// <summary>The store folder; the personal default store when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Store { get; set; }

        /// <summary>Write the updated secret's information to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>A registered SecretManagement vault: one of this module's is changed directly, any other through SecretManagement.</summary>
        [Parameter(Position = 2, ValueFromPipelineByPropertyName = true)]
        [Alias("VaultName")]
        public string? Vault { get; set; }

        protected override void ProcessRecord()
        {
            var foreign = SelectVault(Vault, Store);
            if (foreign != null)
            {
                HandOff(foreign, "Set-SecretInfo", new Hashtable { ["Name"] = Name, ["Metadata"] = Metadata, ["Vault"] = foreign.Name },
                    nameof(Store), nameof(PassThru));
                return;
            }

            ForItem(Name, () =>
            {
                var metadata = InputConversion.ToMetadata(Metadata);
                var store = GetStore(StoreFor(Store), createDefault: false)
                    ?? throw new SecretNotFoundException(Name, SecretsPaths.DefaultStorePath);
                var info = store.GetInfo(Name);
                if (!ShouldProcess($"secret '{info.Name}' in the store at '{store.Path}'", $"Set {metadata.Count} metadata entries"))
                {
                    return;
                }

                var record = store.SetMetadata(Name, metadata, Identity);
                WriteVerbose($"Wrote metadata of secret '{record.Name}' as version {record.Version}.");
                if (PassThru)
                {
                    WriteObject(Describe(store, record));
                }
            });
        }
    }
}
