using System;
using System.IO;
using System.Linq;
using System.Threading;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Secrets.Core.Tests.Sharing;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Cache
{
    [CollectionDefinition("Settle window", DisableParallelization = true)]
    public sealed class SettleWindowCollection
    {
    }

    /// <summary>
    /// The tampering, rollbacks and forgeries the store detects, done after the cache of what was
    /// verified is warm (listings use it and read no file): still detected the next time it matters,
    /// in the same process (change notifications) and in a new one (the saved cache, whose stamps
    /// are checked). Files are left alone longer than the settle window before the cache is filled,
    /// so the stamps are trusted and nothing but a change can make the store look again.
    /// </summary>
    [Collection("Settle window")]
    public sealed class WarmCacheTests : IDisposable
    {
        public WarmCacheTests() => StoreCache.SettleTime = TimeSpan.FromMilliseconds(150);

        public void Dispose() => StoreCache.SettleTime = TimeSpan.FromSeconds(2);

        public static TheoryData<bool> Processes() => new TheoryData<bool> { false, true };

        /// <summary>Lets the files settle, lists (filling the cache), and checks that a second listing verifies nothing.</summary>
        private static void Warm(Func<SecretStore> open)
        {
            Thread.Sleep(300);
            Assert.All(open().List(), l => Assert.Null(l.Error));
            int before = StoreCache.Verifications;
            Assert.All(open().List(), l => Assert.Null(l.Error));
            Assert.Equal(before, StoreCache.Verifications);
        }

        /// <summary>What a listing reports of a secret, in this process or (after forgetting the cache) in a new one.</summary>
        private static SecretsException? Listed(Func<SecretStore> open, string canonical, bool newProcess)
        {
            if (newProcess)
            {
                StoreCache.Clear();
            }

            return open().List().Single(l => l.CanonicalName == canonical).Error;
        }

        /// <summary>Changes one byte near the end of a file in place and puts its modification time back.</summary>
        private static void EditInPlaceKeepingTimes(string file)
        {
            var modified = File.GetLastWriteTimeUtc(file);
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite))
            {
                stream.Position = stream.Length - 10;
                int b = stream.ReadByte();
                stream.Position = stream.Length - 10;
                stream.WriteByte((byte)(b == 'A' ? 'B' : 'A'));
            }

            File.SetLastWriteTimeUtc(file, modified);
        }

        private static void Write(SecretStore store, UnlockedIdentity who, string name, string value)
        {
            using var secret = SecretValue.FromString(value);
            store.Write(name, secret, null, who, WriteMode.CreateOrUpdate);
        }

        [Theory]
        [MemberData(nameof(Processes))]
        public void AVersionFileChangedInPlaceWithItsTimesPutBackIsDetected(bool newProcess)
        {
            using var t = new TestStore();
            Write(t.Store, t.Owner, "a", "one");
            Write(t.Store, t.Owner, "a", "two");
            Warm(t.Reopen);

            var file = t.VersionFile("a", 2);
            EditInPlaceKeepingTimes(file);
            var error = Assert.IsType<InvalidFileException>(Listed(t.Reopen, "a", newProcess));
            Assert.Equal("SecretFileInvalid", error.ErrorId);
            Assert.Equal(file, error.FilePath);
        }

        [Theory]
        [MemberData(nameof(Processes))]
        public void TheNewestVersionDeletedIsARollback(bool newProcess)
        {
            using var t = new TestStore();
            Write(t.Store, t.Owner, "a", "one");
            Write(t.Store, t.Owner, "a", "two");
            Warm(t.Reopen);

            File.Delete(t.VersionFile("a", 2));
            Assert.Equal("RollbackDetected", Listed(t.Reopen, "a", newProcess)!.ErrorId);
        }

        [Theory]
        [MemberData(nameof(Processes))]
        public void AVersionWrittenByAnotherKeyIsAnUnauthorizedWriter(bool newProcess)
        {
            using var t = new TestStore();
            using var mallory = UnlockedIdentity.Generate("mallory");
            Write(t.Store, t.Owner, "a", "one");
            Warm(t.Reopen);

            File.WriteAllBytes(t.VersionFile("a", 2), FileForge.Secret(t.Store.Manifest.Id, "a", 2, "String",
                FileForge.Padded(0x01, System.Text.Encoding.UTF8.GetBytes("forged")), mallory, new[] { t.Owner.Recipient }, previous: FileForge.HashOf(t.VersionFile("a", 1))));
            Assert.Equal("UnauthorizedWriter", Listed(t.Reopen, "a", newProcess)!.ErrorId);
        }

        [Theory]
        [MemberData(nameof(Processes))]
        public void AStoreLogEntryEditedInPlaceWithItsTimesPutBackIsDetected(bool newProcess)
        {
            using var team = new Team();
            team.Alice.Write("prod/db", "value");
            Warm(() => team.Alice.Store);

            var entry = team.LogEntry(1);
            var modified = File.GetLastWriteTimeUtc(entry);
            var bytes = File.ReadAllBytes(entry);
            int at = Array.LastIndexOf(bytes, (byte)'\n', bytes.Length - 2) - 3;
            bytes[at] = (byte)(bytes[at] == 'A' ? 'B' : 'A');
            using (var stream = new FileStream(entry, FileMode.Open, FileAccess.Write))
            {
                stream.Write(bytes, 0, bytes.Length);
            }

            File.SetLastWriteTimeUtc(entry, modified);
            if (newProcess)
            {
                StoreCache.Clear();
            }

            var error = Assert.Throws<SecurityViolationException>(() => team.Alice.Store);
            Assert.Equal("StoreLogInvalid", error.ErrorId);
            Assert.Equal(entry, error.FilePath);
        }

        [Theory]
        [MemberData(nameof(Processes))]
        public void AStoreLogEntryRemovedIsARollback(bool newProcess)
        {
            using var team = new Team();
            team.Alice.Write("prod/db", "value");
            Warm(() => team.Alice.Store);

            File.Delete(team.LogEntry(team.LogCount));
            if (newProcess)
            {
                StoreCache.Clear();
            }

            Assert.Equal("RollbackDetected", Assert.Throws<SecurityViolationException>(() => team.Alice.Store).ErrorId);
        }

        [Theory]
        [MemberData(nameof(Processes))]
        public void AStoreLogEntryBySomeoneNotEntitledIsRefused(bool newProcess)
        {
            using var team = new Team();
            using var mallory = new Person("mallory", team.Root, team.StorePath);
            team.Alice.Write("prod/db", "value");
            Warm(() => team.Alice.Store);

            // Bob, a member, appends an entry that adds mallory, which only the owner or an admin may.
            team.Bob.Store.GetType();
            var bobsView = SecretStore.Open(team.StorePath, team.Bob.StateRoot);
            Assert.Equal("AccessDenied", Assert.Throws<SecretsException>(() => bobsView.AddMember(mallory.Identity.Recipient, "mallory", MemberRole.Member, team.Bob.Identity)).ErrorId);
            var log = typeof(SecretStore).Assembly.GetType("Secrets.Core.Store.StoreLog", true)!;
            var loaded = log.GetMethod("Load", new[] { typeof(string), typeof(StoreManifest) })!.Invoke(null, new object[] { team.StorePath, bobsView.Manifest })!;
            log.GetMethod("AppendMember")!.Invoke(loaded, new object?[] { team.StoreId, "add-member", mallory.Identity.Recipient, "mallory", MemberRole.Member, team.Bob.Identity });
            if (newProcess)
            {
                StoreCache.Clear();
            }

            Assert.Equal("StoreLogInvalid", Assert.Throws<SecurityViolationException>(() => team.Alice.Store).ErrorId);
        }

        [Theory]
        [MemberData(nameof(Processes))]
        public void AnOlderManifestPutBackIsARollbackAndAnotherOwnerIsRefused(bool newProcess)
        {
            using var t = new TestStore();
            using var mallory = UnlockedIdentity.Generate("mallory");
            Write(t.Store, t.Owner, "a", "one");
            var manifestPath = Path.Combine(t.StorePath, StoreManifest.FileName);
            var old = File.ReadAllBytes(manifestPath);
            t.Store.SetKeepVersions(20, t.Owner);
            Warm(t.Reopen);

            File.WriteAllBytes(manifestPath, old);
            if (newProcess)
            {
                StoreCache.Clear();
            }

            Assert.Equal("RollbackDetected", Assert.Throws<SecurityViolationException>(() => t.Reopen()).ErrorId);

            var forged = new StoreManifest(t.Store.Manifest.Id, t.Store.Manifest.Created, mallory.Recipient, "alice", 20, 3);
            File.WriteAllBytes(manifestPath, forged.Serialize(mallory));
            Assert.Equal("StoreOwnerChanged", Assert.Throws<SecurityViolationException>(() => t.Reopen()).ErrorId);
        }

        [Theory]
        [MemberData(nameof(Processes))]
        public void AWriterWhoseAccessEndedElsewhereIsRefusedByAWarmListing(bool newProcess)
        {
            using var team = new Team();
            team.Alice.Write("ci/key", "value");
            team.Alice.Store.Grant("ci/key", "bob", AccessLevel.Write, team.Alice.Identity);
            team.Bob.Write("ci/key", "from bob");
            Warm(() => team.Carol.Store);

            // Another process records bob's removal and stops before writing the secret again.
            var store = SecretStore.Open(team.StorePath, team.Alice.StateRoot);
            store.FaultInjector = step =>
            {
                if (step == WriteStep.TempFileWritten)
                {
                    throw new OperationCanceledException();
                }
            };
            Assert.Throws<OperationCanceledException>(() => store.RemoveMember("bob", team.Alice.Identity));
            Assert.Equal("UnauthorizedWriter", Listed(() => team.Carol.Store, "ci/key", newProcess)!.ErrorId);
        }

        [Fact]
        public void ANewProcessTakesUpTheSavedSnapshotWithoutVerifyingAgain()
        {
            using var team = new Team();
            team.Alice.Write("app/one", "1");
            team.Alice.Write("app/two", "2");
            team.Alice.Store.Grant("app/two", "bob", AccessLevel.Read, team.Alice.Identity);
            Warm(() => team.Alice.Store);
            var before = team.Alice.Store.List().Select(l => Describe(l.Record!)).ToList();

            StoreCache.Clear();
            int verified = StoreCache.Verifications;
            var after = team.Alice.Store.List().Select(l => Describe(l.Record!)).ToList();

            Assert.Equal(verified, StoreCache.Verifications);
            Assert.Equal(before, after);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void AFileChangedAfterANewProcessListedIsDetected(int listings)
        {
            // A new process checks stamps on its first listing and watches folders from its second:
            // a change made between any two listings is seen.
            using var t = new TestStore();
            Write(t.Store, t.Owner, "a", "one");
            Write(t.Store, t.Owner, "a", "two");
            Warm(t.Reopen);
            StoreCache.Clear();
            for (int i = 0; i < listings; i++)
            {
                Assert.All(t.Reopen().List(), l => Assert.Null(l.Error));
            }

            var file = t.VersionFile("a", 2);
            EditInPlaceKeepingTimes(file);
            Assert.Equal("SecretFileInvalid", Listed(t.Reopen, "a", newProcess: false)!.ErrorId);
        }

        [Fact]
        public void ChangesAreSeenWhenANewProcessChecksManyEntriesAtOnce()
        {
            var saved = SecretSummaries.ParallelFrom;
            SecretSummaries.ParallelFrom = 1;
            try
            {
                using var t = new TestStore();
                foreach (var name in new[] { "a", "b", "c", "d", "e" })
                {
                    Write(t.Store, t.Owner, name, "one");
                }

                Warm(t.Reopen);
                StoreCache.Clear();

                // Edited in place with its times put back; a version added; one left alone.
                EditInPlaceKeepingTimes(t.VersionFile("b", 1));
                Write(SecretStore.Open(t.StorePath, t.StateRoot), t.Owner, "d", "two");

                int before = StoreCache.Verifications;
                var listed = t.Reopen().List().ToDictionary(l => l.CanonicalName);
                Assert.Equal("SecretFileInvalid", listed["b"].Error!.ErrorId);
                Assert.Equal(2, listed["d"].Record!.Version);
                Assert.All(new[] { "a", "c", "e" }, n => Assert.Null(listed[n].Error));
                Assert.Equal(before + 2, StoreCache.Verifications);
            }
            finally
            {
                SecretSummaries.ParallelFrom = saved;
            }
        }

        [Fact]
        public void SecretsAddedOrRemovedBeforeANewProcessListsAreSeen()
        {
            using var t = new TestStore();
            foreach (var name in new[] { "a", "b", "c" })
            {
                Write(t.Store, t.Owner, name, "one");
            }

            Warm(t.Reopen);
            Assert.Equal(new[] { "a", "b", "c" }, t.Reopen().List().Select(l => l.CanonicalName));

            // Another process adds one and a folder is deleted by hand; then a new process lists.
            StoreCache.Clear();
            Write(SecretStore.Open(t.StorePath, t.StateRoot), t.Owner, "d", "one");
            Directory.Delete(Path.GetDirectoryName(t.VersionFile("b", 1))!, recursive: true);
            StoreCache.Clear();
            Assert.Equal(new[] { "a", "c", "d" }, t.Reopen().List().Select(l => l.CanonicalName));

            // And once more after the names were kept again, with nothing changed.
            Thread.Sleep(300);
            Assert.Equal(new[] { "a", "c", "d" }, t.Reopen().List().Select(l => l.CanonicalName));
            StoreCache.Clear();
            Assert.Equal(new[] { "a", "c", "d" }, t.Reopen().List().Select(l => l.CanonicalName));
        }

        [Fact]
        public void AListingsRecordsCannotBeChangedThroughTheirMetadata()
        {
            using var t = new TestStore();
            using (var secret = SecretValue.FromString("v"))
            {
                var metadata = new SecretMetadata();
                metadata.Set("team", "ops");
                t.Store.Write("a", secret, metadata, t.Owner, WriteMode.CreateOrUpdate);
            }

            Warm(t.Reopen);
            var record = t.Reopen().List().Single().Record!;
            Assert.True(record.Metadata.IsFrozen);
            Assert.Throws<InvalidOperationException>(() => record.Metadata.Set("team", "dev"));
            Assert.Throws<InvalidOperationException>(() => record.Metadata.Remove("team"));

            var copy = record.Metadata.Clone();
            copy.Set("team", "dev");
            Assert.Equal("dev", copy["team"]);
            Assert.Equal("ops", t.Reopen().List().Single().Record!.Metadata["team"]);
        }

        private static string Describe(SecretRecord r) =>
            $"{r.Name} v{r.Version} {r.Type} {r.ModifiedBy} {r.WriterKey} {r.Modified:o} {string.Join(",", r.Versions)} {r.FilePath} "
            + string.Join(";", r.Metadata.Select(m => $"{m.Key}={m.Value}"));
    }
}
