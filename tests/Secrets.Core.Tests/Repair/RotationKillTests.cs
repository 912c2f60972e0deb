using System;
using System.Linq;
using System.Threading;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Secrets.Core.Tests.Concurrency;
using Secrets.Core.Values;
using Xunit;
using Xunit.Abstractions;

namespace Secrets.Core.Tests.Repair
{
    /// <summary>
    /// A process granting and revoking, killed (SIGKILL) at random moments: afterwards the store
    /// check finds every unfinished rotation, the repair finishes them, and every secret reads as it
    /// should, for the owner and for the member, by what the store log says.
    /// </summary>
    public class RotationKillTests
    {
        private static readonly string[] Names = { "rot/a", "rot/b", "rot/c" };
        private readonly ITestOutputHelper _output;

        public RotationKillTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void GrantsAndRevocationsKilledAtRandomMomentsAreFinishedByTheRepair()
        {
            int seed = Environment.TickCount;
            var random = new Random(seed);
            using var store = new WorkerStore(keepVersions: 5);
            using var bob = UnlockedIdentity.Generate("bob");
            var owner = store.Open();
            owner.AddMember(bob.Recipient, "bob", MemberRole.Member, store.Owner);
            foreach (var name in Names)
            {
                using var value = SecretValue.FromString("value of " + name);
                owner.Write(name, value, null, store.Owner, WriteMode.CreateOrUpdate);
            }

            int pending = 0;
            const int rounds = 8;
            for (int round = 0; round < rounds; round++)
            {
                using (var worker = store.Start("access-loop", "bob", string.Join(",", Names)))
                {
                    Assert.Equal("ready", worker.ReadLine(TimeSpan.FromSeconds(60)));
                    int lines = random.Next(1, 6);
                    for (int i = 0; i < lines; i++)
                    {
                        worker.ReadLine(TimeSpan.FromSeconds(60));
                    }

                    Thread.Sleep(random.Next(0, 30));
                    worker.Kill();
                }

                var context = $"seed {seed}, round {round}";
                var reader = store.Open();
                var found = reader.Check();
                pending += found.Count(f => f.Kind == StoreFindingKind.RotationPending);
                Assert.All(found, f => Assert.True(f.Kind == StoreFindingKind.RotationPending || f.Kind == StoreFindingKind.TemporaryFile, $"{context}: {f}"));

                var repaired = reader.Repair(store.Owner);
                Assert.All(repaired, f => Assert.True(f.Repaired, $"{context}: not repaired: {f} ({f.Problem})"));
                Assert.Empty(store.Open().Check());

                foreach (var name in Names)
                {
                    var after = store.Open();
                    using (var value = after.Read(name, store.Owner))
                    {
                        Assert.Equal("value of " + name, value.GetText());
                    }

                    Assert.False(after.GetRotationStatus(name).IsPending, $"{context}: {name}");
                    var access = after.AccessOf(bob.Recipient, name);
                    if (access >= AccessLevel.Read)
                    {
                        using var value = after.Read(name, bob);
                        Assert.Equal("value of " + name, value.GetText());
                    }
                    else
                    {
                        Assert.Throws<NotARecipientException>(() => after.Read(name, bob));
                    }
                }
            }

            _output.WriteLine($"seed {seed}: {pending} unfinished rotations found and finished in {rounds} kills");
        }
    }
}
