using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Store;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Store
{
    public class HistoryTests
    {
        [Fact]
        public void HistoryListsEveryKeptVersionOldestFirst()
        {
            using var t = new TestStore();
            for (int i = 1; i <= 3; i++)
            {
                var metadata = new SecretMetadata();
                metadata.Set("n", i);
                using var value = SecretValue.FromString($"v{i}");
                t.Store.Write(i == 2 ? "A" : "a", value, metadata, t.Owner, WriteMode.CreateOrUpdate);
            }

            var history = t.Reopen().GetHistory("a");
            Assert.Equal(new[] { 1, 2, 3 }, history.Select(r => r.Version));
            Assert.Equal(new[] { "a", "A", "a" }, history.Select(r => r.Name));
            Assert.Equal(new object[] { 1, 2, 3 }, history.Select(r => r.Metadata["n"]));
            Assert.All(history, r => Assert.Equal(new[] { 1, 2, 3 }, r.Versions));
            Assert.All(history, r => Assert.Equal("alice", r.ModifiedBy));
            Assert.True(history[0].Modified <= history[1].Modified && history[1].Modified <= history[2].Modified);
        }

        [Fact]
        public void HistoryOfARemovedSecretIsNotFound()
        {
            using var t = new TestStore();
            using (var value = SecretValue.FromString("v"))
            {
                t.Store.Write("a", value, null, t.Owner, WriteMode.CreateOnly);
            }

            t.Store.Remove("a", t.Owner);
            Assert.Throws<SecretNotFoundException>(() => t.Reopen().GetHistory("a"));
        }

        [Fact]
        public void InfoDescribesAVersionWithoutDecryptingIt()
        {
            using var t = new TestStore();
            using (var value = SecretValue.FromBytes(new byte[] { 1, 2, 3 }))
            {
                t.Store.Write("bin", value, null, t.Owner, WriteMode.CreateOnly);
            }

            var info = t.Reopen().GetInfo("BIN");
            Assert.Equal("bin", info.Name);
            Assert.Equal(1, info.Version);
            Assert.Equal(SecretType.ByteArray, info.Type);
            Assert.Equal(t.VersionFile("bin", 1), info.FilePath);
            Assert.Equal(t.StorePath, info.StorePath);
            Assert.Equal(Secrets.Core.Codecs.Base64.Encode(t.Owner.Recipient.SigningKey), info.WriterKey);
        }

        [Fact]
        public void CreateOnlyRefusesAnExistingSecretButNotARemovedOne()
        {
            using var t = new TestStore();
            using var value = SecretValue.FromString("v");
            t.Store.Write("a", value, null, t.Owner, WriteMode.CreateOnly);
            var error = Assert.Throws<SecretExistsException>(() => t.Store.Write("A", value, null, t.Owner, WriteMode.CreateOnly));
            Assert.Equal("SecretAlreadyExists", error.ErrorId);

            t.Store.Remove("a", t.Owner);
            Assert.Equal(3, t.Store.Write("a", value, null, t.Owner, WriteMode.CreateOnly).Version);
        }

        [Fact]
        public void RemovingAMissingSecretIsNotFound()
        {
            using var t = new TestStore();
            Assert.Throws<SecretNotFoundException>(() => t.Store.Remove("missing", t.Owner));
        }
    }
}
