using System;
using Secrets.Core.Crypto;
using Secrets.Core.Identity;
using Secrets.Core.Tests.Identity;
using Secrets.Core.Tests.Support;
using Xunit;

namespace Secrets.Core.Tests.Contracts
{
    public class IdentityContractTests
    {
        [Fact]
        public void NullsAreArgumentNull()
        {
            using var folder = new TempFolder();
            var file = IdentityFiles.Unprotected(folder);
            Assert.Throws<ArgumentNullException>(() => IdentityFile.Create(null!, "n", null));
            Assert.Throws<ArgumentNullException>(() => IdentityFile.Load(null!));
            Assert.Equal("unlocked", Assert.Throws<ArgumentNullException>(() => file.ChangeProtection(null!, null)).ParamName);
            Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => UnlockedIdentity.Generate(null!)).ParamName);
        }

        [Fact]
        public void ChangingTheProtectionWithAnotherIdentitysKeysIsRefused()
        {
            using var folder = new TempFolder();
            var file = IdentityFiles.Unprotected(folder);
            using var other = UnlockedIdentity.Generate("other");
            Assert.Equal("unlocked", Assert.Throws<ArgumentException>(() => file.ChangeProtection(other, null)).ParamName);
        }

        [Theory]
        [InlineData(KdfParameters.MinMemoryKiB - 1, 1, 1, "memoryKiB")]
        [InlineData(KdfParameters.MaxMemoryKiB + 1, 1, 1, "memoryKiB")]
        [InlineData(KdfParameters.MinMemoryKiB, 0, 1, "iterations")]
        [InlineData(KdfParameters.MinMemoryKiB, KdfParameters.MaxIterations + 1, 1, "iterations")]
        [InlineData(KdfParameters.MinMemoryKiB, 1, 0, "parallelism")]
        [InlineData(KdfParameters.MinMemoryKiB, 1, KdfParameters.MaxParallelism + 1, "parallelism")]
        public void KdfParametersOutsideTheLimitsAreOutOfRange(int memory, int iterations, int parallelism, string parameter)
        {
            Assert.Equal(parameter, Assert.Throws<ArgumentOutOfRangeException>(() => new KdfParameters(memory, iterations, parallelism)).ParamName);
        }

        [Fact]
        public void SessionRefusesNulls()
        {
            Assert.Equal("identity", Assert.Throws<ArgumentNullException>(() => IdentitySession.Remember(null!, TimeSpan.FromMinutes(1))).ParamName);
            Assert.Throws<ArgumentNullException>(() => IdentitySession.TryGet(null!));
            Assert.Throws<ArgumentNullException>(() => IdentitySession.Forget(null!));
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        public void EmptyIdentityNamesAreInvalidInput(string name)
        {
            using var folder = new TempFolder();
            var error = Assert.Throws<Secrets.Core.Errors.InvalidInputException>(() => IdentityFile.Create(folder.Combine("x.identity"), name, null));
            Assert.Equal("InvalidIdentityName", error.ErrorId);
        }

        [Fact]
        public void LongIdentityNamesAreInvalidInputNamingTheLimit()
        {
            using var folder = new TempFolder();
            var error = Assert.Throws<Secrets.Core.Errors.InvalidInputException>(() => IdentityFile.Create(folder.Combine("x.identity"), new string('n', 257), null));
            Assert.Equal("InvalidIdentityName", error.ErrorId);
            Assert.Contains("256", error.Message);
            Assert.False(System.IO.File.Exists(folder.Combine("x.identity")));
        }
    }
}
