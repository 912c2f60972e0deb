using System;
using System.Linq;
using System.Management.Automation;
using Secrets.Core.Errors;
using Secrets.Core.Lookup;
using Secrets.Core.Store;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Registers a store folder under a short name that -Store and secret URIs accept.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Register, "SecretStore", SupportsShouldProcess = true, HelpUri = HelpLinks.Base + "Register-SecretStore.md")]
    [OutputType(typeof(SecretStoreInfo))]
    public sealed class RegisterSecretStoreCommand : SecretsCmdlet
    {
        /// <summary>The short name: letters, digits, '-' and '_' (at most 64).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        /// <summary>The store folder (it must hold a store: New-SecretStore makes one).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Point a name already registered at this folder instead.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write the store's information to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            ForItem(Name, () =>
            {
                var problem = StoreNames.Validate(Name);
                if (problem != null)
                {
                    throw new InvalidInputException("InvalidStoreName", nameof(Name), problem);
                }

                var path = ResolveFolder(Path);
                if (!SecretStore.Exists(path))
                {
                    throw new StoreNotFoundException(path)
                    {
                        RecommendedAction = $"Create it and register it at once: New-SecretStore -Path '{path.Replace("'", "''")}' -Name {Name}",
                    };
                }

                if (!ShouldProcess($"store '{Name}' at '{path}'", "Register"))
                {
                    return;
                }

                var registry = StoreRegistry.Update(r => r.Register(Name, path, Force));
                RegistryChanged(registry);
                var registered = registry.Find(Name)!;
                WriteVerbose($"Registered the store at '{registered.Path}' as '{registered.Name}' in '{registry.FilePath}'.");
                WarnIfAVaultHasTheName(registered);
                if (PassThru)
                {
                    WriteObject(DescribeStore(OpenStoreAt(registered.Path, mayBeMissing: false)!));
                }
            });
        }

        /// <summary>A folder given on the command line, resolved through the file-system provider, never as a store name.</summary>
        private string ResolveFolder(string path)
        {
            var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
            if (provider.Name != "FileSystem")
            {
                throw new InvalidInputException("StoreNotOnFileSystem", nameof(Path),
                    $"The path '{path}' is on the {provider.Name} provider; a store is a folder on the file system.");
            }

            return StorePaths.Normalize(resolved);
        }

        private void WarnIfAVaultHasTheName(RegisteredStore store)
        {
            var vault = KnownVaults?.FirstOrDefault(v => string.Equals(v.Name, store.Name, StringComparison.OrdinalIgnoreCase));
            if (vault != null && !(vault.IsThisModule && StorePaths.Same(vault.Settings?.EffectiveStorePath, store.Path)))
            {
                WriteWarning($"A SecretManagement vault is also named '{vault.Name}' ({vault.ModuleName}). -Store {store.Name} and secret://{store.Name}/… mean this store; -Vault {vault.Name} means the vault.");
            }
        }
    }
}
