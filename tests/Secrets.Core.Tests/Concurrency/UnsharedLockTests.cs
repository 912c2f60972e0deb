using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Concurrency
{
    /// <summary>
    /// Writers that do not see each other's store lock (a file system that does not share locks
    /// between machines, or a process with file locking turned off) still lose nothing: a version
    /// file or a log entry appears only under a name that was free, and the writer that finds the
    /// name taken writes again under the next one.
    /// </summary>
    public class UnsharedLockTests
    {
        private const int Processes = 4;
        private const int WritesPerProcess = 8;

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void ProcessesWritingOneSecretAndTheLogLoseNothing(bool fileLocking)
        {
            using var store = new WorkerStore(keepVersions: 1000);
            var environment = fileLocking ? null : new Dictionary<string, string> { ["DOTNET_SYSTEM_IO_DISABLEFILELOCKING"] = "1" };
            var workers = new List<Worker>();
            try
            {
                for (int p = 0; p < Processes; p++)
                {
                    workers.Add(store.Start(environment, "race", $"p{p}", WritesPerProcess.ToString()));
                }

                foreach (var worker in workers)
                {
                    Assert.Equal(fileLocking ? "file locking on" : "file locking off", worker.ReadLine(TimeSpan.FromSeconds(60)));
                    Assert.Equal("ready", worker.ReadLine(TimeSpan.FromSeconds(60)));
                }

                foreach (var worker in workers)
                {
                    worker.WriteLine("go");
                }

                foreach (var worker in workers)
                {
                    Assert.Equal("done", worker.ReadLine(TimeSpan.FromSeconds(120)));
                    worker.AssertExitsCleanly(TimeSpan.FromSeconds(30));
                }
            }
            finally
            {
                workers.ForEach(w => w.Dispose());
            }

            // Every value written is a version of its own, numbered without gaps.
            int total = Processes * WritesPerProcess;
            var reader = store.Open();
            Assert.Equal(Enumerable.Range(1, total), reader.GetInfo("shared").Versions);
            var values = Enumerable.Range(1, total).Select(v =>
            {
                using var value = reader.Read("shared", store.Owner, v);
                return value.GetText();
            }).OrderBy(v => v, StringComparer.Ordinal);
            var written = Enumerable.Range(0, Processes).SelectMany(p => Enumerable.Range(0, WritesPerProcess).Select(i => $"p{p}-{i}"));
            Assert.Equal(written.OrderBy(v => v, StringComparer.Ordinal), values);

            // Every member added is in the log once, and the log replays (no entry was replaced).
            var members = reader.GetMembers().Where(m => m.Role == MemberRole.Member).Select(m => m.Name).OrderBy(n => n, StringComparer.Ordinal);
            var added = Enumerable.Range(0, Processes).SelectMany(p => Enumerable.Range(0, WritesPerProcess).Select(i => $"p{p}-m{i}"));
            Assert.Equal(added.OrderBy(n => n, StringComparer.Ordinal), members);
            Assert.Equal(total, Directory.GetFiles(Path.Combine(store.StorePath, "log"), "*.entry").Length);
        }

        [Fact]
        public void AFolderInTheWayOfTheNextVersionIsReportedNotRetriedForever()
        {
            using var t = new TestStore();
            using var value = SecretValue.FromString("one");
            t.Store.Write("x", value, null, t.Owner, WriteMode.CreateOnly);
            Directory.CreateDirectory(t.VersionFile("x", 2));
            var error = Assert.Throws<InvalidFileException>(() => t.Store.Write("x", value, null, t.Owner, WriteMode.CreateOrUpdate));
            Assert.Equal(t.VersionFile("x", 2), error.FilePath);
            Assert.Contains("not a version file", error.Message);
        }

        [Fact]
        public void AFolderInTheWayOfTheNextLogEntryIsReportedNotRetriedForever()
        {
            using var t = new TestStore();
            using var bob = UnlockedIdentity.Generate("bob");
            using var carol = UnlockedIdentity.Generate("carol");
            t.Store.AddMember(bob.Recipient, "bob", MemberRole.Member, t.Owner);
            var next = Path.Combine(t.StorePath, "log", "2.entry");
            Directory.CreateDirectory(next);
            var error = Assert.Throws<SecurityViolationException>(() => t.Store.AddMember(carol.Recipient, "carol", MemberRole.Member, t.Owner));
            Assert.Equal("StoreLogInvalid", error.ErrorId);
            Assert.Equal(next, error.FilePath);
        }
    }
}
