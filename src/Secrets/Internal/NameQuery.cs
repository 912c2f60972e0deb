using System.Management.Automation;

namespace Secrets.Internal
{
    /// <summary>
    /// What a -Name pattern asks of a store's listing: the canonical prefix every match shares (the
    /// text before its first wildcard, lowercased), and whether it names one secret exactly. The
    /// listing then looks only at the folders that can match.
    /// </summary>
    internal sealed class NameQuery
    {
        private NameQuery(string pattern)
        {
            var text = string.IsNullOrEmpty(pattern) ? "*" : pattern;
            Matcher = new WildcardPattern(text, WildcardOptions.IgnoreCase);
            Exact = !WildcardPattern.ContainsWildcardCharacters(text);
            int end = 0;
            while (end < text.Length && text[end] != '*' && text[end] != '?' && text[end] != '[' && text[end] != '`')
            {
                end++;
            }

            Prefix = (Exact ? WildcardPattern.Unescape(text) : text.Substring(0, end)).ToLowerInvariant();
        }

        public WildcardPattern Matcher { get; }

        /// <summary>The canonical prefix of every match (the whole name when <see cref="Exact"/>).</summary>
        public string Prefix { get; }

        /// <summary>No wildcard: one name.</summary>
        public bool Exact { get; }

        public static NameQuery Of(string pattern) => new NameQuery(pattern);
    }
}
