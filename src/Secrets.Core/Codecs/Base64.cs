using System;

namespace Secrets.Core.Codecs
{
    /// <summary>RFC 4648 base64, standard alphabet, no padding, canonical only.</summary>
    internal static class Base64
    {
        public static string Encode(byte[] data) => Convert.ToBase64String(data).TrimEnd('=');

        /// <summary>Decodes strictly; returns null for anything that is not canonical unpadded base64.</summary>
        public static byte[]? Decode(string text)
        {
            if (text.Length % 4 == 1)
            {
                return null;
            }

            foreach (char c in text)
            {
                bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
                if (!ok)
                {
                    return null;
                }
            }

            string padded = text.Length % 4 == 0 ? text : text + new string('=', 4 - (text.Length % 4));
            byte[] decoded;
            try
            {
                decoded = Convert.FromBase64String(padded);
            }
            catch (FormatException)
            {
                return null;
            }

            // Reject non-zero trailing bits: only the canonical encoding is accepted.
            return Encode(decoded) == text ? decoded : null;
        }

        /// <summary>Decodes and checks the exact length; null otherwise.</summary>
        public static byte[]? Decode(string text, int expectedLength)
        {
            // The encoded length is fixed by the decoded length: check it before decoding.
            if (text.Length != EncodedLength(expectedLength))
            {
                return null;
            }

            var decoded = Decode(text);
            return decoded != null && decoded.Length == expectedLength ? decoded : null;
        }

        public static int EncodedLength(int byteCount) => (byteCount * 4 + 2) / 3;
    }
}
