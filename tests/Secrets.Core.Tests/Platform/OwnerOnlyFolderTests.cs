using System;
using System.IO;
using Secrets.Core.Platform;
using Xunit;

namespace Secrets.Core.Tests.Platform
{
    public class OwnerOnlyFolderTests
    {
        [Fact]
        public void EveryFolderItCreatesIsOwnerOnlyAndExistingOnesAreLeftAlone()
        {
            if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            {
                return;
            }

            var root = Path.Combine(Path.GetTempPath(), "secrets-owner-only-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(root);
            try
            {
                File.SetUnixFileMode(root, (UnixFileMode)Convert.ToInt32("755", 8));
                var leaf = Path.Combine(root, "home", "state", "0123");
                FilePermissions.CreateOwnerOnlyDirectory(leaf);
                var ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
                Assert.Equal(ownerOnly, File.GetUnixFileMode(Path.Combine(root, "home")));
                Assert.Equal(ownerOnly, File.GetUnixFileMode(Path.Combine(root, "home", "state")));
                Assert.Equal(ownerOnly, File.GetUnixFileMode(leaf));
                Assert.Equal((UnixFileMode)Convert.ToInt32("755", 8), File.GetUnixFileMode(root));
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
