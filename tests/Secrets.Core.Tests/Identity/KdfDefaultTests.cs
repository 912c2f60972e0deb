using System.IO;
using Secrets.Core.Crypto;
using Secrets.Core.Identity;
using Secrets.Core.Tests.Support;
using Xunit;

namespace Secrets.Core.Tests.Identity
{
    /// <summary>The only tests that pay for the default Argon2id parameters (64 MiB).</summary>
    public class KdfDefaultTests
    {
        [Fact]
        public void DefaultsAreRfc9106SecondRecommendation()
        {
            var defaults = KdfParameters.Default;
            Assert.Equal(65536, defaults.MemoryKiB);
            Assert.Equal(3, defaults.Iterations);
            Assert.Equal(4, defaults.Parallelism);
        }

        [Fact]
        public void NewPassphraseIdentityUsesTheDefaultsAndUnlocks()
        {
            using var folder = new TempFolder();
            var file = IdentityFile.Create(folder.Combine("default.identity"), "tester", IdentityFiles.Passphrase);
            var kdf = FileEdits.Fields(File.ReadAllBytes(file.Path), "kdf");
            Assert.Equal(new[] { "argon2id", "65536", "3", "4" }, kdf[..4]);
            Assert.Equal(22, kdf[4].Length);

            using var unlocked = IdentityFile.Load(file.Path).Unlock(IdentityFiles.Passphrase);
            Assert.Equal(file.Recipient, unlocked.Recipient);
        }
    }
}
