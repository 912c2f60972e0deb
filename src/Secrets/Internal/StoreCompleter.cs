using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Linq;
using Secrets.Core.Lookup;
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
        /// <summary>The commands whose names, without -Store or -Vault, are looked up along the whole lookup order.</summary>
        private static readonly HashSet<string> LookupReaders = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Get-Secret", "Get-SecretInfo" };

        /// <summary>The commands that act, without -Store or -Vault, on the first place of the lookup order.</summary>
        private static readonly HashSet<string> LookupWriters = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            { "Set-Secret", "New-Secret", "Set-SecretInfo", "Remove-Secret", "Rename-Secret" };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var results = new List<CompletionResult>();
            try
            {
                var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
                var command = (commandName ?? string.Empty).Substring((commandName ?? string.Empty).LastIndexOf('\\') + 1);
                string? storePath;
                if (UsesLookupOrder && SecretUri.LooksLikeUri(prefix))
                {
                    results.AddRange(CompleteUri(prefix));
                    return results;
                }

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
                else if (UsesLookupOrder && (LookupReaders.Contains(command) || LookupWriters.Contains(command)))
                {
                    results.AddRange(CompleteAlongLookup(prefix, firstOnly: !LookupReaders.Contains(command)));
                    return results;
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

        /// <summary>Whether names come from the lookup order when no -Store or -Vault is given (secret names do; member names do not).</summary>
        protected virtual bool UsesLookupOrder => false;

        /// <summary>The lookup order as the commands see it: the registry and SecretManagement's vaults.</summary>
        private static (IReadOnlyList<LookupEntry> Order, StoreRegistry Registry) Lookup()
        {
            var registry = StoreRegistry.Load();
            System.Collections.ObjectModel.Collection<PSObject> Run(string script, object?[] arguments) => ScriptBlock.Create(script).Invoke(arguments);
            var vaults = SecretManagementModule.Find(Run)?.Vaults(Run);
            return (LookupPlan.Build(registry, vaults), registry);
        }

        /// <summary>Names from each place of the lookup order (or its first place only), each name once, with the place in the tooltip.</summary>
        private IEnumerable<CompletionResult> CompleteAlongLookup(string prefix, bool firstOnly)
        {
            var (order, _) = Lookup();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in firstOnly ? order.Take(1) : order)
            {
                IEnumerable<CompletionResult> found;
                if (entry.Vault != null && !entry.Vault.IsThisModule)
                {
                    found = CompleteForeign(entry.Vault.Name, prefix);
                }
                else if (entry.StorePath != null && SecretStore.Exists(entry.StorePath))
                {
                    found = Complete(SecretStore.Open(entry.StorePath), prefix)
                        .Select(r => new CompletionResult(r.CompletionText, r.ListItemText, r.ResultType, r.ToolTip + $" in {entry.Display}"));
                }
                else
                {
                    continue;
                }

                foreach (var result in found)
                {
                    if (seen.Add(result.CompletionText.Trim('\'')))
                    {
                        yield return result;
                    }
                }
            }
        }

        /// <summary>
        /// A secret URI being typed: <c>secret://</c> and a store or vault name complete to
        /// <c>secret://name/</c>; after the '/', the names of that place.
        /// </summary>
        private IEnumerable<CompletionResult> CompleteUri(string typed)
        {
            var (order, registry) = Lookup();
            var rest = typed.Length >= SecretUri.Prefix.Length ? typed.Substring(SecretUri.Prefix.Length) : string.Empty;
            int slash = rest.IndexOf('/');
            if (slash < 0)
            {
                var names = registry.Stores.Select(s => (s.Name, Display: $"store at {s.Path}"))
                    .Concat(order.Where(e => e.Kind == LookupEntryKind.Vault).Select(e => (e.Name, Display: $"SecretManagement vault ({e.Vault!.ModuleName})")));
                foreach (var (name, display) in names)
                {
                    var text = SecretUri.Prefix + SecretUri.Format(name, "x").Substring(SecretUri.Prefix.Length).TrimEnd('x');
                    if (text.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                    {
                        yield return new CompletionResult(text, name, CompletionResultType.ParameterValue, $"{name} ({display})");
                    }
                }

                yield break;
            }

            var source = Uri.UnescapeDataString(rest.Substring(0, slash));
            var namePrefix = rest.Substring(slash + 1);
            var store = StoreNames.IsValid(source) ? registry.Find(source) : null;
            var vault = store == null ? order.FirstOrDefault(e => e.Kind == LookupEntryKind.Vault && string.Equals(e.Name, source, StringComparison.OrdinalIgnoreCase)) : null;
            IEnumerable<CompletionResult> found;
            if (store != null)
            {
                found = SecretStore.Exists(store.Path) ? Complete(SecretStore.Open(store.Path), namePrefix) : Array.Empty<CompletionResult>();
            }
            else if (vault?.Vault != null && vault.Vault.IsThisModule && vault.StorePath != null)
            {
                found = SecretStore.Exists(vault.StorePath) ? Complete(SecretStore.Open(vault.StorePath), namePrefix) : Array.Empty<CompletionResult>();
            }
            else if (vault != null)
            {
                found = CompleteForeign(vault.Name, namePrefix);
            }
            else
            {
                yield break;
            }

            var head = typed.Substring(0, SecretUri.Prefix.Length + slash + 1);
            foreach (var result in found)
            {
                var name = result.ListItemText;
                var text = head + SecretUri.Format("x", name).Substring(SecretUri.Prefix.Length + 2);
                yield return new CompletionResult(text, name, CompletionResultType.ParameterValue, result.ToolTip);
            }
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
            System.Collections.ObjectModel.Collection<PSObject> Run(string script, object?[] arguments) => ScriptBlock.Create(script).Invoke(arguments);
            var found = SecretManagementModule.Find(Run)?.Vaults(Run).FirstOrDefault(v => string.Equals(v.Name, vault, StringComparison.OrdinalIgnoreCase));
            if (found == null)
            {
                return null;
            }

            if (!found.IsThisModule)
            {
                foreign = true;
                return null;
            }

            return found.Settings?.EffectiveStorePath;
        }

        /// <summary>
        /// A -Store value as the cmdlet will resolve it: relative to the current PowerShell location
        /// (not the process's working directory), through the file-system provider; null for another provider.
        /// </summary>
        private static string? ResolveStorePath(string store)
        {
            if (StoreNames.IsValid(store) && StoreRegistry.Load().Find(store) is RegisteredStore registered)
            {
                return registered.Path;
            }

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
        protected override bool UsesLookupOrder => true;

        protected override IEnumerable<CompletionResult> CompleteForeign(string vault, string prefix)
        {
            System.Collections.ObjectModel.Collection<PSObject> Run(string script, object?[] arguments) => ScriptBlock.Create(script).Invoke(arguments);
            var command = SecretManagementModule.Find(Run)?.Command("Get-SecretInfo");
            if (command == null)
            {
                yield break;
            }

            var pattern = WildcardPattern.Escape(prefix) + "*";
            var found = Run("param($c, $vault, $name) & $c -Vault $vault -Name $name -ErrorAction Ignore -WarningAction Ignore", new object?[] { command, vault, pattern });
            foreach (var item in found)
            {
                if (item?.Properties["Name"]?.Value is string name)
                {
                    yield return new CompletionResult(StoreNameCompleter.Names.Quote(name), name, CompletionResultType.ParameterValue, $"{name} (vault {vault})");
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
