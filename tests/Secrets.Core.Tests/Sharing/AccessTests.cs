using System;
using System.IO;
using System.Linq;
using System.Text;
using Secrets.Core.Codecs;
using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Sharing
{
    /// <summary>Grant, revoke and write in a shared store, as the issue asks, with alice, bob and carol.</summary>
    public class AccessTests
    {
        [Fact]
        public void BobReadsOnlyAfterAGrantAndNotWhatIsWrittenAfterRevocation()
        {
            using var team = new Team();
            team.Alice.Write("prod/db", "first-value");
            Assert.Throws<NotARecipientException>(() => team.Bob.Read("prod/db"));

            team.Alice.Store.Grant("prod/db", "bob", AccessLevel.Read, team.Alice.Identity);
            Assert.Equal("first-value", team.Bob.Read("prod/db"));
            int bobsVersion = team.Bob.Store.GetInfo("prod/db").Version;

            team.Alice.Store.Revoke("prod/db", "bob", team.Alice.Identity);
            var rotated = team.Alice.Store.GetInfo("prod/db");
            Assert.True(rotated.Version > bobsVersion);
            Assert.Throws<NotARecipientException>(() => team.Bob.Read("prod/db"));
            team.Alice.Write("prod/db", "second-value");
            Assert.Throws<NotARecipientException>(() => team.Bob.Read("prod/db"));
            Assert.Throws<NotARecipientException>(() => team.Bob.Read("prod/db", rotated.Version));

            // What bob could read before stays readable to him: revocation cannot take back what he saw.
            Assert.Equal("first-value", team.Bob.Read("prod/db", bobsVersion));
            Assert.Equal("second-value", team.Alice.Read("prod/db"));
        }

        [Fact]
        public void BobWithReadWhoWritesAVersionFileAnywayIsRejectedAndTheLastValidVersionStaysReadable()
        {
            using var team = new Team();
            team.Alice.Write("prod/db", "genuine");
            team.Alice.Store.Grant("prod/db", "bob", AccessLevel.Read, team.Alice.Identity);
            team.Alice.Store.Grant("prod/db", "carol", AccessLevel.Read, team.Alice.Identity);
            Assert.Throws<SecretsException>(() => team.Bob.Write("prod/db", "bob-was-here"));

            // Bob has the folder: he writes the next version file himself, validly signed by his key.
            var store = team.Bob.Store;
            var info = store.GetInfo("prod/db");
            var recipients = new[] { team.Alice.Identity.Recipient, team.Bob.Identity.Recipient, team.Carol.Identity.Recipient };
            var forged = team.ForgeVersion(team.Bob, "prod/db", info.Version + 1, "bob-was-here", recipients);

            foreach (var reader in new[] { team.Alice, team.Carol })
            {
                var error = Assert.Throws<SecurityViolationException>(() => reader.Read("prod/db"));
                Assert.Equal("UnauthorizedWriter", error.ErrorId);
                Assert.Equal(forged, error.FilePath);
                Assert.Contains(forged, error.Message);
                Assert.Contains("'bob'", error.Message);
                Assert.Equal("genuine", reader.Read("prod/db", info.Version));
            }

            // Someone with write access repairs it by writing a new version.
            team.Alice.Write("prod/db", "repaired");
            Assert.Equal("repaired", team.Carol.Read("prod/db"));
        }

        [Fact]
        public void BobWithWriteUpdatesAndCarolReadsBobsValue()
        {
            using var team = new Team();
            team.Alice.Write("api/token", "from-alice");
            team.Alice.Store.Grant("api/token", "bob", AccessLevel.Write, team.Alice.Identity);
            team.Alice.Store.Grant("api/token", "carol", AccessLevel.Read, team.Alice.Identity);
            var record = team.Bob.Write("api/token", "from-bob");
            Assert.Equal("bob", record.ModifiedBy);
            Assert.Equal("from-bob", team.Carol.Read("api/token"));
            Assert.Equal("from-bob", team.Alice.Read("api/token"));
            Assert.Throws<SecretsException>(() => team.Carol.Write("api/token", "from-carol"));
        }

        [Fact]
        public void AWriterWhoseAccessWasRevokedCannotMakeReadersAcceptANewVersion()
        {
            using var team = new Team();
            team.Alice.Write("ci/key", "v-alice");
            team.Alice.Store.Grant("ci/key", "bob", AccessLevel.Write, team.Alice.Identity);
            team.Bob.Write("ci/key", "v-bob");
            int bobsLogSeq = team.LogCount;
            team.Alice.Store.Revoke("ci/key", "bob", team.Alice.Identity);
            Assert.Equal("v-bob", team.Alice.Read("ci/key"));

            // Bob claims the log entry under which he still had write access.
            var info = team.Alice.Store.GetInfo("ci/key");
            team.ForgeVersion(team.Bob, "ci/key", info.Version + 1, "v-forged", new[] { team.Alice.Identity.Recipient }, bobsLogSeq);

            var error = Assert.Throws<SecurityViolationException>(() => team.Alice.Read("ci/key"));
            Assert.Equal("UnauthorizedWriter", error.ErrorId);
            Assert.Contains("no longer has write access", error.Message);
        }

        [Fact]
        public void AWriterCannotLockTheOwnerOutNorBlockTheirOwnRevocation()
        {
            using var team = new Team();
            team.Alice.Write("ci/key", "v-alice");
            team.Alice.Store.Grant("ci/key", "bob", AccessLevel.Write, team.Alice.Identity);
            team.Alice.Store.Grant("ci/key", "carol", AccessLevel.Manage, team.Alice.Identity);

            // Bob, with write access, writes a version encrypted to himself alone, validly signed.
            var info = team.Bob.Store.GetInfo("ci/key");
            team.ForgeVersion(team.Bob, "ci/key", info.Version + 1, "only-bob", new[] { team.Bob.Identity.Recipient });

            // Readers refuse it: every version must be encrypted to the owner.
            var error = Assert.Throws<InvalidFileException>(() => team.Alice.Read("ci/key"));
            Assert.Equal("SecretFileInvalid", error.ErrorId);
            Assert.Contains("not encrypted to the store's owner", error.Message);

            // And it does not block revoking bob (by a manager) nor removing him (by the owner).
            var revoked = team.Carol.Store.Revoke("ci/key", "bob", team.Carol.Identity);
            Assert.Equal(AccessLevel.None, team.Alice.Store.AccessOf(team.Bob.Identity.Recipient, "ci/key"));
            Assert.NotNull(revoked.NotRotatedReason);
            team.Alice.Store.RemoveMember("bob", team.Alice.Identity);
            Assert.DoesNotContain(team.Alice.Store.GetMembers(), m => m.Name == "bob");

            // A new value repairs the secret for everyone.
            team.Alice.Write("ci/key", "v-new");
            Assert.Equal("v-new", team.Carol.Read("ci/key"));
        }

        [Fact]
        public void ARevokedWritersUnreadableNewestVersionIsRefusedAfterTheRevocation()
        {
            using var team = new Team();
            team.Alice.Write("ci/key", "v-alice");
            team.Alice.Store.Grant("ci/key", "bob", AccessLevel.Write, team.Alice.Identity);
            team.Alice.Store.Grant("ci/key", "carol", AccessLevel.Manage, team.Alice.Identity);
            var info = team.Bob.Store.GetInfo("ci/key");

            // Encrypted to the owner and bob but not to carol, the manager who revokes.
            team.ForgeVersion(team.Bob, "ci/key", info.Version + 1, "not-for-carol", new[] { team.Alice.Identity.Recipient, team.Bob.Identity.Recipient });

            var revoked = team.Carol.Store.Revoke("ci/key", "bob", team.Carol.Identity);
            Assert.Contains("not encrypted to your identity", revoked.NotRotatedReason);
            var error = Assert.Throws<SecurityViolationException>(() => team.Alice.Read("ci/key"));
            Assert.Equal("UnauthorizedWriter", error.ErrorId);
        }

        [Fact]
        public void ARevokedWritersForgedVersionStaysRefusedOnceAnotherVersionIsWrittenOverIt()
        {
            using var team = new Team();
            team.Alice.Write("ci/key", "v-alice");
            team.Alice.Store.Grant("ci/key", "bob", AccessLevel.Write, team.Alice.Identity);
            int bobsLogSeq = team.LogCount;
            team.Alice.Store.Revoke("ci/key", "bob", team.Alice.Identity);
            var info = team.Alice.Store.GetInfo("ci/key");
            int forgedVersion = info.Version + 1;
            team.ForgeVersion(team.Bob, "ci/key", forgedVersion, "v-forged", new[] { team.Alice.Identity.Recipient }, bobsLogSeq);

            team.Alice.Write("ci/key", "v-repaired");
            Assert.Equal("v-repaired", team.Alice.Read("ci/key"));
            // The repair follows the newest valid version: the forged file is not part of the history.
            var error = Assert.Throws<SecurityViolationException>(() => team.Alice.Read("ci/key", forgedVersion));
            Assert.Equal("VersionNotInHistory", error.ErrorId);
            Assert.DoesNotContain(forgedVersion, team.Alice.Store.GetHistory("ci/key").Select(r => r.Version));
            Assert.Equal("v-alice", team.Alice.Read("ci/key", forgedVersion - 1));
        }

        [Fact]
        public void RemovingASecretNeedsManageEvenForSomeoneWhoWritesTheTombstoneByHand()
        {
            using var team = new Team();
            team.Alice.Write("ci/key", "v-alice");
            team.Alice.Store.Grant("ci/key", "bob", AccessLevel.Write, team.Alice.Identity);
            Assert.Equal("AccessDenied", Assert.Throws<SecretsException>(() => team.Bob.Store.Remove("ci/key", team.Bob.Identity)).ErrorId);

            var info = team.Bob.Store.GetInfo("ci/key");
            team.ForgeTombstone(team.Bob, "ci/key", info.Version + 1);
            var error = Assert.Throws<SecurityViolationException>(() => team.Carol.Store.GetInfo("ci/key"));
            Assert.Equal("UnauthorizedWriter", error.ErrorId);
            Assert.Contains("manage access", error.Message);
            Assert.Equal("v-alice", team.Alice.Read("ci/key", info.Version));
        }

        [Fact]
        public void DowngradingTheWriterOfTheNewestVersionKeepsTheSecretReadable()
        {
            using var team = new Team();
            team.Alice.Write("ci/key", "v-alice");
            team.Alice.Store.Grant("ci/key", "bob", AccessLevel.Write, team.Alice.Identity);
            team.Bob.Write("ci/key", "v-bob");
            team.Alice.Store.Grant("ci/key", "bob", AccessLevel.Read, team.Alice.Identity);
            Assert.Equal("v-bob", team.Alice.Read("ci/key"));
            Assert.Equal("v-bob", team.Bob.Read("ci/key"));
            Assert.Equal("alice", team.Alice.Store.GetInfo("ci/key").ModifiedBy);
        }

        [Fact]
        public void ManageLetsAMemberGrantAndRevoke()
        {
            using var team = new Team();
            team.Alice.Write("shared/x", "value");
            team.Alice.Store.Grant("shared/x", "bob", AccessLevel.Manage, team.Alice.Identity);
            team.Bob.Store.Grant("shared/x", "carol", AccessLevel.Read, team.Bob.Identity);
            Assert.Equal("value", team.Carol.Read("shared/x"));
            var access = team.Alice.Store.GetAccess("shared/x");
            var carol = Assert.Single(access, a => a.Member.Name == "carol");
            Assert.Equal(AccessLevel.Read, carol.Level);
            Assert.Equal("bob", carol.GrantedBy);
            Assert.False(carol.IsImplicit);
            Assert.True(carol.Granted > DateTime.UtcNow.AddMinutes(-1));
            var alice = Assert.Single(access, a => a.Member.Name == "alice");
            Assert.True(alice.IsImplicit);
            Assert.Equal(AccessLevel.Manage, alice.Level);

            team.Bob.Store.Revoke("shared/x", "carol", team.Bob.Identity);
            Assert.Throws<NotARecipientException>(() => team.Carol.Read("shared/x"));

            var denied = Assert.Throws<SecretsException>(() => team.Carol.Store.Grant("shared/x", "carol", AccessLevel.Read, team.Carol.Identity));
            Assert.Equal("AccessDenied", denied.ErrorId);
            Assert.Equal(FailureKind.Permission, denied.Kind);
            Assert.Contains("manage", denied.Message);
            Assert.Contains("alice (owner)", denied.Message);
            Assert.Contains("bob (member)", denied.Message);
        }

        [Fact]
        public void MembersCannotCreateSecrets()
        {
            using var team = new Team();
            var error = Assert.Throws<SecretsException>(() => team.Bob.Write("bobs/new", "x"));
            Assert.Equal("AccessDenied", error.ErrorId);
            Assert.Contains("Only the owner and admins create secrets", error.Message);
        }

        [Fact]
        public void StrangersAreToldTheyAreNotMembers()
        {
            using var team = new Team(addMembers: false);
            team.Alice.Write("x", "value");
            var error = Assert.Throws<SecretsException>(() => team.Bob.Write("x", "other"));
            Assert.Equal("AccessDenied", error.ErrorId);
            Assert.Contains("not a member", error.Message);
            Assert.Contains("Get-SecretIdentity", error.Message);
        }

        [Fact]
        public void RemovingAMemberRevokesAndRotatesEverySecretTheyHad()
        {
            using var team = new Team();
            team.Alice.Write("a", "value-a");
            team.Alice.Write("b", "value-b");
            team.Alice.Write("c", "value-c");
            team.Alice.Store.Grant("a", "bob", AccessLevel.Read, team.Alice.Identity);
            team.Alice.Store.Grant("b", "bob", AccessLevel.Write, team.Alice.Identity);
            team.Alice.Store.Grant("b", "carol", AccessLevel.Read, team.Alice.Identity);
            var before = team.Alice.Store.GetInfo("c").Version;

            var rotated = team.Alice.Store.RemoveMember("bob", team.Alice.Identity);
            Assert.Equal(new[] { "a", "b" }, rotated.OrderBy(n => n));
            Assert.Equal(before, team.Alice.Store.GetInfo("c").Version);
            Assert.DoesNotContain(team.Alice.Store.GetMembers(), m => m.Name == "bob");
            Assert.Throws<NotARecipientException>(() => team.Bob.Read("a"));
            Assert.Throws<NotARecipientException>(() => team.Bob.Read("b"));
            Assert.Equal("value-b", team.Carol.Read("b"));
            Assert.DoesNotContain(team.Alice.Store.GetAccess("b"), a => a.Member.Name == "bob");
        }

        [Fact]
        public void AdminsReadAndManageEverythingAndAddMembers()
        {
            using var team = new Team();
            team.Alice.Write("a", "value-a");
            team.Alice.Store.SetMemberRole("bob", MemberRole.Admin, team.Alice.Identity);
            Assert.Equal("value-a", team.Bob.Read("a"));
            team.Bob.Write("made-by-admin", "admin-value");

            using var dave = new Person("dave", team.Root, team.StorePath);
            team.Bob.Store.AddMember(dave.Identity.Recipient, "dave", MemberRole.Member, team.Bob.Identity);
            team.Bob.Store.Grant("a", "dave", AccessLevel.Read, team.Bob.Identity);
            Assert.Equal("value-a", dave.Read("a"));

            var noAdmins = Assert.Throws<SecretsException>(() => team.Bob.Store.SetMemberRole("dave", MemberRole.Admin, team.Bob.Identity));
            Assert.Equal("AccessDenied", noAdmins.ErrorId);

            team.Alice.Store.SetMemberRole("bob", MemberRole.Member, team.Alice.Identity);
            Assert.Throws<NotARecipientException>(() => team.Bob.Read("a"));
            Assert.Equal("admin-value", team.Alice.Read("made-by-admin"));
        }

        [Fact]
        public void UnknownMembersAndBadRecipientsGetClearErrors()
        {
            using var team = new Team();
            team.Alice.Write("a", "value");
            var unknown = Assert.Throws<SecretsException>(() => team.Alice.Store.Grant("a", "mallory", AccessLevel.Read, team.Alice.Identity));
            Assert.Equal("UnknownMember", unknown.ErrorId);
            Assert.Equal(FailureKind.NotFound, unknown.Kind);
            Assert.Contains("alice, bob, carol", unknown.Message);

            var bad = Assert.Throws<InvalidInputException>(() => Recipient.Parse("secrets1notarecipient"));
            Assert.Equal("InvalidRecipient", bad.ErrorId);

            var twice = Assert.Throws<SecretsException>(() => team.Alice.Store.AddMember(team.Bob.Identity.Recipient, "bobby", MemberRole.Member, team.Alice.Identity));
            Assert.Equal("MemberExists", twice.ErrorId);
        }

        [Fact]
        public void NoValueAppearsInAnySharingError()
        {
            using var team = new Team();
            const string value = "distinctive-sharing-value";
            team.Alice.Write("a", value);
            var messages = new[]
            {
                Record(() => team.Bob.Read("a")),
                Record(() => team.Bob.Write("a", value)),
                Record(() => team.Carol.Store.Grant("a", "bob", AccessLevel.Read, team.Carol.Identity)),
                Record(() => team.Alice.Store.Grant("a", "nobody", AccessLevel.Read, team.Alice.Identity)),
            };
            Assert.All(messages, m => Assert.DoesNotContain(value, m));
        }

        private static string Record(Action action)
        {
            try
            {
                action();
                return string.Empty;
            }
            catch (Exception e)
            {
                return e.ToString();
            }
        }
    }
}
