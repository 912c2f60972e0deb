using System;
using System.IO;
using System.Linq;
using System.Runtime.Versioning;
using System.Text;
using Secrets.Core.Jobs;
using Secrets.Core.Platform;
using Secrets.Core.Tests.Support;
using Xunit;

namespace Secrets.Core.Tests.Jobs
{
    /// <summary>Job files are never openable by others, and erasing them cannot be redirected.</summary>
    [UnsupportedOSPlatform("windows")]
    public class JobFileSafetyTests
    {
        private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        private const UnixFileMode OwnerFolder = OwnerFile | UnixFileMode.UserExecute;

        [UnixFact]
        public void TheStagingFolderIsOwnerOnlyBeforeAnythingIsInIt()
        {
            using var folder = new TempFolder();
            File.SetUnixFileMode(folder.Path, (UnixFileMode)Convert.ToInt32("777", 8));
            using var staging = PrivateStaging.Create(folder.Path);
            Assert.Equal(OwnerFolder, File.GetUnixFileMode(staging.Folder));
            Assert.Empty(Directory.GetFileSystemEntries(staging.Folder));
            staging.Dispose();
            Assert.False(Directory.Exists(staging.Folder));
        }

        [UnixFact]
        public void AFileIsOwnerOnlyAtItsPathAndNoStagingIsLeft()
        {
            using var folder = new TempFolder();
            File.SetUnixFileMode(folder.Path, (UnixFileMode)Convert.ToInt32("777", 8));
            var target = folder.Combine("db.txt");
            using (var files = new JobFiles(folder.Path + "-journals"))
            {
                files.Write(target, Encoding.UTF8.GetBytes("secret-value"));
                Assert.Equal(OwnerFile, File.GetUnixFileMode(target));
                Assert.Equal(new[] { target }, Directory.GetFileSystemEntries(folder.Path));
                Assert.Equal("secret-value", File.ReadAllText(target));
            }

            Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
        }

        [UnixFact]
        public void SwappingTheFileForALinkCannotMakeTheErasureOverwriteAnotherFile()
        {
            using var folder = new TempFolder();
            var victim = folder.Combine("victim.txt");
            File.WriteAllText(victim, "precious");
            var target = folder.Combine("db.txt");
            var files = new JobFiles(folder.Path + "-journals");
            files.Write(target, Encoding.UTF8.GetBytes("secret-value"));

            // Someone with write access to the folder replaces the file by a link to another file.
            var moved = folder.Combine("moved.txt");
            File.Move(target, moved);
            File.CreateSymbolicLink(target, victim);
            files.Dispose();

            Assert.Equal("precious", File.ReadAllText(victim));
            Assert.False(File.Exists(target) || new FileInfo(target).LinkTarget != null);
            Assert.True(File.ReadAllBytes(moved).All(b => b == 0), "the job's own file is erased through its handle");
        }

        [UnixFact]
        public void AnExistingLinkAtTheTargetIsNeverFollowed()
        {
            using var folder = new TempFolder();
            var victim = folder.Combine("victim.txt");
            File.WriteAllText(victim, "precious");
            var target = folder.Combine("db.txt");
            File.CreateSymbolicLink(target, victim);
            using var files = new JobFiles(folder.Path + "-journals");
            Assert.ThrowsAny<IOException>(() => files.Write(target, Encoding.UTF8.GetBytes("secret-value")));
            Assert.Equal("precious", File.ReadAllText(victim));
            Assert.Equal(new[] { target, victim }.OrderBy(p => p), Directory.GetFileSystemEntries(folder.Path).OrderBy(p => p));
        }
    }
}
