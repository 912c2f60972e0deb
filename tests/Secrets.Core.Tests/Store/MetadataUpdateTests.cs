using Secrets.Core.Errors;
using Secrets.Core.Store;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Store
{
    public class MetadataUpdateTests
    {
        [Fact]
        public void SetMetadataWritesANewVersionWithTheSameValue()
        {
            using var t = new TestStore();
            var before = new SecretMetadata();
            before.Set("env", "test");
            using (var value = SecretValue.FromCredential("svc", System.Text.Encoding.UTF8.GetBytes("pw ✓")))
            {
                t.Store.Write("Cred", value, before, t.Owner, WriteMode.CreateOnly);
            }

            var after = new SecretMetadata();
            after.Set("env", "prod");
            after.Set("rotated", true);
            var record = t.Store.SetMetadata("cred", after, t.Owner);
            Assert.Equal(2, record.Version);
            Assert.Equal("Cred", record.Name);

            using var read = t.Reopen().Read("cred", t.Owner, null, out var info);
            Assert.Equal(SecretType.PSCredential, read.Type);
            Assert.Equal("svc", read.UserName);
            Assert.Equal("pw ✓", read.GetText());
            Assert.Equal("prod", info.Metadata["env"]);
            Assert.Equal(true, info.Metadata["rotated"]);
            Assert.Equal("test", t.Reopen().GetInfo("cred", 1).Metadata["env"]);
        }

        [Fact]
        public void UpdateWithoutMetadataKeepsThePreviousMetadata()
        {
            using var t = new TestStore();
            var metadata = new SecretMetadata();
            metadata.Set("env", "prod");
            using (var value = SecretValue.FromString("v1"))
            {
                t.Store.Write("a", value, metadata, t.Owner, WriteMode.CreateOnly);
            }

            using (var value = SecretValue.FromString("v2"))
            {
                t.Store.Write("a", value, null, t.Owner, WriteMode.CreateOrUpdate);
            }

            Assert.Equal("prod", t.Reopen().GetInfo("a").Metadata["env"]);
        }

        [Fact]
        public void SetMetadataOfAMissingOrRemovedSecretIsNotFound()
        {
            using var t = new TestStore();
            Assert.Throws<SecretNotFoundException>(() => t.Store.SetMetadata("missing", new SecretMetadata(), t.Owner));
            using (var value = SecretValue.FromString("v"))
            {
                t.Store.Write("a", value, null, t.Owner, WriteMode.CreateOnly);
            }

            t.Store.Remove("a", t.Owner);
            Assert.Throws<SecretNotFoundException>(() => t.Store.SetMetadata("a", new SecretMetadata(), t.Owner));
        }
    }
}
