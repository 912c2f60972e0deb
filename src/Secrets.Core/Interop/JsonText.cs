using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Secrets.Core.Interop
{
    /// <summary>
    /// Writes JSON: strings escaped as RFC 8259 requires (and the line breaks of YAML, whose reader
    /// reads JSON back, U+0085, U+2028 and U+2029, escaped too), flat objects, and trees read by
    /// <see cref="YamlTree"/> (a scalar written without quotes that is a JSON number, true, false
    /// or null stays one; every other scalar is a string).
    /// </summary>
    public static class JsonText
    {
        /// <summary>Appends a JSON string literal.</summary>
        public static void AppendString(StringBuilder builder, string value)
        {
            builder.Append('"');
            foreach (char c in value)
            {
                switch (c)
                {
                    case '"': builder.Append("\\\""); break;
                    case '\\': builder.Append("\\\\"); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\r': builder.Append("\\r"); break;
                    case '\t': builder.Append("\\t"); break;
                    case '\b': builder.Append("\\b"); break;
                    case '\f': builder.Append("\\f"); break;
                    default:
                        // U+0085, U+2028 and U+2029 are line breaks to the YAML reader that reads JSON back.
                        if (c < 0x20 || c == '\u0085' || c == '\u2028' || c == '\u2029')
                        {
                            builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            builder.Append(c);
                        }

                        break;
                }
            }

            builder.Append('"');
        }

        /// <summary>A JSON string literal.</summary>
        public static string Quote(string value)
        {
            var builder = new StringBuilder(value.Length + 2);
            AppendString(builder, value);
            return builder.ToString();
        }

        /// <summary>An object of string values, one key per line (indented by two spaces), ending with a line break.</summary>
        public static string WriteFlatObject(IEnumerable<KeyValuePair<string, string>> entries)
        {
            var builder = new StringBuilder("{");
            bool first = true;
            foreach (var entry in entries)
            {
                builder.Append(first ? "\n  " : ",\n  ");
                first = false;
                AppendString(builder, entry.Key);
                builder.Append(": ");
                AppendString(builder, entry.Value);
            }

            builder.Append(first ? "}\n" : "\n}\n");
            return builder.ToString();
        }

        /// <summary>A compact object of string values on one line: <c>{"a":"b"}</c>.</summary>
        public static string WriteCompactObject(IEnumerable<KeyValuePair<string, string>> entries)
        {
            var builder = new StringBuilder("{");
            bool first = true;
            foreach (var entry in entries)
            {
                if (!first)
                {
                    builder.Append(',');
                }

                first = false;
                AppendString(builder, entry.Key);
                builder.Append(':');
                AppendString(builder, entry.Value);
            }

            return builder.Append('}').ToString();
        }

        /// <summary>A tree as indented JSON (two spaces), ending with a line break.</summary>
        public static string Write(YamlNode node)
        {
            var builder = new StringBuilder();
            Write(builder, node, 0);
            return builder.Append('\n').ToString();
        }

        private static void Write(StringBuilder builder, YamlNode node, int indent)
        {
            switch (node)
            {
                case YamlScalar scalar:
                    if (scalar.IsNull)
                    {
                        builder.Append("null");
                    }
                    else if (scalar.IsPlain && IsJsonLiteral(scalar.Value))
                    {
                        builder.Append(scalar.Value);
                    }
                    else
                    {
                        AppendString(builder, scalar.Value);
                    }

                    break;
                case YamlMapping mapping:
                    if (mapping.Entries.Count == 0)
                    {
                        builder.Append("{}");
                        break;
                    }

                    builder.Append('{');
                    for (int i = 0; i < mapping.Entries.Count; i++)
                    {
                        builder.Append(i == 0 ? "\n" : ",\n").Append(' ', indent + 2);
                        AppendString(builder, mapping.Entries[i].Key.Value);
                        builder.Append(": ");
                        Write(builder, mapping.Entries[i].Value, indent + 2);
                    }

                    builder.Append('\n').Append(' ', indent).Append('}');
                    break;
                case YamlSequence sequence:
                    if (sequence.Items.Count == 0)
                    {
                        builder.Append("[]");
                        break;
                    }

                    builder.Append('[');
                    for (int i = 0; i < sequence.Items.Count; i++)
                    {
                        builder.Append(i == 0 ? "\n" : ",\n").Append(' ', indent + 2);
                        Write(builder, sequence.Items[i], indent + 2);
                    }

                    builder.Append('\n').Append(' ', indent).Append(']');
                    break;
                default:
                    throw new ArgumentException("Unknown node.", nameof(node));
            }
        }

        /// <summary>true, false, or a number as JSON writes it.</summary>
        private static bool IsJsonLiteral(string value)
        {
            if (value == "true" || value == "false")
            {
                return true;
            }

            int i = 0;
            if (i < value.Length && value[i] == '-')
            {
                i++;
            }

            if (i >= value.Length || !IsDigit(value[i]) || (value[i] == '0' && i + 1 < value.Length && IsDigit(value[i + 1])))
            {
                return false;
            }

            while (i < value.Length && value[i] >= '0' && value[i] <= '9')
            {
                i++;
            }

            if (i < value.Length && value[i] == '.')
            {
                i++;
                int digits = i;
                while (i < value.Length && value[i] >= '0' && value[i] <= '9')
                {
                    i++;
                }

                if (i == digits)
                {
                    return false;
                }
            }

            if (i < value.Length && (value[i] == 'e' || value[i] == 'E'))
            {
                i++;
                if (i < value.Length && (value[i] == '+' || value[i] == '-'))
                {
                    i++;
                }

                int digits = i;
                while (i < value.Length && value[i] >= '0' && value[i] <= '9')
                {
                    i++;
                }

                if (i == digits)
                {
                    return false;
                }
            }

            return i == value.Length;
        }

        private static bool IsDigit(char c) => c >= '0' && c <= '9';
    }
}
