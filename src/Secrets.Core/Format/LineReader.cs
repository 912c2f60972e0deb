using System;
using System.Collections.Generic;
using System.Text;

namespace Secrets.Core.Format
{
    /// <summary>
    /// Splits a file into lines under the common rules of docs/FORMAT.md (LF only, no control
    /// characters, no empty lines, single spaces between fields, valid UTF-8) and walks them in
    /// order, so that a parser states exactly which lines it expects.
    /// </summary>
    internal sealed class LineReader
    {
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);
        private readonly List<Line> _lines;
        private int _next;

        private LineReader(byte[] data, List<Line> lines)
        {
            Data = data;
            _lines = lines;
        }

        public byte[] Data { get; }

        public static LineReader Parse(byte[] data)
        {
            if (data.Length == 0)
            {
                throw new FormatProblem("the file is empty");
            }

            if (data[data.Length - 1] != (byte)'\n')
            {
                throw new FormatProblem("the file does not end with a line feed (truncated?)");
            }

            var lines = new List<Line>();
            int start = 0;
            for (int i = 0; i < data.Length; i++)
            {
                byte b = data[i];
                if (b == (byte)'\n')
                {
                    int number = lines.Count + 1;
                    if (i == start)
                    {
                        throw new FormatProblem($"line {number} is empty");
                    }

                    string text;
                    try
                    {
                        text = StrictUtf8.GetString(data, start, i - start);
                    }
                    catch (DecoderFallbackException)
                    {
                        throw new FormatProblem($"line {number} is not valid UTF-8");
                    }

                    if (text[0] == ' ' || text[text.Length - 1] == ' ')
                    {
                        throw new FormatProblem($"line {number} starts or ends with a space");
                    }

                    var fields = text.Split(' ');
                    foreach (var field in fields)
                    {
                        if (field.Length == 0)
                        {
                            throw new FormatProblem($"line {number} has two spaces in a row");
                        }
                    }

                    lines.Add(new Line(number, start, fields));
                    start = i + 1;
                }
                else if (b < 0x20 || b == 0x7f)
                {
                    throw new FormatProblem($"line {lines.Count + 1} contains a control character (0x{b:x2})");
                }
            }

            return new LineReader(data, lines);
        }

        public bool AtEnd => _next >= _lines.Count;

        public Line? Peek => AtEnd ? null : _lines[_next];

        /// <summary>Takes the next line, which must have the given key and field count (key included).</summary>
        public Line Expect(string key, int fieldCount)
        {
            var line = ExpectKey(key);
            if (line.Fields.Length != fieldCount)
            {
                throw new FormatProblem($"line {line.Number} ('{key}') has {line.Fields.Length - 1} values; {fieldCount - 1} expected");
            }

            return line;
        }

        /// <summary>Takes the next line, which must have the given key, any number of fields.</summary>
        public Line ExpectKey(string key)
        {
            if (AtEnd)
            {
                throw new FormatProblem($"the '{key}' line is missing (truncated?)");
            }

            var line = _lines[_next];
            if (line.Key != key)
            {
                if (line.Number == 1 && key.StartsWith("secrets/v", StringComparison.Ordinal) && IsLaterVersion(line.Key))
                {
                    throw FormatProblem.Later(line.Key);
                }

                // The line itself is not quoted: a file that is not one of ours (a link to a .env file,
                // say) must not have its content copied into an error message.
                throw new FormatProblem($"line {line.Number} is not the '{key}' line expected there");
            }

            _next++;
            return line;
        }

        /// <summary>Takes the next line if it has the given key.</summary>
        public bool TryTake(string key, out Line line)
        {
            if (!AtEnd && _lines[_next].Key == key)
            {
                line = _lines[_next++];
                return true;
            }

            line = null!;
            return false;
        }

        public void ExpectEnd()
        {
            if (!AtEnd)
            {
                var line = _lines[_next];
                throw new FormatProblem($"line {line.Number} is unexpected (the file should end before it)");
            }
        }

        /// <summary>Whether a first field is "secrets/v" and a number above 1.</summary>
        private static bool IsLaterVersion(string magic)
        {
            const string prefix = "secrets/v";
            return magic.StartsWith(prefix, StringComparison.Ordinal)
                && int.TryParse(magic.Substring(prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int version)
                && version > 1;
        }

    }
}
