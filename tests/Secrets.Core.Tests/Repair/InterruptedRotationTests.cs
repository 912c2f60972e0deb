using System;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Store;
using Secrets.Core.Tests.Sharing;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Repair
{
    /// <summary>
    /// A change of access is recorded in the store log, then the secret is written again for its
    /// new readers. Stopped between the two, the newest version stays encrypted to the member whose
    /// access ended: the store shows it and finishes it (revoking again, any new version,
    /// Repair-SecretStore).
    /// </summary>
    public class InterruptedRotationTests
    {
        private static Team Interrupted()
        {
            var team = new Team();
            team.Alice.Write("prod/db", "db-value");
            team.Alice.Store.Grant("prod/db", "bob", AccessLevel.Read, team.Alice.Identity);
            Assert.Equal("db-value", team.Bob.Read("prod/db"));

            // The process stops after the revocation is recorded, before the new version is renamed into place.
            var store = team.Alice.Store;
            store.FaultInjector = step =>
            {
                if (step == WriteStep.TempFileWritten)
                {
                    throw new SimulatedCrash();
                }
            };
            Assert.Throws<SimulatedCrash>(() => store.Revoke("prod/db", "bob", team.Alice.Identity));
            return team;
        }

        [Fact]
        public void TheUnfinishedRotationIsShownByTheStoreAndByGetAccess()
        {
            using var team = Interrupted();
            var status = team.Alice.Store.GetRotationStatus("prod/db");
            Assert.True(status.IsPending);
            Assert.Equal(new[] { "bob" }, status.NoLongerAllowed.Select(m => m.Name));
            Assert.Equal(AccessLevel.None, team.Alice.Store.AccessOf(team.Bob.Identity.Recipient, "prod/db"));

            var bob = Assert.Single(team.Alice.Store.GetAccess("prod/db"), e => e.Member.Name == "bob");
            Assert.True(bob.RotationPending);
            Assert.Equal(AccessLevel.None, bob.Level);

            // Until it is finished, bob's key still opens the newest version.
            Assert.Equal("db-value", team.Bob.Read("prod/db"));
        }

        [Fact]
        public void RevokingAgainFinishesItInsteadOfSayingThereIsNothingToRevoke()
        {
            using var team = Interrupted();
            var record = team.Alice.Store.Revoke("prod/db", "bob", team.Alice.Identity);
            Assert.Null(record.NotRotatedReason);
            Assert.False(team.Alice.Store.GetRotationStatus("prod/db").IsPending);
            Assert.Equal("NotARecipient", Assert.Throws<NotARecipientException>(() => team.Bob.Read("prod/db")).ErrorId);
            Assert.Equal("db-value", team.Alice.Read("prod/db"));
            Assert.DoesNotContain(team.Alice.Store.GetAccess("prod/db"), e => e.RotationPending);

            // Once finished, there is nothing left to revoke.
            Assert.Equal("NoAccessToRevoke", Assert.Throws<SecretsException>(() => team.Alice.Store.Revoke("prod/db", "bob", team.Alice.Identity)).ErrorId);
        }

        [Fact]
        public void TheStoreCheckReportsItAndTheRepairFinishesIt()
        {
            using var team = Interrupted();
            var found = Assert.Single(team.Alice.Store.Check(), f => f.Kind == StoreFindingKind.RotationPending);
            Assert.Equal("prod/db", found.Secret);
            Assert.Contains("bob", found.Message);
            Assert.False(found.Repaired);

            // A member without manage access cannot finish it; the finding stays, with the reason.
            var byCarol = Assert.Single(team.Carol.Store.Repair(team.Carol.Identity), f => f.Kind == StoreFindingKind.RotationPending);
            Assert.False(byCarol.Repaired);
            Assert.Contains("manage access", byCarol.Problem);

            var repaired = Assert.Single(team.Alice.Store.Repair(team.Alice.Identity), f => f.Kind == StoreFindingKind.RotationPending);
            Assert.True(repaired.Repaired);
            Assert.Empty(team.Alice.Store.Check());
            Assert.Throws<NotARecipientException>(() => team.Bob.Read("prod/db"));
        }

        [Fact]
        public void AnyNewVersionFinishesIt()
        {
            using var team = Interrupted();
            team.Alice.Write("prod/db", "new-value");
            Assert.False(team.Alice.Store.GetRotationStatus("prod/db").IsPending);
            Assert.Throws<NotARecipientException>(() => team.Bob.Read("prod/db"));
        }

        private sealed class SimulatedCrash : Exception
        {
        }
    }
}
