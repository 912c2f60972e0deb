using System;
using System.IO;
using System.Linq;
using Secrets.Core.Codecs;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Xunit;
using Secrets.Core.Names;

namespace Secrets.Core.Tests.Sharing
{
    /// <summary>
    /// Every link of the trust chain (docs/FORMAT.md): pinned owner → admins → members → grants →
    /// writers. A change by hand, or signed by someone not entitled to it, is refused.
    /// </summary>
    public class TrustChainTests
    {
        private static StoreLog LogOf(Team team) =>
            StoreLog.Load(team.StorePath, StoreManifest.Parse(File.ReadAllBytes(Path.Combine(team.StorePath, StoreManifest.FileName))));

        private static void AssertRefused(Team team, int entry, string because)
        {
            foreach (var person in new[] { team.Alice, team.Carol })
            {
                var error = Assert.Throws<SecurityViolationException>(() => person.Store);
                Assert.Equal("StoreLogInvalid", error.ErrorId);
                Assert.Equal(team.LogEntry(entry), error.FilePath);
                Assert.Contains(because, error.Message);
            }
        }

        [Fact]
        public void AMemberCannotAddThemselvesAsAdmin()
        {
            using var team = new Team();
            LogOf(team).AppendMember(team.StoreId, "set-role", team.Bob.Identity.Recipient, null, MemberRole.Admin, team.Bob.Identity);
            AssertRefused(team, 3, "may not change roles");
        }

        [Fact]
        public void AMemberCannotAddAnotherMember()
        {
            using var team = new Team();
            using var mallory = new Person("mallory", team.Root, team.StorePath);
            LogOf(team).AppendMember(team.StoreId, "add-member", mallory.Identity.Recipient, "mallory", MemberRole.Member, team.Bob.Identity);
            AssertRefused(team, 3, "may not add members");
        }

        [Fact]
        public void AStrangerCannotAddThemselves()
        {
            using var team = new Team();
            using var mallory = new Person("mallory", team.Root, team.StorePath);
            LogOf(team).AppendMember(team.StoreId, "add-member", mallory.Identity.Recipient, "mallory", MemberRole.Member, mallory.Identity);
            AssertRefused(team, 3, "not in the store");
        }

        [Fact]
        public void AnAdminCannotAddOrRemoveAdmins()
        {
            using var team = new Team();
            team.Alice.Store.SetMemberRole("bob", MemberRole.Admin, team.Alice.Identity);
            LogOf(team).AppendMember(team.StoreId, "set-role", team.Carol.Identity.Recipient, null, MemberRole.Admin, team.Bob.Identity);
            AssertRefused(team, 4, "may not change roles");
        }

        [Fact]
        public void AMemberCannotRaiseTheirOwnAccess()
        {
            using var team = new Team();
            team.Alice.Write("prod/db", "value");
            team.Alice.Store.Grant("prod/db", "bob", AccessLevel.Read, team.Alice.Identity);
            var log = LogOf(team);
            var bobKey = Base64.Encode(team.Bob.Identity.Recipient.SigningKey);
            var raised = AccessGrant.WithLevel(log.Grants("prod/db"), bobKey, AccessLevel.Manage, bobKey, DateTime.UtcNow);
            log.AppendAccess(team.StoreId, SecretName.Parse("prod/db"), raised, raised.First(g => g.SigningKey == bobKey).Granted, team.Bob.Identity);
            AssertRefused(team, 4, "who has read access (manage is needed)");
        }

        [Fact]
        public void AGrantMustBeMadeByItsSigner()
        {
            using var team = new Team();
            team.Alice.Write("prod/db", "value");
            team.Alice.Store.Grant("prod/db", "bob", AccessLevel.Manage, team.Alice.Identity);
            var log = LogOf(team);
            var carolKey = Base64.Encode(team.Carol.Identity.Recipient.SigningKey);
            var aliceKey = Base64.Encode(team.Alice.Identity.Recipient.SigningKey);
            var now = DateTime.UtcNow;
            var claimed = AccessGrant.WithLevel(log.Grants("prod/db"), carolKey, AccessLevel.Write, aliceKey, now);
            log.AppendAccess(team.StoreId, SecretName.Parse("prod/db"), claimed, now, team.Bob.Identity);
            AssertRefused(team, 4, "that its signer did not make");
        }

        [Fact]
        public void EditingAnEntryByHandIsDetected()
        {
            using var team = new Team();
            using var mallory = new Person("mallory", team.Root, team.StorePath);
            team.Alice.Store.GetMembers();
            Team.EditLine(team.LogEntry(1), "member", "member " + mallory.Identity.Recipient.Text);
            AssertRefused(team, 1, "signature does not verify");
        }

        [Fact]
        public void ReplacingSomeonesPublicKeyNeedsTheOwnersSignature()
        {
            using var team = new Team();
            using var mallory = new Person("mallory", team.Root, team.StorePath);
            // Bob swaps carol's entry for one that gives her name to mallory's key, chained and signed by himself.
            File.Delete(team.LogEntry(2));
            LogOf(team).AppendMember(team.StoreId, "add-member", mallory.Identity.Recipient, "carol", MemberRole.Member, team.Bob.Identity);
            AssertRefused(team, 2, "may not add members");
        }

        [Fact]
        public void MovingAnEntryToAnotherNumberIsDetected()
        {
            using var team = new Team();
            File.Copy(team.LogEntry(2), team.LogEntry(1), overwrite: true);
            AssertRefused(team, 1, "named for entry 1");
        }

        [Fact]
        public void AGapInTheLogIsDetected()
        {
            using var team = new Team();
            team.Alice.Store.SetMemberRole("bob", MemberRole.Admin, team.Alice.Identity);
            File.Delete(team.LogEntry(2));
            AssertRefused(team, 2, "missing");
        }

        [Fact]
        public void ReorderingEntriesBreaksTheHashChain()
        {
            using var team = new Team();
            team.Alice.Store.SetMemberRole("bob", MemberRole.Admin, team.Alice.Identity);
            team.Alice.Store.SetMemberRole("carol", MemberRole.Admin, team.Alice.Identity);
            var third = File.ReadAllBytes(team.LogEntry(3));
            var fourth = File.ReadAllBytes(team.LogEntry(4));
            File.WriteAllBytes(team.LogEntry(3), fourth);
            File.WriteAllBytes(team.LogEntry(4), third);
            foreach (var person in new[] { team.Alice, team.Carol })
            {
                var error = Assert.Throws<SecurityViolationException>(() => person.Store);
                Assert.Equal("StoreLogInvalid", error.ErrorId);
            }
        }

        [Fact]
        public void AnEntryFromAnotherStoreIsRefused()
        {
            using var team = new Team();
            using var other = new Team();
            File.Copy(other.LogEntry(2), team.LogEntry(3));
            AssertRefused(team, 3, "belongs to another store");
        }

        [Fact]
        public void DeletingTheNewestEntriesIsARollbackForWhoeverSawThem()
        {
            using var team = new Team();
            team.Alice.Write("prod/db", "value");
            team.Alice.Store.Grant("prod/db", "bob", AccessLevel.Write, team.Alice.Identity);
            team.Carol.Store.GetMembers();
            team.Alice.Store.Revoke("prod/db", "bob", team.Alice.Identity);
            team.Carol.Store.GetMembers();
            // Bob deletes the revocation to get his write access back.
            File.Delete(team.LogEntry(team.LogCount));
            var error = Assert.Throws<SecurityViolationException>(() => team.Carol.Store);
            Assert.Equal("RollbackDetected", error.ErrorId);
            Assert.Contains("could undo a revocation", error.Message);
        }

        [Fact]
        public void AVersionThatClaimsALogEntryThatDoesNotExistIsRefused()
        {
            using var team = new Team();
            team.Alice.Write("prod/db", "value");
            team.Alice.Store.Grant("prod/db", "bob", AccessLevel.Read, team.Alice.Identity);
            var versionFile = team.VersionFile("prod.db", team.Alice.Store.GetInfo("prod/db").Version);
            // A newcomer who never saw the log gets the truncated one; the version gives the truncation away.
            File.Delete(team.LogEntry(team.LogCount));
            using var newcomer = new Person("dave", team.Root, team.StorePath);
            Directory.CreateDirectory(newcomer.StateRoot);
            var error = Assert.Throws<SecurityViolationException>(() => newcomer.Store.GetInfo("prod/db"));
            Assert.Equal("RollbackDetected", error.ErrorId);
            Assert.Equal(versionFile, error.FilePath);
        }

        [Fact]
        public void TheOwnerKeyIsPinnedOnFirstUseAndAChangeIsRefusedLoudly()
        {
            using var team = new Team();
            team.Bob.Store.GetMembers();
            // Someone replaces the manifest with one naming their own key, validly self-signed.
            using var mallory = UnlockedIdentity.Generate("mallory");
            var manifestPath = Path.Combine(team.StorePath, StoreManifest.FileName);
            var original = team.Alice.Store.Manifest;
            var forged = new StoreManifest(original.Id, original.Created, mallory.Recipient, "alice", original.KeepVersions);
            File.WriteAllBytes(manifestPath, forged.Serialize(mallory));
            var error = Assert.Throws<SecurityViolationException>(() => team.Bob.Store);
            Assert.Equal("StoreOwnerChanged", error.ErrorId);
            Assert.Contains("owner key", error.Message);
        }

        [Fact]
        public void AWholeStoreReplacedInTheSameFolderIsRefusedLoudly()
        {
            using var team = new Team();
            team.Bob.Store.GetMembers();
            using var mallory = UnlockedIdentity.Generate("mallory");
            Directory.Delete(team.StorePath, recursive: true);
            SecretStore.Create(team.StorePath, mallory, StoreManifest.DefaultKeepVersions, Path.Combine(team.Root, "state-mallory"));
            var error = Assert.Throws<SecurityViolationException>(() => team.Bob.Store);
            Assert.Equal("StoreOwnerChanged", error.ErrorId);
            Assert.Contains("another store", error.Message);
        }

        [Theory]
        [InlineData("trailing separator")]
        [InlineData("link")]
        [InlineData("dot segments")]
        public void AReplacedStoreIsRefusedWhateverSpellingOfItsFolderIsUsed(string spelling)
        {
            using var team = new Team();
            team.Bob.Store.GetMembers();
            using var mallory = UnlockedIdentity.Generate("mallory");
            Directory.Delete(team.StorePath, recursive: true);
            SecretStore.Create(team.StorePath, mallory, StoreManifest.DefaultKeepVersions, Path.Combine(team.Root, "state-mallory"));
            var path = spelling switch
            {
                "trailing separator" => team.StorePath + Path.DirectorySeparatorChar,
                "dot segments" => Path.Combine(team.Root, ".", "x", "..", "shared"),
                _ => Path.Combine(team.Root, "shared-link"),
            };
            if (spelling == "link")
            {
                Directory.CreateSymbolicLink(path, team.StorePath);
            }

            var error = Assert.Throws<SecurityViolationException>(() => SecretStore.Open(path, team.Bob.StateRoot));
            Assert.Equal("StoreOwnerChanged", error.ErrorId);
        }

        [Fact]
        public void AStoreReplacedWhileOpenIsRefusedBeforeTheNextWrite()
        {
            using var team = new Team();
            team.Alice.Write("a", "value");
            var open = team.Alice.Store;
            using var mallory = UnlockedIdentity.Generate("mallory");
            Directory.Delete(team.StorePath, recursive: true);
            SecretStore.Create(team.StorePath, mallory, StoreManifest.DefaultKeepVersions, Path.Combine(team.Root, "state-mallory"));
            using var value = Secrets.Core.Values.SecretValue.FromString("x");
            var error = Assert.Throws<SecurityViolationException>(() => open.Write("a", value, null, team.Alice.Identity, WriteMode.CreateOrUpdate));
            Assert.Equal("StoreOwnerChanged", error.ErrorId);
        }

        [Fact]
        public void AnOwnerSignedChainIsAcceptedByEveryone()
        {
            using var team = new Team();
            team.Alice.Store.SetMemberRole("bob", MemberRole.Admin, team.Alice.Identity);
            using var dave = new Person("dave", team.Root, team.StorePath);
            team.Bob.Store.AddMember(dave.Identity.Recipient, "dave", MemberRole.Member, team.Bob.Identity);
            team.Bob.Store.RemoveMember("dave", team.Bob.Identity);
            foreach (var person in new[] { team.Alice, team.Bob, team.Carol })
            {
                var members = person.Store.GetMembers().Select(m => $"{m.Name}:{m.Role}").ToArray();
                Assert.Equal(new[] { "alice:Owner", "bob:Admin", "carol:Member" }, members);
            }
        }
    }
}
