using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using Secrets.Core.Platform;
using Secrets.Core.Store;

namespace Secrets.Internal
{
    /// <summary>Tab completion of member names from the store named by -Store (or the default store).</summary>
    public sealed class MemberNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var results = new List<CompletionResult>();
            try
            {
                var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
                var storePath = fakeBoundParameters != null && fakeBoundParameters.Contains("Store")
                    ? System.IO.Path.GetFullPath(fakeBoundParameters["Store"]?.ToString() ?? string.Empty)
                    : SecretsPaths.DefaultStorePath;
                if (!SecretStore.Exists(storePath))
                {
                    return results;
                }

                foreach (var member in SecretStore.Open(storePath).GetMembers())
                {
                    if (member.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    {
                        var text = member.Name.IndexOf(' ') >= 0 ? "'" + member.Name.Replace("'", "''") + "'" : member.Name;
                        results.Add(new CompletionResult(text, member.Name, CompletionResultType.ParameterValue, $"{member.Name} ({member.Role}, {member.Recipient.Fingerprint})"));
                    }
                }
            }
            catch (Exception e) when (e is Secrets.Core.Errors.SecretsException || e is System.IO.IOException || e is UnauthorizedAccessException || e is ArgumentException)
            {
                // Completion never fails loudly.
            }

            return results;
        }
    }
}
