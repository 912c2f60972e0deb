using System;
using System.Text;

namespace Secrets.Core.Format
{
    /// <summary>The <c>text</c> production: display names (1–256 UTF-8 bytes, single spaces, no controls).</summary>
    public static class DisplayText
    {
        public const int MaxBytes = 256;

        /// <summary>Collapses runs of white space and trims, so any reasonable input becomes valid text.</summary>
        public static string Normalize(string text)
        {
            if (text == null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            var builder = new StringBuilder(text.Length);
            bool space = false;
            foreach (char c in text.Trim())
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c))
                {
                    space = true;
                    continue;
                }

                if (space && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                space = false;
                builder.Append(c);
            }

            return builder.ToString();
        }

        /// <summary>Throws <see cref="ArgumentException"/> unless the text is valid display text.</summary>
        public static void Validate(string text, string what)
        {
            if (string.IsNullOrEmpty(text) || Normalize(text) != text || System.Text.Encoding.UTF8.GetByteCount(text) > MaxBytes)
            {
                throw new ArgumentException($"The {what} must be 1 to {MaxBytes} bytes of text without control characters, leading, trailing or double spaces.", what);
            }
        }

        internal static string Parse(Line line)
        {
            var text = string.Join(" ", line.Fields, 1, line.Fields.Length - 1);
            if (line.Fields.Length < 2 || System.Text.Encoding.UTF8.GetByteCount(text) > MaxBytes)
            {
                throw new FormatProblem($"line {line.Number} ('{line.Key}') must hold 1 to {MaxBytes} bytes of text");
            }

            if (Normalize(text) != text)
            {
                // What Validate refuses to write: white space other than single spaces, control characters.
                throw new FormatProblem($"line {line.Number} ('{line.Key}') holds white space other than single spaces, or a control character");
            }

            return text;
        }
    }
}
