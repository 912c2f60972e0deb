using System.IO;
using Secrets.Core.Crypto;
using Secrets.Core.Identity;
using Secrets.Core.Tests.Support;
using Xunit;

namespace Secrets.Core.Tests.Identity
{
    /// <summary>The Argon2id limits are enforced when the file is read, before anything is derived.</summary>
    public class KdfLimitTests
    {
        public static readonly TheoryData<string> OutOfLimits = new TheoryData<string>
        {
            "8191 1 1",
            "4194305 1 1",
            "2147483647 1 1",
            "8192 0 1",
            "8192 65 1",
            "8192 1 0",
            "8192 1 17",
            "08192 1 1",
            "8192 +1 1",
            "8192 1 -1",
            "99999999999 1 1",
            "8192 1",
            "8192 1 1 1",
        };

        public static readonly TheoryData<int, int, int> AtTheLimits = new TheoryData<int, int, int>
        {
            { 8192, 1, 1 },
            { 4194304, 64, 16 },
            { 65536, 3, 4 },
        };

        [Theory]
        [MemberData(nameof(OutOfLimits))]
        public void ParametersOutsideTheLimitsMakeTheFileInvalidOnLoad(string parameters)
        {
            using var folder = new TempFolder();
            var file = IdentityFiles.WithPassphrase(folder);
            var data = File.ReadAllBytes(file.Path);
            var salt = FileEdits.Fields(data, "kdf")[4];
            File.WriteAllBytes(file.Path, IdentityFiles.EditKeepingChecksum(data, "kdf", $"kdf argon2id {parameters} {salt}"));

            // Load never derives a key: the refusal comes before any passphrase is asked for.
            Detected.InvalidFile(() => IdentityFile.Load(file.Path), "IdentityFileInvalid", file.Path);
        }

        [Theory]
        [MemberData(nameof(AtTheLimits))]
        public void ParametersAtTheLimitsAreAccepted(int memory, int iterations, int parallelism)
        {
            using var folder = new TempFolder();
            var file = IdentityFiles.WithPassphrase(folder);
            var data = File.ReadAllBytes(file.Path);
            var salt = FileEdits.Fields(data, "kdf")[4];
            var loaded = IdentityFiles.Rewrite(file.Path,
                IdentityFiles.EditKeepingChecksum(data, "kdf", $"kdf argon2id {memory} {iterations} {parallelism} {salt}"));
            Assert.Equal(memory, loaded.Kdf!.MemoryKiB);
            Assert.Equal(iterations, loaded.Kdf.Iterations);
            Assert.Equal(parallelism, loaded.Kdf.Parallelism);
        }

        [Theory]
        [InlineData("kdf argon2")]
        [InlineData("kdf scrypt 8192 1 1 AAAAAAAAAAAAAAAAAAAAAA")]
        [InlineData("kdf argon2id 8192 1 1 AAAAAAAAAAAAAAAAAAAAA")]
        [InlineData("kdf argon2id 8192 1 1 AAAAAAAAAAAAAAAAAAAAAAAA")]
        [InlineData("kdf none extra")]
        public void MalformedKdfLinesAreInvalid(string line)
        {
            using var folder = new TempFolder();
            var file = IdentityFiles.WithPassphrase(folder);
            File.WriteAllBytes(file.Path, IdentityFiles.EditKeepingChecksum(File.ReadAllBytes(file.Path), "kdf", line));
            Detected.InvalidFile(() => IdentityFile.Load(file.Path), "IdentityFileInvalid", file.Path);
        }

        [Fact]
        public void KdfNoneWithAnEncryptedKeyLineIsInvalid()
        {
            using var folder = new TempFolder();
            var file = IdentityFiles.WithPassphrase(folder);
            File.WriteAllBytes(file.Path, IdentityFiles.EditKeepingChecksum(File.ReadAllBytes(file.Path), "kdf", "kdf none"));
            Detected.InvalidFile(() => IdentityFile.Load(file.Path), "IdentityFileInvalid", file.Path);
        }
    }
}
