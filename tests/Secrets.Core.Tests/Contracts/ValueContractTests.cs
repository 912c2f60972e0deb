using System;
using System.Linq;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Contracts
{
    public class ValueContractTests
    {
        [Fact]
        public void NullsAreArgumentNull()
        {
            Assert.Equal("value", Assert.Throws<ArgumentNullException>(() => SecretValue.FromString(null!)).ParamName);
            Assert.Equal("utf8", Assert.Throws<ArgumentNullException>(() => SecretValue.FromUtf8(SecretType.String, null!)).ParamName);
            Assert.Equal("value", Assert.Throws<ArgumentNullException>(() => SecretValue.FromBytes(null!)).ParamName);
            Assert.Equal("userName", Assert.Throws<ArgumentNullException>(() => SecretValue.FromCredential(null!, new byte[0])).ParamName);
            Assert.Equal("passwordUtf8", Assert.Throws<ArgumentNullException>(() => SecretValue.FromCredential("u", null!)).ParamName);
            Assert.Equal("entries", Assert.Throws<ArgumentNullException>(() => SecretValue.FromEntries(null!)).ParamName);
            Assert.Equal("entries", Assert.Throws<ArgumentNullException>(() => SecretValue.FromEntries(new SecretEntry[] { null! })).ParamName);
            Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => new SecretEntry(null!, SecretValue.FromString("v"))).ParamName);
            Assert.Equal("value", Assert.Throws<ArgumentNullException>(() => new SecretEntry("k", null!)).ParamName);
        }

        [Fact]
        public void BadKindsAndSizesAreArgumentExceptions()
        {
            Assert.Equal("type", Assert.Throws<ArgumentException>(() => SecretValue.FromUtf8(SecretType.ByteArray, new byte[0])).ParamName);
            Assert.Equal("type", Assert.Throws<ArgumentException>(() => SecretValue.FromUtf8(SecretType.Hashtable, new byte[0])).ParamName);
            Assert.Equal("utf8", Assert.Throws<ArgumentException>(() => SecretValue.FromUtf8(SecretType.String, new byte[] { 0xc3 })).ParamName);
            Assert.Equal("passwordUtf8", Assert.Throws<ArgumentException>(() => SecretValue.FromCredential("u", new byte[] { 0xff })).ParamName);
            Assert.Equal("key", Assert.Throws<ArgumentException>(() => new SecretEntry(string.Empty, SecretValue.FromString("v"))).ParamName);
            Assert.Equal("key", Assert.Throws<ArgumentException>(() => new SecretEntry(new string('k', 257), SecretValue.FromString("v"))).ParamName);
            Assert.Equal("key", Assert.Throws<ArgumentException>(() => new SecretEntry(new string('ü', 129), SecretValue.FromString("v"))).ParamName);
            Assert.Equal("value", Assert.Throws<ArgumentException>(() => new SecretEntry("k", SecretValue.FromEntries(new SecretEntry[0]))).ParamName);
            var tooMany = Enumerable.Range(0, SecretValue.MaxEntries + 1).Select(i => new SecretEntry($"k{i}", SecretValue.FromString("v")));
            Assert.Equal("entries", Assert.Throws<ArgumentException>(() => SecretValue.FromEntries(tooMany)).ParamName);
        }

        [Fact]
        public void LimitsThemselvesAreAccepted()
        {
            using var entry = SecretValue.FromEntries(Enumerable.Range(0, SecretValue.MaxEntries).Select(i => new SecretEntry($"k{i}", SecretValue.FromString("v"))));
            Assert.Equal(SecretValue.MaxEntries, entry.Entries.Count);
            Assert.Equal(new string('k', 256), new SecretEntry(new string('k', 256), SecretValue.FromString("v")).Key);
        }

        [Fact]
        public void MetadataKeysMayNotBeNull()
        {
            var metadata = new SecretMetadata();
            Assert.Throws<ArgumentNullException>(() => metadata[null!]);
            Assert.Throws<ArgumentNullException>(() => metadata.ContainsKey(null!));
            Assert.Throws<ArgumentNullException>(() => metadata.TryGetValue(null!, out _));
            Assert.Throws<ArgumentNullException>(() => metadata.Remove(null!));
        }
    }
}
