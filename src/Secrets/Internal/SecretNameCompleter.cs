using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using Secrets.Core.Platform;
using Secrets.Core.Store;

namespace Secrets.Internal
{
    /// <summary>Tab completion of secret names from the store named by -Store (or the default store).</summary>
    public sealed class SecretNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var results = new List<CompletionResult>();
            try
            {
                var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
                var storePath = fakeBoundParameters != null && fakeBoundParameters.Contains("Store")
                    ? ResolveStorePath(fakeBoundParameters["Store"]?.ToString() ?? string.Empty)
                    : SecretsPaths.DefaultStorePath;
                if (storePath == null || !SecretStore.Exists(storePath))
                {
                    return results;
                }

                var store = SecretStore.Open(storePath);
                var lowered = prefix.ToLowerInvariant();
                foreach (var listed in store.List(name => name.StartsWith(lowered, StringComparison.Ordinal)))
                {
                    if (listed.Record != null)
                    {
                        var type = listed.Record.Type;
                        results.Add(new CompletionResult(listed.Record.Name, listed.Record.Name, CompletionResultType.ParameterValue,
                            $"{listed.Record.Name} ({type}, version {listed.Record.Version})"));
                    }
                }
            }
            catch (Exception e) when (e is Secrets.Core.Errors.SecretsException || e is System.IO.IOException || e is UnauthorizedAccessException
                || e is ArgumentException || e is RuntimeException)
            {
                // Completion never fails loudly.
            }

            return results;
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
}
