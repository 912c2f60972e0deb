using Secrets.Core.Errors;
using Secrets.Core.Store;
using Xunit;
using Secrets.Core.Names;

namespace Secrets.Core.Tests.Names
{
    public class SecretNameTests
    {
        public static readonly TheoryData<string> Valid = new TheoryData<string>
        {
            "a",
            "github-token",
            "prod/db/password",
            "aws/ci_deploy",
            "A/B/C",
            "_/-",
            "0123456789",
            new string('s', 64),
            new string('a', 64) + "/" + new string('b', 63),
            "con",
            "x/con",
        };

        /// <summary>Each invalid name and what the message must say about it.</summary>
        public static readonly TheoryData<string, string> Invalid = new TheoryData<string, string>
        {
            { string.Empty, "must not be empty" },
            { "prod db", "a space at position 5" },
            { "prod.db", "'.' (reserved: 'name.key' addresses one key of a hashtable secret) at position 5" },
            { @"prod\db", @"'\' (use '/' between segments) at position 5" },
            { "/prod", "starts with '/'" },
            { "prod/", "ends with '/'" },
            { "/", "starts with '/'" },
            { "a//b", "empty segment ('//') at position 3" },
            { "tab\there", "the character U+0009 at position 4" },
            { "nbsp\u00a0", "the character U+00A0 at position 5" },
            { "café", "'é' at position 4" },
            { "\u212Aelvin", "'\u212A' at position 1" },
            { "\u0130stanbul", "'\u0130' at position 1" },
            { "a~b", "'~' at position 2" },
            { "a:b", "':' at position 2" },
            { "a*", "'*' at position 2" },
            { "key=value", "'=' at position 4" },
            { "emoji🔑", "at position 6" },
            { new string('s', 65), "a segment of 65 characters" },
            { "ok/" + new string('s', 65), "a segment of 65 characters" },
            { new string('a', 64) + "/" + new string('b', 64), "129 characters long" },
        };

        [Theory]
        [MemberData(nameof(Valid))]
        public void ValidNamesParse(string name)
        {
            Assert.Null(SecretName.Validate(name));
            Assert.True(SecretName.TryParse(name, out var parsed));
            Assert.Equal(name, parsed!.Value);
            Assert.Equal(name, SecretName.Parse(name).Value);
        }

        [Theory]
        [MemberData(nameof(Invalid))]
        public void InvalidNamesAreRefusedSayingWhatIsWrong(string name, string expected)
        {
            var error = Assert.Throws<InvalidInputException>(() => SecretName.Parse(name));
            Assert.Equal("InvalidSecretName", error.ErrorId);
            Assert.Equal(FailureKind.InvalidArgument, error.Kind);
            Assert.Equal("Name", error.ParameterName);
            Assert.Contains(expected, error.Message);
            Assert.False(SecretName.TryParse(name, out var parsed));
            Assert.Null(parsed);
        }

        [Fact]
        public void NullIsRefusedAsAnEmptyName()
        {
            Assert.Contains("must not be empty", SecretName.Validate(null));
            Assert.False(SecretName.TryParse(null, out _));
        }

        [Fact]
        public void ControlCharactersAreNotEchoedIntoTheMessage()
        {
            var error = Assert.Throws<InvalidInputException>(() => SecretName.Parse("a\u001b[31mb"));
            Assert.DoesNotContain("\u001b", error.Message, System.StringComparison.Ordinal);
            Assert.Contains("U+001B at position 2", error.Message);
        }

        [Theory]
        [InlineData("Prod/DB/Password", "prod/db/PASSWORD")]
        [InlineData("GITHUB-TOKEN", "github-token")]
        [InlineData("A_b-C", "a_B-c")]
        public void NamesAreCaseInsensitiveAndCasePreserving(string first, string second)
        {
            var a = SecretName.Parse(first);
            var b = SecretName.Parse(second);
            Assert.Equal(a, b);
            Assert.Equal(a.GetHashCode(), b.GetHashCode());
            Assert.Equal(a.Canonical, b.Canonical);
            Assert.Equal(a.Folder, b.Folder);
            Assert.Equal(first, a.Value);
            Assert.Equal(second, b.Value);
            Assert.Equal(first.ToLowerInvariant(), a.Canonical);
        }

        [Fact]
        public void DifferentNamesAreNotEqual()
        {
            Assert.NotEqual(SecretName.Parse("a/b"), SecretName.Parse("a-b"));
            Assert.NotEqual(SecretName.Parse("a/b"), SecretName.Parse("ab"));
        }
    }
}
