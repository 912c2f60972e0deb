using System.Linq;
using System.Management.Automation;
using Secrets.Core.Errors;
using Secrets.Core.Lookup;
using Secrets.Core.Store;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Shows stores: your registered stores (the personal store first), or the one -Path names: folder, owner and settings.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SecretStore", DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Base + "Get-SecretStore.md")]
    [OutputType(typeof(SecretStoreInfo))]
    public sealed class GetSecretStoreCommand : SecretsCmdlet
    {
        private const string PathSet = "Path";
        private const string NameSet = "Name";

        /// <summary>A store: its registered name or its folder. Without it (and without -Name), every registered store.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
        [ArgumentCompleter(typeof(StoreNameCompleter))]
        [Alias("Store")]
        public string? Path { get; set; }

        /// <summary>Registered names to show; wildcards allowed.</summary>
        [Parameter(Mandatory = true, ParameterSetName = NameSet)]
        [ArgumentCompleter(typeof(StoreNameCompleter))]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            if (!string.IsNullOrEmpty(Path))
            {
                Show(ResolveStorePath(Path), StoreNameOf(ResolveStorePath(Path)));
                return;
            }

            var patterns = (Name ?? new[] { "*" }).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            var matched = Registry.Stores.Where(s => patterns.Any(p => p.IsMatch(s.Name))).ToList();
            if (matched.Count == 0 && Name != null && !Name.Any(WildcardPattern.ContainsWildcardCharacters))
            {
                WriteFailure(Registry.NotRegistered(Name[0]), Name[0]);
            }

            foreach (var store in matched)
            {
                Show(store.Path, store.Name);
            }
        }

        private void Show(string path, string? name)
        {
            try
            {
                if (StoreNames.IsPersonal(name) && !SecretStore.Exists(path))
                {
                    throw new SecretsException("StoreNotFound", FailureKind.NotFound, $"Your personal store at '{path}' does not exist yet.")
                    {
                        RecommendedAction = "It is created by the first New-Secret or Set-Secret.",
                    };
                }

                var store = OpenStoreAt(path, mayBeMissing: false)!;
                WriteObject(DescribeStore(store));
            }
            catch (SecretsException e)
            {
                WriteFailure(e, name ?? path);
            }
        }
    }
}
