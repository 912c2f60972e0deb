using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;

namespace Secrets.Core.Interop
{
    /// <summary>One entry of a flat file: a key, its text and the line it starts on.</summary>
    public sealed class FlatEntry
    {
        public FlatEntry(string key, string value, int line)
        {
            Key = key;
            Value = value;
            Line = line;
        }

        public string Key { get; }

        /// <summary>The text (secret).</summary>
        public string Value { get; }

        public int Line { get; }

        public override string ToString() => $"{Key} (line {Line})";
    }

    /// <summary>
    /// <c>.env</c> files, with the rules docker compose and the dotenv libraries share
    /// (docs/FORMATS.md):
    /// <list type="bullet">
    /// <item><c>NAME=value</c>, optionally after <c>export </c>; blank lines and lines starting with <c>#</c> are skipped.</item>
    /// <item>Unquoted: trimmed; a <c>#</c> after a space or tab starts a comment; no escapes.</item>
    /// <item>Single quotes: the text exactly as written, which may span lines.</item>
    /// <item>Double quotes: may span lines; <c>\n \r \t \\ \" \$</c> are escapes, any other backslash is kept.</item>
    /// <item><c>${VAR}</c> is not expanded: values are taken as written.</item>
    /// </list>
    /// </summary>
    public static class DotEnv
    {
        // \z, not $: '$' also matches before a last line break.
        private static readonly Regex NamePattern = new Regex("^[A-Za-z_][A-Za-z0-9_.-]*\\z", RegexOptions.CultureInvariant);
        private static readonly Regex PortableName = new Regex("^[A-Za-z_][A-Za-z0-9_]*\\z", RegexOptions.CultureInvariant);
        private static readonly Regex Unquotable = new Regex("^[A-Za-z0-9_./:@%+,=-]+\\z", RegexOptions.CultureInvariant);

        /// <summary>The entries of the text, in order; throws <see cref="InvalidContentException"/> (id InvalidEnvFile).</summary>
        public static IReadOnlyList<FlatEntry> Parse(string text, string source, string? filePath = null)
        {
            text = text.Replace("\r\n", "\n");
            if (text.Length > 0 && text[0] == '\uFEFF')
            {
                text = text.Substring(1);
            }

            var entries = new List<FlatEntry>();
            var seen = new Dictionary<string, FlatEntry>(StringComparer.OrdinalIgnoreCase);
            int position = 0;
            int line = 1;
            while (position < text.Length)
            {
                int end = text.IndexOf('\n', position);
                if (end < 0)
                {
                    end = text.Length;
                }

                int start = line;
                var current = text.Substring(position, end - position).TrimStart(' ', '\t');
                if (current.Length == 0 || current[0] == '#')
                {
                    position = end + 1;
                    line++;
                    continue;
                }

                if (current.StartsWith("export ", StringComparison.Ordinal) || current.StartsWith("export\t", StringComparison.Ordinal))
                {
                    current = current.Substring(7).TrimStart(' ', '\t');
                }

                int equals = current.IndexOf('=');
                if (equals < 0)
                {
                    throw Invalid(source, start, "expected NAME=value (a line that is not blank, a comment or an assignment). Put a '#' in front of it if it is a comment.", filePath);
                }

                var name = current.Substring(0, equals).TrimEnd(' ', '\t');
                if (!NamePattern.IsMatch(name))
                {
                    // Not shown: a line without a name may be a value put on a line of its own.
                    throw Invalid(source, start,
                        "the text before '=' is not a variable name (letters, digits, '_', '.' and '-', not starting with a digit). Fix the name, or put a '#' in front of the line if it is a comment.", filePath);
                }

                // Where the value starts, in the whole text.
                int valueStart = position + (text.Substring(position, end - position).Length - current.Length) + equals + 1;
                while (valueStart < end && (text[valueStart] == ' ' || text[valueStart] == '\t'))
                {
                    valueStart++;
                }

                string value;
                int next;
                if (valueStart < text.Length && (text[valueStart] == '\'' || text[valueStart] == '"'))
                {
                    value = ReadQuoted(text, valueStart, out int closing, source, start, name, filePath);
                    line += Count(text, '\n', valueStart, closing);
                    int lineEnd = text.IndexOf('\n', closing);
                    if (lineEnd < 0)
                    {
                        lineEnd = text.Length;
                    }

                    var rest = text.Substring(closing + 1, lineEnd - closing - 1).Trim(' ', '\t');
                    if (rest.Length > 0 && rest[0] != '#')
                    {
                        throw Invalid(source, line, $"there is text after the closing quote of '{name}'. Put the whole value inside the quotes.", filePath);
                    }

                    next = lineEnd + 1;
                }
                else
                {
                    value = text.Substring(valueStart, end - valueStart);
                    for (int i = 0; i < value.Length; i++)
                    {
                        if (value[i] == '#' && i > 0 && (value[i - 1] == ' ' || value[i - 1] == '\t'))
                        {
                            value = value.Substring(0, i);
                            break;
                        }
                    }

                    value = value.TrimEnd(' ', '\t');
                    next = end + 1;
                }

                if (seen.TryGetValue(name, out var earlier))
                {
                    throw Invalid(source, start, earlier.Key == name
                        ? $"'{name}' is set twice (also on line {earlier.Line}). Keep one of them."
                        : $"'{name}' and '{earlier.Key}' (line {earlier.Line}) are the same key: the keys of a secret are case-insensitive. Keep one of them.", filePath);
                }

                var entry = new FlatEntry(name, value, start);
                seen[name] = entry;
                entries.Add(entry);
                position = next;
                line++;
            }

            return entries;
        }

        /// <summary>
        /// The text of a .env file: one <c>NAME=value</c> line per entry, each value unquoted when it
        /// is only letters, digits and <c>_ . / : @ % + , = -</c>, in single quotes when it holds no
        /// <c>'</c> or backslash (the text exactly, across lines if need be), in double quotes with
        /// escapes otherwise. Throws <see cref="InvalidContentException"/> (id ValueNotExportable)
        /// for a key that is not a portable variable name.
        /// </summary>
        public static string Write(IEnumerable<KeyValuePair<string, string>> entries, string secretName)
        {
            var builder = new StringBuilder();
            foreach (var entry in entries)
            {
                if (!PortableName.IsMatch(entry.Key))
                {
                    throw new InvalidContentException("ValueNotExportable", $"secret '{secretName}'", 0,
                        $"the key '{entry.Key}' is not a variable name a .env file can hold (letters, digits and '_', not starting with a digit). "
                        + "Rename the key, or export the secret with -Format Json or -Format Yaml.");
                }

                builder.Append(entry.Key).Append('=').Append(QuoteValue(entry.Value)).Append('\n');
            }

            return builder.ToString();
        }

        /// <summary>A value as written after <c>NAME=</c>.</summary>
        public static string QuoteValue(string value)
        {
            if (value.Length == 0)
            {
                return string.Empty;
            }

            if (Unquotable.IsMatch(value))
            {
                return value;
            }

            if (value.IndexOf('\'') < 0 && value.IndexOf('\\') < 0 && value.IndexOf('\r') < 0)
            {
                return "'" + value + "'";
            }

            var builder = new StringBuilder("\"");
            foreach (char c in value)
            {
                switch (c)
                {
                    case '\\': builder.Append("\\\\"); break;
                    case '"': builder.Append("\\\""); break;
                    case '$': builder.Append("\\$"); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\r': builder.Append("\\r"); break;
                    case '\t': builder.Append("\\t"); break;
                    default: builder.Append(c); break;
                }
            }

            return builder.Append('"').ToString();
        }

        private static string ReadQuoted(string text, int open, out int closing, string source, int line, string name, string? filePath)
        {
            char quote = text[open];
            var builder = new StringBuilder();
            for (int i = open + 1; i < text.Length; i++)
            {
                char c = text[i];
                if (c == quote)
                {
                    closing = i;
                    return builder.ToString();
                }

                if (quote == '"' && c == '\\' && i + 1 < text.Length)
                {
                    char escaped = text[i + 1];
                    switch (escaped)
                    {
                        case 'n': builder.Append('\n'); i++; continue;
                        case 'r': builder.Append('\r'); i++; continue;
                        case 't': builder.Append('\t'); i++; continue;
                        case '\\':
                        case '"':
                        case '$':
                            builder.Append(escaped);
                            i++;
                            continue;
                    }
                }

                builder.Append(c);
            }

            throw Invalid(source, line, $"the value of '{name}' starts with {(quote == '"' ? "a double" : "a single")} quote that is never closed. Close it, or escape the quote.", filePath);
        }

        private static int Count(string text, char c, int from, int to)
        {
            int count = 0;
            for (int i = from; i < to; i++)
            {
                if (text[i] == c)
                {
                    count++;
                }
            }

            return count;
        }

        private static InvalidContentException Invalid(string source, int line, string problem, string? filePath) =>
            new InvalidContentException("InvalidEnvFile", source, line, problem, filePath);
    }
}
