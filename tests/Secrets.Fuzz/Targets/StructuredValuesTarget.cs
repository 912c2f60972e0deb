using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Secrets.Core.Errors;
using Secrets.Core.Values;

namespace Secrets.Fuzz.Targets
{
    /// <summary>
    /// JSON and YAML values (<c>StructuredValues.Parse</c> and <c>ToSecretValue</c>, what
    /// <c>-Values</c> reads), on the input as UTF-8 text. Contract: refused with InvalidValues naming
    /// the parameter, or read as 1 to 1,000 keys, non-empty and unique ignoring case, each with a
    /// text value; those keys and values written as JSON are read back as the same; the hashtable
    /// secret made of them has exactly those entries (or is refused only for a value or key that no
    /// secret can hold) and survives the value encoding.
    /// </summary>
    internal static class StructuredValuesTarget
    {
        public const string Parameter = "Values";

        public static void Check(byte[] input)
        {
            var text = Text.Lossy(input);
            IReadOnlyList<KeyValuePair<string, string>> pairs;
            try
            {
                pairs = StructuredValues.Parse(text, Parameter);
            }
            catch (InvalidInputException e)
            {
                Expect.Refused(e, "InvalidValues", Parameter);
                return;
            }

            Expect.Trace($"read {pairs.Count} keys");
            Expect.That(pairs.Count >= 1 && pairs.Count <= SecretValue.MaxEntries, $"{pairs.Count} keys read");
            Expect.That(pairs.All(p => !string.IsNullOrEmpty(p.Key) && p.Value != null), "an empty key or a null value read");
            Expect.That(pairs.Select(p => p.Key).Distinct(StringComparer.OrdinalIgnoreCase).Count() == pairs.Count, "a key read twice");

            var json = Json(pairs);
            IReadOnlyList<KeyValuePair<string, string>> again;
            try
            {
                again = StructuredValues.Parse(json, Parameter);
            }
            catch (InvalidInputException e)
            {
                throw new ContractViolation("the keys and values read, written as JSON, are refused: " + e.Message, e);
            }

            Expect.That(again.Count == pairs.Count && again.Zip(pairs, (a, b) => a.Key == b.Key && a.Value == b.Value).All(same => same),
                "the keys and values read, written as JSON, are read as others");

            SecretValue value;
            try
            {
                value = StructuredValues.ToSecretValue(text, Parameter);
            }
            catch (InvalidInputException e)
            {
                Expect.Refused(e, "InvalidValues", Parameter);
                Expect.That(pairs.Any(p => p.Value.Length > SecretValue.MaxTextLength || HasLoneSurrogate(p.Value)
                        || Encoding.UTF8.GetByteCount(p.Key) > SecretValue.MaxKeyBytes),
                    "a hashtable secret refused for values that it can hold: " + e.Message);
                return;
            }

            using (value)
            {
                Expect.That(value.Type == SecretType.Hashtable && value.Entries.Count == pairs.Count, "the hashtable secret has other keys");
                for (int i = 0; i < pairs.Count; i++)
                {
                    var entry = value.Entries[i];
                    Expect.That(entry.Key == pairs[i].Key && entry.Value.Type == SecretType.String && entry.Value.GetText() == pairs[i].Value,
                        $"entry {i + 1} of the hashtable secret is not the key and value read");
                }

                ValueCodecTarget.RoundTrip(value);
            }
        }

        /// <summary>
        /// A JSON object of the pairs, escaping what JSON and YAML need escaped (YAML also breaks lines
        /// at U+0085, U+2028 and U+2029) and nothing else.
        /// </summary>
        public static string Json(IEnumerable<KeyValuePair<string, string>> pairs)
        {
            var builder = new StringBuilder("{");
            bool first = true;
            foreach (var pair in pairs)
            {
                builder.Append(first ? "\"" : ", \"");
                Escape(builder, pair.Key);
                builder.Append("\": \"");
                Escape(builder, pair.Value);
                builder.Append('"');
                first = false;
            }

            return builder.Append('}').ToString();
        }

        private static void Escape(StringBuilder builder, string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                bool pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
                if (pair)
                {
                    builder.Append(c).Append(text[++i]);
                }
                else if (c == '"' || c == '\\')
                {
                    builder.Append('\\').Append(c);
                }
                else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029' || c == '\ufeff' || c >= '\ufffe' || char.IsSurrogate(c))
                {
                    builder.Append("\\u").Append(((int)c).ToString("x4"));
                }
                else
                {
                    builder.Append(c);
                }
            }
        }

        private static bool HasLoneSurrogate(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                }
                else if (char.IsSurrogate(text[i]))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
