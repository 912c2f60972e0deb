using System;
using System.IO;
using System.Linq;
using System.Text;

namespace Secrets.Core.Format
{
    /// <summary>Writes lines under the common rules; the offsets let callers sign "every byte before".</summary>
    internal sealed class LineWriter
    {
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false, true);
        private readonly MemoryStream _buffer = new MemoryStream();

        public int Length => (int)_buffer.Length;

        public void Line(params string[] fields)
        {
            if (fields.Length == 0)
            {
                throw new ArgumentException("A line needs at least one field.", nameof(fields));
            }

            for (int i = 0; i < fields.Length; i++)
            {
                var field = fields[i];
                if (string.IsNullOrEmpty(field) || field.IndexOf(' ') >= 0 || HasControl(field))
                {
                    throw new ArgumentException($"Field {i} of a '{fields[0]}' line is empty or contains a space or a control character.", nameof(fields));
                }

                if (i > 0)
                {
                    _buffer.WriteByte((byte)' ');
                }

                var bytes = Utf8.GetBytes(field);
                _buffer.Write(bytes, 0, bytes.Length);
            }

            _buffer.WriteByte((byte)'\n');
        }

        /// <summary>A key followed by free text (a display name), which may contain single spaces.</summary>
        public void TextLine(string key, string text)
        {
            DisplayText.Validate(text, key);
            Line(new[] { key }.Concat(text.Split(' ')).ToArray());
        }

        /// <summary>The bytes written so far (a copy).</summary>
        public byte[] ToArray() => _buffer.ToArray();

        private static bool HasControl(string s)
        {
            foreach (char c in s)
            {
                if (c < 0x20 || c == 0x7f)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
