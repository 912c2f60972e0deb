using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Secrets.Core.Errors;
using Secrets.Core.Lookup;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Sets the order in which commands without -Store or -Vault search your stores and SecretManagement vaults; writes go to the first.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "SecretLookupOrder", SupportsShouldProcess = true, DefaultParameterSetName = OrderSet, HelpUri = HelpLinks.Base + "Set-SecretLookupOrder.md")]
    [OutputType(typeof(SecretLookupEntry))]
    public sealed class SetSecretLookupOrderCommand : SecretsCmdlet
    {
        private const string OrderSet = "Order";
        private const string DefaultSet = "Default";

        /// <summary>Registered store names and SecretManagement vault names, first searched first.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = OrderSet)]
        [ArgumentCompleter(typeof(LookupNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; } = Array.Empty<string>();

        /// <summary>Search only the SecretManagement vaults -Name lists (by default the others come after, SecretManagement's default vault first).</summary>
        [Parameter(ParameterSetName = OrderSet)]
        public SwitchParameter ExcludeUnlistedVaults { get; set; }

        /// <summary>Go back to the default order: SecretManagement's default vault, your stores in the order they were registered, then the other vaults.</summary>
        [Parameter(Mandatory = true, ParameterSetName = DefaultSet)]
        public SwitchParameter Default { get; set; }

        /// <summary>Write the new lookup order to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            try
            {
                List<string>? order = null;
                if (!Default)
                {
                    order = Name.Select(Canonical).ToList();
                }

                var description = order == null
                    ? "Use the default order (SecretManagement's default vault, your stores in the order they were registered, then the other vaults)"
                    : "Search " + string.Join(", ", order.Select(n => "'" + n + "'"))
                        + (ExcludeUnlistedVaults ? " only" : KnownVaults?.Count > 0 ? ", then the SecretManagement vaults not named" : string.Empty);
                if (!ShouldProcess("the lookup order of stores and vaults", description))
                {
                    return;
                }

                var updated = StoreRegistry.Update(r => r.WithLookupOrder(order, ExcludeUnlistedVaults));
                RegistryChanged(updated);
                WriteVerbose($"Wrote the lookup order to '{updated.FilePath}'.");
                var first = LookupOrder.FirstOrDefault();
                if (first != null)
                {
                    WriteVerbose($"Writes without -Store or -Vault now go to {first.Display}.");
                }

                if (PassThru)
                {
                    foreach (var entry in LookupOrder)
                    {
                        WriteObject(new SecretLookupEntry(entry));
                    }
                }
            }
            catch (SecretsException e)
            {
                ThrowFailure(e, Default ? "Default" : string.Join(", ", Name));
            }
        }

        /// <summary>A name of the order as it is registered (a store first, then a vault); an unknown name is an error listing the names there are.</summary>
        private string Canonical(string name)
        {
            var trimmed = name.Trim();
            var store = StoreNames.IsValid(trimmed) ? Registry.Find(trimmed) : null;
            if (store != null)
            {
                return store.Name;
            }

            var vault = KnownVaults?.FirstOrDefault(v => string.Equals(v.Name, trimmed, StringComparison.OrdinalIgnoreCase));
            if (vault != null)
            {
                return vault.Name;
            }

            var stores = string.Join(", ", Registry.Stores.Select(s => "'" + s.Name + "'"));
            throw new SecretsException("LookupNameNotFound", FailureKind.NotFound,
                $"'{trimmed}' is neither a registered store nor a SecretManagement vault. Your stores are {stores}; "
                + (KnownVaults == null ? "SecretManagement is not installed, so there are no vaults."
                    : KnownVaults.Count == 0 ? "SecretManagement has no vaults."
                    : "SecretManagement's vaults are " + string.Join(", ", KnownVaults.Select(v => "'" + v.Name + "'")) + "."))
            {
                RecommendedAction = "Register the store first (Register-SecretStore -Name <name> -Path <folder>), or check the vault's name with Get-SecretVault.",
            };
        }
    }
}
