using System.Linq;
using System.Threading.Tasks;
using Secrets.Core.Store;
using Xunit;

namespace Secrets.Core.Tests.Sharing
{
    public class ConcurrencyTests
    {
        [Fact]
        public async Task ConcurrentGrantsRevokesAndWritesLoseNothing()
        {
            using var team = new Team();
            team.Alice.Write("granted", "g");
            team.Alice.Write("bobs", "b0");
            team.Alice.Store.Grant("bobs", "bob", AccessLevel.Write, team.Alice.Identity);
            int logBefore = team.LogCount;
            int bobsBefore = team.Alice.Store.GetInfo("bobs").Version;
            const int rounds = 8;

            var granting = Task.Run(() =>
            {
                for (int i = 0; i < rounds; i++)
                {
                    team.Alice.Store.Grant("granted", "carol", AccessLevel.Read, team.Alice.Identity);
                    team.Alice.Store.Revoke("granted", "carol", team.Alice.Identity);
                }
            });
            var writing = Task.Run(() =>
            {
                for (int i = 1; i <= rounds; i++)
                {
                    team.Bob.Write("bobs", "b" + i);
                }
            });
            var owning = Task.Run(() =>
            {
                for (int i = 1; i <= rounds; i++)
                {
                    team.Alice.Write("own/" + i, "o" + i);
                }
            });
            await Task.WhenAll(granting, writing, owning);

            Assert.Equal(logBefore + 2 * rounds, team.LogCount);
            Assert.Equal(bobsBefore + rounds, team.Alice.Store.GetInfo("bobs").Version);
            Assert.Equal("b" + rounds, team.Alice.Read("bobs"));
            Assert.Equal(Enumerable.Range(1, rounds).Select(i => "o" + i), Enumerable.Range(1, rounds).Select(i => team.Alice.Read("own/" + i)));
            Assert.Throws<Errors.NotARecipientException>(() => team.Carol.Read("granted"));
            Assert.Equal("g", team.Alice.Read("granted"));
        }
    }
}

namespace Secrets.Core.Tests.Sharing
{
    using System;
    using System.IO;
    using Secrets.Core.Identity;
    using Secrets.Core.Tests.Support;

    public class ProcessConcurrencyTests
    {
        [Fact]
        public void GrantsRevokesAndWritesFromTwoProcessesLoseNothing()
        {
            using var folder = new TempFolder();
            var store = folder.Combine("shared");
            var aliceFile = folder.Combine("alice.identity");
            var bobFile = folder.Combine("bob.identity");
            using var alice = IdentityFile.Create(aliceFile, "alice", null).Unlock(null);
            using var bob = IdentityFile.Create(bobFile, "bob", null).Unlock(null);
            using var carol = UnlockedIdentity.Generate("carol");
            var aliceState = folder.Combine("state-alice");
            var bobState = folder.Combine("state-bob");
            var owner = SecretStore.Create(store, alice, StoreManifest.DefaultKeepVersions, aliceState);
            owner.AddMember(bob.Recipient, "bob", MemberRole.Member, alice);
            owner.AddMember(carol.Recipient, "carol", MemberRole.Member, alice);
            using (var value = Secrets.Core.Values.SecretValue.FromString("granted-value"))
            {
                owner.Write("granted", value, null, alice, WriteMode.CreateOnly);
            }

            using (var value = Secrets.Core.Values.SecretValue.FromString("w-0"))
            {
                owner.Write("bobs", value, null, alice, WriteMode.CreateOnly);
            }

            owner.Grant("bobs", "bob", AccessLevel.Write, alice);
            int logBefore = Directory.GetFiles(Path.Combine(store, "log")).Length;
            int bobsBefore = owner.GetInfo("bobs").Version;
            const int rounds = 6;

            using var granter = Worker.Start("share-grants", store, aliceState, aliceFile, "granted", "carol", rounds.ToString());
            using var writer = Worker.Start("share-writes", store, bobState, bobFile, "bobs", rounds.ToString());
            Assert.Equal("ready", granter.ReadLine(TimeSpan.FromSeconds(60)));
            Assert.Equal("ready", writer.ReadLine(TimeSpan.FromSeconds(60)));
            granter.WriteLine("go");
            writer.WriteLine("go");
            Assert.Equal("done", granter.ReadLine(TimeSpan.FromSeconds(120)));
            Assert.Equal("done", writer.ReadLine(TimeSpan.FromSeconds(120)));
            granter.AssertExitsCleanly(TimeSpan.FromSeconds(30));
            writer.AssertExitsCleanly(TimeSpan.FromSeconds(30));

            var after = SecretStore.Open(store, aliceState);
            Assert.Equal(logBefore + 2 * rounds, Directory.GetFiles(Path.Combine(store, "log")).Length);
            Assert.Equal(bobsBefore + rounds, after.GetInfo("bobs").Version);
            using (var value = after.Read("bobs", alice))
            {
                Assert.Equal("w-" + rounds, value.GetText());
            }

            using (var value = after.Read("granted", alice))
            {
                Assert.Equal("granted-value", value.GetText());
            }

            Assert.Equal(AccessLevel.None, after.AccessOf(carol.Recipient, "granted"));
            Assert.Throws<Errors.NotARecipientException>(() => after.Read("granted", carol));
            Assert.Equal(AccessLevel.Write, after.AccessOf(bob.Recipient, "bobs"));
        }
    }
}
