using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;

namespace Secrets.Core.Jobs
{
    /// <summary>
    /// Templates: <c>{{name}}</c>, <c>{{name.key}}</c> and secret URIs such as
    /// <c>{{secret://team/db#password}}</c> (spaces inside the braces allowed) are replaced by
    /// secret values. Text between double braces that is not a valid reference (for
    /// example Helm's <c>{{ .Values.x }}</c>) is left as it is; a valid reference to a secret or
    /// key that does not exist is an error, never an empty string. A backslash right before
    /// <c>{{</c> or <c>}}</c> is removed and the braces are kept as text: <c>\{{ item }}</c> gives
    /// <c>{{ item }}</c>, for files that another template engine (Jinja, Ansible) reads later.
    /// </summary>
    public static class TemplateRenderer
    {
        /// <summary>An escape (<c>\{{</c> or <c>\}}</c>) or a reference; escapes are found first, so an escaped opening never starts a reference.</summary>
        private static readonly Regex Token = new Regex(@"\\(\{\{|\}\})|\{\{\s*((?i:secret:)[^\s{}]*|[A-Za-z0-9_\-/]+(?:\.[^\s{}]+)?)\s*\}\}", RegexOptions.CultureInvariant);

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
        /// What a template names, as written, in order of first appearance: every valid
        /// reference, and everything written as a secret URI (a malformed URI too, so that it is
        /// reported rather than left as written).
        /// </summary>
        public static IReadOnlyList<string> FindTokens(string template)
        {
            var result = new List<string>();
            foreach (Match match in Token.Matches(template))
            {
                if (match.Groups[2].Success && IsToken(match.Groups[2].Value) && !result.Contains(match.Groups[2].Value))
                {
                    result.Add(match.Groups[2].Value);
                }
            }

            return result;
        }

        /// <summary>
        /// As <see cref="Render"/>, for the texts <see cref="FindTokens"/> gives: every reference and
        /// secret URI is replaced with the text <paramref name="resolve"/> gives for it (left as
        /// written when it gives null).
        /// </summary>
        public static string RenderTokens(string template, Func<string, string?> resolve)
        {
            if (template == null)
            {
                throw new ArgumentNullException(nameof(template));
            }

            return Replace(template, text => IsToken(text) ? resolve(text) : null);
        }

        private static bool IsToken(string text) =>
            text.StartsWith("secret:", StringComparison.OrdinalIgnoreCase) || SecretReference.TryParse(text, out _, out _);

        private static string Replace(string template, Func<string, string?> resolve)
        {
            var builder = new StringBuilder(template.Length);
            int last = 0;
            foreach (Match match in Token.Matches(template))
            {
                var replacement = match.Groups[1].Success ? match.Groups[1].Value : resolve(match.Groups[2].Value);
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

            return Replace(template, text => SecretReference.TryParse(text, out var reference, out _) ? resolve(reference!) : null);
        }
    }
}
