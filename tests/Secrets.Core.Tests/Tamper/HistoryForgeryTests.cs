using System.IO;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Store;
using Secrets.Core.Tests.Sharing;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Tamper
{
    /// <summary>
    /// A secret's history is a hash chain from its newest version down: a version file planted under
    /// a pruned number, or put in the place of a kept one, is not part of it, and a version a reader
    /// saw that was replaced since is detected.
    /// </summary>
    public class HistoryForgeryTests
    {
        [Fact]
        public void ARevokedWriterCannotPlantAVersionUnderAPrunedNumber()
        {
            using var team = new Team();
            team.Alice.Write("ci/key", "v-alice");
            team.Alice.Store.Grant("ci/key", "bob", AccessLevel.Write, team.Alice.Identity);
            int bobsLogSeq = team.LogCount;
            team.Bob.Write("ci/key", "v-bob");
            team.Alice.Store.Revoke("ci/key", "bob", team.Alice.Identity);
            for (int i = 0; i < StoreManifest.DefaultKeepVersions; i++)
            {
                team.Alice.Write("ci/key", "v-alice-" + i);
            }

            Assert.False(File.Exists(team.VersionFile("ci.key", 1)));
            var kept = team.Alice.Store.GetHistory("ci/key").Select(r => r.Version).ToList();

            // Bob plants version 1, claiming the entry under which he could write, and an old date.
            var planted = team.ForgeVersion(team.Bob, "ci/key", 1, "v-forged", new[] { team.Alice.Identity.Recipient, team.Bob.Identity.Recipient }, bobsLogSeq);

            var error = Assert.Throws<SecurityViolationException>(() => team.Alice.Read("ci/key", 1));
            Assert.Equal("VersionNotInHistory", error.ErrorId);
            Assert.Equal(planted, error.FilePath);
            Assert.Equal("VersionNotInHistory", Assert.Throws<SecurityViolationException>(() => team.Carol.Store.GetInfo("ci/key", 1)).ErrorId);
            Assert.Equal(kept, team.Alice.Store.GetHistory("ci/key").Select(r => r.Version));
            Assert.Equal("v-alice-9", team.Alice.Read("ci/key"));
        }

        [Fact]
        public void AKeptVersionReplacedByAnotherValidFileIsNotPartOfTheHistory()
        {
            using var team = new Team();
            team.Alice.Write("ci/key", "v-alice");
            team.Alice.Store.Grant("ci/key", "bob", AccessLevel.Write, team.Alice.Identity);
            int bobsLogSeq = team.LogCount;
            team.Alice.Write("ci/key", "v3");
            team.Alice.Write("ci/key", "v4");
            team.Alice.Write("ci/key", "v5");

            // Version 3, replaced by a file bob signs, in order with version 2 and claiming his access then.
            var replaced = team.ForgeVersion(team.Bob, "ci/key", 3, "v-forged", new[] { team.Alice.Identity.Recipient, team.Bob.Identity.Recipient }, bobsLogSeq);

            var error = Assert.Throws<SecurityViolationException>(() => team.Carol.Store.Read("ci/key", team.Carol.Identity, 3));
            Assert.Equal("VersionNotInHistory", error.ErrorId);
            Assert.Contains("not the file that version 4 follows", error.Message);
            Assert.Equal("VersionNotInHistory", Assert.Throws<SecurityViolationException>(() => team.Alice.Store.GetHistory("ci/key")).ErrorId);
            Assert.Equal("v5", team.Alice.Read("ci/key"));
            Assert.Equal(replaced, error.FilePath);
        }

        [Fact]
        public void TheNewestVersionYouSawReplacedInPlaceIsDetected()
        {
            using var t = new TestStore();
            using (var value = SecretValue.FromString("seen value"))
            {
                t.Store.Write("a", value, null, t.Owner, WriteMode.CreateOrUpdate);
            }

            var path = t.VersionFile("a", 1);
            var edited = FileEdits.Resign(FileEdits.ReplaceLine(File.ReadAllBytes(path), "created", "created 2020-01-01T00:00:00.0000000Z"), t.Owner);
            File.WriteAllBytes(path, edited);

            var error = Assert.Throws<SecurityViolationException>(() => t.Reopen().GetInfo("a"));
            Assert.Equal("VersionReplaced", error.ErrorId);
            Assert.Equal(path, error.FilePath);
            Assert.Contains(Path.Combine(t.StateRoot, t.Store.Manifest.IdHex, "seen", "a"), error.RecommendedAction);

            // Writing over it is refused too: the writer would carry a replaced file forward.
            using (var value = SecretValue.FromString("next"))
            {
                Assert.Equal("VersionReplaced", Assert.Throws<SecurityViolationException>(() => t.Reopen().Write("a", value, null, t.Owner, WriteMode.CreateOrUpdate)).ErrorId);
            }

            // Someone who never saw it can tell nothing from the file alone.
            Assert.Equal(1, t.OpenAsNewReader().GetInfo("a").Version);
        }

        [Fact]
        public void AVersionYouSawReplacedUnderANewerOneIsDetected()
        {
            using var team = new Team();
            team.Alice.Write("ci/key", "v1");
            team.Alice.Store.Grant("ci/key", "bob", AccessLevel.Read, team.Alice.Identity);
            Assert.Equal("v1", team.Bob.Read("ci/key"));

            // Version 2 (the grant's) replaced by alice's own edit, then version 3 written over it.
            var v2 = team.VersionFile("ci.key", 2);
            Assert.Equal("v1", team.Bob.Read("ci/key"));
            File.WriteAllBytes(v2, FileEdits.Resign(FileEdits.ReplaceLine(File.ReadAllBytes(v2), "created", "created 2020-01-01T00:00:00.0000000Z"), team.Alice.Identity));
            team.ForgeVersion(team.Alice, "ci/key", 3, "v3", new[] { team.Alice.Identity.Recipient, team.Bob.Identity.Recipient });

            var error = Assert.Throws<SecurityViolationException>(() => team.Bob.Read("ci/key"));
            Assert.Equal("VersionReplaced", error.ErrorId);
            Assert.Equal(v2, error.FilePath);
        }

        [Fact]
        public void ARepairFollowsTheNewestValidVersionAndKeepsTheHistoryBelowIt()
        {
            using var t = new TestStore();
            foreach (var text in new[] { "one", "two" })
            {
                using var value = SecretValue.FromString(text);
                t.Store.Write("a", value, null, t.Owner, WriteMode.CreateOrUpdate);
            }

            var damaged = t.VersionFile("a", 2);
            File.WriteAllBytes(damaged, FileEdits.ReplaceLine(File.ReadAllBytes(damaged), "created", "created 2020-01-01T00:00:00.0000000Z"));
            using (var value = SecretValue.FromString("three"))
            {
                var repaired = t.Store.Write("a", value, null, t.Owner, WriteMode.CreateOrUpdate);
                Assert.Equal(damaged, repaired.ReplacedInvalidFile);
            }

            Assert.Equal("previous 1", string.Join(" ", FileEdits.Lines(File.ReadAllBytes(t.VersionFile("a", 3))).First(l => l.StartsWith("previous ")).Split(' ').Take(2)));
            var reader = t.Reopen();
            Assert.Equal(new[] { 1, 3 }, reader.GetHistory("a").Select(r => r.Version));
            using (var one = reader.Read("a", t.Owner, 1))
            {
                Assert.Equal("one", one.GetText());
            }

            Assert.Equal("SecretFileInvalid", Assert.Throws<InvalidFileException>(() => t.OpenAsNewReader().Read("a", t.Owner, 2)).ErrorId);
        }

        [Fact]
        public void ADamagedRecordOfWhatWasSeenIsAnErrorNotAnAmnesty()
        {
            using var t = new TestStore();
            using (var value = SecretValue.FromString("value"))
            {
                t.Store.Write("a", value, null, t.Owner, WriteMode.CreateOrUpdate);
            }

            var seen = Path.Combine(t.StateRoot, t.Store.Manifest.IdHex, "seen", "a");
            foreach (var damaged in new[] { "garbage\n", "", "1\n2\n", "-1\n", "1 notbase64!\n", "01\n" })
            {
                File.WriteAllText(seen, damaged);
                var error = Assert.Throws<InvalidFileException>(() => t.Reopen().GetInfo("a"));
                Assert.Equal("LocalStateInvalid", error.ErrorId);
                Assert.Equal(seen, error.FilePath);
                Assert.Contains("Delete the file", error.RecommendedAction);
            }

            // The record without a hash, as written before hashes were kept, is still a record.
            File.WriteAllText(seen, "1\n");
            Assert.Equal(1, t.Reopen().GetInfo("a").Version);
            Assert.StartsWith("1 ", File.ReadAllText(seen));
        }
    }
}
