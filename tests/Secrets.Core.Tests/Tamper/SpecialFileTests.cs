using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Threading.Tasks;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Tamper
{
    /// <summary>
    /// A FIFO (named pipe) in a store, which anyone who can add files can make: opening one waits
    /// until someone opens its other end. Every read, write and listing refuses it at once as not a
    /// regular file, and no writer is left holding the store lock.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    public class SpecialFileTests
    {
        private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

        [UnixFact]
        public void AFifoAsTheNewestVersionIsRefusedAtOnceAndAWriteReplacesIt()
        {
            using var t = new TestStore();
            Write(t.Store, t.Owner, "x", "one");
            Write(t.Store, t.Owner, "x", "two");
            var fifo = t.VersionFile("x", 3);
            MakeFifo(fifo);
            var reader = t.Reopen();

            AssertNotRegular(Outcome(fifo, () => reader.Read("x", t.Owner).Dispose()), fifo);
            AssertNotRegular(Outcome(fifo, () => reader.GetInfo("x")), fifo);
            var listed = Assert.Single((ListedSecret[])Result(fifo, () => reader.List().ToArray()));
            AssertNotRegular(listed.Error, fifo);

            // A write replaces the newest file, as it does any invalid one; the lock is then free for the next.
            var record = (SecretRecord)Result(fifo, () => Write(reader, t.Owner, "x", "three"));
            Assert.Equal(4, record.Version);
            Assert.Equal(fifo, record.ReplacedInvalidFile);
            Assert.Equal(5, ((SecretRecord)Result(fifo, () => Write(t.Reopen(), t.Owner, "x", "four"))).Version);
            using var value = t.Reopen().Read("x", t.Owner);
            Assert.Equal("four", value.GetText());
        }

        [UnixFact]
        public void AFifoAsAnOlderVersionIsRefusedAtOnce()
        {
            using var t = new TestStore();
            Write(t.Store, t.Owner, "x", "one");
            Write(t.Store, t.Owner, "x", "two");
            Write(t.Store, t.Owner, "x", "three");
            var fifo = t.VersionFile("x", 2);
            File.Delete(fifo);
            MakeFifo(fifo);
            var reader = t.Reopen();

            AssertNotRegular(Outcome(fifo, () => reader.Read("x", t.Owner, 2).Dispose()), fifo);
            AssertNotRegular(Outcome(fifo, () => reader.GetInfo("x", 2)), fifo);
            AssertNotRegular(Outcome(fifo, () => reader.GetHistory("x")), fifo);
            Assert.Equal(4, ((SecretRecord)Result(fifo, () => Write(reader, t.Owner, "x", "four"))).Version);
        }

        [UnixFact]
        public void AFifoAsALogEntryIsRefusedAtOnceAndLeavesTheLockFree()
        {
            using var t = new TestStore();
            using var bob = UnlockedIdentity.Generate("bob");
            t.Store.AddMember(bob.Recipient, "bob", MemberRole.Member, t.Owner);
            Write(t.Store, t.Owner, "x", "one");
            var opened = t.Reopen();
            var fifo = Path.Combine(t.StorePath, "log", "2.entry");
            MakeFifo(fifo);

            var onOpen = Assert.IsType<SecurityViolationException>(Outcome(fifo, () => t.Reopen()));
            Assert.Equal(("StoreLogInvalid", fifo), (onOpen.ErrorId, onOpen.FilePath));
            Assert.Contains("not a regular file", onOpen.Message);

            // A writer reads the log again under the lock.
            var onWrite = Assert.IsType<SecurityViolationException>(Outcome(fifo, () => Write(opened, t.Owner, "x", "two")));
            Assert.Equal(("StoreLogInvalid", fifo), (onWrite.ErrorId, onWrite.FilePath));
            AssertLockFree(t);

            File.Delete(fifo);
            Assert.Equal(2, ((SecretRecord)Result(fifo, () => Write(opened, t.Owner, "x", "two"))).Version);
        }

        [UnixFact]
        public void AFifoAsTheManifestIsRefusedAtOnceAndLeavesTheLockFree()
        {
            using var t = new TestStore();
            Write(t.Store, t.Owner, "x", "one");
            var opened = t.Reopen();
            var manifest = Path.Combine(t.StorePath, StoreManifest.FileName);
            var saved = File.ReadAllBytes(manifest);
            File.Delete(manifest);
            MakeFifo(manifest);

            var onOpen = Assert.IsType<InvalidFileException>(Outcome(manifest, () => t.Reopen()));
            Assert.Equal(("ManifestInvalid", manifest), (onOpen.ErrorId, onOpen.FilePath));
            Assert.Contains("not a regular file", onOpen.Message);

            // A writer reads the manifest again under the lock.
            var onWrite = Assert.IsType<InvalidFileException>(Outcome(manifest, () => Write(opened, t.Owner, "x", "two")));
            Assert.Equal(("ManifestInvalid", manifest), (onWrite.ErrorId, onWrite.FilePath));
            AssertLockFree(t);

            File.Delete(manifest);
            File.WriteAllBytes(manifest, saved);
            Assert.Equal(2, ((SecretRecord)Result(manifest, () => Write(opened, t.Owner, "x", "two"))).Version);
        }

        [UnixFact]
        public void TheOpenItselfRefusesALinkAndAFifo()
        {
            // What the check before opening misses (a file swapped for a link or a FIFO after it),
            // the open refuses: O_NOFOLLOW, then the seek.
            using var folder = new TempFolder();
            var plain = folder.Combine("plain");
            File.WriteAllText(plain, "content");
            var link = folder.Combine("link");
            File.CreateSymbolicLink(link, plain);
            var fifo = folder.Combine("fifo");
            MakeFifo(fifo);
            Func<string, Exception> invalid = problem => new InvalidFileException("SecretFileInvalid", "f", problem);

            Assert.Contains("link", Assert.IsType<InvalidFileException>(Outcome(link, () => Secrets.Core.Platform.RegularFile.OpenRead(link, allowLink: false, invalid).Dispose())).Message);
            using (var followed = Secrets.Core.Platform.RegularFile.OpenRead(link, allowLink: true, invalid))
            {
                Assert.Equal(7, followed.Length);
            }

            Assert.Contains("not a regular file", Assert.IsType<InvalidFileException>(Outcome(fifo, () => Secrets.Core.Platform.RegularFile.OpenRead(fifo, allowLink: true, invalid).Dispose())).Message);
            using var read = Secrets.Core.Platform.RegularFile.OpenRead(plain, allowLink: false, invalid);
            Assert.Equal("content", new StreamReader(read).ReadToEnd());
        }

        private static SecretRecord Write(SecretStore store, UnlockedIdentity owner, string name, string text)
        {
            using var value = SecretValue.FromString(text);
            return store.Write(name, value, null, owner, WriteMode.CreateOrUpdate);
        }

        private static void AssertNotRegular(Exception? error, string file)
        {
            var invalid = Assert.IsType<InvalidFileException>(error);
            Assert.Equal(file, invalid.FilePath);
            Assert.Contains("not a regular file", invalid.Message);
        }

        private static void AssertLockFree(TestStore t)
        {
            using var held = StoreLock.Acquire(t.StorePath, TimeSpan.FromSeconds(1));
        }

        /// <summary>Runs the operation and returns what it threw (null if nothing); fails if it does not return promptly.</summary>
        private static Exception? Outcome(string fifo, Action operation)
        {
            try
            {
                Result(fifo, () =>
                {
                    operation();
                    return 0;
                });
                return null;
            }
            catch (AggregateException e) when (e.InnerException != null)
            {
                return e.InnerException;
            }
        }

        private static object Result(string fifo, Func<object> operation)
        {
            var task = Task.Run(operation);
            if (!task.Wait(Prompt) && !task.IsFaulted)
            {
                // Open the FIFO's other end so the operation, and the lock it may hold, are released.
                Release(fifo);
                Assert.Fail($"The operation did not return within {Prompt.TotalSeconds:0} s: it waited on the FIFO '{fifo}'.");
            }

            return task.Result;
        }

        private static void MakeFifo(string path)
        {
            Assert.True(mkfifo(path, 0x180) == 0, $"mkfifo failed (errno {Marshal.GetLastWin32Error()}).");
        }

        private static void Release(string fifo)
        {
            int fd = open(fifo, 1 | (OperatingSystem.IsMacOS() ? 0x4 : 0x800)); // O_WRONLY | O_NONBLOCK
            if (fd >= 0)
            {
                close(fd);
            }
        }

#pragma warning disable SA1300 // the C names
        [DllImport("libc", SetLastError = true)]
        private static extern int mkfifo(string path, uint mode);

        [DllImport("libc", SetLastError = true)]
        private static extern int open(string path, int flags);

        [DllImport("libc")]
        private static extern int close(int fd);
#pragma warning restore SA1300
    }
}
