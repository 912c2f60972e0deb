using System;
using System.Collections.Generic;
using System.Text;

namespace Secrets.Core.Codecs
{
    /// <summary>
    /// Bech32 (BIP 173, checksum constant 1) without the 90-character limit, as age uses it for
    /// recipients. Lowercase only on output; mixed case is rejected on input.
    /// </summary>
    internal static class Bech32
    {
        private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
        private static readonly uint[] Generator = { 0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3 };

        public static string Encode(string hrp, byte[] data)
        {
            var values = ConvertBits(data, 8, 5, pad: true)!;
            var checksum = CreateChecksum(hrp, values);
            var builder = new StringBuilder(hrp.Length + 1 + values.Count + 6);
            builder.Append(hrp).Append('1');
            foreach (var v in values)
            {
                builder.Append(Charset[v]);
            }

            foreach (var v in checksum)
            {
                builder.Append(Charset[v]);
            }

            return builder.ToString();
        }

        /// <summary>Decodes; returns false with a reason when the text is not valid Bech32 for that prefix.</summary>
        public static bool TryDecode(string text, string expectedHrp, out byte[] data, out string problem)
        {
            data = Array.Empty<byte>();
            bool hasLower = false, hasUpper = false;
            foreach (char c in text)
            {
                if (c < 33 || c > 126)
                {
                    problem = "it contains a character that is not printable ASCII";
                    return false;
                }

                hasLower |= c >= 'a' && c <= 'z';
                hasUpper |= c >= 'A' && c <= 'Z';
            }

            if (hasLower && hasUpper)
            {
                problem = "it mixes upper and lower case";
                return false;
            }

            text = text.ToLowerInvariant();
            int separator = text.LastIndexOf('1');
            if (separator < 1 || separator + 7 > text.Length)
            {
                problem = "it has no '1' separator followed by a checksum";
                return false;
            }

            string hrp = text.Substring(0, separator);
            if (hrp != expectedHrp)
            {
                problem = $"it starts with '{hrp}1' instead of '{expectedHrp}1'";
                return false;
            }

            var values = new List<byte>(text.Length - separator - 1);
            for (int i = separator + 1; i < text.Length; i++)
            {
                int v = Charset.IndexOf(text[i]);
                if (v < 0)
                {
                    problem = $"'{text[i]}' is not a Bech32 character";
                    return false;
                }

                values.Add((byte)v);
            }

            if (Polymod(ExpandHrp(hrp), values) != 1)
            {
                problem = "its checksum is wrong (a typo or a truncated copy?)";
                return false;
            }

            var payload = values.GetRange(0, values.Count - 6);
            var bytes = ConvertBits(payload, 5, 8, pad: false);
            if (bytes == null)
            {
                problem = "its data has invalid padding";
                return false;
            }

            data = bytes.ToArray();
            problem = string.Empty;
            return true;
        }

        private static List<byte>? ConvertBits(IReadOnlyList<byte> data, int fromBits, int toBits, bool pad)
        {
            int acc = 0, bits = 0;
            int maxv = (1 << toBits) - 1;
            var result = new List<byte>(data.Count * fromBits / toBits + 1);
            foreach (var value in data)
            {
                acc = (acc << fromBits) | value;
                bits += fromBits;
                while (bits >= toBits)
                {
                    bits -= toBits;
                    result.Add((byte)((acc >> bits) & maxv));
                }
            }

            if (pad)
            {
                if (bits > 0)
                {
                    result.Add((byte)((acc << (toBits - bits)) & maxv));
                }
            }
            else if (bits >= fromBits || ((acc << (toBits - bits)) & maxv) != 0)
            {
                return null;
            }

            return result;
        }

        private static List<byte> ExpandHrp(string hrp)
        {
            var result = new List<byte>(hrp.Length * 2 + 1);
            foreach (char c in hrp)
            {
                result.Add((byte)(c >> 5));
            }

            result.Add(0);
            foreach (char c in hrp)
            {
                result.Add((byte)(c & 31));
            }

            return result;
        }

        private static uint Polymod(List<byte> prefix, IEnumerable<byte> values)
        {
            uint chk = 1;
            void Step(byte v)
            {
                uint top = chk >> 25;
                chk = ((chk & 0x1ffffff) << 5) ^ v;
                for (int i = 0; i < 5; i++)
                {
                    if (((top >> i) & 1) != 0)
                    {
                        chk ^= Generator[i];
                    }
                }
            }

            foreach (var v in prefix)
            {
                Step(v);
            }

            foreach (var v in values)
            {
                Step(v);
            }

            return chk;
        }

        private static byte[] CreateChecksum(string hrp, List<byte> values)
        {
            var all = new List<byte>(values);
            all.AddRange(new byte[6]);
            uint mod = Polymod(ExpandHrp(hrp), all) ^ 1;
            var result = new byte[6];
            for (int i = 0; i < 6; i++)
            {
                result[i] = (byte)((mod >> (5 * (5 - i))) & 31);
            }

            return result;
        }
    }
}
