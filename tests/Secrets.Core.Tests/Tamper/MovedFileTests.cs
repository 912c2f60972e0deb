using System.IO;
using Secrets.Core.Store;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Tamper
{
    /// <summary>Valid files moved where they do not belong: renamed, copied across secrets or stores.</summary>
    public class MovedFileTests
    {
        [Fact]
        public void VersionRenamedToAHigherVersionIsRefused()
        {
            using var t = new TestStore();
            Write(t, "a", "one");
            Write(t, "a", "two");
            File.Move(t.VersionFile("a", 2), t.VersionFile("a", 3));

            var error = Detected.InvalidFile(() => t.Reopen().Read("a", t.Owner), "SecretFileInvalid", t.VersionFile("a", 3));
            Assert.Contains("holds version 2 but is named for version 3", error.Message);
        }

        [Fact]
        public void OlderVersionCopiedOverTheNewestIsRefused()
        {
            using var t = new TestStore();
            Write(t, "a", "one");
            Write(t, "a", "two");
            File.Copy(t.VersionFile("a", 1), t.VersionFile("a", 2), overwrite: true);

            var error = Detected.InvalidFile(() => t.Reopen().Read("a", t.Owner), "SecretFileInvalid", t.VersionFile("a", 2));
            Assert.Contains("holds version 1 but is named for version 2", error.Message);
        }

        [Fact]
        public void VersionCopiedIntoAnotherSecretsFolderIsRefused()
        {
            using var t = new TestStore();
            Write(t, "a", "value of a");
            Write(t, "a", "value of a, 2");
            Write(t, "b", "value of b");
            File.Copy(t.VersionFile("a", 2), t.VersionFile("b", 2));

            var error = Detected.InvalidFile(() => t.Reopen().Read("b", t.Owner), "SecretFileInvalid", t.VersionFile("b", 2));
            Assert.Contains("holds secret 'a', not 'b'", error.Message);
        }

        [Fact]
        public void VersionCopiedFromAnotherStoreOfTheSameOwnerIsRefused()
        {
            // Same owner, same name, same version: only the store id tells the files apart.
            using var t = new TestStore();
            Write(t, "a", "here");
            var otherPath = Path.Combine(t.Root, "other-store");
            var other = SecretStore.Create(otherPath, t.Owner, stateRoot: t.StateRoot);
            Assert.NotEqual(t.Store.Manifest.IdHex, other.Manifest.IdHex);
            using (var value = SecretValue.FromString("elsewhere"))
            {
                other.Write("a", value, null, t.Owner, WriteMode.CreateOnly);
                other.Write("a", value, null, t.Owner, WriteMode.CreateOrUpdate);
            }

            File.Copy(Path.Combine(otherPath, "secrets", "a", "v2.secret"), t.VersionFile("a", 2));
            var error = Detected.InvalidFile(() => t.Reopen().Read("a", t.Owner), "SecretFileInvalid", t.VersionFile("a", 2));
            Assert.Contains("belongs to another store", error.Message);
        }

        [Fact]
        public void OtherSpellingOfTheSameNameIsTheSameSecret()
        {
            using var t = new TestStore();
            Write(t, "Prod/Key", "one");
            Write(t, "PROD/KEY", "two");
            using var value = t.Reopen().Read("prod/key", t.Owner, null, out var record);
            Assert.Equal("two", value.GetText());
            Assert.Equal("PROD/KEY", record.Name);
            Assert.Equal(new[] { 1, 2 }, record.Versions);
        }

        [Fact]
        public void FilesThatAreNotVersionFilesAreIgnored()
        {
            using var t = new TestStore();
            Write(t, "a", "one");
            var folder = Path.GetDirectoryName(t.VersionFile("a", 1))!;
            File.WriteAllText(Path.Combine(folder, "v02.secret"), "junk");
            File.WriteAllText(Path.Combine(folder, "v0.secret"), "junk");
            File.WriteAllText(Path.Combine(folder, "v9.secret.bak"), "junk");
            File.WriteAllText(Path.Combine(folder, "v99999999999.secret"), "junk");
            File.WriteAllText(Path.Combine(folder, ".abc.tmp"), "junk");

            using var value = t.Reopen().Read("a", t.Owner, null, out var record);
            Assert.Equal("one", value.GetText());
            Assert.Equal(new[] { 1 }, record.Versions);
        }

        private static void Write(TestStore t, string name, string text)
        {
            using var value = SecretValue.FromString(text);
            t.Store.Write(name, value, null, t.Owner, WriteMode.CreateOrUpdate);
        }
    }
}
