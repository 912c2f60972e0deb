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
    public sealed class SetSecretInfoCommand : IdentityCmdlet
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
        [ArgumentCompleter(typeof(StoreNameCompleter))]
        public string? Store { get; set; }

        /// <summary>Write the updated secret's information to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>A registered SecretManagement vault: one of this module's is changed directly, any other through SecretManagement.</summary>
        [Parameter(Position = 2, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(VaultNameCompleter))]
        [Alias("VaultName")]
        public string? Vault { get; set; }

        protected override void ProcessRecord()
        {
            ForItem(Name, () =>
            {
                var uri = WriteUri(Name, nameof(Name));
                var name = uri?.Uri!.Name ?? Name;
                var foreign = SelectWriteTarget(uri, Store, Vault, out var storePath);
                if (foreign != null)
                {
                    HandOff(foreign, "Set-SecretInfo", new Hashtable { ["Name"] = name, ["Metadata"] = Metadata, ["Vault"] = foreign.Name },
                        nameof(Store), nameof(PassThru));
                    return;
                }

                uri?.RequireReference(nameof(Name));
                var metadata = InputConversion.ToMetadata(Metadata);
                var store = OpenStoreAt(storePath!, mayBeMissing: IsPersonalStore(storePath))
                    ?? throw new SecretNotFoundException(name, storePath!);
                var info = store.GetInfo(name);
                if (!ShouldProcess($"secret '{info.Name}' in the store at '{store.Path}'", $"Set {metadata.Count} metadata entries"))
                {
                    return;
                }

                var record = store.SetMetadata(name, metadata, Caller);
                WriteVerbose($"Wrote metadata of secret '{record.Name}' as version {record.Version}.");
                if (PassThru)
                {
                    WriteObject(Describe(store, record));
                }
            });
        }
    }
}
