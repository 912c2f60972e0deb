using System.IO;
using System.Linq;
using System.Text;
using Secrets.Core.Errors;
using Secrets.Core.Interop;
using Secrets.Core.Platform;
using Secrets.Core.Tests.Support;
using Xunit;

namespace Secrets.Core.Tests.Interop
{
    /// <summary>Files written by exports: owner-only, never replaced without being asked, a copy kept of what is replaced.</summary>
    public class InteropFilesTests
    {
        private static readonly byte[] Old = Encoding.UTF8.GetBytes("[default]\naws_access_key_id = OLD\n");
        private static readonly byte[] New = Encoding.UTF8.GetBytes("[default]\naws_access_key_id = NEW\n");

        [Fact]
        public void ANewFileIsWrittenOwnerOnlyInNewOwnerOnlyFolders()
        {
            using var folder = new TempFolder();
            var path = folder.Combine("home", ".aws", "credentials");
            var written = InteropFiles.Write(path, New, force: false);
            Assert.True(written.Changed);
            Assert.Null(written.Backup);
            Assert.Equal(New, File.ReadAllBytes(path));
            if (!System.OperatingSystem.IsWindows())
            {
                Assert.True(FilePermissions.TryGetUnixMode(path, out var mode));
                Assert.Equal("0600", FilePermissions.FormatUnixMode(mode));
                Assert.True(FilePermissions.TryGetUnixMode(Path.GetDirectoryName(path)!, out var folderMode));
                Assert.Equal("0700", FilePermissions.FormatUnixMode(folderMode));
            }
        }

        [Fact]
        public void AnExistingFileIsNotReplacedWithoutForce()
        {
            using var folder = new TempFolder();
            var path = folder.Combine("credentials");
            File.WriteAllBytes(path, Old);

            var error = Assert.Throws<SecretsException>(() => InteropFiles.Write(path, New, force: false));
            Assert.Equal("FileExists", error.ErrorId);
            Assert.Equal(FailureKind.AlreadyExists, error.Kind);
            Assert.Equal($"The file '{path}' exists and holds something else. Nothing was written.", error.Message);
            Assert.Contains("-Force", error.RecommendedAction);
            Assert.Equal(Old, File.ReadAllBytes(path));
            Assert.Single(Directory.GetFiles(folder.Path));
        }

        [UnixFact]
        public void ForceKeepsAnOwnerOnlyCopyOfWhatItReplaces()
        {
            using var folder = new TempFolder();
            var path = folder.Combine("credentials");
            File.WriteAllBytes(path, Old);
            FilePermissions.SetUnixMode(path, 0x1A4);

            var written = InteropFiles.Write(path, New, force: true);
            Assert.True(written.Changed);
            Assert.NotNull(written.Backup);
            Assert.StartsWith(path + ".backup-", written.Backup);
            Assert.Equal(Old, File.ReadAllBytes(written.Backup!));
            Assert.Equal(New, File.ReadAllBytes(path));
            Assert.True(FilePermissions.TryGetUnixMode(written.Backup!, out var backupMode));
            Assert.Equal("0600", FilePermissions.FormatUnixMode(backupMode));
            Assert.True(FilePermissions.TryGetUnixMode(path, out var mode));
            Assert.Equal("0600", FilePermissions.FormatUnixMode(mode));

            // A second replacement in the same second keeps the first copy too.
            var again = InteropFiles.Write(path, Old, force: true);
            Assert.NotEqual(written.Backup, again.Backup);
            Assert.Equal(2, Directory.GetFiles(folder.Path, "credentials.backup-*").Length);
        }

        [Fact]
        public void AFileThatAlreadyHoldsTheContentIsLeftAsItIs()
        {
            using var folder = new TempFolder();
            var path = folder.Combine("credentials");
            File.WriteAllBytes(path, New);
            var written = InteropFiles.Write(path, New, force: false);
            Assert.False(written.Changed);
            Assert.Null(written.Backup);
            Assert.Single(Directory.GetFiles(folder.Path));
        }

        [UnixFact]
        public void APublicKeyIsReadableByOthers()
        {
            using var folder = new TempFolder();
            var path = folder.Combine("id_ed25519.pub");
            InteropFiles.Write(path, Encoding.ASCII.GetBytes("ssh-ed25519 AAAA test\n"), force: false, unixMode: InteropFiles.PublicRead);
            Assert.True(FilePermissions.TryGetUnixMode(path, out var mode));
            Assert.Equal("0644", FilePermissions.FormatUnixMode(mode));
        }

        [UnixFact]
        public void LinksAndFoldersAreRefused()
        {
            using var folder = new TempFolder();
            var target = folder.Combine("real");
            File.WriteAllBytes(target, Old);
            var link = folder.Combine("link");
            File.CreateSymbolicLink(link, target);
            Assert.Equal("FileNotRegular", Assert.Throws<SecretsException>(() => InteropFiles.Write(link, New, force: true)).ErrorId);
            Assert.Equal("FileNotRegular", Assert.Throws<SecretsException>(() => InteropFiles.Write(folder.Path, New, force: true)).ErrorId);
            Assert.Equal(Old, File.ReadAllBytes(target));
        }

        [UnixFact]
        public void ReadingRefusesDevicesAndSaysWhichFileIsMissing()
        {
            Assert.Equal("FileNotRegular", Assert.Throws<SecretsException>(() => InteropFiles.ReadText("/dev/zero")).ErrorId);
            var missing = Assert.Throws<SecretsException>(() => InteropFiles.ReadText("/nonexistent/.env"));
            Assert.Equal("FileNotFound", missing.ErrorId);
            Assert.Equal("/nonexistent/.env", missing.FilePath);
        }
    }
}
