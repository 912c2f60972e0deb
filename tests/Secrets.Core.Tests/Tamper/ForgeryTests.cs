using System.IO;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;
using Secrets.Core.Names;

namespace Secrets.Core.Tests.Tamper
{
    /// <summary>Files validly signed by someone who is not the store's owner.</summary>
    public class ForgeryTests
    {
        [Fact]
        public void VersionSignedByAnotherIdentityIsUnauthorizedWriter()
        {
            using var t = new TestStore();
            using var mallory = UnlockedIdentity.Generate("mallory");
            Write(t, "a", "genuine");
            File.WriteAllBytes(t.VersionFile("a", 2), FileForge.Secret(t.Store.Manifest.Id, "a", 2, "String",
                FileForge.Padded(0x01, System.Text.Encoding.UTF8.GetBytes("forged")), mallory, new[] { t.Owner.Recipient, mallory.Recipient }));

            var reader = t.Reopen();
            AssertUnauthorized(() => reader.Read("a", t.Owner), t.VersionFile("a", 2));
            AssertUnauthorized(() => reader.GetInfo("a"), t.VersionFile("a", 2));
            using var genuine = reader.Read("a", t.Owner, 1);
            Assert.Equal("genuine", genuine.GetText());
        }

        [Fact]
        public void VersionWrittenWithTheCodeByAnotherIdentityIsUnauthorizedWriter()
        {
            using var t = new TestStore();
            using var mallory = UnlockedIdentity.Generate("mallory");
            Write(t, "a", "genuine");
            using (var value = SecretValue.FromString("forged"))
            {
                var secretName = SecretName.Parse("a");
                File.WriteAllBytes(t.VersionFile("a", 2), Secrets.Core.Format.SecretFileFormat.WriteSecret(t.Store.Manifest.Id, secretName, 2, value,
                    SecretMetadata.Empty, System.DateTime.UtcNow, mallory, new[] { t.Owner.Recipient }, 0, new Secrets.Core.Format.PreviousVersion(1, FileForge.HashOf(t.VersionFile("a", 1)))));
            }

            AssertUnauthorized(() => t.Reopen().Read("a", t.Owner), t.VersionFile("a", 2));
        }

        [Fact]
        public void TombstoneSignedByAnotherIdentityIsUnauthorizedWriterNotARemoval()
        {
            using var t = new TestStore();
            using var mallory = UnlockedIdentity.Generate("mallory");
            Write(t, "a", "genuine");
            File.WriteAllBytes(t.VersionFile("a", 2), FileForge.Tombstone(t.Store.Manifest.Id, "a", 2, mallory));
            AssertUnauthorized(() => t.Reopen().Read("a", t.Owner), t.VersionFile("a", 2));
        }

        [Fact]
        public void OwnersWriterKeySignedByAnotherIdentityIsInvalid()
        {
            using var t = new TestStore();
            using var mallory = UnlockedIdentity.Generate("mallory");
            Write(t, "a", "genuine");
            var path = t.VersionFile("a", 1);
            File.WriteAllBytes(path, FileEdits.Resign(FileEdits.ReplaceLine(File.ReadAllBytes(path), "created", "created 2020-01-01T00:00:00.0000000Z"), mallory));
            Detected.InvalidFile(() => t.Reopen().Read("a", t.Owner), "SecretFileInvalid", path);
        }

        [Fact]
        public void OtherIdentityCannotWriteThroughTheStore()
        {
            using var t = new TestStore();
            using var mallory = UnlockedIdentity.Generate("mallory");
            using var value = SecretValue.FromString("v");
            var error = Assert.Throws<SecretsException>(() => t.Store.Write("a", value, null, mallory, WriteMode.CreateOnly));
            Assert.Equal("AccessDenied", error.ErrorId);
            Assert.Contains("not a member", error.Message);
            Assert.Equal(FailureKind.Permission, error.Kind);
            Assert.False(Directory.Exists(Path.GetDirectoryName(t.VersionFile("a", 1))));
        }

        [Fact]
        public void ManifestWithAReplacedOwnerIsStoreOwnerChangedOncePinned()
        {
            using var t = new TestStore();
            using var mallory = UnlockedIdentity.Generate("mallory");
            Write(t, "a", "genuine");
            var manifestPath = Path.Combine(t.StorePath, StoreManifest.FileName);
            var forged = new StoreManifest(t.Store.Manifest.Id, t.Store.Manifest.Created, mallory.Recipient, "alice", t.Store.Manifest.KeepVersions);
            File.WriteAllBytes(manifestPath, forged.Serialize(mallory));

            var error = Assert.Throws<SecurityViolationException>(() => SecretStore.Open(t.StorePath, t.StateRoot));
            Assert.Equal("StoreOwnerChanged", error.ErrorId);
            Assert.Equal(FailureKind.Security, error.Kind);
            Assert.Equal(manifestPath, error.FilePath);
        }

        [Fact]
        public void OpenStoreRefusesAReplacedOwnerWhenItRereadsTheManifest()
        {
            // A store opened before the manifest was replaced: its writers re-read the manifest,
            // which must be checked against the pinned owner too, and must not be adopted.
            using var t = new TestStore();
            using var mallory = UnlockedIdentity.Generate("mallory");
            Write(t, "a", "genuine");
            var manifestPath = Path.Combine(t.StorePath, StoreManifest.FileName);
            var forged = new StoreManifest(t.Store.Manifest.Id, t.Store.Manifest.Created, mallory.Recipient, "alice", t.Store.Manifest.KeepVersions);
            File.WriteAllBytes(manifestPath, forged.Serialize(mallory));

            using (var value = SecretValue.FromString("v"))
            {
                var error = Assert.Throws<SecurityViolationException>(() => t.Store.Write("b", value, null, t.Owner, WriteMode.CreateOnly));
                Assert.Equal("StoreOwnerChanged", error.ErrorId);
                Assert.Throws<SecurityViolationException>(() => t.Store.Write("b", value, null, mallory, WriteMode.CreateOnly));
                Assert.Throws<SecurityViolationException>(() => t.Store.SetKeepVersions(3, mallory));
            }

            Assert.Equal(t.Owner.Recipient, t.Store.Manifest.Owner);
            File.WriteAllBytes(t.VersionFile("a", 2), FileForge.Secret(t.Store.Manifest.Id, "a", 2, "String",
                FileForge.Padded(0x01, System.Text.Encoding.UTF8.GetBytes("forged")), mallory, new[] { t.Owner.Recipient }));
            AssertUnauthorized(() => t.Store.Read("a", t.Owner), t.VersionFile("a", 2));
        }

        [Fact]
        public void ReaderWithoutAPinSeesTheOwnersFilesAsUnauthorizedUnderAReplacedOwner()
        {
            // A reader meeting the store for the first time trusts the manifest it finds; the
            // genuine owner's versions then fail the writer check instead of being accepted.
            using var t = new TestStore();
            using var mallory = UnlockedIdentity.Generate("mallory");
            Write(t, "a", "genuine");
            var forged = new StoreManifest(t.Store.Manifest.Id, t.Store.Manifest.Created, mallory.Recipient, "alice", t.Store.Manifest.KeepVersions);
            File.WriteAllBytes(Path.Combine(t.StorePath, StoreManifest.FileName), forged.Serialize(mallory));

            var fresh = SecretStore.Open(t.StorePath, Path.Combine(t.Root, "fresh-state"));
            AssertUnauthorized(() => fresh.Read("a", t.Owner), t.VersionFile("a", 1));
        }

        [Fact]
        public void ManifestSignedByAnotherKeyThanItsOwnerIsInvalid()
        {
            using var t = new TestStore();
            using var mallory = UnlockedIdentity.Generate("mallory");
            var path = Path.Combine(t.StorePath, StoreManifest.FileName);
            File.WriteAllBytes(path, FileEdits.Resign(FileEdits.ReplaceLine(File.ReadAllBytes(path), "keep-versions", "keep-versions 1"), mallory));

            var error = Detected.InvalidFile(() => SecretStore.Open(t.StorePath, t.StateRoot), "ManifestInvalid", path);
            Assert.Contains("signature does not verify", error.Message);
        }

        [Fact]
        public void FilesOfALaterFormatVersionAreUnsupportedNotDamaged()
        {
            using var t = new TestStore();
            Write(t, "a", "value");
            var version = t.VersionFile("a", 1);
            File.WriteAllText(version, File.ReadAllText(version).Replace("secrets/v1 secret", "secrets/v2 secret"));
            var error = Assert.Throws<UnsupportedFormatException>(() => t.Reopen().GetInfo("a"));
            Assert.Equal("UnsupportedFormat", error.ErrorId);
            Assert.Equal(version, error.FilePath);
            Assert.Contains("secrets/v2", error.Message);

            var manifest = Path.Combine(t.StorePath, StoreManifest.FileName);
            File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("secrets/v1 store", "secrets/v3 store"));
            Assert.Equal("UnsupportedFormat", Assert.Throws<UnsupportedFormatException>(() => t.Reopen()).ErrorId);
        }

        private static void AssertUnauthorized(System.Action action, string path)
        {
            var error = Assert.Throws<SecurityViolationException>(action);
            Assert.Equal("UnauthorizedWriter", error.ErrorId);
            Assert.Equal(FailureKind.Security, error.Kind);
            Assert.Equal(path, error.FilePath);
        }

        private static void AssertUnauthorized(System.Func<object> action, string path) => AssertUnauthorized(() => { action(); }, path);

        private static void Write(TestStore t, string name, string text)
        {
            using var value = SecretValue.FromString(text);
            t.Store.Write(name, value, null, t.Owner, WriteMode.CreateOrUpdate);
        }
    }
}

namespace Secrets.Core.Tests.Tamper
{
    using System.IO;
    using System.Runtime.Versioning;
    using Secrets.Core.Errors;
    using Secrets.Core.Store;
    using Secrets.Core.Tests.Support;
    using Secrets.Core.Values;
    using Xunit;

    /// <summary>Links in a store (git keeps them) are refused, and what they point to never reaches a message.</summary>
    [UnsupportedOSPlatform("windows")]
    public class LinkTests
    {
        [UnixFact]
        public void AVersionFileThatIsALinkIsRefusedWithoutQuotingWhatItPointsTo()
        {
            using var t = new TestStore();
            using (var value = SecretValue.FromString("genuine"))
            {
                t.Store.Write("x", value, null, t.Owner, WriteMode.CreateOnly);
            }

            var envFile = Path.Combine(t.Root, "prod.env");
            File.WriteAllText(envFile, "DB_PASSWORD=hunter2-prod-value\n");
            var link = t.VersionFile("x", 99);
            File.CreateSymbolicLink(link, envFile);
            var error = Assert.Throws<InvalidFileException>(() => t.Reopen().Read("x", t.Owner).Dispose());
            Assert.Equal(link, error.FilePath);
            Assert.Contains("link", error.Message);
            Assert.DoesNotContain("hunter2", error.ToString());

            // Even as a plain copy, a foreign file's content is not quoted.
            File.Delete(link);
            File.Copy(envFile, link);
            var copied = Assert.Throws<InvalidFileException>(() => t.Reopen().Read("x", t.Owner).Dispose());
            Assert.DoesNotContain("hunter2", copied.ToString());
            Assert.DoesNotContain("DB_PASSWORD", copied.ToString());
        }

        [UnixFact]
        public void ASecretFolderThatIsALinkIsRefusedAndNothingElsewhereIsPruned()
        {
            using var t = new TestStore(keepVersions: 1);
            var elsewhere = Path.Combine(t.Root, "elsewhere");
            Directory.CreateDirectory(elsewhere);
            File.WriteAllText(Path.Combine(elsewhere, "v1.secret"), "not a secret file, but someone's data");
            Directory.CreateSymbolicLink(Path.GetDirectoryName(t.VersionFile("x", 1))!, elsewhere);
            using var value = SecretValue.FromString("v");
            var error = Assert.Throws<InvalidFileException>(() => t.Store.Write("x", value, null, t.Owner, WriteMode.CreateOrUpdate));
            Assert.Contains("folder is a link", error.Message);
            Assert.True(File.Exists(Path.Combine(elsewhere, "v1.secret")));
            var listed = Assert.Single(t.Reopen().List());
            Assert.NotNull(listed.Error);
        }
    }
}
