using System.IO;
using System.Text;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Tests.Support;
using Xunit;

namespace Secrets.Core.Tests.Identity
{
    /// <summary>A damaged identity file is IdentityFileInvalid, never a wrong passphrase.</summary>
    public class IdentityDamageTests
    {
        [Fact]
        public void EveryFlippedByteOfAPassphraseIdentityIsDamageNotAWrongPassphrase()
        {
            using var folder = new TempFolder();
            var file = IdentityFiles.WithPassphrase(folder);
            var original = File.ReadAllBytes(file.Path);
            for (int offset = 0; offset < original.Length; offset++)
            {
                // One flip per byte; the bit rotates so that every bit position is hit along the file.
                var damaged = (byte[])original.Clone();
                damaged[offset] ^= (byte)(1 << (offset % 8));
                AssertDamaged(file.Path, damaged, IdentityFiles.Passphrase, $"bit {offset % 8} of byte {offset}");
            }
        }

        [Fact]
        public void EveryFlippedByteOfAnUnprotectedIdentityIsDamage()
        {
            using var folder = new TempFolder();
            var file = IdentityFiles.Unprotected(folder);
            var original = File.ReadAllBytes(file.Path);
            for (int offset = 0; offset < original.Length; offset++)
            {
                // One flip per byte; the bit rotates so that every bit position is hit along the file.
                var damaged = (byte[])original.Clone();
                damaged[offset] ^= (byte)(1 << (offset % 8));
                AssertDamaged(file.Path, damaged, null, $"bit {offset % 8} of byte {offset}");
            }
        }

        [Fact]
        public void EveryTruncationIsDamage()
        {
            using var folder = new TempFolder();
            var file = IdentityFiles.WithPassphrase(folder);
            var original = File.ReadAllBytes(file.Path);
            for (int length = 0; length < original.Length; length++)
            {
                AssertDamaged(file.Path, original[..length], IdentityFiles.Passphrase, $"first {length} bytes");
            }
        }

        [Fact]
        public void DamagedFileWithAWrongPassphraseIsStillDamage()
        {
            using var folder = new TempFolder();
            var file = IdentityFiles.WithPassphrase(folder);
            var damaged = File.ReadAllBytes(file.Path);
            damaged[damaged.Length / 2] ^= 0x01;
            AssertDamaged(file.Path, damaged, Encoding.UTF8.GetBytes("wrong"), "a flip in the middle");
        }

        [Theory]
        [InlineData("name", "name mallory")]
        [InlineData("created", "created 2020-01-01T00:00:00.0000000Z")]
        public void EditsWithARecomputedChecksumFailTheKeyDecryption(string key, string line)
        {
            // The checksum is not a security mechanism; the AEAD's associated data binds every
            // line before 'key', so an edit that fixes the checksum cannot unlock.
            using var folder = new TempFolder();
            var file = IdentityFiles.WithPassphrase(folder);
            var edited = IdentityFiles.Rewrite(file.Path, IdentityFiles.EditKeepingChecksum(File.ReadAllBytes(file.Path), key, line));
            Assert.Throws<WrongPassphraseException>(() => edited.Unlock(IdentityFiles.Passphrase));
        }

        [Fact]
        public void KdfParametersEditedWithARecomputedChecksumFailTheKeyDecryption()
        {
            using var folder = new TempFolder();
            var file = IdentityFiles.WithPassphrase(folder);
            var data = File.ReadAllBytes(file.Path);
            var salt = FileEdits.Fields(data, "kdf")[4];
            var edited = IdentityFiles.Rewrite(file.Path, IdentityFiles.EditKeepingChecksum(data, "kdf", $"kdf argon2id 8192 2 1 {salt}"));
            Assert.Equal(2, edited.Kdf!.Iterations);
            Assert.Throws<WrongPassphraseException>(() => edited.Unlock(IdentityFiles.Passphrase));
        }

        private static void AssertDamaged(string path, byte[] content, byte[]? passphrase, string what)
        {
            File.WriteAllBytes(path, content);
            var error = Assert.Throws<InvalidFileException>(() =>
            {
                // Load checks the file; if it ever passed, unlocking must still report damage.
                using var unlocked = IdentityFile.Load(path).Unlock(passphrase);
            });
            Assert.True(error.ErrorId == "IdentityFileInvalid", $"{what}: {error.ErrorId}");
            Assert.Equal(FailureKind.InvalidData, error.Kind);
            Assert.Equal(path, error.FilePath);
        }
    }
}
