using Secrets.Core.Codecs;
using Xunit;

namespace Secrets.Core.Tests.Codecs
{
    /// <summary>
    /// BIP-173 test vectors (the Bech32 section, checksum constant 1). Our decoder always checks a
    /// human-readable part, so each vector comes with the one it is decoded against; and it has no
    /// 90-character limit (docs/FORMAT.md), so the over-long vector is valid here.
    /// </summary>
    public class Bech32Tests
    {
        public static readonly TheoryData<string, string> Valid = new TheoryData<string, string>
        {
            { "A12UEL5L", "a" },
            { "a12uel5l", "a" },
            { "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs", "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio" },
            { "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw", "abcdef" },
            { "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j", "1" },
            { "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w", "split" },
            { "?1ezyfcl", "?" },
            // BIP-173 invalid only for exceeding 90 characters, which this format allows.
            { "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx", "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio" },
        };

        public static readonly TheoryData<string, string, string> Invalid = new TheoryData<string, string, string>
        {
            { "\u0020" + "1nwldj5", " ", "HRP character out of range" },
            { "\u007f" + "1axkwrx", "\u007f", "HRP character out of range" },
            { "\u0080" + "1eym55h", "\u0080", "HRP character out of range" },
            { "pzry9x0s0muk", "pzry9x0s0muk", "no separator character" },
            { "1pzry9x0s0muk", string.Empty, "empty HRP" },
            { "x1b4n0q5v", "x", "invalid data character" },
            { "li1dgmt3", "li", "too short checksum" },
            { "de1lg7wt" + "\u00ff", "de", "invalid character in checksum" },
            { "A1G7SGD8", "a", "checksum calculated with uppercase form of HRP" },
            { "10a06t8", string.Empty, "empty HRP" },
            { "1qzzfhee", string.Empty, "empty HRP" },
        };

        [Theory]
        [MemberData(nameof(Valid))]
        public void Bip173ValidStringsDecode(string text, string hrp)
        {
            Assert.True(Bech32.TryDecode(text, hrp, out var data, out var problem), problem);
            Assert.Equal(string.Empty, problem);
            Assert.Equal(text.ToLowerInvariant(), Bech32.Encode(hrp, data));
        }

        [Theory]
        [MemberData(nameof(Invalid))]
        public void Bip173InvalidStringsAreRefused(string text, string hrp, string why)
        {
            Assert.False(Bech32.TryDecode(text, hrp, out _, out var problem), why);
            Assert.NotEmpty(problem);
        }

        [Fact]
        public void TheExpectedPrefixIsEnforced()
        {
            Assert.False(Bech32.TryDecode("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw", "abcdeg", out _, out var problem));
            Assert.Contains("instead of 'abcdeg1'", problem);
        }

        [Fact]
        public void EveryValidStringWithOneCharacterChangedIsRefused()
        {
            const string text = "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw";
            const string charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
            for (int i = 7; i < text.Length; i++)
            {
                foreach (var c in charset)
                {
                    if (c != text[i])
                    {
                        var changed = text.Substring(0, i) + c + text.Substring(i + 1);
                        Assert.False(Bech32.TryDecode(changed, "abcdef", out _, out _), changed);
                    }
                }
            }
        }
    }
}
