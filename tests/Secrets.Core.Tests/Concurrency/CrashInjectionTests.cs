using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Store;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Concurrency
{
    /// <summary>A write interrupted after each of its steps: old or new version, lock released, no plaintext on disk.</summary>
    public class CrashInjectionTests
    {
        private const string NewPlaintext = "NEW-PLAINTEXT-a7c3e9f1-never-on-disk";

        public static readonly TheoryData<WriteStep, bool> Steps = new TheoryData<WriteStep, bool>
        {
            // The step after which the write is interrupted, and whether the new version is then in place.
            { WriteStep.LockAcquired, false },
            { WriteStep.TempFileWritten, false },
            { WriteStep.Renamed, true },
            { WriteStep.SeenRecorded, true },
            { WriteStep.Pruned, true },
        };

        [Theory]
        [MemberData(nameof(Steps))]
        public void InterruptedUpdateLeavesTheOldOrTheNewVersion(WriteStep step, bool newInPlace)
        {
            using var t = new TestStore();
            Write(t.Store, t, "old value");
            var folder = Path.GetDirectoryName(t.VersionFile("a", 1))!;
            var tempsAtCrash = CrashDuring(t, step, folder, store => Write(store, t, NewPlaintext));

            using (var value = t.Reopen().Read("a", t.Owner, null, out var record))
            {
                Assert.Equal(newInPlace ? NewPlaintext : "old value", value.GetText());
                Assert.Equal(newInPlace ? 2 : 1, record.Version);
            }

            AssertNoPlaintext(tempsAtCrash.Concat(TempFiles(folder)), NewPlaintext);

            // The lock was released: the next write goes through at once, and cleans up.
            var next = t.Reopen();
            next.LockTimeout = TimeSpan.FromSeconds(2);
            Assert.Equal(newInPlace ? 3 : 2, Write(next, t, "after the crash").Version);
            Assert.Empty(TempFiles(folder));
        }

        [Theory]
        [MemberData(nameof(Steps))]
        public void InterruptedFirstWriteLeavesNoSecretOrTheNewOne(WriteStep step, bool newInPlace)
        {
            using var t = new TestStore();
            var folder = Path.GetDirectoryName(t.VersionFile("a", 1))!;
            var tempsAtCrash = CrashDuring(t, step, folder, store => Write(store, t, NewPlaintext));

            if (newInPlace)
            {
                using var value = t.Reopen().Read("a", t.Owner);
                Assert.Equal(NewPlaintext, value.GetText());
            }
            else
            {
                Assert.Throws<SecretNotFoundException>(() => t.Reopen().Read("a", t.Owner));
            }

            AssertNoPlaintext(tempsAtCrash.Concat(TempFiles(folder)), NewPlaintext);
            Assert.Equal(newInPlace ? 2 : 1, Write(t.Reopen(), t, "after the crash").Version);
        }

        [Theory]
        [MemberData(nameof(Steps))]
        public void InterruptedRemovalLeavesTheSecretOrItsTombstone(WriteStep step, bool tombstoneInPlace)
        {
            using var t = new TestStore();
            Write(t.Store, t, "v1");
            Write(t.Store, t, "v2");
            var folder = Path.GetDirectoryName(t.VersionFile("a", 1))!;
            CrashDuring(t, step, folder, store => store.Remove("a", t.Owner));

            if (tombstoneInPlace)
            {
                Assert.Throws<SecretNotFoundException>(() => t.Reopen().Read("a", t.Owner));
            }
            else
            {
                using var value = t.Reopen().Read("a", t.Owner);
                Assert.Equal("v2", value.GetText());
            }

            // The next write completes a removal that was interrupted before its pruning: the
            // removed versions do not outlive it (nor reappear in the new secret's history).
            var record = Write(t.Reopen(), t, "again");
            Assert.Equal(tombstoneInPlace ? new[] { 4 } : new[] { 1, 2, 3 }, record.Versions);
            Assert.Equal(tombstoneInPlace ? new[] { 4 } : new[] { 1, 2, 3 }, t.Reopen().GetHistory("a").Select(r => r.Version));
        }

        [Fact]
        public void VersionsLeftByACrashBeforePruningArePrunedByTheNextWrite()
        {
            using var t = new TestStore(keepVersions: 2);
            Write(t.Store, t, "v1");
            Write(t.Store, t, "v2");
            var folder = Path.GetDirectoryName(t.VersionFile("a", 1))!;
            CrashDuring(t, WriteStep.SeenRecorded, folder, store => Write(store, t, "v3"));
            Assert.Equal(new[] { 1, 2, 3 }, t.Reopen().GetInfo("a").Versions);

            Assert.Equal(new[] { 3, 4 }, Write(t.Reopen(), t, "v4").Versions);
        }

        [Fact]
        public void TheTemporaryFileIsTheCompleteCiphertextFile()
        {
            using var t = new TestStore();
            var folder = Path.GetDirectoryName(t.VersionFile("a", 1))!;
            var temps = CrashDuring(t, WriteStep.TempFileWritten, folder, store => Write(store, t, NewPlaintext));
            var temp = Assert.Single(temps);
            var header = SecretFileFormat.Parse(temp);
            Assert.Equal("a", header.Name);
            Assert.Equal(1, header.Version);
            using var value = SecretFileFormat.Decrypt(header, t.Owner);
            Assert.Equal(NewPlaintext, value!.GetText());
        }

        /// <summary>Runs a write that throws after <paramref name="step"/>; returns the temporary files present at that moment.</summary>
        private static List<byte[]> CrashDuring(TestStore t, WriteStep step, string folder, Action<SecretStore> write)
        {
            var temps = new List<byte[]>();
            var store = t.Reopen();
            store.FaultInjector = current =>
            {
                if (current == step)
                {
                    temps.AddRange(TempFiles(folder));
                    throw new SimulatedCrash();
                }
            };
            Assert.Throws<SimulatedCrash>(() => write(store));
            if (step == WriteStep.TempFileWritten)
            {
                Assert.NotEmpty(temps);
            }

            return temps;
        }

        private static IEnumerable<byte[]> TempFiles(string folder) =>
            Directory.Exists(folder)
                ? Directory.EnumerateFiles(folder, "*.tmp").Select(File.ReadAllBytes).ToList()
                : Enumerable.Empty<byte[]>();

        private static void AssertNoPlaintext(IEnumerable<byte[]> files, string plaintext)
        {
            foreach (var file in files)
            {
                Assert.False(PlaintextOnDisk.HoldsPlaintext(file, Encoding.UTF8.GetBytes(plaintext)), "a temporary file holds the plaintext");
            }
        }

        private static SecretRecord Write(SecretStore store, TestStore t, string text)
        {
            using var value = SecretValue.FromString(text);
            return store.Write("a", value, null, t.Owner, WriteMode.CreateOrUpdate);
        }

        private sealed class SimulatedCrash : Exception
        {
        }
    }
}
