using System;
using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Store;
using Secrets.Core.Sync;
using Xunit;

namespace Secrets.Core.Tests.Sync
{
    /// <summary>
    /// Many rounds of random writes, grants, revocations and syncs by alice, bob and carol, seeded
    /// and reproducible (SECRETS_SYNC_SEED picks another seed, SECRETS_SYNC_ROUNDS more rounds).
    /// After everyone syncs: every clone holds the same files, everything verifies, every value
    /// written is in its secret's history exactly once unless its sync reported it not applied,
    /// and each person's values are in the order they wrote them.
    /// </summary>
    [Collection("Git sync")]
    public sealed class GitSyncRandomTests : IDisposable
    {
        private static readonly string[] Secrets = { "shared/db", "shared/api", "alice/only", "team/a", "team/b" };
        private readonly GitTeam _team = new GitTeam();

        public void Dispose() => _team.Dispose();

        [Fact]
        public void Random_changes_and_syncs_converge_with_nothing_lost()
        {
            int seed = int.TryParse(Environment.GetEnvironmentVariable("SECRETS_SYNC_SEED"), out var s) ? s : 20261205;
            int rounds = int.TryParse(Environment.GetEnvironmentVariable("SECRETS_SYNC_ROUNDS"), out var r) ? r : 40;
            var random = new Random(seed);
            var people = _team.Everyone.ToArray();
            _team.Bob.Write("team/a", "team-a-0");
            _team.Bob.Write("team/b", "team-b-0");
            _team.Bob.Sync();

            // What each person wrote, per secret, in order; and what their syncs reported not applied.
            var written = new Dictionary<(string Person, string Secret), List<string>>();
            var refused = new Dictionary<(string Person, string Secret), int>();
            int counter = 0;
            for (int round = 0; round < rounds; round++)
            {
                var person = people[random.Next(people.Length)];
                var secret = Secrets[random.Next(Secrets.Length)];
                int action = random.Next(10);
                try
                {
                    if (action < 5)
                    {
                        var value = $"{person.Name}-{++counter}";
                        person.Write(secret, value);
                        Add(written, (person.Name, secret), value);
                    }
                    else if (action < 7 && person != _team.Carol)
                    {
                        var level = (AccessLevel)random.Next(0, 4);
                        if (level == AccessLevel.None)
                        {
                            person.Store.Revoke(secret, "carol", person.Identity);
                        }
                        else
                        {
                            person.Store.Grant(secret, "carol", level, person.Identity);
                        }
                    }
                    else
                    {
                        Record(person.Sync(), person.Name, refused);
                    }
                }
                catch (SecretsException e) when (e.Kind == FailureKind.Permission || e.ErrorId == "NoAccessToRevoke" || e.ErrorId == "SecretNotFound")
                {
                    // Not allowed here and now: not a change to sync.
                }
            }

            for (int i = 0; i < 3; i++)
            {
                foreach (var person in people)
                {
                    Record(person.Sync(), person.Name, refused);
                }
            }

            var files = _team.Alice.Files();
            Assert.Equal(files, _team.Bob.Files());
            Assert.Equal(files, _team.Carol.Files());
            Assert.Empty(_team.Alice.Store.Check());
            foreach (var secret in Secrets)
            {
                var history = _team.Alice.Values(secret);
                Assert.Equal(history.Count, history.Distinct().Count());
                foreach (var person in people)
                {
                    var mine = written.TryGetValue((person.Name, secret), out var list) ? list : new List<string>();
                    var present = mine.Where(history.Contains).ToList();
                    Assert.Equal(mine.Count - present.Count, refused.TryGetValue((person.Name, secret), out int n) ? n : 0);
                    var order = present.Select(v => history.IndexOf(v)).ToList();
                    Assert.Equal(order.OrderBy(i => i), order);
                }
            }
        }

        private static void Record(SyncResult result, string person, Dictionary<(string, string), int> refused)
        {
            foreach (var change in result.NotApplied.Where(c => c.Kind == SyncChangeKind.Write))
            {
                refused[(person, change.Secret!)] = (refused.TryGetValue((person, change.Secret!), out int n) ? n : 0) + 1;
            }
        }

        private static void Add(Dictionary<(string, string), List<string>> map, (string, string) key, string value)
        {
            if (!map.TryGetValue(key, out var list))
            {
                map[key] = list = new List<string>();
            }

            list.Add(value);
        }
    }
}
