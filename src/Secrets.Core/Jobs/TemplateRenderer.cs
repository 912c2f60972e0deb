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
    /// key that does not exist is an error, never an empty string. A backslash right before
    /// <c>{{</c> or <c>}}</c> is removed and the braces are kept as text: <c>\{{ item }}</c> gives
    /// <c>{{ item }}</c>, for files that another template engine (Jinja, Ansible) reads later.
    /// </summary>
    public static class TemplateRenderer
    {
        /// <summary>An escape (<c>\{{</c> or <c>\}}</c>) or a reference; escapes are found first, so an escaped opening never starts a reference.</summary>
        private static readonly Regex Token = new Regex(@"\\(\{\{|\}\})|\{\{\s*([A-Za-z0-9_\-/]+(?:\.[^\s{}]+)?)\s*\}\}", RegexOptions.CultureInvariant);

        /// <summary>The references a template uses, in order of first appearance (escaped braces are not references).</summary>
        public static IReadOnlyList<SecretReference> FindReferences(string template)
        {
            var result = new List<SecretReference>();
            foreach (Match match in Token.Matches(template))
            {
                if (match.Groups[2].Success && SecretReference.TryParse(match.Groups[2].Value, out var reference, out _) && !result.Contains(reference!))
                {
                    result.Add(reference!);
                }
            }

            return result;
        }

        /// <summary>
        /// Replaces every valid reference with the text <paramref name="resolve"/> gives for it
        /// (a reference for which it gives null is left as written), and every escape with the
        /// braces it stands for.
        /// </summary>
        public static string Render(string template, Func<SecretReference, string?> resolve)
        {
            if (template == null)
            {
                throw new ArgumentNullException(nameof(template));
            }

            var builder = new StringBuilder(template.Length);
            int last = 0;
            foreach (Match match in Token.Matches(template))
            {
                string? replacement;
                if (match.Groups[1].Success)
                {
                    replacement = match.Groups[1].Value;
                }
                else if (SecretReference.TryParse(match.Groups[2].Value, out var reference, out _))
                {
                    replacement = resolve(reference!);
                }
                else
                {
                    replacement = null;
                }

                if (replacement == null)
                {
                    continue;
                }

                builder.Append(template, last, match.Index - last);
                builder.Append(replacement);
                last = match.Index + match.Length;
            }

            builder.Append(template, last, template.Length - last);
            return builder.ToString();
        }
    }
}
