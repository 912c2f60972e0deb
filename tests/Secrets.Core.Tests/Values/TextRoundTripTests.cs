using System.Text;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Values
{
    public class TextRoundTripTests
    {
        public static readonly TheoryData<string> Texts = new TheoryData<string>
        {
            string.Empty,
            "s3cret",
            " leading and trailing spaces ",
            "line\nbreaks\r\nand\ttabs\0and a NUL",
            "unicode: Grüße, ユーザー, עברית, 🔑, e\u0301 (combining)",
            new string('x', 63),
            new string('x', 64),
        };

        [Theory]
        [MemberData(nameof(Texts))]
        public void StringReadsBackAsTheSameString(string text)
        {
            using var t = new TestStore();
            using var read = RoundTrip.Through(t, SecretValue.FromString(text));
            Assert.Equal(SecretType.String, read.Type);
            Assert.Equal(text, read.GetText());
            Assert.Equal(Encoding.UTF8.GetBytes(text), read.GetBytes());
        }

        [Theory]
        [MemberData(nameof(Texts))]
        public void SecureStringReadsBackAsSecureString(string text)
        {
            using var t = new TestStore();
            using var read = RoundTrip.Through(t, SecretValue.FromUtf8(SecretType.SecureString, Encoding.UTF8.GetBytes(text)));
            Assert.Equal(SecretType.SecureString, read.Type);
            Assert.Equal(text, new string(read.GetChars()));
        }

        [Fact]
        public void LongestStringReadsBackExactly()
        {
            var builder = new StringBuilder(SecretValue.MaxTextLength);
            for (int i = 0; builder.Length < SecretValue.MaxTextLength; i++)
            {
                builder.Append(i % 7 == 0 ? "✓" : ((char)('a' + (i % 26))).ToString());
            }

            var text = builder.ToString();
            Assert.Equal(SecretValue.MaxTextLength, text.Length);
            using var t = new TestStore();
            using var read = RoundTrip.Through(t, SecretValue.FromString(text));
            Assert.Equal(SecretType.String, read.Type);
            Assert.Equal(Encoding.UTF8.GetBytes(text), read.GetBytes());
        }

        [Fact]
        public void NameIsCaseInsensitiveAndCasePreserving()
        {
            using var t = new TestStore();
            using (var value = SecretValue.FromString("s3cret ✓"))
            {
                t.Store.Write("Prod/DB/Password", value, null, t.Owner, Secrets.Core.Store.WriteMode.CreateOnly);
            }

            using var read = t.Reopen().Read("prod/db/PASSWORD", t.Owner, null, out var record);
            Assert.Equal("s3cret ✓", read.GetText());
            Assert.Equal("Prod/DB/Password", record.Name);
        }
    }
}
