using System;
using System.Collections.Generic;
using System.IO;
using Secrets.Core.Crypto;
using Secrets.Core.Values;

namespace Secrets.Core.Format
{
    /// <summary>The plaintext encoding of values and its padding (docs/FORMAT.md, "Value encoding").</summary>
    internal static class ValueCodec
    {
        public const int MaxValueBytes = 16 * 1024 * 1024;
        public const int PaddingBlock = 64;

        private static readonly System.Text.UTF8Encoding StrictUtf8 = new System.Text.UTF8Encoding(false, true);

        /// <summary>
        /// Encodes and pads; the caller zeroes the result. The buffer is allocated at its final size
        /// and written in place, so no copy of the plaintext is left behind by a growing buffer.
        /// </summary>
        public static byte[] EncodePadded(SecretValue value)
        {
            long length = 1 + BodyLength(value);
            if (length > MaxValueBytes)
            {
                throw new ArgumentException($"The value is larger than {MaxValueBytes / (1024 * 1024)} MiB.", nameof(value));
            }

            var padded = new byte[(length + 1 + PaddingBlock - 1) / PaddingBlock * PaddingBlock];
            using var stream = new MemoryStream(padded, writable: true);
            stream.WriteByte((byte)value.Type);
            WriteBody(stream, value);
            stream.WriteByte(0x80);
            return padded;
        }

        private static long BodyLength(SecretValue value)
        {
            switch (value.Type)
            {
                case SecretType.PSCredential:
                    return 4 + StrictUtf8.GetByteCount(value.UserName!) + value.RawData.Length;
                case SecretType.Hashtable:
                    long total = 4;
                    foreach (var entry in value.Entries)
                    {
                        total += 4 + StrictUtf8.GetByteCount(entry.Key) + 1 + 4 + BodyLength(entry.Value);
                    }

                    return total;
                default:
                    return value.RawData.Length;
            }
        }

        /// <summary>Removes the padding and decodes; throws <see cref="FormatProblem"/> on any malformation.</summary>
        public static SecretValue DecodePadded(byte[] padded)
        {
            int end = padded.Length - 1;
            while (end >= 0 && padded[end] == 0)
            {
                end--;
            }

            if (end < 1 || padded[end] != 0x80 || padded.Length % PaddingBlock != 0)
            {
                throw new FormatProblem("the decrypted value has invalid padding");
            }

            var type = (SecretType)padded[0];
            int position = 1;
            switch (type)
            {
                case SecretType.String:
                case SecretType.SecureString:
                case SecretType.ByteArray:
                    return Leaf(type, padded, ref position, end - 1);
                case SecretType.PSCredential:
                    return Leaf(type, padded, ref position, end - 1);
                case SecretType.Hashtable:
                    return DecodeHashtable(padded, ref position, end);
                default:
                    throw new FormatProblem($"the decrypted value has unknown type byte 0x{padded[0]:x2}");
            }
        }

        private static void WriteBody(Stream stream, SecretValue value)
        {
            switch (value.Type)
            {
                case SecretType.String:
                case SecretType.SecureString:
                case SecretType.ByteArray:
                    stream.Write(value.RawData, 0, value.RawData.Length);
                    break;
                case SecretType.PSCredential:
                    WriteString(stream, value.UserName!);
                    stream.Write(value.RawData, 0, value.RawData.Length);
                    break;
                case SecretType.Hashtable:
                    WriteUInt32(stream, (uint)value.Entries.Count);
                    foreach (var entry in value.Entries)
                    {
                        WriteString(stream, entry.Key);
                        stream.WriteByte((byte)entry.Value.Type);
                        WriteUInt32(stream, (uint)BodyLength(entry.Value));
                        WriteBody(stream, entry.Value);
                    }

                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(value), "Unknown value type.");
            }
        }

        /// <summary>Decodes a non-hashtable body spanning [position, last].</summary>
        private static SecretValue Leaf(SecretType type, byte[] data, ref int position, int last)
        {
            string? userName = null;
            if (type == SecretType.PSCredential)
            {
                userName = ReadString(data, ref position, last + 1, "the user name");
            }

            int length = last - position + 1;
            var body = new byte[length];
            Buffer.BlockCopy(data, position, body, 0, length);
            position = last + 1;
            try
            {
                return SecretValue.FromOwnedBytes(type, body, userName);
            }
            catch (ArgumentException)
            {
                Sensitive.Zero(body);
                throw new FormatProblem($"the decrypted {type} value is not valid UTF-8");
            }
        }

        private static SecretValue DecodeHashtable(byte[] data, ref int position, int end)
        {
            uint count = ReadUInt32(data, ref position, end, "the entry count");
            if (count > SecretValue.MaxEntries)
            {
                throw new FormatProblem($"the hashtable claims {count} entries; at most {SecretValue.MaxEntries} are allowed");
            }

            var entries = new List<SecretEntry>((int)count);
            try
            {
                var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                for (int i = 0; i < count; i++)
                {
                    var key = ReadString(data, ref position, end, $"key {i + 1}");
                    if (key.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(key) > SecretValue.MaxKeyBytes || !keys.Add(key))
                    {
                        throw new FormatProblem($"hashtable key {i + 1} is empty, too long or repeated");
                    }

                    if (position >= end)
                    {
                        throw new FormatProblem($"the hashtable is truncated at key {i + 1}");
                    }

                    var type = (SecretType)data[position++];
                    if (type < SecretType.String || type > SecretType.ByteArray)
                    {
                        throw new FormatProblem($"hashtable key {i + 1} has invalid type byte 0x{(byte)type:x2}");
                    }

                    uint length = ReadUInt32(data, ref position, end, $"the length of key {i + 1}");
                    if (length > (uint)(end - position))
                    {
                        throw new FormatProblem($"the value of hashtable key {i + 1} runs past the end");
                    }

                    int last = position + (int)length - 1;
                    var value = Leaf(type, data, ref position, last);
                    entries.Add(new SecretEntry(key, value));
                }

                if (position != end)
                {
                    throw new FormatProblem("the hashtable has trailing bytes");
                }

                return SecretValue.FromEntries(entries);
            }
            catch
            {
                foreach (var entry in entries)
                {
                    entry.Value.Dispose();
                }

                throw;
            }
        }

        private static void WriteString(Stream stream, string text)
        {
            var bytes = StrictUtf8.GetBytes(text);
            WriteUInt32(stream, (uint)bytes.Length);
            stream.Write(bytes, 0, bytes.Length);
        }

        private static void WriteUInt32(Stream stream, uint value)
        {
            stream.WriteByte((byte)(value >> 24));
            stream.WriteByte((byte)(value >> 16));
            stream.WriteByte((byte)(value >> 8));
            stream.WriteByte((byte)value);
        }

        private static uint ReadUInt32(byte[] data, ref int position, int end, string what)
        {
            if (end - position < 4)
            {
                throw new FormatProblem($"the value is truncated in {what}");
            }

            uint value = ((uint)data[position] << 24) | ((uint)data[position + 1] << 16) | ((uint)data[position + 2] << 8) | data[position + 3];
            position += 4;
            return value;
        }

        private static string ReadString(byte[] data, ref int position, int end, string what)
        {
            uint length = ReadUInt32(data, ref position, end, what);
            if (length > (uint)(end - position))
            {
                throw new FormatProblem($"{what} runs past the end of the value");
            }

            try
            {
                var text = StrictUtf8.GetString(data, position, (int)length);
                position += (int)length;
                return text;
            }
            catch (System.Text.DecoderFallbackException)
            {
                throw new FormatProblem($"{what} is not valid UTF-8");
            }
        }
    }
}
