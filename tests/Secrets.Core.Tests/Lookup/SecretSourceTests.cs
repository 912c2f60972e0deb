using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Jobs;
using Secrets.Core.Lookup;
using Secrets.Core.Store;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Lookup
{
    /// <summary>Finding a secret along the lookup order: the first place that has it answers.</summary>
    public class SecretSourceTests
    {
        /// <summary>Another module's vault: a dictionary, and a record of what it was asked.</summary>
        private sealed class FakeVault : VaultPlace
        {
            public FakeVault(string name, params (string Name, object Value)[] secrets)
                : base(name, "Test.Vault")
            {
                foreach (var (key, value) in secrets)
                {
                    Secrets[key] = value;
                }
            }

            public Dictionary<string, object> Secrets { get; } = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);

            public List<string> Asked { get; } = new List<string>();

            public override ForeignSecret? Read(string name)
            {
                Asked.Add(name);
                if (!Secrets.TryGetValue(name, out var value))
                {
                    return null;
                }

                return new ForeignSecret(value, () => value switch
                {
                    string text => SecretValue.FromString(text),
                    Dictionary<string, string> table => SecretValue.FromEntries(table.Select(p => new SecretEntry(p.Key, SecretValue.FromString(p.Value)))),
                    _ => throw new InvalidInputException("InvalidSecretValue", "Secret", "not a value"),
                });
            }
        }

        private sealed class Setup : IDisposable
        {
            public Setup()
            {
                Personal = new TestStore();
                TeamPath = Path.Combine(Personal.Root, "team");
                Team = SecretStore.Create(TeamPath, Personal.Owner, stateRoot: Personal.StateRoot);
                Write(Personal.Store, "shared", "from-personal");
                Write(Personal.Store, "mine", "mine-value");
                Write(Team, "shared", "from-team");
                Write(Team, "teamonly", "team-value");
                Team.Write("db", SecretValue.FromEntries(new[] { new SecretEntry("user", SecretValue.FromString("app")) }), null, Personal.Owner, WriteMode.CreateOnly);
            }

            public TestStore Personal { get; }

            public string TeamPath { get; }

            public SecretStore Team { get; }

            public StorePlace PersonalPlace => new StorePlace("personal", "store 'personal'", Personal.StorePath, () => Personal.Store, () => Personal.Owner);

            public StorePlace TeamPlace => new StorePlace("team", "store 'team'", TeamPath, () => Team, () => Personal.Owner);

            public SecretSource Source(params LookupPlace[] order) =>
                new SecretSource(order, name => order.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                    ?? throw new SecretsException("StoreNameNotFound", FailureKind.NotFound, $"No store or vault named '{name}'."));

            public void Dispose() => Personal.Dispose();

            private void Write(SecretStore store, string name, string value) =>
                store.Write(name, SecretValue.FromString(value), null, Personal.Owner, WriteMode.CreateOnly);
        }

        private static string Text(LookupHit hit)
        {
            using var value = hit.Select();
            return value.GetText();
        }

        [Fact]
        public void TheFirstPlaceThatHasTheNameAnswersAndTheRestAreNotAsked()
        {
            using var setup = new Setup();
            var vault = new FakeVault("SecretStore", ("shared", "from-vault"), ("vaultonly", "vault-value"));
            using var source = setup.Source(setup.PersonalPlace, setup.TeamPlace, vault);

            var hit = source.Find(SecretLocator.Parse("shared", "Name"));
            Assert.Equal("personal", hit.Place.Name);
            Assert.Equal("from-personal", Text(hit));
            Assert.Equal("team-value", Text(source.Find(SecretLocator.Parse("teamonly", "Name"))));
            Assert.Empty(vault.Asked);

            var fromVault = source.Find(SecretLocator.Parse("vaultonly", "Name"));
            Assert.Same(vault, fromVault.Place);
            Assert.Equal("vault-value", fromVault.Foreign!.Raw);
            Assert.Equal(new[] { "vaultonly" }, vault.Asked);

            // A vault first in the order answers first: shadowing goes by the order alone.
            using var vaultFirst = setup.Source(vault, setup.PersonalPlace);
            Assert.Equal("from-vault", Text(vaultFirst.Find(SecretLocator.Parse("shared", "Name"))));
        }

        [Fact]
        public void AUriNamesItsPlaceWhateverTheOrder()
        {
            using var setup = new Setup();
            var vault = new FakeVault("SecretStore", ("shared", "from-vault"), ("table", new Dictionary<string, string> { ["k"] = "v" }));
            using var source = setup.Source(setup.PersonalPlace, setup.TeamPlace, vault);
            Assert.Equal("from-team", Text(source.Find(SecretLocator.Parse("secret://TEAM/shared", "Name"))));
            Assert.Equal("app", Text(source.Find(SecretLocator.Parse("secret://team/db#user", "Name"))));
            Assert.Equal("from-vault", Text(source.Find(SecretLocator.Parse("secret://SecretStore/shared", "Name"))));
            Assert.Equal("v", Text(source.Find(SecretLocator.Parse("secret://SecretStore/table#K", "Name"))));

            var missing = Assert.Throws<SecretNotFoundException>(() => source.Find(SecretLocator.Parse("secret://team/mine", "Name")));
            Assert.Equal("No secret named 'mine' in store 'team'.", missing.Message);
            Assert.Equal("StoreNameNotFound", Assert.Throws<SecretsException>(() => source.Find(SecretLocator.Parse("secret://nosuch/x", "Name"))).ErrorId);

            var noKey = Assert.Throws<SecretKeyNotFoundException>(() => source.Find(SecretLocator.Parse("secret://SecretStore/table#nokey", "Name")).Select());
            Assert.Contains("'k'", noKey.Message);
        }

        [Fact]
        public void PlainNameKeyIsAKeyInStoresAndTheWholeNameInVaults()
        {
            using var setup = new Setup();
            var vault = new FakeVault("kv", ("cfg.json", "vault-text"));
            using var source = setup.Source(setup.PersonalPlace, setup.TeamPlace, vault);
            Assert.Equal("app", Text(source.Find(SecretLocator.Parse("db.user", "Name"))));
            var hit = source.Find(SecretLocator.Parse("cfg.json", "Name"));
            Assert.Same(vault, hit.Place);
            Assert.Null(hit.Key);
            Assert.Equal("vault-text", Text(hit));

            // A name no store can hold is still asked of the vaults...
            vault.Secrets["my secret"] = "spaced";
            Assert.Equal("spaced", Text(source.Find(SecretLocator.Parse("my secret", "Name"))));

            // ...and without a vault it is the name's error, as it always was.
            using var storesOnly = setup.Source(setup.PersonalPlace);
            Assert.Equal("InvalidSecretName", Assert.Throws<InvalidInputException>(() => storesOnly.Find(SecretLocator.Parse("my secret", "Name"))).ErrorId);
        }

        [Fact]
        public void NotFoundNamesEveryPlaceSearched()
        {
            using var setup = new Setup();
            using var source = setup.Source(setup.PersonalPlace, setup.TeamPlace, new FakeVault("SecretStore"));
            var error = Assert.Throws<SecretNotFoundException>(() => source.Find(SecretLocator.Parse("nothing", "Name")));
            Assert.Equal("SecretNotFound", error.ErrorId);
            Assert.Equal("No secret named 'nothing' in store 'personal', store 'team' or vault 'SecretStore'.", error.Message);

            // One store searched: the message it always had.
            using var one = setup.Source(setup.TeamPlace);
            Assert.Equal($"No secret named 'nothing' in the store at '{setup.TeamPath}'.", Assert.Throws<SecretNotFoundException>(() => one.Find(SecretLocator.Parse("nothing", "Name"))).Message);
        }

        [Fact]
        public void AVersionIsLookedForInStoresOnly()
        {
            using var setup = new Setup();
            var vault = new FakeVault("SecretStore", ("vaultonly", "x"));
            using var source = setup.Source(setup.PersonalPlace, vault);
            Assert.Equal("from-personal", Text(source.Find(SecretLocator.Parse("shared", "Name"), version: 1)));
            Assert.Throws<SecretNotFoundException>(() => source.Find(SecretLocator.Parse("vaultonly", "Name"), version: 1));
            Assert.Empty(vault.Asked);
            Assert.Equal("SecretVersionNotFound", Assert.Throws<SecretNotFoundException>(() => source.Find(SecretLocator.Parse("shared", "Name"), version: 7)).ErrorId);
        }

        [Fact]
        public void ASecretNotEncryptedToTheReaderDoesNotHideALaterCopyButIsTheErrorWhenNothingElseHasIt()
        {
            using var setup = new Setup();
            using var bob = UnlockedIdentity.Generate("bob");
            var bobsPath = Path.Combine(setup.Personal.Root, "bobs");
            var bobs = SecretStore.Create(bobsPath, bob, stateRoot: setup.Personal.StateRoot);
            bobs.Write("shared", SecretValue.FromString("bobs-copy"), null, bob, WriteMode.CreateOnly);
            var aliceStoreReadByBob = new StorePlace("team", "store 'team'", setup.TeamPath, () => setup.Team, () => bob);
            var bobsPlace = new StorePlace("bobs", "store 'bobs'", bobsPath, () => bobs, () => bob);

            using var source = setup.Source(aliceStoreReadByBob, bobsPlace);
            Assert.Equal("bobs-copy", Text(source.Find(SecretLocator.Parse("shared", "Name"))));
            Assert.Equal("NotARecipient", Assert.Throws<NotARecipientException>(() => source.Find(SecretLocator.Parse("teamonly", "Name"))).ErrorId);
        }

        [Fact]
        public void AStoreThatDoesNotExistYetIsPassedAndOneThatIsGoneIsReported()
        {
            using var setup = new Setup();
            var notYet = new StorePlace("personal", "store 'personal'", "/nowhere", () => null, () => setup.Personal.Owner);
            var gonePath = Path.Combine(setup.Personal.Root, "gone");
            var gone = new StorePlace("gone", "store 'gone'", gonePath, () => throw new StoreNotFoundException(gonePath), () => setup.Personal.Owner);
            using var source = setup.Source(notYet, gone, setup.TeamPlace);
            var skipped = new List<string>();
            source.Skipped = (place, e) => skipped.Add(place.Name + ": " + e.ErrorId);
            Assert.Equal("from-team", Text(source.Find(SecretLocator.Parse("shared", "Name"))));
            Assert.Equal(new[] { "gone: StoreNotFound" }, skipped);
        }

        [Fact]
        public void ListingGivesTheFirstCopyOfEachNameFromTheStoresOnly()
        {
            using var setup = new Setup();
            using var source = setup.Source(setup.TeamPlace, setup.PersonalPlace, new FakeVault("kv", ("vaultonly", "x")));
            var listed = source.List(null).Select(p => p.Place.Name + ":" + p.Listed.CanonicalName).ToList();
            Assert.Equal(new[] { "team:db", "team:shared", "team:teamonly", "personal:mine" }, listed);
        }

        [Fact]
        public void ASecretIsReadOncePerSource()
        {
            using var setup = new Setup();
            var vault = new FakeVault("kv", ("a.b", "x"));
            using var source = setup.Source(setup.PersonalPlace, vault);
            source.Find(SecretLocator.Parse("a.b", "Name"));
            source.Find(SecretLocator.Parse("a.b", "Name"));
            Assert.Single(vault.Asked);
        }

        [Fact]
        public void AJobTakesSecretsAlongTheOrderAndFromThePlacesUrisName()
        {
            using var setup = new Setup();
            var vault = new FakeVault("SecretStore", ("shared", "from-vault"), ("vaultonly", "vault-value"), ("table", new Dictionary<string, string> { ["k"] = "v" }));
            using var source = setup.Source(setup.PersonalPlace, setup.TeamPlace, vault);
            var template = Path.Combine(setup.Personal.Root, "app.tmpl");
            File.WriteAllText(template, "a={{shared}} b={{ secret://team/shared }} c={{secret://SecretStore/table#k}} d={{vaultonly}}");
            var spec = new JobSpec { BaseDirectory = setup.Personal.Root, JournalDirectory = Path.Combine(setup.Personal.Root, "journals"), AllSecrets = true, AllSecretsPrefix = "S_" };
            spec.Environment.Add(new KeyValuePair<string, string>("TEAM", "secret://team/teamonly"));
            spec.Environment.Add(new KeyValuePair<string, string>("VAULT", "vaultonly"));
            spec.Templates.Add(new KeyValuePair<string, string>("app.conf", "app.tmpl"));

            using (var job = JobPreparer.Resolve(spec, source))
            {
                Assert.Empty(job.Problems);
                Assert.Contains("environment variable TEAM <- 'secret://team/teamonly'", job.Description);
                Assert.Contains("environment variable VAULT <- 'vaultonly'", job.Description);
                Assert.Contains(job.Description, d => d.StartsWith("file ", StringComparison.Ordinal) && d.Contains("(4 references)", StringComparison.Ordinal));

                // -AllSecrets: every store of the order, the first copy of each name; vaults are not listed.
                Assert.Contains("environment variable S_SHARED <- 'shared'", job.Description);
                Assert.Contains("environment variable S_TEAMONLY <- 'teamonly'", job.Description);
                Assert.DoesNotContain(job.Description, d => d.Contains("S_VAULTONLY", StringComparison.Ordinal));
            }

            // The vault was asked once for each name the stores lack, however often the job names it.
            Assert.Equal(new[] { "vaultonly" }, vault.Asked.Where(n => n == "vaultonly"));

            var missing = new JobSpec { BaseDirectory = setup.Personal.Root, JournalDirectory = spec.JournalDirectory };
            missing.Environment.Add(new KeyValuePair<string, string>("X", "nowhere"));
            missing.Environment.Add(new KeyValuePair<string, string>("Y", "secret://team/mine"));
            missing.Environment.Add(new KeyValuePair<string, string>("Z", "secret://nosuch/x"));
            using var failed = JobPreparer.Resolve(missing, source);
            Assert.Contains("secret 'nowhere' does not exist in store 'personal', store 'team', vault 'SecretStore' (used by environment variable X)", failed.Problems);
            Assert.Contains("secret 'secret://team/mine' does not exist in store 'team' (used by environment variable Y)", failed.Problems);
            Assert.Contains(failed.Problems, p => p.StartsWith("environment variable Z: secret 'secret://nosuch/x' cannot be read: No store or vault named 'nosuch'", StringComparison.Ordinal));
        }
    }
}
