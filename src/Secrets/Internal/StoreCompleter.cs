using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using Secrets.Core.Platform;
using Secrets.Core.Store;

namespace Secrets.Internal
{
    /// <summary>
    /// What the name completers share: the store the command line names with -Store (resolved as the
    /// cmdlet will resolve it) or the default store, and completion that never fails loudly.
    /// </summary>
    public abstract class StoreCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var results = new List<CompletionResult>();
            try
            {
                var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
                string? storePath;
                if (fakeBoundParameters != null && fakeBoundParameters.Contains("Store"))
                {
                    storePath = ResolveStorePath(fakeBoundParameters["Store"]?.ToString() ?? string.Empty);
                }
                else if (fakeBoundParameters != null && (fakeBoundParameters.Contains("Vault") || fakeBoundParameters.Contains("VaultName")))
                {
                    // The store a vault of this module uses; another module's vault is completed by SecretManagement.
                    var vault = (fakeBoundParameters.Contains("Vault") ? fakeBoundParameters["Vault"] : fakeBoundParameters["VaultName"])?.ToString() ?? string.Empty;
                    storePath = VaultStorePath(vault, out var foreign);
                    if (foreign)
                    {
                        results.AddRange(CompleteForeign(vault, prefix));
                        return results;
                    }
                }
                else
                {
                    storePath = SecretsPaths.DefaultStorePath;
                }

                if (storePath != null && SecretStore.Exists(storePath))
                {
                    results.AddRange(Complete(SecretStore.Open(storePath), prefix));
                }
            }
            catch (Exception e) when (e is Core.Errors.SecretsException || e is System.IO.IOException || e is UnauthorizedAccessException
                || e is ArgumentException || e is RuntimeException)
            {
                // Completion never fails loudly.
            }

            return results;
        }

        /// <summary>The completions for what has been typed so far.</summary>
        protected abstract IEnumerable<CompletionResult> Complete(SecretStore store, string prefix);

        /// <summary>The completions from another module's vault (none unless overridden).</summary>
        protected virtual IEnumerable<CompletionResult> CompleteForeign(string vault, string prefix) => Array.Empty<CompletionResult>();

        /// <summary>
        /// The store folder of a vault of this module, as registered with SecretManagement (the
        /// cmdlets find it the same way); null with <paramref name="foreign"/> set for another module's vault.
        /// </summary>
        private static string? VaultStorePath(string vault, out bool foreign)
        {
            foreign = false;
            var found = ScriptBlock.Create("param($name) Microsoft.PowerShell.SecretManagement\\Get-SecretVault -Name $name -ErrorAction Ignore").Invoke(vault);
            foreach (var item in found)
            {
                if (!string.Equals(item?.Properties["Name"]?.Value as string, vault, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (!string.Equals(item!.Properties["ModuleName"]?.Value as string, SecretsCmdlet.ThisModule, StringComparison.OrdinalIgnoreCase))
                {
                    foreign = true;
                    return null;
                }

                return Core.Vault.VaultSettings.Parse(vault, VaultParameters.From(item.Properties["VaultParameters"]?.Value)).EffectiveStorePath;
            }

            return null;
        }

        /// <summary>
        /// A -Store value as the cmdlet will resolve it: relative to the current PowerShell location
        /// (not the process's working directory), through the file-system provider; null for another provider.
        /// </summary>
        private static string? ResolveStorePath(string store)
        {
            var resolve = ScriptBlock.Create(
                "param($path) $provider = $null; $drive = $null; " +
                "$full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($path, [ref]$provider, [ref]$drive); " +
                "if ($provider.Name -eq 'FileSystem') { $full }");
            var resolved = resolve.Invoke(store);
            return resolved.Count == 1 ? resolved[0]?.BaseObject as string : null;
        }
    }

    /// <summary>Tab completion of secret names from the store named by -Store or -Vault (or the default store).</summary>
    public sealed class SecretNameCompleter : StoreCompleter
    {
        protected override IEnumerable<CompletionResult> CompleteForeign(string vault, string prefix)
        {
            var pattern = WildcardPattern.Escape(prefix) + "*";
            var found = ScriptBlock.Create("param($vault, $name) Microsoft.PowerShell.SecretManagement\\Get-SecretInfo -Vault $vault -Name $name -ErrorAction Ignore").Invoke(vault, pattern);
            foreach (var item in found)
            {
                if (item?.Properties["Name"]?.Value is string name)
                {
                    yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, $"{name} (vault {vault})");
                }
            }
        }

        protected override IEnumerable<CompletionResult> Complete(SecretStore store, string prefix)
        {
            var lowered = prefix.ToLowerInvariant();
            foreach (var listed in store.List(lowered))
            {
                if (listed.Record != null)
                {
                    var record = listed.Record;
                    yield return new CompletionResult(record.Name, record.Name, CompletionResultType.ParameterValue,
                        $"{record.Name} ({record.Type}, version {record.Version})");
                }
            }
        }
    }

    /// <summary>Tab completion of member names from the store named by -Store (or the default store).</summary>
    public sealed class MemberNameCompleter : StoreCompleter
    {
        protected override IEnumerable<CompletionResult> Complete(SecretStore store, string prefix)
        {
            foreach (var member in store.GetMembers())
            {
                if (member.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    var text = member.Name.IndexOf(' ') >= 0 ? "'" + member.Name.Replace("'", "''") + "'" : member.Name;
                    yield return new CompletionResult(text, member.Name, CompletionResultType.ParameterValue,
                        $"{member.Name} ({member.Role}, {member.Recipient.Fingerprint})");
                }
            }
        }
    }
}
