using System;
using System.IO;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Identity
{
    /// <summary>An identity replaced (its file retired): what was encrypted to it stays readable through it.</summary>
    [Collection("Secrets home")]
    public class RetiredIdentityReadTests
    {
        [Fact]
        public void AVersionEncryptedToARetiredIdentityWithoutPassphraseIsDecryptedWithIt()
        {
            using var home = new TempHome();
            var path = IdentityNames.PathOf("default");
            var old = IdentityFile.Create(path, "alice", null);
            using var oldKeys = old.Unlock(null);
            var store = SecretStore.Create(home.Combine("store"), oldKeys, stateRoot: home.Combine("state"));
            using (var value = SecretValue.FromString("before"))
            {
                store.Write("kept", value, null, oldKeys, WriteMode.CreateOrUpdate);
            }

            IdentityNames.Retire(path);
            using var newKeys = IdentityFile.Create(path, "alice", null).Unlock(null);
            using var read = store.Read("kept", newKeys);
            Assert.Equal("before", read.GetText());
        }

        [Fact]
        public void ALockedRetiredIdentityIsNamedAndReadsOnceUnlocked()
        {
            using var home = new TempHome();
            var path = IdentityNames.PathOf("default");
            var old = IdentityFile.Create(path, "alice", IdentityFiles.Passphrase, TestStore.FastKdf);
            using var oldKeys = old.Unlock(IdentityFiles.Passphrase);
            var store = SecretStore.Create(home.Combine("store"), oldKeys, stateRoot: home.Combine("state"));
            using (var value = SecretValue.FromString("before"))
            {
                store.Write("kept", value, null, oldKeys, WriteMode.CreateOrUpdate);
            }

            var retired = IdentityNames.Retire(path);
            using var newKeys = IdentityFile.Create(path, "alice", null).Unlock(null);
            var error = Assert.Throws<RetiredIdentityLockedException>(() => store.Read("kept", newKeys));
            Assert.Equal("RetiredIdentityLocked", error.ErrorId);
            Assert.Equal(FailureKind.Permission, error.Kind);
            Assert.Equal(retired, error.RetiredPath);
            Assert.Contains(retired, error.Message);
            Assert.Contains(oldKeys.Recipient.Fingerprint, error.Message);
            Assert.Contains($"Unlock-SecretIdentity -Path '{retired}'", error.RecommendedAction);

            using (var unlocked = IdentityFile.Load(retired).Unlock(IdentityFiles.Passphrase))
            {
                IdentitySession.Remember(unlocked, TimeSpan.FromMinutes(1));
            }

            try
            {
                using var read = store.Read("kept", newKeys);
                Assert.Equal("before", read.GetText());
            }
            finally
            {
                IdentitySession.Forget(retired);
            }
        }

        [Fact]
        public void AnotherIdentityOfTheHomeIsNamedButNotUsed()
        {
            using var home = new TempHome();
            using var work = IdentityFile.Create(IdentityNames.PathOf("work"), "alice", null).Unlock(null);
            using var main = IdentityFile.Create(IdentityNames.PathOf("default"), "alice", null).Unlock(null);
            var store = SecretStore.Create(home.Combine("store"), work, stateRoot: home.Combine("state"));
            using (var value = SecretValue.FromString("work value"))
            {
                store.Write("kept", value, null, work, WriteMode.CreateOrUpdate);
            }

            var error = Assert.Throws<NotARecipientException>(() => store.Read("kept", main));
            Assert.Contains("your identity 'work'", error.Message);
            Assert.Contains("$env:SECRETS_IDENTITY = 'work'", error.RecommendedAction);
        }
    }
}
