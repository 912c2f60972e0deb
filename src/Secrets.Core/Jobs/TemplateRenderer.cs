using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;

namespace Secrets.Core.Jobs
{
    /// <summary>
    /// Templates: <c>{{name}}</c> and <c>{{name.key}}</c> (spaces inside the braces allowed) are
    /// replaced by secret values. Text between double braces that is not a valid reference (for
    /// example Helm's <c>{{ .Values.x }}</c>) is left as it is; a valid reference to a secret or
    /// key that does not exist is an error, never an empty string.
    /// </summary>
    public static class TemplateRenderer
    {
        private static readonly Regex Reference = new Regex(@"\{\{\s*([A-Za-z0-9_\-/]+(?:\.[^\s{}]+)?)\s*\}\}", RegexOptions.CultureInvariant);

        /// <summary>The references a template uses, in order of first appearance.</summary>
        public static IReadOnlyList<SecretReference> FindReferences(string template)
        {
            var result = new List<SecretReference>();
            foreach (Match match in Reference.Matches(template))
            {
                if (SecretReference.TryParse(match.Groups[1].Value, out var reference, out _) && !result.Contains(reference!))
                {
                    result.Add(reference!);
                }
            }

            return result;
        }

        /// <summary>Replaces every valid reference with the text <paramref name="resolve"/> gives for it.</summary>
        public static string Render(string template, Func<SecretReference, string> resolve)
        {
            var builder = new StringBuilder(template.Length);
            int last = 0;
            foreach (Match match in Reference.Matches(template))
            {
                if (!SecretReference.TryParse(match.Groups[1].Value, out var reference, out _))
                {
                    continue;
                }

                builder.Append(template, last, match.Index - last);
                builder.Append(resolve(reference!));
                last = match.Index + match.Length;
            }

            builder.Append(template, last, template.Length - last);
            return builder.ToString();
        }
    }
}
