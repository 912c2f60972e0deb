using System.IO;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Store;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Tamper
{
    /// <summary>
    /// An older manifest, validly signed by the owner, put back in place: its revision is lower than
    /// one the reader has seen, so it is refused like an older copy of the log.
    /// </summary>
    public class ManifestReplayTests
    {
        [Fact]
        public void EveryChangeOfTheManifestRaisesItsRevision()
        {
            using var t = new TestStore();
            Assert.Equal(1, t.Store.Manifest.Revision);
            t.Store.SetKeepVersions(50, t.Owner);
            Assert.Equal(2, t.Store.Manifest.Revision);
            t.Store.SetKeepVersions(3, t.Owner);
            Assert.Equal(3, t.Reopen().Manifest.Revision);
        }

        [Fact]
        public void AnOlderManifestPutBackIsRefusedAndNothingIsPruned()
        {
            using var t = new TestStore(keepVersions: 1);
            var manifestPath = Path.Combine(t.StorePath, StoreManifest.FileName);
            var old = File.ReadAllBytes(manifestPath);
            t.Store.SetKeepVersions(50, t.Owner);
            for (int i = 1; i <= 20; i++)
            {
                using var value = SecretValue.FromString("value " + i);
                t.Store.Write("a", value, null, t.Owner, WriteMode.CreateOrUpdate);
            }

            File.WriteAllBytes(manifestPath, old);

            var error = Assert.Throws<SecurityViolationException>(() => t.Reopen());
            Assert.Equal("RollbackDetected", error.ErrorId);
            Assert.Equal(manifestPath, error.FilePath);
            Assert.Contains("revision 1", error.Message);
            Assert.Contains("revision 2", error.Message);

            // A store opened before the swap re-reads the manifest under the lock before writing.
            using (var value = SecretValue.FromString("value 21"))
            {
                Assert.Equal("RollbackDetected", Assert.Throws<SecurityViolationException>(() => t.Store.Write("a", value, null, t.Owner, WriteMode.CreateOrUpdate)).ErrorId);
            }

            Assert.Equal(Enumerable.Range(1, 20), Directory.GetFiles(Path.Combine(t.StorePath, "secrets", "a"), "v*.secret")
                .Select(f => int.Parse(Path.GetFileNameWithoutExtension(f).Substring(1))).OrderBy(n => n));
        }

        [Fact]
        public void TheManifestsRevisionIsSignedAndChecked()
        {
            using var t = new TestStore();
            var manifestPath = Path.Combine(t.StorePath, StoreManifest.FileName);
            File.WriteAllBytes(manifestPath, FileEdits.ReplaceLine(File.ReadAllBytes(manifestPath), "revision", "revision 9"));
            Assert.Equal("ManifestInvalid", Assert.Throws<InvalidFileException>(() => t.Reopen()).ErrorId);

            File.WriteAllBytes(manifestPath, FileEdits.Resign(FileEdits.ReplaceLine(File.ReadAllBytes(manifestPath), "revision", "revision 0"), t.Owner));
            Assert.Equal("ManifestInvalid", Assert.Throws<InvalidFileException>(() => t.Reopen()).ErrorId);
        }
    }
}
