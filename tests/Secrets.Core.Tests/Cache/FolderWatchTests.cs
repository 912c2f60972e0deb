using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Secrets.Core.Platform;
using Secrets.Core.Store;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Cache
{
    /// <summary>
    /// Change notifications: the kernel gives each user few inotify instances (128 by default, for
    /// all their programs), so the process shares one among every store it opens, and every watch of
    /// a folder still sees each change.
    /// </summary>
    [Collection("Settle window")]
    public sealed class FolderWatchTests
    {
        private static int InotifyInstances() =>
            Directory.GetFiles("/proc/self/fd").Count(fd =>
            {
                try
                {
                    return new FileInfo(fd).LinkTarget == "anon_inode:inotify";
                }
                catch (IOException)
                {
                    return false;
                }
            });

        [LinuxFact]
        public void Opening_more_stores_than_the_users_instance_limit_takes_one_instance()
        {
            using (var probe = new TempFolder())
            {
                using var watch = FolderWatch.For(probe.Path);
                Assert.NotNull(watch);
            }

            int before = InotifyInstances();
            var stores = new List<TestStore>();
            try
            {
                for (int i = 0; i < 140; i++)
                {
                    var t = new TestStore();
                    stores.Add(t);
                    using (var value = SecretValue.FromString("v"))
                    {
                        t.Store.Write("a", value, null, t.Owner, WriteMode.CreateOrUpdate);
                    }

                    Assert.All(t.Reopen().List(), l => Assert.Null(l.Error));
                }

                Assert.InRange(InotifyInstances() - before, 0, 1);
            }
            finally
            {
                foreach (var t in stores)
                {
                    t.Dispose();
                }
            }
        }

        [LinuxFact]
        public void Two_watches_of_one_folder_both_see_each_change_whichever_drains_first()
        {
            using var folder = new TempFolder();
            using var first = FolderWatch.For(folder.Path);
            using var second = FolderWatch.For(folder.Path);
            Assert.NotNull(first);
            Assert.NotNull(second);
            Assert.True(first!.Watch(folder.Path));
            Assert.True(second!.Watch(folder.Path));

            File.WriteAllText(Path.Combine(folder.Path, "v1.secret"), "x");
            Assert.Contains("v1.secret", first.Drain()[folder.Path]);
            Assert.Contains("v1.secret", second.Drain()[folder.Path]);
            Assert.Empty(first.Drain());

            second.Dispose();
            File.WriteAllText(Path.Combine(folder.Path, "v2.secret"), "x");
            Assert.Contains("v2.secret", first.Drain()[folder.Path]);
            Assert.True(first.IsWatched(folder.Path));
        }

        [LinuxFact]
        public void A_folder_removed_is_no_longer_watched_by_any_watch()
        {
            using var root = new TempFolder();
            var folder = Directory.CreateDirectory(Path.Combine(root.Path, "secret")).FullName;
            using var first = FolderWatch.For(folder)!;
            using var second = FolderWatch.For(folder)!;
            Assert.True(first.Watch(folder));
            Assert.True(second.Watch(folder));

            Directory.Delete(folder);
            Assert.True(first.Drain().ContainsKey(folder));
            Assert.True(second.Drain().ContainsKey(folder));
            Assert.False(first.IsWatched(folder));
            Assert.False(second.IsWatched(folder));
        }
    }
}
