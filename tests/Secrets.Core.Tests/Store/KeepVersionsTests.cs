using System.IO;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Store
{
    public class KeepVersionsTests
    {
        [Fact]
        public void KeepThreeLeavesTheThreeNewestVersions()
        {
            using var t = new TestStore(keepVersions: 3);
            for (int i = 1; i <= 5; i++)
            {
                Write(t, $"v{i}");
            }

            var reader = t.Reopen();
            Assert.Equal(new[] { 3, 4, 5 }, reader.GetInfo("a").Versions);
            Assert.Equal(new[] { 3, 4, 5 }, reader.GetHistory("a").Select(r => r.Version));
            Assert.False(File.Exists(t.VersionFile("a", 1)));
            Assert.False(File.Exists(t.VersionFile("a", 2)));
            Assert.Equal("SecretVersionNotFound", Assert.Throws<SecretNotFoundException>(() => reader.Read("a", t.Owner, 2)).ErrorId);
            using var oldest = reader.Read("a", t.Owner, 3);
            Assert.Equal("v3", oldest.GetText());
        }

        [Fact]
        public void OwnerChangesKeepVersionsAndWritersFollow()
        {
            using var t = new TestStore(keepVersions: 10);
            for (int i = 1; i <= 4; i++)
            {
                Write(t, $"v{i}");
            }

            t.Store.SetKeepVersions(2, t.Owner);
            Assert.Equal(2, t.Store.Manifest.KeepVersions);
            var reopened = t.Reopen();
            Assert.Equal(2, reopened.Manifest.KeepVersions);

            // A store opened before the change follows it on its next write.
            var stale = SecretStore.Open(t.StorePath, t.StateRoot);
            using var value = SecretValue.FromString("v5");
            Assert.Equal(new[] { 4, 5 }, stale.Write("a", value, null, t.Owner, WriteMode.CreateOrUpdate).Versions);
        }

        [Fact]
        public void OnlyTheOwnerChangesKeepVersions()
        {
            using var t = new TestStore(keepVersions: 10);
            using var mallory = UnlockedIdentity.Generate("mallory");
            var before = File.ReadAllBytes(Path.Combine(t.StorePath, StoreManifest.FileName));

            var error = Assert.Throws<SecretsException>(() => t.Store.SetKeepVersions(1, mallory));
            Assert.Equal("NotStoreOwner", error.ErrorId);
            Assert.Equal(FailureKind.Permission, error.Kind);
            Assert.Equal(before, File.ReadAllBytes(Path.Combine(t.StorePath, StoreManifest.FileName)));
            Assert.Equal(10, t.Reopen().Manifest.KeepVersions);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(-1)]
        [InlineData(1001)]
        public void KeepVersionsOutsideOneToAThousandIsRefused(int keep)
        {
            using var t = new TestStore();
            var error = Assert.Throws<InvalidInputException>(() => t.Store.SetKeepVersions(keep, t.Owner));
            Assert.Equal("InvalidKeepVersions", error.ErrorId);
            Assert.Throws<InvalidInputException>(() => SecretStore.Create(Path.Combine(t.Root, "other"), t.Owner, keep, t.StateRoot));
        }

        private static void Write(TestStore t, string text)
        {
            using var value = SecretValue.FromString(text);
            t.Store.Write("a", value, null, t.Owner, WriteMode.CreateOrUpdate);
        }
    }
}
