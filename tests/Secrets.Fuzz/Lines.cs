using System;
using System.Collections.Generic;
using System.Text;
using Secrets.Core.Codecs;
using Secrets.Core.Crypto;
using Secrets.Core.Identity;

namespace Secrets.Fuzz
{
    /// <summary>Byte-level helpers over files of lines: what the targets fix up before parsing.</summary>
    internal static class Lines
    {
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false, false);

        /// <summary>The fields of each line of a file that a parser accepted (so it is well formed).</summary>
        public static List<(int Offset, string[] Fields)> Of(byte[] data, int count)
        {
            var result = new List<(int, string[])>();
            int start = 0;
            for (int i = 0; i < count; i++)
            {
                if (data[i] == (byte)'\n')
                {
                    result.Add((start, Utf8.GetString(data, start, i - start).Split(' ')));
                    start = i + 1;
                }
            }

            return result;
        }

        /// <summary>Where the last line starts, or -1 when the data does not end with a line feed.</summary>
        public static int LastLineStart(byte[] data)
        {
            if (data.Length == 0 || data[data.Length - 1] != (byte)'\n')
            {
                return -1;
            }

            int start = data.Length - 1;
            while (start > 0 && data[start - 1] != (byte)'\n')
            {
                start--;
            }

            return start;
        }

        /// <summary>
        /// When the last line is '<paramref name="key"/> &lt;one field of <paramref name="length"/>
        /// characters&gt;', the offset where that line starts; otherwise -1.
        /// </summary>
        public static int TrailerLine(byte[] data, string key, int length)
        {
            int start = LastLineStart(data);
            if (start < 0 || data.Length - start != key.Length + 1 + length + 1)
            {
                return -1;
            }

            for (int i = 0; i < key.Length; i++)
            {
                if (data[start + i] != (byte)key[i])
                {
                    return -1;
                }
            }

            if (data[start + key.Length] != (byte)' ')
            {
                return -1;
            }

            for (int i = start + key.Length + 1; i < data.Length - 1; i++)
            {
                if (data[i] == (byte)' ' || data[i] == (byte)'\n')
                {
                    return -1;
                }
            }

            return start;
        }

        /// <summary>The value of the first line 'key value' (one field), or null.</summary>
        public static string? FirstValue(byte[] data, int count, string key)
        {
            var prefix = Encoding.ASCII.GetBytes(key + " ");
            int start = 0;
            for (int i = 0; i <= count; i++)
            {
                if (i == count || data[i] == (byte)'\n')
                {
                    int length = i - start;
                    if (length > prefix.Length && data.AsSpan(start, prefix.Length).SequenceEqual(prefix))
                    {
                        return Utf8.GetString(data, start + prefix.Length, length - prefix.Length);
                    }

                    start = i + 1;
                }
            }

            return null;
        }

        /// <summary>
        /// A copy whose last line, 'signature &lt;86 characters&gt;', is replaced by the signature of
        /// every byte before it by the known key <paramref name="signerOf"/> names. A file whose last
        /// line is anything else, or whose signer is not a known key, is returned as it is, so that
        /// those paths are fuzzed too.
        /// </summary>
        public static byte[] Resign(byte[] data, Func<byte[], int, UnlockedIdentity?> signerOf)
        {
            int start = TrailerLine(data, "signature", Base64.EncodedLength(Ed25519Signing.SignatureSize));
            if (start < 0)
            {
                return data;
            }

            var signer = signerOf(data, start);
            if (signer == null)
            {
                return data;
            }

            return Replace(data, start, "signature " + Base64.Encode(signer.Sign(data, start)) + "\n");
        }

        /// <summary>Signed by the key on the first '<paramref name="key"/> &lt;b64 Ed25519 key&gt;' line.</summary>
        public static byte[] ResignBy(byte[] data, string key) =>
            Resign(data, (d, count) => FirstValue(d, count, key) is string value ? Keys.BySigningKey(value) : null);

        /// <summary>
        /// A copy whose last line, 'check &lt;43 characters&gt;', holds the SHA-256 of every byte before
        /// it (an identity file's checksum); anything else is returned as it is.
        /// </summary>
        public static byte[] Recheck(byte[] data)
        {
            int start = TrailerLine(data, "check", Base64.EncodedLength(32));
            return start < 0 ? data : Replace(data, start, "check " + Base64.Encode(Sha256.Hash(data, 0, start)) + "\n");
        }

        /// <summary>Splits after every line that starts with 'signature ' (one store log entry each).</summary>
        public static List<byte[]> SplitAfterSignatures(byte[] data, int max)
        {
            var result = new List<byte[]>();
            int entryStart = 0;
            int lineStart = 0;
            var key = Encoding.ASCII.GetBytes("signature ");
            for (int i = 0; i < data.Length && result.Count < max; i++)
            {
                if (data[i] != (byte)'\n')
                {
                    continue;
                }

                if (i - lineStart >= key.Length && data.AsSpan(lineStart, key.Length).SequenceEqual(key))
                {
                    result.Add(data.AsSpan(entryStart, i + 1 - entryStart).ToArray());
                    entryStart = i + 1;
                }

                lineStart = i + 1;
            }

            if (entryStart < data.Length && result.Count < max)
            {
                result.Add(data.AsSpan(entryStart).ToArray());
            }

            return result;
        }

        private static byte[] Replace(byte[] data, int start, string lastLine)
        {
            var line = Encoding.ASCII.GetBytes(lastLine);
            var result = new byte[start + line.Length];
            Buffer.BlockCopy(data, 0, result, 0, start);
            Buffer.BlockCopy(line, 0, result, start, line.Length);
            return result;
        }
    }
}
