using System.IO;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Store;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Store
{
    public class ListingTests
    {
        [Fact]
        public void ListsEverySecretSortedByCanonicalName()
        {
            using var t = new TestStore();
            foreach (var name in new[] { "prod/db", "Dev/API", "con/x", "a", "prod/web" })
            {
                Write(t, name, "v");
            }

            var listed = t.Reopen().List().ToList();
            Assert.Equal(new[] { "a", "con/x", "dev/api", "prod/db", "prod/web" }, listed.Select(l => l.CanonicalName));
            Assert.All(listed, l => Assert.Null(l.Error));
            Assert.Equal("Dev/API", listed.Single(l => l.CanonicalName == "dev/api").Record!.Name);
        }

        [Fact]
        public void FilterSeesCanonicalNames()
        {
            using var t = new TestStore();
            foreach (var name in new[] { "Prod/DB", "prod/web", "dev/db" })
            {
                Write(t, name, "v");
            }

            var listed = t.Reopen().List(name => name.StartsWith("prod/")).Select(l => l.CanonicalName);
            Assert.Equal(new[] { "prod/db", "prod/web" }, listed);
        }

        [Fact]
        public void UnreadableSecretIsListedWithItsErrorAndTheListingGoesOn()
        {
            using var t = new TestStore();
            Write(t, "a", "v");
            Write(t, "b", "v");
            Write(t, "c", "v");
            var damaged = t.VersionFile("b", 1);
            var bytes = File.ReadAllBytes(damaged);
            bytes[40] ^= 1;
            File.WriteAllBytes(damaged, bytes);

            var listed = t.Reopen().List().ToList();
            Assert.Equal(new[] { "a", "b", "c" }, listed.Select(l => l.CanonicalName));
            Assert.NotNull(listed[0].Record);
            Assert.NotNull(listed[2].Record);
            Assert.Null(listed[1].Record);
            var error = Assert.IsType<InvalidFileException>(listed[1].Error);
            Assert.Equal("SecretFileInvalid", error.ErrorId);
            Assert.Equal(damaged, error.FilePath);
        }

        [Fact]
        public void RolledBackSecretIsListedWithItsError()
        {
            using var t = new TestStore();
            Write(t, "a", "v1");
            Write(t, "a", "v2");
            Write(t, "b", "v");
            File.Delete(t.VersionFile("a", 2));

            var listed = t.Reopen().List().ToList();
            Assert.Equal("RollbackDetected", Assert.IsType<SecurityViolationException>(listed[0].Error).ErrorId);
            Assert.NotNull(listed[1].Record);
        }

        [Fact]
        public void RemovedSecretsAreAbsent()
        {
            using var t = new TestStore();
            Write(t, "a", "v");
            Write(t, "b", "v");
            t.Store.Remove("a", t.Owner);
            Assert.Equal(new[] { "b" }, t.Reopen().List().Select(l => l.CanonicalName));
        }

        [Fact]
        public void FoldersAndFilesSecretsDoesNotWriteAreIgnored()
        {
            using var t = new TestStore();
            Write(t, "a", "v");
            var secrets = Path.Combine(t.StorePath, "secrets");
            Directory.CreateDirectory(Path.Combine(secrets, "Upper"));
            Directory.CreateDirectory(Path.Combine(secrets, "con.x"));
            Directory.CreateDirectory(Path.Combine(secrets, "empty"));
            File.WriteAllText(Path.Combine(secrets, "stray.txt"), "x");

            var listed = t.Reopen().List().ToList();
            Assert.Equal(new[] { "a" }, listed.Select(l => l.CanonicalName));
        }

        [Fact]
        public void EmptyStoreListsNothing()
        {
            using var t = new TestStore();
            Assert.Empty(t.Reopen().List());
        }

        private static void Write(TestStore t, string name, string text)
        {
            using var value = SecretValue.FromString(text);
            t.Store.Write(name, value, null, t.Owner, WriteMode.CreateOrUpdate);
        }
    }
}
