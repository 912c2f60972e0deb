using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Secrets.Core.Errors;
using Secrets.Core.Providers;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the built-in providers: where each reads credentials, whether they are on this machine, and which secrets hold them.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SecretProvider", HelpUri = HelpLinks.Base + "Get-SecretProvider.md")]
    [OutputType(typeof(SecretProviderInfo))]
    public sealed class GetSecretProviderCommand : SecretsCmdlet
    {
        /// <summary>Providers to list; wildcards allowed. All when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [ArgumentCompleter(typeof(ProviderNameCompleter))]
        [SupportsWildcards]
        [Alias("Provider")]
        public string[]? Name { get; set; }

        /// <summary>The store whose secrets are listed by provider; the personal default store when omitted.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(StoreNameCompleter))]
        public string? Store { get; set; }

        /// <summary>Only the providers whose credentials are on this machine.</summary>
        [Parameter]
        public SwitchParameter Configured { get; set; }

        protected override void ProcessRecord()
        {
            var patterns = (Name == null || Name.Length == 0 ? new[] { "*" } : Name)
                .Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            var selected = SecretProviders.All.Where(p => patterns.Any(w => w.IsMatch(p.Name))).ToList();
            foreach (var name in Name ?? Array.Empty<string>())
            {
                if (!WildcardPattern.ContainsWildcardCharacters(name) && !selected.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
                {
                    WriteError(ErrorMapping.ToErrorRecord(new InvalidInputException("ProviderNotFound", "Name",
                        $"There is no provider named '{name}'. The providers are {string.Join(", ", SecretProviders.All.Select(p => p.Name))}."), name));
                }
            }

            var holders = SecretsByProvider();
            var environment = ProviderEnvironment.Current;
            foreach (var provider in selected)
            {
                var status = provider.Detect(environment);
                if (Configured && !status.Configured)
                {
                    continue;
                }

                WriteObject(new SecretProviderInfo(provider.Name, provider.Description)
                {
                    Configured = status.Configured,
                    Source = status.Source,
                    Problem = status.Problem,
                    Secrets = holders.TryGetValue(provider.Name, out var secrets) ? secrets.ToArray() : new string[0],
                    Keys = provider.Keys.ToArray(),
                    OptionalKeys = provider.OptionalKeys.ToArray(),
                    Files = provider.DefaultFiles(environment).Select(environment.Display).ToArray(),
                    Variables = provider.Variables.ToArray(),
                    JobVariables = provider.JobVariables.ToArray(),
                    JobFiles = provider.JobFiles.ToArray(),
                });
            }
        }

        /// <summary>Provider name → the secrets whose metadata names it (none when the store does not exist yet).</summary>
        private Dictionary<string, List<string>> SecretsByProvider()
        {
            var holders = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
            try
            {
                var store = GetStore(Store, createDefault: false);
                if (store == null)
                {
                    return holders;
                }

                foreach (var listed in store.List())
                {
                    if (listed.Record != null && listed.Record.Metadata.TryGetValue(SecretProvider.ProviderKey, out var value) && value is string provider)
                    {
                        if (!holders.TryGetValue(provider, out var names))
                        {
                            holders[provider] = names = new List<string>();
                        }

                        names.Add(listed.Record.Name);
                    }
                }
            }
            catch (SecretsException e)
            {
                WriteFailure(e, Store);
            }

            return holders;
        }
    }
}
