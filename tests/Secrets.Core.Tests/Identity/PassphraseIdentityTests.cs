using System.IO;
using System.Text;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Identity
{
    public class PassphraseIdentityTests
    {
        [Fact]
        public void RightPassphraseUnlocksTheKeysOfThePublicPart()
        {
            using var folder = new TempFolder();
            var created = IdentityFiles.Create(folder);
            var file = IdentityFile.Load(created.Path);
            Assert.Equal(IdentityProtection.Passphrase, file.Protection);
            Assert.Equal("tester", file.Name);
            Assert.Equal(TestStore.FastKdf.MemoryKiB, file.Kdf!.MemoryKiB);
            Assert.Equal(TestStore.FastKdf.Iterations, file.Kdf.Iterations);
            Assert.Equal(TestStore.FastKdf.Parallelism, file.Kdf.Parallelism);

            using var unlocked = file.Unlock(IdentityFiles.Passphrase);
            Assert.Equal(file.Recipient, unlocked.Recipient);
            Assert.Equal(created.Recipient, unlocked.Recipient);
            Assert.Equal(file.Path, unlocked.Path);
        }

        [Fact]
        public void UnlockedKeysReadWhatTheyWrote()
        {
            using var folder = new TempFolder();
            var file = IdentityFiles.WithPassphrase(folder);
            var store = folder.Combine("store");
            var state = folder.Combine("state");
            using (var writer = file.Unlock(IdentityFiles.Passphrase))
            using (var value = SecretValue.FromString("v"))
            {
                SecretStore.Create(store, writer, stateRoot: state).Write("a", value, null, writer, WriteMode.CreateOnly);
            }

            using var reader = IdentityFile.Load(file.Path).Unlock(IdentityFiles.Passphrase);
            using var read = SecretStore.Open(store, state).Read("a", reader);
            Assert.Equal("v", read.GetText());
        }

        [Theory]
        [InlineData("")]
        [InlineData("wrong")]
        [InlineData("correct horse ✓ battery stapl")]
        [InlineData("correct horse ✓ battery staple ")]
        [InlineData("Correct horse ✓ battery staple")]
        public void WrongPassphraseIsWrongPassphrase(string passphrase)
        {
            using var folder = new TempFolder();
            var file = IdentityFiles.WithPassphrase(folder);
            var error = Assert.Throws<WrongPassphraseException>(() => file.Unlock(Encoding.UTF8.GetBytes(passphrase)));
            Assert.Equal("WrongPassphrase", error.ErrorId);
            Assert.Equal(FailureKind.Authentication, error.Kind);
            Assert.Equal(file.Path, error.FilePath);
        }

        [Fact]
        public void PassphraseIsTakenAsItsExactUtf8Bytes()
        {
            // "é" precomposed (NFC) and decomposed (NFD) look alike but are different bytes.
            using var folder = new TempFolder();
            var file = IdentityFile.Create(folder.Combine("nfc.identity"), "tester", Encoding.UTF8.GetBytes("caf\u00e9"), TestStore.FastKdf);
            Assert.Throws<WrongPassphraseException>(() => file.Unlock(Encoding.UTF8.GetBytes("cafe\u0301")));
            using var unlocked = file.Unlock(Encoding.UTF8.GetBytes("caf\u00e9"));
            Assert.Equal(file.Recipient, unlocked.Recipient);
        }

        [Fact]
        public void NoPassphraseForAProtectedIdentityIsIdentityLocked()
        {
            using var folder = new TempFolder();
            var file = IdentityFiles.WithPassphrase(folder);
            var error = Assert.Throws<IdentityLockedException>(() => file.Unlock(null));
            Assert.Equal("IdentityLocked", error.ErrorId);
            Assert.Equal(FailureKind.Authentication, error.Kind);
        }

        [Fact]
        public void ChangingTheProtectionKeepsTheKeys()
        {
            using var folder = new TempFolder();
            var file = IdentityFiles.WithPassphrase(folder);
            using var unlocked = file.Unlock(IdentityFiles.Passphrase);

            var unprotected = file.ChangeProtection(unlocked, null);
            Assert.Equal(IdentityProtection.None, unprotected.Protection);
            Assert.Contains("\nkdf none\n", File.ReadAllText(file.Path));
            using (var again = IdentityFile.Load(file.Path).Unlock(null))
            {
                Assert.Equal(file.Recipient, again.Recipient);
            }

            var newPassphrase = Encoding.UTF8.GetBytes("another one");
            var reprotected = unprotected.ChangeProtection(unlocked, newPassphrase, TestStore.FastKdf);
            Assert.Equal(IdentityProtection.Passphrase, reprotected.Protection);
            Assert.Throws<WrongPassphraseException>(() => IdentityFile.Load(file.Path).Unlock(IdentityFiles.Passphrase));
            using var last = IdentityFile.Load(file.Path).Unlock(newPassphrase);
            Assert.Equal(file.Recipient, last.Recipient);
            Assert.Equal(file.Created, IdentityFile.Load(file.Path).Created);
        }

        [Fact]
        public void CreatingOverAnExistingIdentityIsRefused()
        {
            using var folder = new TempFolder();
            var file = IdentityFiles.Unprotected(folder);
            var before = File.ReadAllBytes(file.Path);
            var error = Assert.Throws<SecretsException>(() => IdentityFiles.Unprotected(folder));
            Assert.Equal("IdentityExists", error.ErrorId);
            Assert.Equal(before, File.ReadAllBytes(file.Path));
        }

        [Fact]
        public void MissingIdentityIsIdentityNotFound()
        {
            using var folder = new TempFolder();
            var error = Assert.Throws<IdentityNotFoundException>(() => IdentityFile.Load(folder.Combine("none.identity")));
            Assert.Equal("IdentityNotFound", error.ErrorId);
            Assert.Equal(FailureKind.NotFound, error.Kind);
        }
    }
}
