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
                var storePath = fakeBoundParameters != null && fakeBoundParameters.Contains("Store")
                    ? ResolveStorePath(fakeBoundParameters["Store"]?.ToString() ?? string.Empty)
                    : SecretsPaths.DefaultStorePath;
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

    /// <summary>Tab completion of secret names from the store named by -Store (or the default store).</summary>
    public sealed class SecretNameCompleter : StoreCompleter
    {
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
