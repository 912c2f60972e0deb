using System;
using System.Management.Automation;
using Secrets.Core.Lookup;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Forgets the name a store was registered under. The store folder is not touched.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Unregister, "SecretStore", SupportsShouldProcess = true, HelpUri = HelpLinks.Base + "Unregister-SecretStore.md")]
    [OutputType(typeof(void))]
    public sealed class UnregisterSecretStoreCommand : SecretsCmdlet
    {
        /// <summary>The registered names to forget.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(StoreNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            foreach (var name in Name)
            {
                ForItem(name, () =>
                {
                    var store = Registry.Find(name);
                    var what = store == null || store.IsPersonal ? $"store '{name}'" : $"store '{store.Name}' at '{store.Path}'";
                    if (store != null && !store.IsPersonal && !ShouldProcess(what, "Unregister"))
                    {
                        return;
                    }

                    var registry = StoreRegistry.Update(r => r.Unregister(name));
                    RegistryChanged(registry);
                    WriteVerbose($"Unregistered {what}; the folder and the secrets in it are not touched.");
                });
            }
        }
    }
}
