using System.IO;
using Secrets.Core.Errors;
using Secrets.Core.Store;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Tamper
{
    /// <summary>An older version put in the place of a newer one that this user has seen.</summary>
    public class RollbackTests
    {
        [Fact]
        public void DeletedNewestVersionIsRollback()
        {
            using var t = new TestStore();
            WriteVersions(t, "a", 3);
            Assert.Equal("value 3", Read(t.Reopen(), t, "a"));

            File.Delete(t.VersionFile("a", 3));
            AssertRollback(() => t.Reopen().Read("a", t.Owner), t);
            AssertRollback(() => t.Reopen().GetInfo("a"), t);

            File.Delete(t.VersionFile("a", 2));
            AssertRollback(() => t.Reopen().Read("a", t.Owner), t);
        }

        [Fact]
        public void ExplicitVersionsStillReadAfterARollback()
        {
            using var t = new TestStore();
            WriteVersions(t, "a", 3);
            File.Delete(t.VersionFile("a", 3));

            var reader = t.Reopen();
            AssertRollback(() => reader.Read("a", t.Owner), t);
            using (var v1 = reader.Read("a", t.Owner, 1))
            using (var v2 = reader.Read("a", t.Owner, 2))
            {
                Assert.Equal("value 1", v1.GetText());
                Assert.Equal("value 2", v2.GetText());
            }

            var missing = Assert.Throws<SecretNotFoundException>(() => reader.Read("a", t.Owner, 3));
            Assert.Equal("SecretVersionNotFound", missing.ErrorId);
        }

        [Fact]
        public void WritersRefuseToWriteOverARollback()
        {
            using var t = new TestStore();
            WriteVersions(t, "a", 3);
            File.Delete(t.VersionFile("a", 3));

            using var value = SecretValue.FromString("would be version 3 again");
            AssertRollback(() => t.Store.Write("a", value, null, t.Owner, WriteMode.CreateOrUpdate), t);
            Assert.False(File.Exists(t.VersionFile("a", 3)));
        }

        [Fact]
        public void OlderCopyOfTheSecretsFolderRestoredIsRollback()
        {
            using var t = new TestStore();
            WriteVersions(t, "a", 2);
            var folder = Path.GetDirectoryName(t.VersionFile("a", 1))!;
            var backup = Path.Combine(t.Root, "backup");
            CopyFolder(folder, backup);

            WriteVersions(t, "a", 2, first: 3);
            Assert.Equal("value 4", Read(t.Reopen(), t, "a"));

            Directory.Delete(folder, recursive: true);
            CopyFolder(backup, folder);
            AssertRollback(() => t.Reopen().Read("a", t.Owner), t);
            using var old = t.Reopen().Read("a", t.Owner, 2);
            Assert.Equal("value 2", old.GetText());
        }

        [Fact]
        public void ReaderWhoNeverSawTheNewerVersionCannotTell()
        {
            // Documented limit (FORMAT.md, threat model): detection needs local state.
            using var t = new TestStore();
            WriteVersions(t, "a", 3);
            File.Delete(t.VersionFile("a", 3));
            var fresh = SecretStore.Open(t.StorePath, Path.Combine(t.Root, "fresh-state"));
            Assert.Equal("value 2", Read(fresh, t, "a"));
        }

        [Fact]
        public void EveryVersionFileDeletedIsNotFoundForReadersAndRollbackForWriters()
        {
            using var t = new TestStore();
            WriteVersions(t, "a", 2);
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(t.VersionFile("a", 1))!))
            {
                File.Delete(file);
            }

            Assert.Throws<SecretNotFoundException>(() => t.Reopen().Read("a", t.Owner));
            using var value = SecretValue.FromString("v");
            AssertRollback(() => t.Store.Write("a", value, null, t.Owner, WriteMode.CreateOnly), t);
        }

        [Fact]
        public void RemovedSecretCreatedAgainContinuesNumberingAndIsAccepted()
        {
            using var t = new TestStore();
            WriteVersions(t, "a", 2);
            var otherReader = Path.Combine(t.Root, "other-reader");
            Assert.Equal("value 2", Read(SecretStore.Open(t.StorePath, otherReader), t, "a"));

            var removed = t.Store.Remove("a", t.Owner);
            Assert.Equal(2, removed.Version);
            Assert.Throws<SecretNotFoundException>(() => t.Reopen().Read("a", t.Owner));
            Assert.False(File.Exists(t.VersionFile("a", 1)));
            Assert.False(File.Exists(t.VersionFile("a", 2)));
            Assert.True(File.Exists(t.VersionFile("a", 3)));

            using (var value = SecretValue.FromString("born again"))
            {
                var created = t.Store.Write("a", value, null, t.Owner, WriteMode.CreateOnly);
                Assert.Equal(4, created.Version);

                // The tombstone has done its work: only the new version is listed and kept.
                Assert.Equal(new[] { 4 }, created.Versions);
                Assert.False(File.Exists(t.VersionFile("a", 3)));
            }

            var tombstone = Assert.Throws<SecretNotFoundException>(() => t.Reopen().Read("a", t.Owner, 3));
            Assert.Equal("SecretVersionNotFound", tombstone.ErrorId);
            Assert.Equal("born again", Read(t.Reopen(), t, "a"));
            Assert.Equal("born again", Read(SecretStore.Open(t.StorePath, otherReader), t, "a"));
        }

        private static void AssertRollback(System.Action action, TestStore t)
        {
            var error = Assert.Throws<SecurityViolationException>(action);
            Assert.Equal("RollbackDetected", error.ErrorId);
            Assert.Equal(FailureKind.Security, error.Kind);
            Assert.Equal(Path.GetDirectoryName(t.VersionFile("a", 1)), error.FilePath);
        }

        private static void AssertRollback(System.Func<object> action, TestStore t) => AssertRollback(() => { action(); }, t);

        private static string Read(SecretStore store, TestStore t, string name)
        {
            using var value = store.Read(name, t.Owner);
            return value.GetText();
        }

        private static void WriteVersions(TestStore t, string name, int count, int first = 1)
        {
            for (int i = first; i < first + count; i++)
            {
                using var value = SecretValue.FromString($"value {i}");
                Assert.Equal(i, t.Store.Write(name, value, null, t.Owner, WriteMode.CreateOrUpdate).Version);
            }
        }

        private static void CopyFolder(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (var file in Directory.GetFiles(from))
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }
        }
    }
}
