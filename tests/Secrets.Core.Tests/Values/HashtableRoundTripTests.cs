using System;
using System.Linq;
using System.Text;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Values
{
    public class HashtableRoundTripTests
    {
        [Fact]
        public void MixedTypesReadBackInOrderWithTypesAndBytes()
        {
            using var t = new TestStore();
            var allBytes = Enumerable.Range(0, 256).Select(i => (byte)i).Concat(new byte[] { 0, 0 }).ToArray();
            var value = SecretValue.FromEntries(new[]
            {
                new SecretEntry("host", SecretValue.FromString("db.example.org")),
                new SecretEntry("Password", SecretValue.FromUtf8(SecretType.SecureString, Encoding.UTF8.GetBytes("pässwörd ✓"))),
                new SecretEntry("login", SecretValue.FromCredential(@"CORP\svc", Encoding.UTF8.GetBytes("pw"))),
                new SecretEntry("nopass", SecretValue.FromCredential("u", Array.Empty<byte>())),
                new SecretEntry("blob", SecretValue.FromBytes(allBytes)),
                new SecretEntry("empty", SecretValue.FromString(string.Empty)),
                new SecretEntry("emptyBytes", SecretValue.FromBytes(Array.Empty<byte>())),
                new SecretEntry("clé ✓", SecretValue.FromString("unicode key")),
            });

            using var read = RoundTrip.Through(t, value);
            Assert.Equal(SecretType.Hashtable, read.Type);
            var entries = read.Entries;
            Assert.Equal(new[] { "host", "Password", "login", "nopass", "blob", "empty", "emptyBytes", "clé ✓" }, entries.Select(e => e.Key));
            Assert.Equal(
                new[] { SecretType.String, SecretType.SecureString, SecretType.PSCredential, SecretType.PSCredential, SecretType.ByteArray, SecretType.String, SecretType.ByteArray, SecretType.String },
                entries.Select(e => e.Value.Type));
            Assert.Equal("db.example.org", entries[0].Value.GetText());
            Assert.Equal("pässwörd ✓", entries[1].Value.GetText());
            Assert.Equal(@"CORP\svc", entries[2].Value.UserName);
            Assert.Equal("pw", entries[2].Value.GetText());
            Assert.Equal("u", entries[3].Value.UserName);
            Assert.Empty(entries[3].Value.GetBytes());
            Assert.Equal(allBytes, entries[4].Value.GetBytes());
            Assert.Equal(string.Empty, entries[5].Value.GetText());
            Assert.Empty(entries[6].Value.GetBytes());
            Assert.Equal("unicode key", entries[7].Value.GetText());
        }

        [Fact]
        public void EmptyHashtableReadsBackEmpty()
        {
            using var t = new TestStore();
            using var read = RoundTrip.Through(t, SecretValue.FromEntries(Array.Empty<SecretEntry>()));
            Assert.Equal(SecretType.Hashtable, read.Type);
            Assert.Empty(read.Entries);
        }

        [Theory]
        [InlineData("key", "KEY")]
        [InlineData("Host", "host")]
        [InlineData("ÄRGER", "ärger")]
        public void KeysDifferingOnlyByCaseAreRejected(string first, string second)
        {
            var entries = new[] { new SecretEntry(first, SecretValue.FromString("1")), new SecretEntry(second, SecretValue.FromString("2")) };
            var error = Assert.Throws<ArgumentException>(() => SecretValue.FromEntries(entries));
            Assert.Contains(second, error.Message);
        }

        [Fact]
        public void KeysThatOnlyLookAlikeAreDistinct()
        {
            using var t = new TestStore();
            using var read = RoundTrip.Through(t, SecretValue.FromEntries(new[]
            {
                new SecretEntry("straße", SecretValue.FromString("1")),
                new SecretEntry("STRASSE", SecretValue.FromString("2")),
            }));
            Assert.Equal(new[] { "straße", "STRASSE" }, read.Entries.Select(e => e.Key));
        }
    }
}
