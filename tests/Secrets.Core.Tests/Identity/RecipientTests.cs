using System;
using System.Linq;
using System.Numerics;
using System.Security.Cryptography;
using Secrets.Core.Codecs;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Xunit;

namespace Secrets.Core.Tests.Identity
{
    public class RecipientTests
    {
        /// <summary>The field prime of Curve25519/Ed25519 (declared first: the vectors below use it).</summary>
        private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;

        /// <summary>A fixed valid recipient: X25519 key 0x01.. 0x20, the Ed25519 key of seed 0x00..0x1f.</summary>
        private static readonly byte[] X25519Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        private static readonly byte[] Ed25519Key = Ed25519Signing.PublicFromPrivate(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        private static readonly string ValidText = Bech32.Encode("secrets", X25519Key.Concat(Ed25519Key).ToArray());

        /// <summary>Recipient strings that must be refused, and the reason the message must give.</summary>
        public static readonly TheoryData<string, string, string> Refused = new TheoryData<string, string, string>
        {
            { "empty", string.Empty, "it is empty" },
            { "blank", "   ", "it is empty" },
            { "last character changed", ValidText.Substring(0, ValidText.Length - 1) + (ValidText.EndsWith("q") ? "p" : "q"), "checksum is wrong" },
            { "a typo in the data", ValidText.Substring(0, 20) + (ValidText[20] == 'q' ? 'p' : 'q') + ValidText.Substring(21), "checksum is wrong" },
            { "two characters swapped", Swap(ValidText, 30), "checksum is wrong" },
            { "truncated", ValidText.Substring(0, ValidText.Length - 10), "checksum is wrong" },
            { "mixed case", ValidText.Substring(0, 10).ToUpperInvariant() + ValidText.Substring(10), "mixes upper and lower case" },
            { "another prefix", Bech32.Encode("age", X25519Key.Concat(Ed25519Key).ToArray()), "starts with 'age1' instead of 'secrets1'" },
            { "prefix with a typo", Bech32.Encode("secret", X25519Key.Concat(Ed25519Key).ToArray()), "instead of 'secrets1'" },
            { "63 bytes", Bech32.Encode("secrets", X25519Key.Concat(Ed25519Key).Take(63).ToArray()), "holds 63 bytes instead of 64" },
            { "65 bytes", Bech32.Encode("secrets", X25519Key.Concat(Ed25519Key).Append((byte)0).ToArray()), "holds 65 bytes instead of 64" },
            { "only the X25519 key", Bech32.Encode("secrets", X25519Key), "holds 32 bytes instead of 64" },
            { "all-zero X25519 key", Bech32.Encode("secrets", new byte[32].Concat(Ed25519Key).ToArray()), "X25519 key is all zeros" },
            { "Ed25519 identity point", WithEd25519(Identity()), "Ed25519 key is not a valid point" },
            { "Ed25519 point of order 4", WithEd25519(new byte[32]), "Ed25519 key is not a valid point" },
            { "Ed25519 y not below p", WithEd25519(NonCanonicalY()), "Ed25519 key is not a valid point" },
            { "Ed25519 y off the curve", WithEd25519(OffCurve()), "Ed25519 key is not a valid point" },
            { "no separator", "secretsqqqqqqqq", "no '1' separator" },
            { "not a Bech32 character", ValidText.Substring(0, 20) + "b" + ValidText.Substring(21), "'b' is not a Bech32 character" },
            { "a space inside", ValidText.Substring(0, 20) + " " + ValidText.Substring(20), "not printable ASCII" },
            { "non-ASCII", ValidText.Substring(0, 20) + "é" + ValidText.Substring(21), "not printable ASCII" },
        };

        [Fact]
        public void GeneratedRecipientRoundTripsThroughItsText()
        {
            using var identity = UnlockedIdentity.Generate("tester");
            var text = identity.Recipient.Text;
            Assert.StartsWith("secrets1", text);
            Assert.Equal(117, text.Length);
            Assert.Equal(text.ToLowerInvariant(), text);

            var parsed = Recipient.Parse(text);
            Assert.Equal(identity.Recipient, parsed);
            Assert.Equal(text, parsed.Text);
            Assert.Equal(identity.Recipient.Fingerprint, parsed.Fingerprint);
            Assert.Equal(identity.Recipient.EncryptionKey, parsed.EncryptionKey);
            Assert.Equal(identity.Recipient.SigningKey, parsed.SigningKey);
        }

        [Fact]
        public void FixedRecipientDecodesToItsKeysAndFingerprint()
        {
            var parsed = Recipient.Parse(ValidText);
            Assert.Equal(X25519Key, parsed.EncryptionKey);
            Assert.Equal(Ed25519Key, parsed.SigningKey);

            // First 8 bytes of SHA-256 of the 64 bytes, four groups of four hex digits.
            var hash = SHA256.HashData(X25519Key.Concat(Ed25519Key).ToArray());
            var hex = Convert.ToHexString(hash, 0, 8).ToLowerInvariant();
            Assert.Equal($"{hex[..4]}-{hex[4..8]}-{hex[8..12]}-{hex[12..]}", parsed.Fingerprint);
        }

        [Fact]
        public void AllUppercaseIsAcceptedAsBech32AllowsAndWrittenInLowercase()
        {
            var parsed = Recipient.Parse(ValidText.ToUpperInvariant());
            Assert.Equal(ValidText, parsed.Text);
        }

        [Fact]
        public void SurroundingWhiteSpaceIsIgnored()
        {
            Assert.Equal(ValidText, Recipient.Parse("  " + ValidText + "\n").Text);
        }

        [Theory]
        [MemberData(nameof(Refused))]
        public void MalformedRecipientIsRefusedWithAReason(string what, string text, string reason)
        {
            Assert.False(Recipient.TryParse(text, out var recipient, out var problem), what);
            Assert.Null(recipient);
            Assert.Contains(reason, problem);

            var error = Assert.Throws<InvalidInputException>(() => Recipient.Parse(text));
            Assert.Equal("InvalidRecipient", error.ErrorId);
            Assert.Contains(reason, error.Message);
        }

        private static string WithEd25519(byte[] key) => Bech32.Encode("secrets", X25519Key.Concat(key).ToArray());

        private static string Swap(string text, int index)
        {
            var chars = text.ToCharArray();
            int other = index + 1;
            while (chars[other] == chars[index])
            {
                other++;
            }

            (chars[index], chars[other]) = (chars[other], chars[index]);
            return new string(chars);
        }

        /// <summary>The neutral element (0, 1): on the curve, but of order 1.</summary>
        private static byte[] Identity()
        {
            var key = new byte[32];
            key[0] = 1;
            return key;
        }

        /// <summary>y = p + 1: the encoding of y = 1 plus p, which a full validation refuses.</summary>
        private static byte[] NonCanonicalY() => Encode(P + 1);

        /// <summary>The smallest y for which x² = (y² − 1) / (d·y² + 1) has no square root: no point at all.</summary>
        private static byte[] OffCurve()
        {
            var d = (P - 121665 * Inverse(121666)) % P;
            for (BigInteger y = 2; ; y++)
            {
                var u = (y * y - 1) % P;
                var v = (d * y * y + 1) % P;
                var x2 = u * Inverse(v) % P;
                if (x2 != 0 && BigInteger.ModPow(x2, (P - 1) / 2, P) == P - 1)
                {
                    return Encode(y);
                }
            }
        }

        private static BigInteger Inverse(BigInteger value) => BigInteger.ModPow(value, P - 2, P);

        private static byte[] Encode(BigInteger y)
        {
            var bytes = new byte[32];
            var little = y.ToByteArray(isUnsigned: true, isBigEndian: false);
            Array.Copy(little, bytes, Math.Min(32, little.Length));
            return bytes;
        }
    }
}
