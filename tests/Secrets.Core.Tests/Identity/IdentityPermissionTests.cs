using System.IO;
using System.Runtime.Versioning;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Identity
{
    /// <summary>Identity files and local state are owner-only.</summary>
    [UnsupportedOSPlatform("windows")]
    public class IdentityPermissionTests
    {
        private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        private const UnixFileMode OwnerFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

        [UnixFact]
        public void PassphraseIdentityIsOwnerOnlyInAnOwnerOnlyFolder()
        {
            using var folder = new TempFolder();
            var file = IdentityFile.Create(folder.Combine("identities", "default.identity"), "tester", IdentityFiles.Passphrase, TestStore.FastKdf);
            Assert.Equal(OwnerFile, File.GetUnixFileMode(file.Path));
            Assert.Equal(OwnerFolder, File.GetUnixFileMode(folder.Combine("identities")));
        }

        [UnixFact]
        public void UnprotectedIdentityIsOwnerOnlyInAnOwnerOnlyFolder()
        {
            using var folder = new TempFolder();
            var file = IdentityFile.Create(folder.Combine("identities", "automation.identity"), "tester", null);
            Assert.Equal(OwnerFile, File.GetUnixFileMode(file.Path));
            Assert.Equal(OwnerFolder, File.GetUnixFileMode(folder.Combine("identities")));
        }

        [UnixFact]
        public void ChangingTheProtectionKeepsTheFileOwnerOnly()
        {
            using var folder = new TempFolder();
            var file = IdentityFiles.WithPassphrase(folder);
            using var unlocked = file.Unlock(IdentityFiles.Passphrase);
            file.ChangeProtection(unlocked, null);
            Assert.Equal(OwnerFile, File.GetUnixFileMode(file.Path));
        }

        [UnixFact]
        public void LocalStateFoldersAreOwnerOnly()
        {
            using var t = new TestStore();
            using (var value = SecretValue.FromString("v"))
            {
                t.Store.Write("a", value, null, t.Owner, WriteMode.CreateOnly);
            }

            var storeState = t.Store.State.Directory;
            Assert.Equal(OwnerFolder, File.GetUnixFileMode(storeState));
            Assert.Equal(OwnerFolder, File.GetUnixFileMode(Path.Combine(storeState, "seen")));
        }
    }
}
