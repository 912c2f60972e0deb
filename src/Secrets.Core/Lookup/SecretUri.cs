using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Secrets.Core.Errors;

namespace Secrets.Core.Lookup
{
    /// <summary>
    /// A secret URI: <c>secret://&lt;store or vault&gt;/&lt;secret name&gt;[#&lt;key&gt;]</c>
    /// (docs/VAULT.md, "Secret URIs"). The scheme is <c>secret</c> in any case; the part before the
    /// first '/' after <c>secret://</c> names a registered store or a SecretManagement vault; the
    /// rest, up to '#', is the secret's name, '/' included; after '#' comes one key of a hashtable
    /// secret (or <c>UserName</c>/<c>Password</c> of a credential). '%' followed by two hexadecimal
    /// digits is a byte of the UTF-8 text (so <c>%23</c> is a '#' that is part of a name, <c>%2F</c>
    /// a '/' in a vault's name); '?' (a query) and control characters are not allowed anywhere.
    /// </summary>
    public sealed class SecretUri
    {
        public const string Scheme = "secret";

        /// <summary>What every URI starts with.</summary>
        public const string Prefix = "secret://";

        /// <summary>The grammar in one line, for messages.</summary>
        public const string Grammar = "secret://<store or vault>/<secret name>[#<key>], for example secret://team/prod/db#password";

        private SecretUri(string text, string source, string name, string? key)
        {
            Text = text;
            Source = source;
            Name = name;
            Key = key;
        }

        /// <summary>The URI as written (without surrounding white space).</summary>
        public string Text { get; }

        /// <summary>The store or vault name, decoded.</summary>
        public string Source { get; }

        /// <summary>The secret's name, decoded.</summary>
        public string Name { get; }

        /// <summary>The key, decoded; null for the whole secret.</summary>
        public string? Key { get; }

        /// <summary>Whether <paramref name="text"/> is meant as a URI: it starts with <c>secret:</c> (any case), which no secret name of a store can.</summary>
        public static bool LooksLikeUri(string? text)
        {
            if (text == null)
            {
                return false;
            }

            var trimmed = text.TrimStart();
            return trimmed.StartsWith(Scheme + ":", StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>Parses a URI; the problem is a clause naming what is wrong and how to write it.</summary>
        public static bool TryParse(string? text, out SecretUri? uri, out string problem)
        {
            uri = null;
            var trimmed = (text ?? string.Empty).Trim();
            if (!trimmed.StartsWith(Scheme + ":", StringComparison.OrdinalIgnoreCase))
            {
                problem = $"'{Shown(trimmed)}' is not a secret URI; write {Grammar}";
                return false;
            }

            if (!trimmed.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                problem = $"'{Shown(trimmed)}' starts with 'secret:' but not 'secret://'; write {Grammar}";
                return false;
            }

            for (int i = 0; i < trimmed.Length; i++)
            {
                char c = trimmed[i];
                if (c < 0x20 || c == 0x7f)
                {
                    problem = $"'{Shown(trimmed)}' contains the control character U+{(int)c:X4} at position {i + 1}";
                    return false;
                }

                if (c == '?')
                {
                    problem = $"'{Shown(trimmed)}' contains '?' at position {i + 1}: a secret URI has no query (write a '?' that is part of a name as %3F)";
                    return false;
                }
            }

            var rest = trimmed.Substring(Prefix.Length);
            int hash = rest.IndexOf('#');
            string? rawKey = null;
            if (hash >= 0)
            {
                rawKey = rest.Substring(hash + 1);
                rest = rest.Substring(0, hash);
                if (rawKey.Length == 0)
                {
                    problem = $"'{Shown(trimmed)}' ends with '#'; write the key after it (#password), or leave '#' out for the whole secret";
                    return false;
                }

                if (rawKey.IndexOf('#') >= 0)
                {
                    problem = $"'{Shown(trimmed)}' contains '#' twice; a key comes after the first '#' (write a '#' that is part of a key as %23)";
                    return false;
                }
            }

            int slash = rest.IndexOf('/');
            var rawSource = slash < 0 ? rest : rest.Substring(0, slash);
            if (rawSource.Length == 0)
            {
                problem = $"'{Shown(trimmed)}' names no store or vault after 'secret://'; write {Grammar}";
                return false;
            }

            if (slash < 0)
            {
                problem = $"'{Shown(trimmed)}' names the store or vault '{rawSource}' but no secret; write secret://{rawSource}/<secret name>";
                return false;
            }

            var rawName = rest.Substring(slash + 1);
            if (rawName.Length == 0)
            {
                problem = $"'{Shown(trimmed)}' names no secret after 'secret://{rawSource}/'; write secret://{rawSource}/<secret name>";
                return false;
            }

            if (!Decode(rawSource, out var source, out problem, trimmed, "store or vault name")
                || !Decode(rawName, out var name, out problem, trimmed, "secret name"))
            {
                return false;
            }

            string? key = null;
            if (rawKey != null && !Decode(rawKey, out key, out problem, trimmed, "key"))
            {
                return false;
            }

            uri = new SecretUri(trimmed, source, name, key);
            problem = string.Empty;
            return true;
        }

        /// <summary>Parses a URI given for <paramref name="parameterName"/>; throws <see cref="InvalidInputException"/> (InvalidSecretUri).</summary>
        public static SecretUri Parse(string? text, string parameterName)
        {
            if (!TryParse(text, out var uri, out var problem))
            {
                throw Invalid(problem, parameterName);
            }

            return uri!;
        }

        /// <summary>The error for a malformed URI, from the problem <see cref="TryParse"/> gives.</summary>
        public static InvalidInputException Invalid(string problem, string parameterName) =>
            new InvalidInputException("InvalidSecretUri", parameterName, "Invalid secret URI: " + problem + ".");

        /// <summary>The URI of a secret (and key): characters the grammar reserves are percent-encoded.</summary>
        public static string Format(string source, string name, string? key = null)
        {
            if (string.IsNullOrEmpty(source) || string.IsNullOrEmpty(name) || key?.Length == 0)
            {
                throw new ArgumentException("A secret URI needs a store or vault name, a secret name and, when given, a non-empty key.");
            }

            var builder = new StringBuilder(Prefix);
            Encode(builder, source, encodeSlash: true);
            builder.Append('/');
            Encode(builder, name, encodeSlash: false);
            if (key != null)
            {
                builder.Append('#');
                Encode(builder, key, encodeSlash: false);
            }

            return builder.ToString();
        }

        public override string ToString() => Text;

        private static void Encode(StringBuilder builder, string text, bool encodeSlash)
        {
            foreach (var b in Encoding.UTF8.GetBytes(text))
            {
                char c = (char)b;
                bool reserved = b < 0x21 || b >= 0x7f || c == '%' || c == '#' || c == '?' || (encodeSlash && c == '/');
                if (reserved)
                {
                    builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
                else
                {
                    builder.Append(c);
                }
            }
        }

        private static bool Decode(string raw, out string decoded, out string problem, string uri, string part)
        {
            decoded = raw;
            problem = string.Empty;
            if (raw.IndexOf('%') < 0)
            {
                return true;
            }

            var bytes = new List<byte>(raw.Length);
            for (int i = 0; i < raw.Length; i++)
            {
                char c = raw[i];
                if (c != '%')
                {
                    // A run of literal text at once, so that a surrogate pair is encoded whole.
                    int end = raw.IndexOf('%', i);
                    end = end < 0 ? raw.Length : end;
                    bytes.AddRange(Encoding.UTF8.GetBytes(raw.Substring(i, end - i)));
                    i = end - 1;
                    continue;
                }

                if (i + 2 >= raw.Length || !IsHex(raw[i + 1]) || !IsHex(raw[i + 2]))
                {
                    var found = raw.Substring(i, Math.Min(3, raw.Length - i));
                    problem = $"'{Shown(uri)}' has '{found}' in its {part}: '%' starts an escape of two hexadecimal digits (%23 for '#', %25 for '%')";
                    return false;
                }

                bytes.Add(byte.Parse(raw.Substring(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }

            try
            {
                decoded = new UTF8Encoding(false, true).GetString(bytes.ToArray());
            }
            catch (DecoderFallbackException)
            {
                problem = $"the escapes in the {part} of '{Shown(uri)}' are not UTF-8 text";
                return false;
            }

            foreach (char c in decoded)
            {
                if (c < 0x20 || c == 0x7f)
                {
                    problem = $"the {part} of '{Shown(uri)}' decodes to the control character U+{(int)c:X4}";
                    return false;
                }
            }

            return true;
        }

        private static bool IsHex(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

        /// <summary>Text for a message: control characters as '?', and at most 200 characters.</summary>
        private static string Shown(string text)
        {
            var builder = new StringBuilder(Math.Min(text.Length, 200));
            foreach (char c in text)
            {
                if (builder.Length == 200)
                {
                    builder.Append('…');
                    break;
                }

                builder.Append(c < 0x20 || c == 0x7f ? '?' : c);
            }

            return builder.ToString();
        }
    }
}
