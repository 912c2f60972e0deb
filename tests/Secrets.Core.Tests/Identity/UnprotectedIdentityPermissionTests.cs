using System;
using System.IO;
using System.Runtime.Versioning;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Platform;
using Secrets.Core.Tests.Support;
using Xunit;

namespace Secrets.Core.Tests.Identity
{
    /// <summary>
    /// An identity without a passphrase is protected only by its file's permissions: like ssh with
    /// a private key file, it is refused when group or others have any access to the file.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    public class UnprotectedIdentityPermissionTests
    {
        [UnixFact]
        public void OpenPermissionsAreRefusedNamingTheFileTheModeAndTheFix()
        {
            using var folder = new TempFolder();
            var file = IdentityFiles.Unprotected(folder);
            File.SetUnixFileMode(file.Path, (UnixFileMode)Convert.ToInt32("644", 8));

            var error = Assert.Throws<UnprotectedIdentityFileException>(() => file.Unlock(null));
            Assert.Equal("IdentityFileUnprotected", error.ErrorId);
            Assert.Equal(FailureKind.Security, error.Kind);
            Assert.Equal(file.Path, error.FilePath);
            Assert.Contains($"'{file.Path}'", error.Message);
            Assert.Contains("0644", error.Message);
            Assert.Contains($"chmod 600 '{file.Path}'", error.RecommendedAction);
            Assert.Contains(SecretsPaths.IgnoreIdentityPermissionsVariable, error.RecommendedAction);
        }

        [UnixFact]
        public void AnyAccessByGroupOrOthersIsRefusedAndOwnerOnlyModesAreAccepted()
        {
            using var folder = new TempFolder();
            var file = IdentityFiles.Unprotected(folder);
            foreach (var open in new[] { "640", "604", "620", "602", "610", "601", "777" })
            {
                File.SetUnixFileMode(file.Path, (UnixFileMode)Convert.ToInt32(open, 8));
                var error = Assert.Throws<UnprotectedIdentityFileException>(() => file.Unlock(null));
                Assert.Contains("0" + open, error.Message);
            }

            foreach (var ownerOnly in new[] { "600", "400", "700" })
            {
                File.SetUnixFileMode(file.Path, (UnixFileMode)Convert.ToInt32(ownerOnly, 8));
                using var unlocked = file.Unlock(null);
                Assert.Equal(file.Recipient, unlocked.Recipient);
            }
        }

        [UnixFact]
        public void TheCheckCanBeTurnedOffForFilesWhosePermissionsCannotBeSet()
        {
            using var folder = new TempFolder();
            var file = IdentityFiles.Unprotected(folder);
            File.SetUnixFileMode(file.Path, (UnixFileMode)Convert.ToInt32("644", 8));
            Environment.SetEnvironmentVariable(SecretsPaths.IgnoreIdentityPermissionsVariable, "1");
            try
            {
                using var unlocked = file.Unlock(null);
                Assert.Equal(file.Recipient, unlocked.Recipient);
            }
            finally
            {
                Environment.SetEnvironmentVariable(SecretsPaths.IgnoreIdentityPermissionsVariable, null);
            }

            Assert.Throws<UnprotectedIdentityFileException>(() => file.Unlock(null));
        }

        [UnixFact]
        public void CheckPermissionsReportsTheSameForAnUnprotectedIdentityOnly()
        {
            using var folder = new TempFolder();
            var unprotected = IdentityFiles.Unprotected(folder, "automation.identity");
            unprotected.CheckPermissions();
            File.SetUnixFileMode(unprotected.Path, (UnixFileMode)Convert.ToInt32("644", 8));
            Assert.Throws<UnprotectedIdentityFileException>(() => unprotected.CheckPermissions());

            // A passphrase protects the keys of the other kind of identity file.
            var withPassphrase = IdentityFiles.WithPassphrase(folder);
            File.SetUnixFileMode(withPassphrase.Path, (UnixFileMode)Convert.ToInt32("644", 8));
            withPassphrase.CheckPermissions();
        }
    }
}
