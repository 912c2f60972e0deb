using System;
using System.Linq;
using System.Text;
using Secrets.Core.Errors;
using Secrets.Core.Store;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Values
{
    /// <summary>
    /// Text values (a String, a SecureString, a PSCredential's password, each string of a
    /// hashtable) are at most 65,536 UTF-16 characters, the most a SecureString holds, so that
    /// every value written can be read back as a SecureString. Byte arrays go up to 16 MiB.
    /// </summary>
    public class TextLengthLimitTests
    {
        private const int Max = 65_536;

        [Fact]
        public void TheLimitIsWhatASecureStringHolds()
        {
            Assert.Equal(Max, SecretValue.MaxTextLength);
        }

        [Fact]
        public void StringsUpToTheLimitAreAccepted()
        {
            using var atLimit = SecretValue.FromString(new string('a', Max));
            Assert.Equal(Max, atLimit.GetText().Length);
            using var utf8 = SecretValue.FromUtf8(SecretType.SecureString, Encoding.UTF8.GetBytes(new string('é', Max)));
            Assert.Equal(Max, utf8.GetChars().Length);
            using var credential = SecretValue.FromCredential("u", Encoding.UTF8.GetBytes(new string('p', Max)));
            Assert.Equal(Max, credential.GetText().Length);
        }

        [Fact]
        public void LongerTextIsRefusedWithoutShowingIt()
        {
            var text = "Zq7x" + new string('a', Max);
            AssertTooLong(() => SecretValue.FromString(text), "The text", Max + 4);
            AssertTooLong(() => SecretValue.FromUtf8(SecretType.String, Encoding.UTF8.GetBytes(text)), "The text", Max + 4);
            AssertTooLong(() => SecretValue.FromUtf8(SecretType.SecureString, Encoding.UTF8.GetBytes(text)), "The text", Max + 4);
            AssertTooLong(() => SecretValue.FromCredential("u", Encoding.UTF8.GetBytes(text)), "The password", Max + 4);
        }

        [Fact]
        public void CharactersAreCountedAsASecureStringCountsThem()
        {
            // U+1F511 is two UTF-16 characters (a surrogate pair), four UTF-8 bytes.
            var key = char.ConvertFromUtf32(0x1F511);
            using var half = SecretValue.FromUtf8(SecretType.String, Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(key, Max / 2))));
            AssertTooLong(() => SecretValue.FromUtf8(SecretType.String, Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(key, Max / 2 + 1)))), "The text", Max + 2);
        }

        [Fact]
        public void CheckTextLengthNamesWhatIsTooLong()
        {
            SecretValue.CheckTextLength(Max, "The -Secret value");
            var error = Assert.Throws<ArgumentException>(() => SecretValue.CheckTextLength(Max + 1, "The value of key 'cert'"));
            Assert.StartsWith("The value of key 'cert' is 65,537 characters long", error.Message);
            Assert.Contains("at most 65,536 characters", error.Message);
            Assert.Contains("byte array", error.Message);
        }

        [Fact]
        public void ByteArraysAreNotLimitedToTheTextLength()
        {
            using var t = new TestStore();
            using var bytes = SecretValue.FromBytes(new byte[Max * 4]);
            Assert.Equal(1, t.Store.Write("blob", bytes, null, t.Owner, WriteMode.CreateOnly).Version);
            using var read = t.Store.Read("blob", t.Owner);
            Assert.Equal(Max * 4, read.GetBytes().Length);
        }

        [Fact]
        public void ValuesTextWithALongValueIsRefusedNamingTheKey()
        {
            var error = Assert.Throws<InvalidInputException>(() => StructuredValues.ToSecretValue("short: v\nlong: " + new string('a', Max + 1), "Values"));
            Assert.Equal("InvalidValues", error.ErrorId);
            Assert.Equal("Values", error.ParameterName);
            Assert.StartsWith("The value of key 'long' is 65,537 characters long", error.Message);

            using var value = StructuredValues.ToSecretValue("short: v\nlong: " + new string('a', Max), "Values");
            Assert.Equal(SecretType.Hashtable, value.Type);
            Assert.Equal(new[] { "short", "long" }, value.Entries.Select(e => e.Key));
        }

        [Fact]
        public void AValueWrittenBeforeTheLimitIsStillRead()
        {
            using var t = new TestStore();
            var text = new string('a', Max + 10);
            using (var old = SecretValue.FromOwnedBytes(SecretType.String, Encoding.UTF8.GetBytes(text), null))
            {
                t.Store.Write("old", old, null, t.Owner, WriteMode.CreateOnly);
            }

            using var read = t.Store.Read("old", t.Owner);
            Assert.Equal(text, read.GetText());
        }

        private static void AssertTooLong(Func<SecretValue> create, string what, int length)
        {
            var error = Assert.Throws<ArgumentException>(() => create().Dispose());
            Assert.StartsWith($"{what} is {MessageText.Count(length)} characters long", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("Zq7x", error.Message);
            Assert.DoesNotContain("aaaa", error.Message);
        }
    }
}
