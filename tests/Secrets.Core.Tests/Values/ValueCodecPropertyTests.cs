using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CsCheck;
using Secrets.Core.Format;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Values
{
    /// <summary>Properties of the plaintext encoding (docs/FORMAT.md, "Value encoding" and padding).</summary>
    public class ValueCodecPropertyTests
    {
        /// <summary>Text from scalar values across the planes (never lone surrogates, which are not text).</summary>
        private static readonly Gen<string> Text =
            Gen.Frequency(
                (4, Gen.Int[0x20, 0x7e]),
                (2, Gen.Int[0, 0x7ff]),
                (2, Gen.Int[0x800, 0xd7ff]),
                (1, Gen.Int[0xe000, 0xffff]),
                (1, Gen.Int[0x10000, 0x10ffff]))
            .Select(char.ConvertFromUtf32).Array[0, 40].Select(parts => string.Concat(parts));

        private static readonly Gen<SecretValue> Leaf = Gen.OneOf(
            Text.Select(SecretValue.FromString),
            Text.Select(s => SecretValue.FromUtf8(SecretType.SecureString, Encoding.UTF8.GetBytes(s))),
            Gen.Select(Text, Text, (user, password) => SecretValue.FromCredential(user, Encoding.UTF8.GetBytes(password))),
            Gen.Byte.Array[0, 200].Select(SecretValue.FromBytes));

        private static readonly Gen<SecretValue> Hashtable =
            Gen.Select(Text.Where(k => k.Length > 0 && Encoding.UTF8.GetByteCount(k) <= SecretValue.MaxKeyBytes), Leaf).Array[0, 8]
                .Select(pairs => SecretValue.FromEntries(pairs
                    .GroupBy(p => p.Item1, StringComparer.OrdinalIgnoreCase)
                    .Select(g => new SecretEntry(g.First().Item1, g.First().Item2))
                    .ToList()));

        private static readonly Gen<SecretValue> Value = Gen.Frequency((3, Leaf), (1, Hashtable));

        [Fact]
        public void DecodeInvertsEncode()
        {
            Value.Sample(value =>
            {
                var padded = ValueCodec.EncodePadded(value);
                using var decoded = ValueCodec.DecodePadded(padded);
                AssertSame(value, decoded);
            }, iter: 2000);
        }

        [Fact]
        public void PaddingHidesTheLengthToSixtyFourBytesAndEndsWithTheMarker()
        {
            Value.Sample(value =>
            {
                var padded = ValueCodec.EncodePadded(value);
                Assert.Equal(0, padded.Length % ValueCodec.PaddingBlock);
                int end = padded.Length - 1;
                while (padded[end] == 0)
                {
                    end--;
                }

                Assert.Equal(0x80, padded[end]);
                Assert.True(padded.Length - end <= ValueCodec.PaddingBlock, "more than one block of padding");
                Assert.Equal((byte)value.Type, padded[0]);
            }, iter: 1000);
        }

        [Fact]
        public void ArbitraryPlaintextDecodesOrIsRejectedAsAFormatProblem()
        {
            // What an authenticated payload could hold if a writer were buggy: decoding must never
            // fail with anything but a FormatProblem (no index errors, no huge allocations).
            var payload = Gen.Select(Gen.Byte[1, 6], Gen.Byte.Array[0, 190], (type, body) =>
            {
                var bytes = new byte[(body.Length + 2 + 63) / 64 * 64];
                bytes[0] = type;
                Buffer.BlockCopy(body, 0, bytes, 1, body.Length);
                bytes[body.Length + 1] = 0x80;
                return bytes;
            });
            payload.Sample(bytes =>
            {
                try
                {
                    ValueCodec.DecodePadded(bytes).Dispose();
                }
                catch (FormatProblem)
                {
                }
            }, iter: 5000);
        }

        private static void AssertSame(SecretValue expected, SecretValue actual)
        {
            Assert.Equal(expected.Type, actual.Type);
            if (expected.Type == SecretType.Hashtable)
            {
                Assert.Equal(expected.Entries.Select(e => e.Key), actual.Entries.Select(e => e.Key));
                for (int i = 0; i < expected.Entries.Count; i++)
                {
                    AssertSame(expected.Entries[i].Value, actual.Entries[i].Value);
                }

                return;
            }

            Assert.Equal(expected.UserName, actual.UserName);
            Assert.Equal(expected.GetBytes(), actual.GetBytes());
        }
    }
}
