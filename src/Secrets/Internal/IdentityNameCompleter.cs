using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Language;
using Secrets.Core.Identity;

namespace Secrets.Internal
{
    /// <summary>Completes identity names: the identities in the Secrets home (identities/*.identity).</summary>
    public sealed class IdentityNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var results = new List<CompletionResult>();
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            try
            {
                foreach (var file in IdentityNames.List())
                {
                    var name = IdentityNames.NameOf(file);
                    if (name != null && name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    {
                        results.Add(new CompletionResult(name, name, CompletionResultType.ParameterValue, file));
                    }
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException)
            {
                // Completion never fails loudly.
            }

            return results;
        }
    }
}
