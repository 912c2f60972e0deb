using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Secrets.Core.Lookup;

namespace Secrets.Internal
{
    /// <summary>
    /// Tab completion of registered store names, for -Store and the commands that take store
    /// names. When no name matches, it offers nothing, and PowerShell completes a path instead.
    /// </summary>
    public sealed class StoreNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            try
            {
                return Names.Stores(prefix).ToList();
            }
            catch (Exception e) when (e is Core.Errors.SecretsException || e is System.IO.IOException || e is UnauthorizedAccessException || e is ArgumentException)
            {
                return Array.Empty<CompletionResult>();
            }
        }

        /// <summary>The completions of store and vault names.</summary>
        internal static class Names
        {
            public static IEnumerable<CompletionResult> Stores(string prefix)
            {
                foreach (var store in StoreRegistry.Load().Stores)
                {
                    if (store.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    {
                        yield return new CompletionResult(store.Name, store.Name, CompletionResultType.ParameterValue, $"{store.Name} (store at {store.Path})");
                    }
                }
            }

            /// <summary>SecretManagement's vaults whose names start with <paramref name="prefix"/> (none when it is not installed).</summary>
            public static IEnumerable<CompletionResult> Vaults(string prefix, bool skipStoreNames)
            {
                var registry = StoreRegistry.Load();
                System.Collections.ObjectModel.Collection<PSObject> Run(string script, object?[] arguments) => ScriptBlock.Create(script).Invoke(arguments);
                var module = SecretManagementModule.Find(Run);
                if (module == null)
                {
                    yield break;
                }

                foreach (var vault in module.Vaults(Run))
                {
                    if (!vault.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || (skipStoreNames && registry.Find(vault.Name) != null))
                    {
                        continue;
                    }

                    yield return new CompletionResult(Quote(vault.Name), vault.Name, CompletionResultType.ParameterValue,
                        $"{vault.Name} (SecretManagement vault, {vault.ModuleName}{(vault.IsDefault ? ", default" : string.Empty)})");
                }
            }

            /// <summary>A name as it can be typed: quoted when it has characters PowerShell reads otherwise.</summary>
            public static string Quote(string name) =>
                name.Any(c => char.IsWhiteSpace(c) || "'\"`$;,(){}[]@#|&<>".IndexOf(c) >= 0) ? "'" + name.Replace("'", "''") + "'" : name;
        }
    }

    /// <summary>Tab completion of the names a lookup order can have: registered stores and SecretManagement vaults.</summary>
    public sealed class LookupNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var results = new List<CompletionResult>();
            try
            {
                results.AddRange(StoreNameCompleter.Names.Stores(prefix));
                results.AddRange(StoreNameCompleter.Names.Vaults(prefix, skipStoreNames: true));
            }
            catch (Exception e) when (e is Core.Errors.SecretsException || e is System.IO.IOException || e is UnauthorizedAccessException
                || e is ArgumentException || e is RuntimeException)
            {
                // Completion never fails loudly.
            }

            return results;
        }
    }

    /// <summary>Tab completion of SecretManagement's vault names, for -Vault.</summary>
    public sealed class VaultNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            try
            {
                return StoreNameCompleter.Names.Vaults(prefix, skipStoreNames: false).ToList();
            }
            catch (Exception e) when (e is Core.Errors.SecretsException || e is System.IO.IOException || e is UnauthorizedAccessException
                || e is ArgumentException || e is RuntimeException)
            {
                return Array.Empty<CompletionResult>();
            }
        }
    }
}
