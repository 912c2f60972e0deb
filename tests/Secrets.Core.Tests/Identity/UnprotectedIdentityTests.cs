using System.IO;
using Secrets.Core.Identity;
using Secrets.Core.Tests.Support;
using Xunit;

namespace Secrets.Core.Tests.Identity
{
    public class UnprotectedIdentityTests
    {
        [Fact]
        public void KdfNoneIdentityUnlocksWithoutAPassphrase()
        {
            using var folder = new TempFolder();
            var created = IdentityFiles.Unprotected(folder);
            var file = IdentityFile.Load(created.Path);
            Assert.Equal(IdentityProtection.None, file.Protection);
            Assert.Null(file.Kdf);
            var lines = FileEdits.Lines(File.ReadAllBytes(file.Path));
            Assert.Equal(new[] { "secrets/v1 identity", "name tester" }, lines[0..2]);
            Assert.Equal("kdf none", lines[4]);

            using var unlocked = file.Unlock(null);
            Assert.Equal(file.Recipient, unlocked.Recipient);
        }

        [Fact]
        public void SwappedPublicKeysAreDetectedEvenWithAValidChecksum()
        {
            using var folder = new TempFolder();
            var file = IdentityFiles.Unprotected(folder);
            using var other = UnlockedIdentity.Generate("other");
            var edited = IdentityFiles.EditKeepingChecksum(File.ReadAllBytes(file.Path), "public", "public " + other.Recipient.Text);
            var forged = IdentityFiles.Rewrite(file.Path, edited);

            var error = Detected.InvalidFile(() => forged.Unlock(null), "IdentityFileInvalid", file.Path);
            Assert.Contains("do not match the public keys", error.Message);
        }
    }
}
