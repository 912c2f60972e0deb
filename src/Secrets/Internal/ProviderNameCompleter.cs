using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using Secrets.Core.Providers;

namespace Secrets.Internal
{
    /// <summary>Tab completion of the built-in provider names (aws, gcp, …).</summary>
    public sealed class ProviderNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var results = new List<CompletionResult>();
            foreach (var provider in SecretProviders.All)
            {
                if (provider.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    results.Add(new CompletionResult(provider.Name, provider.Name, CompletionResultType.ParameterValue, provider.Description));
                }
            }

            return results;
        }
    }
}
