using System.IO;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Store;
using Secrets.Core.Tests.Support;
using Xunit;

namespace Secrets.Core.Tests.Store
{
    public class StoreCreationTests
    {
        [Fact]
        public void NewStoreHoldsASignedManifestAndGitSettings()
        {
            using var t = new TestStore(keepVersions: 7);
            var lines = FileEdits.Lines(File.ReadAllBytes(Path.Combine(t.StorePath, StoreManifest.FileName)));
            Assert.Equal(new[] { "secrets/v1 store", "id", "created", "owner", "owner-name", "keep-versions", "revision", "signature" }, lines.Select(l => l.StartsWith("secrets/v1") ? l : l.Split(' ')[0]));
            Assert.Equal("owner " + t.Owner.Recipient.Text, lines[3]);
            Assert.Equal("owner-name alice", lines[4]);
            Assert.Equal("keep-versions 7", lines[5]);
            Assert.Equal("revision 1", lines[6]);
            Assert.Contains("* binary", File.ReadAllLines(Path.Combine(t.StorePath, ".gitattributes")));
            Assert.Equal(new[] { ".lock", "*.tmp" }, File.ReadAllLines(Path.Combine(t.StorePath, ".gitignore")));
            Assert.True(Directory.Exists(Path.Combine(t.StorePath, "secrets")));
            Assert.Equal(32, t.Store.Manifest.IdHex.Length);
        }

        [Fact]
        public void CreatingOverAStoreOrInANonEmptyFolderIsRefused()
        {
            using var t = new TestStore();
            Assert.Equal("StoreExists", Assert.Throws<SecretsException>(() => SecretStore.Create(t.StorePath, t.Owner, stateRoot: t.StateRoot)).ErrorId);

            var busy = Path.Combine(t.Root, "busy");
            Directory.CreateDirectory(busy);
            File.WriteAllText(Path.Combine(busy, "notes.txt"), "x");
            Assert.Equal("StoreFolderNotEmpty", Assert.Throws<SecretsException>(() => SecretStore.Create(busy, t.Owner, stateRoot: t.StateRoot)).ErrorId);
            Assert.Equal(new[] { Path.Combine(busy, "notes.txt") }, Directory.GetFileSystemEntries(busy));
        }

        [Fact]
        public void CreatingAtAFileOrUnderAFileIsRefusedNamingTheFile()
        {
            using var t = new TestStore();
            var file = Path.Combine(t.Root, "notes.txt");
            File.WriteAllText(file, "not a folder");

            var error = Assert.Throws<InvalidInputException>(() => SecretStore.Create(file, t.Owner, stateRoot: t.StateRoot));
            Assert.Equal("StorePathIsFile", error.ErrorId);
            Assert.Equal("Path", error.ParameterName);
            Assert.Equal(file, error.FilePath);
            Assert.StartsWith($"'{file}' is a file; a store is a folder.", error.Message);

            var under = Path.Combine(file, "team", "secrets");
            var below = Assert.Throws<InvalidInputException>(() => SecretStore.Create(under, t.Owner, stateRoot: t.StateRoot));
            Assert.Equal("StorePathIsFile", below.ErrorId);
            Assert.StartsWith($"'{file}' is a file, so the folder '{under}' cannot be created", below.Message);
            Assert.Equal("not a folder", File.ReadAllText(file));
        }

        [Fact]
        public void OpeningAFolderWithoutAManifestIsStoreNotFound()
        {
            using var folder = new TempFolder();
            var error = Assert.Throws<StoreNotFoundException>(() => SecretStore.Open(folder.Path, folder.Combine("state")));
            Assert.Equal("StoreNotFound", error.ErrorId);
            Assert.Equal(FailureKind.NotFound, error.Kind);
        }

        [Fact]
        public void OpeningPinsTheOwnerInLocalState()
        {
            using var t = new TestStore();
            var pin = Path.Combine(t.StateRoot, t.Store.Manifest.IdHex, "owner");
            Assert.Equal(t.Owner.Recipient.Text + "\n", File.ReadAllText(pin));
        }
    }
}
