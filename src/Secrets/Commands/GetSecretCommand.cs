using System.Collections;
using System.Management.Automation;
using System.Security;
using Secrets.Core.Errors;
using Secrets.Core.Jobs;
using Secrets.Core.Lookup;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets the value of a secret: strings as SecureString unless -AsPlainText.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "Secret", DefaultParameterSetName = NameSet, HelpUri = HelpLinks.Base + "Get-Secret.md")]
    [OutputType(typeof(SecureString), typeof(string), typeof(PSCredential), typeof(byte[]), typeof(Hashtable))]
    public sealed class GetSecretCommand : IdentityCmdlet
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
        [ArgumentCompleter(typeof(StoreNameCompleter))]
        public string? Store { get; set; }

        /// <summary>A registered SecretManagement vault: one of this module's is read directly, any other through SecretManagement.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(VaultNameCompleter))]
        [Alias("VaultName")]
        public string? Vault { get; set; }

        protected override void ProcessRecord()
        {
            var foreign = SelectVault(Vault, Store);
            foreach (var name in Name)
            {
                if (foreign != null && !SecretUri.LooksLikeUri(name))
                {
                    var parameters = new Hashtable { ["Name"] = name, ["Vault"] = foreign.Name };
                    if (AsPlainText)
                    {
                        parameters["AsPlainText"] = true;
                    }

                    HandOff(foreign, "Get-Secret", parameters, nameof(Version), nameof(Store));
                    continue;
                }

                ForItem(name, () => Read(name, foreign));
            }
        }

        /// <summary>
        /// Reads one name: from the place its URI names, the store -Store or -Vault names, or the
        /// first place of the lookup order that has it (docs/VAULT.md, "The lookup order").
        /// </summary>
        private void Read(string name, KnownVault? foreignVault)
        {
            var locator = SecretLocator.Parse(name, nameof(Name));
            using var source = SourceFor(Store, AsPlainText.IsPresent, vaultFailuresStop: false);
            if (locator.Source != null && (foreignVault != null || StoreSelected))
            {
                CheckUriAgrees(locator, foreignVault, source);
            }

            var hit = source.Find(locator, Version);
            var where = hit.Place.Display;
            if (hit.Foreign != null && hit.Key == null)
            {
                WriteVerbose($"Read secret '{hit.SecretName}' from {where}.");
                WriteObject(hit.Foreign.Raw);
                return;
            }

            using var value = hit.Select();
            var what = hit.Key == null ? $"secret '{hit.SecretName}'" : $"key '{hit.Key}' of secret '{hit.SecretName}'";
            var version = hit.Record == null ? string.Empty : $" version {hit.Record.Version}";
            var path = hit.Place is StorePlace store ? $" ('{store.Path}')" : string.Empty;
            WriteVerbose($"Read {what}{version} ({(hit.Key == null && hit.Record != null ? hit.Record.Type : value.Type)}) from {where}{path}.");
            WriteObject(ValueConverter.ToOutput(value, AsPlainText.IsPresent));
        }

        private bool StoreSelected => !string.IsNullOrEmpty(Store) || VaultName != null;

        /// <summary>With -Store or -Vault, a URI must name the same place.</summary>
        private void CheckUriAgrees(SecretLocator locator, KnownVault? foreignVault, SecretSource source)
        {
            var named = source.Resolve(locator.Source!);
            var given = foreignVault != null ? (object)foreignVault.Name : ((StorePlace)source.Order[0]).Path;
            bool same = named is StorePlace store ? given is string path && StorePaths.Same(store.Path, path) && foreignVault == null
                : foreignVault != null && string.Equals(named.Name, foreignVault.Name, System.StringComparison.OrdinalIgnoreCase);
            if (!same)
            {
                ThrowTerminatingError(ErrorMapping.InvalidArgument("UriAndStoreDiffer",
                    $"'{locator.Text}' names {named.Display}, but {(string.IsNullOrEmpty(Vault) ? $"-Store names '{Store}'" : $"-Vault names '{Vault}'")}. Give the place once: in the URI, or with -Store or -Vault.",
                    locator.Text));
            }
        }
    }
}
