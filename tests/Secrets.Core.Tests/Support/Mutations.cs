using System.Collections.Generic;
using System.Linq;

namespace Secrets.Core.Tests.Support
{
    /// <summary>Every single-byte damage of a file: bit flips and replacements at every offset.</summary>
    public static class Mutations
    {
        /// <summary>Line feed, space, NUL, a base64 letter and a byte that is never UTF-8 on its own.</summary>
        private static readonly byte[] Replacements = { 0x0a, 0x20, 0x00, (byte)'A', 0xff };

        /// <param name="original">the file.</param>
        /// <param name="allBits">every bit of every byte; otherwise one bit per byte, rotating along the file.</param>
        public static IEnumerable<(string What, byte[] Data)> SingleByte(byte[] original, bool allBits)
        {
            for (int offset = 0; offset < original.Length; offset++)
            {
                for (int bit = allBits ? 0 : offset % 8; bit < (allBits ? 8 : offset % 8 + 1); bit++)
                {
                    var flipped = (byte[])original.Clone();
                    flipped[offset] ^= (byte)(1 << bit);
                    yield return ($"bit {bit} of byte {offset} flipped", flipped);
                }

                foreach (var value in Replacements)
                {
                    if (original[offset] != value)
                    {
                        var replaced = (byte[])original.Clone();
                        replaced[offset] = value;
                        yield return ($"byte {offset} replaced by 0x{value:x2}", replaced);
                    }
                }
            }
        }

        /// <summary>Every proper prefix, from empty to one byte short, and a few additions at the end.</summary>
        public static IEnumerable<(string What, byte[] Data)> Truncations(byte[] original)
        {
            for (int length = 0; length < original.Length; length++)
            {
                yield return ($"first {length} of {original.Length} bytes", original[..length]);
            }
        }

        public static IEnumerable<(string What, byte[] Data)> Extensions(byte[] original)
        {
            foreach (var tail in new[] { "\n", " ", "x", "x\n", "signature x\n", "\r\n" })
            {
                var extended = new byte[original.Length + tail.Length];
                original.CopyTo(extended, 0);
                System.Text.Encoding.ASCII.GetBytes(tail).CopyTo(extended, original.Length);
                yield return ($"'{tail.Replace("\n", "\\n").Replace("\r", "\\r")}' appended", extended);
            }

            var lines = FileEdits.Lines(original);
            yield return ("last line repeated", FileEdits.Join(lines.Concat(new[] { lines[^1] }).ToArray()));
        }
    }
}
