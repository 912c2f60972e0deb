using System.Collections;
using System.Management.Automation;
using System.Security;
using Secrets.Core.Errors;
using Secrets.Core.Jobs;
using Secrets.Core.Platform;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets the value of a secret: strings as SecureString unless -AsPlainText.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "Secret", DefaultParameterSetName = NameSet, HelpUri = HelpLinks.Base + "Get-Secret.md")]
    [OutputType(typeof(SecureString), typeof(string), typeof(PSCredential), typeof(byte[]), typeof(Hashtable))]
    public sealed class GetSecretCommand : SecretsCmdlet
    {
        private const string NameSet = "Name";

        /// <summary>The names of the secrets (case-insensitive); <c>name.key</c> reads one key of a hashtable or credential secret.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
        [ArgumentCompleter(typeof(SecretNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; } = System.Array.Empty<string>();

        /// <summary>A kept older version; the newest when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, int.MaxValue)]
        public int? Version { get; set; }

        /// <summary>Return strings as plain System.String instead of SecureString.</summary>
        [Parameter]
        public SwitchParameter AsPlainText { get; set; }

        /// <summary>The store folder; the personal default store when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Store { get; set; }

        /// <summary>A registered SecretManagement vault: one of this module's is read directly, any other through SecretManagement.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("VaultName")]
        public string? Vault { get; set; }

        protected override void ProcessRecord()
        {
            var foreign = SelectVault(Vault, Store);
            foreach (var name in Name)
            {
                if (foreign != null)
                {
                    var parameters = new Hashtable { ["Name"] = name, ["Vault"] = foreign.Name };
                    if (AsPlainText)
                    {
                        parameters["AsPlainText"] = true;
                    }

                    HandOff(foreign, "Get-Secret", parameters, nameof(Version), nameof(Store));
                    continue;
                }

                ForItem(name, () =>
                {
                    var reference = SecretReference.Parse(name, nameof(Name));
                    var store = GetStore(StoreFor(Store), createDefault: false)
                        ?? throw new SecretNotFoundException(reference.Name.Value, SecretsPaths.DefaultStorePath);
                    using var value = reference.Read(store, Identity, Version, out var record);
                    var what = reference.Key == null ? $"secret '{record.Name}'" : $"key '{reference.Key}' of secret '{record.Name}'";
                    WriteVerbose($"Read {what} version {record.Version} ({(reference.Key == null ? record.Type : value.Type)}) from '{store.Path}'.");
                    WriteObject(ValueConverter.ToOutput(value, AsPlainText.IsPresent));
                });
            }
        }
    }
}
