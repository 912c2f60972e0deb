using System;
using System.IO;
using System.Linq;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Xunit;

namespace Secrets.Core.Tests.Sharing
{
    /// <summary>
    /// The owner hands the store over (docs/FORMAT.md, "Owner hand-over"): readers who pinned the
    /// former owner accept the new one only through a hand-over the former owner signed.
    /// </summary>
    public class HandOverTests
    {
        private static string ManifestPath(Team team) => Path.Combine(team.StorePath, StoreManifest.FileName);

        private static string PinnedOwner(Person person, SecretStore store) =>
            File.ReadAllText(Path.Combine(person.StateRoot, store.Manifest.IdHex, "owner")).Trim();

        /// <summary>Alice owns the store with a secret; bob has opened it (pinned alice); carol is an admin.</summary>
        private static Team TeamWithAdminCarol()
        {
            var team = new Team();
            team.Alice.Write("prod/db", "s3cret-1");
            team.Bob.Store.GetMembers();
            team.Alice.Store.SetMemberRole("carol", MemberRole.Admin, team.Alice.Identity);
            return team;
        }

        [Fact]
        public void AReaderWhoPinnedTheFormerOwnerAcceptsTheHandOverInTheSameProcessAndAFreshOne()
        {
            using var team = TeamWithAdminCarol();
            var bobBefore = team.Bob.Store;
            Assert.Equal(team.Alice.Identity.Recipient.Text, PinnedOwner(team.Bob, bobBefore));

            var owner = team.Alice.Store.HandOver("carol", team.Alice.Identity);

            Assert.Equal(team.Carol.Identity.Recipient, owner.Recipient);
            Assert.Equal(MemberRole.Owner, owner.Role);

            // Bob's process opens the store again: the hand-over is verified and carol pinned instead of alice.
            var bob = team.Bob.Store;
            Assert.Equal(team.Carol.Identity.Recipient, bob.Manifest.Owner);
            Assert.Equal("carol", bob.Manifest.OwnerName);
            Assert.Equal(team.Carol.Identity.Recipient.Text, PinnedOwner(team.Bob, bob));
            var members = bob.GetMembers();
            Assert.Equal("carol", members[0].Name);
            Assert.Equal(MemberRole.Owner, members[0].Role);
            Assert.Equal(MemberRole.Admin, members.Single(m => m.Name == "alice").Role);
            Assert.Single(bob.Manifest.HandOvers);
            Assert.Equal(team.Alice.Identity.Recipient, bob.Manifest.HandOvers[0].From);

            // A fresh state (another process, another machine) that pinned alice before the hand-over.
            StoreCache.Clear();
            Assert.Equal(team.Carol.Identity.Recipient, team.Bob.Store.Manifest.Owner);

            // Someone who never used the store trusts the owner it names now.
            using var dave = new Person("dave", team.Root, team.StorePath);
            Assert.Equal(team.Carol.Identity.Recipient, dave.Store.Manifest.Owner);

            // Every secret stays readable by the new owner and the former one.
            Assert.Equal("s3cret-1", team.Carol.Read("prod/db"));
            Assert.Equal("s3cret-1", team.Alice.Read("prod/db"));
            Assert.Empty(team.Carol.Store.Check());
        }

        [Fact]
        public void TheNewOwnerAdministersTheStoreAndTheFormerOwnerIsAnAdmin()
        {
            using var team = TeamWithAdminCarol();
            team.Alice.Store.HandOver("carol", team.Alice.Identity);
            using var dave = new Person("dave", team.Root, team.StorePath);
            using var erin = new Person("erin", team.Root, team.StorePath);

            team.Carol.Store.AddMember(dave.Identity.Recipient, "dave", MemberRole.Admin, team.Carol.Identity);
            team.Carol.Store.AddMember(erin.Identity.Recipient, "erin", MemberRole.Member, team.Carol.Identity);
            team.Carol.Store.SetKeepVersions(4, team.Carol.Identity);
            Assert.Equal(4, team.Bob.Store.Manifest.KeepVersions);
            Assert.Equal("s3cret-1", dave.Read("prod/db"));

            // The former owner is an admin: they write and add members, but owner-only changes are refused.
            team.Alice.Write("prod/api", "k-1");
            Assert.Equal("k-1", team.Carol.Read("prod/api"));
            var settings = Assert.Throws<SecretsException>(() => team.Alice.Store.SetKeepVersions(7, team.Alice.Identity));
            Assert.Equal("NotStoreOwner", settings.ErrorId);
            using var frank = new Person("frank", team.Root, team.StorePath);
            var admin = Assert.Throws<SecretsException>(() => team.Alice.Store.AddMember(frank.Identity.Recipient, "frank", MemberRole.Admin, team.Alice.Identity));
            Assert.Equal("AccessDenied", admin.ErrorId);
            var again = Assert.Throws<SecretsException>(() => team.Alice.Store.HandOver("bob", team.Alice.Identity));
            Assert.Equal("NotStoreOwner", again.ErrorId);

            // The new owner may remove the former owner, who then reads nothing written afterwards.
            team.Carol.Store.RemoveMember("alice", team.Carol.Identity);
            Assert.Equal(MemberRole.Owner, team.Bob.Store.FindMember("carol").Role);
            Assert.DoesNotContain(team.Bob.Store.GetMembers(), m => m.Name == "alice");
            Assert.Equal("NotARecipient", Assert.ThrowsAny<SecretsException>(() => team.Alice.Read("prod/db")).ErrorId);
        }

        [Fact]
        public void OnlyAnAdminCanBecomeTheOwner()
        {
            using var team = new Team();
            var error = Assert.Throws<SecretsException>(() => team.Alice.Store.HandOver("bob", team.Alice.Identity));
            Assert.Equal("NewOwnerNotAdmin", error.ErrorId);
            Assert.Contains("Set-SecretStoreMember", error.RecommendedAction);
            Assert.Equal("AlreadyStoreOwner", Assert.Throws<InvalidInputException>(() => team.Alice.Store.HandOver("alice", team.Alice.Identity)).ErrorId);
            Assert.Equal(team.Alice.Identity.Recipient, team.Bob.Store.Manifest.Owner);
            Assert.Equal(1, team.Bob.Store.Manifest.Revision);
        }

        [Fact]
        public void AHandOverForgedByAnAdminIsRefusedAsAChangeOfOwner()
        {
            using var team = TeamWithAdminCarol();
            var original = team.Alice.Store.Manifest;
            var carol = team.Carol.Identity;

            // Carol writes a hand-over from alice to herself, signed with her own key, and a manifest
            // naming her as owner (a later revision, which she signs as the owner).
            var created = DateTime.UtcNow;
            int log = team.LogCount;
            var message = OwnerHandOver.Message(original.Id, original.Owner, original.OwnerName, carol.Recipient, original.Revision + 1, log, created);
            var signature = Ed25519Signing.SignMessage(carol.SigningPrivate, carol.Recipient.SigningKey, message);
            var handOver = new OwnerHandOver(original.Owner, original.OwnerName, carol.Recipient, original.Revision + 1, log, created, signature);
            var forged = new StoreManifest(original.Id, original.Created, carol.Recipient, "carol", original.KeepVersions, original.Revision + 2, new[] { handOver });
            File.WriteAllBytes(ManifestPath(team), forged.Serialize(carol));

            foreach (var person in new[] { team.Bob, team.Alice, new Person("dave", team.Root, team.StorePath) })
            {
                var error = Assert.Throws<SecurityViolationException>(() => person.Store);
                Assert.Equal("StoreOwnerChanged", error.ErrorId);
                Assert.Equal(ManifestPath(team), error.FilePath);
                Assert.Contains("not signed by", error.Message);
            }

            Assert.Equal(team.Alice.Identity.Recipient.Text, File.ReadAllText(Path.Combine(team.Bob.StateRoot, original.IdHex, "owner")).Trim());
        }

        [Fact]
        public void AHandOverThatDoesNotStartAtThePinnedOwnerIsRefused()
        {
            using var team = TeamWithAdminCarol();
            var original = team.Alice.Store.Manifest;

            // Carol hands "over" from a second key of her own, validly signed by that key: the chain
            // verifies, but it does not start at alice, whom bob pinned.
            using var second = UnlockedIdentity.Generate("carol-2");
            var self = new StoreManifest(original.Id, original.Created, second.Recipient, "alice", original.KeepVersions, original.Revision);
            var forged = self.WithHandOver(team.Carol.Identity.Recipient, "carol", team.LogCount, second);
            File.WriteAllBytes(ManifestPath(team), forged.Serialize(second));

            var error = Assert.Throws<SecurityViolationException>(() => team.Bob.Store);
            Assert.Equal("StoreOwnerChanged", error.ErrorId);
        }

        [Fact]
        public void AnAdminWhoSwapsTheOwnerWithoutAHandOverIsRefused()
        {
            using var team = TeamWithAdminCarol();
            var original = team.Alice.Store.Manifest;
            var swapped = new StoreManifest(original.Id, original.Created, team.Carol.Identity.Recipient, "carol", original.KeepVersions, original.Revision + 1);
            File.WriteAllBytes(ManifestPath(team), swapped.Serialize(team.Carol.Identity));

            var error = Assert.Throws<SecurityViolationException>(() => team.Bob.Store);
            Assert.Equal("StoreOwnerChanged", error.ErrorId);
            Assert.Contains("owner key", error.Message);
        }

        [Fact]
        public void AChainOfTwoHandOversIsAcceptedByAReaderWhoPinnedTheFirstOwner()
        {
            using var team = TeamWithAdminCarol();
            team.Alice.Store.HandOver("carol", team.Alice.Identity);

            // Bob opens the store only after the second hand-over; dave, after the first.
            using var dave = new Person("dave", team.Root, team.StorePath);
            dave.Store.GetMembers();
            team.Carol.Store.SetMemberRole("bob", MemberRole.Admin, team.Carol.Identity);
            team.Carol.Store.HandOver("bob", team.Carol.Identity);
            StoreCache.Clear();

            foreach (var reader in new[] { team.Bob, dave, team.Alice })
            {
                var store = reader.Store;
                Assert.Equal(team.Bob.Identity.Recipient, store.Manifest.Owner);
                Assert.Equal(team.Bob.Identity.Recipient.Text, PinnedOwner(reader, store));
                Assert.Equal(2, store.Manifest.HandOvers.Count);
                Assert.Equal(MemberRole.Admin, store.FindMember("alice").Role);
                Assert.Equal(MemberRole.Admin, store.FindMember("carol").Role);
            }

            Assert.Equal("s3cret-1", team.Bob.Read("prod/db"));
            team.Bob.Store.SetKeepVersions(3, team.Bob.Identity);
            Assert.Equal(3, team.Alice.Store.Manifest.KeepVersions);
        }

        [Fact]
        public void TheFormerOwnersOlderManifestOrAnotherHandOverIsRefusedAfterTheHandOver()
        {
            using var team = TeamWithAdminCarol();
            var before = File.ReadAllBytes(ManifestPath(team));
            team.Alice.Store.HandOver("carol", team.Alice.Identity);
            team.Bob.Store.GetMembers();

            // The manifest from before the hand-over, put back.
            File.WriteAllBytes(ManifestPath(team), before);
            Assert.Throws<SecurityViolationException>(() => team.Bob.Store);

            // Alice, who kept her key, signs another hand-over of the old manifest, to bob.
            var old = StoreManifest.Parse(before);
            var other = old.WithHandOver(team.Bob.Identity.Recipient, "bob", team.LogCount, team.Alice.Identity);
            File.WriteAllBytes(ManifestPath(team), other.Serialize(team.Alice.Identity));
            Assert.Equal("StoreOwnerChanged", Assert.Throws<SecurityViolationException>(() => team.Bob.Store).ErrorId);
        }

        [Fact]
        public void VersionsWrittenBeforeTheHandOverStillVerify()
        {
            using var team = new Team();
            team.Alice.Write("prod/db", "s3cret-1");
            team.Alice.Write("prod/db", "s3cret-2");

            // Versions 1 and 2 are encrypted to alice and not to carol; making carol an admin writes version 3 for her.
            team.Alice.Store.SetMemberRole("carol", MemberRole.Admin, team.Alice.Identity);
            team.Alice.Store.HandOver("carol", team.Alice.Identity);
            StoreCache.Clear();

            using var dave = new Person("dave", team.Root, team.StorePath);
            var history = dave.Store.GetHistory("prod/db");
            Assert.Equal(new[] { 1, 2, 3 }, history.Select(r => r.Version).ToArray());
            Assert.Equal("s3cret-1", team.Alice.Read("prod/db", 1));
            Assert.Equal("s3cret-2", team.Carol.Read("prod/db"));
            Assert.Empty(dave.Store.Check());

            // A version written from now on must be encrypted to the new owner.
            var forged = team.ForgeVersion(team.Alice, "prod/db", 4, "x", new[] { team.Alice.Identity.Recipient });
            var error = Assert.Throws<InvalidFileException>(() => dave.Store.GetInfo("prod/db"));
            Assert.Equal(forged, error.FilePath);
            Assert.Contains("owner", error.Message);
        }

        [Fact]
        public void AHandOverAfterAStoreLogEntryThatDoesNotExistIsRefused()
        {
            using var team = TeamWithAdminCarol();
            var original = team.Alice.Store.Manifest;
            var ahead = original.WithHandOver(team.Carol.Identity.Recipient, "carol", team.LogCount + 1, team.Alice.Identity);
            File.WriteAllBytes(ManifestPath(team), ahead.Serialize(team.Alice.Identity));
            var error = Assert.Throws<SecurityViolationException>(() => team.Bob.Store);
            Assert.Equal("StoreLogInvalid", error.ErrorId);
        }
    }
}
