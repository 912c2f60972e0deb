using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Secrets.Core.Jobs
{
    /// <summary>
    /// Replaces secret values in a job's output with <c>***</c>. Each value is masked as written
    /// and in the encodings a job commonly prints it in: base64 (standard and URL-safe, with and
    /// without padding), URL (percent) encoding, and JSON string escaping. A multi-line value is
    /// also masked line by line, since output is read a line at a time. Values shorter than
    /// <see cref="MinimumLength"/> characters are not masked: they would hide unrelated output
    /// (a one-character secret would blank every occurrence of that character).
    /// </summary>
    public sealed class OutputMasker
    {
        public const int MinimumLength = 4;
        public const string Mask = "***";

        private readonly List<string> _patterns;

        public OutputMasker(IEnumerable<byte[]> values)
        {
            var patterns = new HashSet<string>(StringComparer.Ordinal);
            foreach (var value in values)
            {
                AddVariants(patterns, value);
            }

            _patterns = patterns.Where(p => p.Length >= MinimumLength).OrderByDescending(p => p.Length).ThenBy(p => p, StringComparer.Ordinal).ToList();
        }

        /// <summary>A masker that changes nothing (-NoMask).</summary>
        public static OutputMasker None { get; } = new OutputMasker(Array.Empty<byte[]>());

        /// <summary>How many distinct strings are masked (values and their encodings).</summary>
        public int PatternCount => _patterns.Count;

        /// <summary>The text with every masked string replaced by ***.</summary>
        public string Apply(string text)
        {
            if (string.IsNullOrEmpty(text) || _patterns.Count == 0)
            {
                return text;
            }

            StringBuilder? builder = null;
            var current = text;
            foreach (var pattern in _patterns)
            {
                if (current.IndexOf(pattern, StringComparison.Ordinal) < 0)
                {
                    continue;
                }

                builder ??= new StringBuilder(current.Length);
                builder.Clear();
                int start = 0;
                int index;
                while ((index = current.IndexOf(pattern, start, StringComparison.Ordinal)) >= 0)
                {
                    builder.Append(current, start, index - start).Append(Mask);
                    start = index + pattern.Length;
                }

                builder.Append(current, start, current.Length - start);
                current = builder.ToString();
            }

            return current;
        }

        private static void AddVariants(HashSet<string> patterns, byte[] value)
        {
            if (value.Length == 0)
            {
                return;
            }

            var base64 = Convert.ToBase64String(value);
            patterns.Add(base64);
            patterns.Add(base64.TrimEnd('='));
            var urlSafe = base64.Replace('+', '-').Replace('/', '_');
            patterns.Add(urlSafe);
            patterns.Add(urlSafe.TrimEnd('='));

            string? text = TryUtf8(value);
            if (text == null)
            {
                return;
            }

            AddText(patterns, text);
            var lines = text.Split(new[] { "\r\n", "\n", "\r" }, StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length > 1)
            {
                foreach (var line in lines)
                {
                    AddText(patterns, line.Trim());
                }
            }
        }

        private static void AddText(HashSet<string> patterns, string text)
        {
            if (text.Length == 0)
            {
                return;
            }

            patterns.Add(text);
            patterns.Add(Uri.EscapeDataString(text));
            patterns.Add(JsonEscape(text));
        }

        private static string? TryUtf8(byte[] value)
        {
            try
            {
                return new UTF8Encoding(false, true).GetString(value);
            }
            catch (DecoderFallbackException)
            {
                return null;
            }
        }

        private static string JsonEscape(string text)
        {
            var builder = new StringBuilder(text.Length + 8);
            foreach (char c in text)
            {
                switch (c)
                {
                    case '"': builder.Append("\\\""); break;
                    case '\\': builder.Append("\\\\"); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\r': builder.Append("\\r"); break;
                    case '\t': builder.Append("\\t"); break;
                    case '/': builder.Append('/'); break;
                    default:
                        if (c < 0x20)
                        {
                            builder.Append("\\u").Append(((int)c).ToString("x4"));
                        }
                        else
                        {
                            builder.Append(c);
                        }

                        break;
                }
            }

            return builder.ToString();
        }
    }
}
