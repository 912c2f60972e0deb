using System.Collections;
using System.Management.Automation;
using Secrets.Core.Errors;
using Secrets.Core.Platform;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Removes a secret and every kept version of it.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "Secret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpLinks.Base + "Remove-Secret.md")]
    [OutputType(typeof(void))]
    public sealed class RemoveSecretCommand : IdentityCmdlet
    {
        /// <summary>The names of the secrets.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SecretNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; } = System.Array.Empty<string>();

        /// <summary>The store folder; the personal default store when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(StoreNameCompleter))]
        public string? Store { get; set; }

        /// <summary>A registered SecretManagement vault: one of this module's is changed directly, any other through SecretManagement.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(VaultNameCompleter))]
        [Alias("VaultName")]
        public string? Vault { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var name in Name)
            {
                ForItem(name, () =>
                {
                    // The place: a URI's, else -Vault or -Store, else the first place of the lookup order.
                    var uri = WriteUri(name, nameof(Name));
                    var secretName = uri?.Uri!.Name ?? name;
                    var foreign = SelectWriteTarget(uri, Store, Vault, out var storePath);
                    if (foreign != null)
                    {
                        HandOff(foreign, "Remove-Secret", new Hashtable { ["Name"] = secretName, ["Vault"] = foreign.Name }, nameof(Store));
                        return;
                    }

                    uri?.RequireReference(nameof(Name));
                    Remove(secretName, storePath!);
                });
            }
        }

        private void Remove(string name, string storePath)
        {
            var store = OpenStoreAt(storePath, mayBeMissing: IsPersonalStore(storePath))
                ?? throw new SecretNotFoundException(name, storePath);
            string description;
            try
            {
                var info = store.GetInfo(name);
                var versions = info.Versions.Count == 1 ? "1 version" : $"{info.Versions.Count} versions";
                description = $"secret '{info.Name}' ({info.Type}, {versions})";
            }
            catch (SecretsException e) when (e is InvalidFileException || e.ErrorId == "UnauthorizedWriter")
            {
                // A secret whose newest file is damaged or forged can still be removed.
                description = $"secret '{name}' (its newest version file is invalid)";
            }

            if (ConfirmLikeSecretManagement() &&
                !ShouldProcess($"{description} in the store at '{store.Path}'", "Remove"))
            {
                return;
            }

            var removed = store.Remove(name, Caller);
            WriteVerbose($"Removed secret '{removed.Name}' from '{store.Path}'.");
        }

        /// <summary>
        /// Whether to ask before removing. Without -Vault this cmdlet asks (its impact is High). Through
        /// a vault it asks only when SecretManagement's Remove-Secret (impact Medium) would: with
        /// -Confirm or -WhatIf, or when $ConfirmPreference is Medium or Low. A script written for
        /// SecretManagement then never stops at a prompt it did not expect.
        /// </summary>
        private bool ConfirmLikeSecretManagement()
        {
            if (VaultName == null || MyInvocation.BoundParameters.ContainsKey("Confirm") || MyInvocation.BoundParameters.ContainsKey("WhatIf"))
            {
                return true;
            }

            var preference = SessionState.PSVariable.GetValue("ConfirmPreference");
            var value = preference is PSObject wrapped ? wrapped.BaseObject : preference;
            return value is ConfirmImpact impact && impact != ConfirmImpact.None && impact <= ConfirmImpact.Medium;
        }
    }
}
