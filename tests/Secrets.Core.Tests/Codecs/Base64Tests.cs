using System;
using CsCheck;
using Secrets.Core.Codecs;
using Xunit;

namespace Secrets.Core.Tests.Codecs
{
    /// <summary>b64: RFC 4648 standard alphabet, no padding, canonical only.</summary>
    public class Base64Tests
    {
        public static readonly TheoryData<string, byte[]> Canonical = new TheoryData<string, byte[]>
        {
            { string.Empty, Array.Empty<byte>() },
            { "QQ", new byte[] { 0x41 } },
            { "QUI", new byte[] { 0x41, 0x42 } },
            { "QUJD", new byte[] { 0x41, 0x42, 0x43 } },
            { "AA", new byte[] { 0 } },
            { "+/8", new byte[] { 0xfb, 0xff } },
            { "//8", new byte[] { 0xff, 0xff } },
        };

        public static readonly TheoryData<string, string> Refused = new TheoryData<string, string>
        {
            { "padding ==", "QQ==" },
            { "padding =", "QUI=" },
            { "lone padding", "=" },
            { "padding inside", "Q=I" },
            { "one character left over", "Q" },
            { "five characters", "QUJDR" },
            { "non-zero trailing bits after one byte", "QR" },
            { "non-zero trailing bits after one byte, high", "Q/" },
            { "non-zero trailing bits after two bytes", "QUJ" },
            { "leading space", " QUJD" },
            { "trailing space", "QUJD " },
            { "space inside", "QU JD" },
            { "tab", "QU\tJD" },
            { "line feed", "QUJD\n" },
            { "carriage return", "QU\rJD" },
            { "URL-safe dash", "-_8" },
            { "URL-safe underscore", "__8" },
            { "other punctuation", "QUJ*" },
            { "non-ASCII", "QUJé" },
            { "full-width letters", "ＱＵＪＤ" },
        };

        [Theory]
        [MemberData(nameof(Canonical))]
        public void CanonicalTextDecodesAndEncodesBack(string text, byte[] bytes)
        {
            Assert.Equal(bytes, Base64.Decode(text));
            Assert.Equal(bytes, Base64.Decode(text, bytes.Length));
            Assert.Equal(text, Base64.Encode(bytes));
        }

        [Theory]
        [MemberData(nameof(Refused))]
        public void NonCanonicalTextIsRefused(string what, string text)
        {
            Assert.True(Base64.Decode(text) == null, what);
        }

        [Theory]
        [InlineData("QUJD", 2)]
        [InlineData("QUJD", 4)]
        [InlineData("QUI", 3)]
        [InlineData("", 1)]
        public void WrongLengthIsRefused(string text, int expectedLength)
        {
            Assert.Null(Base64.Decode(text, expectedLength));
        }

        [Fact]
        public void EveryByteStringRoundTripsWithoutPadding()
        {
            Gen.Byte.Array[0, 100].Sample(bytes =>
            {
                var text = Base64.Encode(bytes);
                Assert.DoesNotContain('=', text);
                Assert.Equal(Base64.EncodedLength(bytes.Length), text.Length);
                Assert.Equal(bytes, Base64.Decode(text));
                Assert.Equal(bytes, Base64.Decode(text, bytes.Length));
            }, iter: 2000);
        }

        [Fact]
        public void FlippingAnyTrailingBitMakesTheTextNonCanonical()
        {
            // For 1 and 2 leftover bytes, the last character carries 4 and 2 unused bits.
            foreach (var length in new[] { 1, 2, 4, 5 })
            {
                var text = Base64.Encode(new byte[length]);
                const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
                int unusedBits = length % 3 == 1 ? 4 : 2;
                for (int bit = 0; bit < unusedBits; bit++)
                {
                    var last = alphabet[alphabet.IndexOf(text[^1]) ^ (1 << bit)];
                    Assert.Null(Base64.Decode(text[..^1] + last));
                }
            }
        }
    }
}
