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
