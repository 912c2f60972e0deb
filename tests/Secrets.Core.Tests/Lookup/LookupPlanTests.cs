using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Lookup;
using Secrets.Core.Tests.Support;
using Secrets.Core.Vault;
using Xunit;

namespace Secrets.Core.Tests.Lookup
{
    public class LookupPlanTests
    {
        private static KnownVault Foreign(string name, bool isDefault = false) => new KnownVault(name, "Microsoft.PowerShell.SecretStore", isDefault);

        private static KnownVault Ours(string name, string store, bool isDefault = false) =>
            new KnownVault(name, "Secrets", isDefault, VaultSettings.Parse(name, new[] { new KeyValuePair<string, object?>("Store", store) }));

        private static string Shown(IEnumerable<LookupEntry> entries) => string.Join(", ", entries.Select(e => $"{e.Position}:{e.Kind}:{e.Name}"));

        [Fact]
        public void WithoutSecretManagementOnlyStoresPersonalFirst()
        {
            using var folder = new TempFolder();
            var registry = StoreRegistry.Load(folder.Combine("stores.json")).Register("team", folder.Combine("team")).Register("ci", folder.Combine("ci"));
            var entries = LookupPlan.Build(registry, null);
            Assert.Equal("1:Store:personal, 2:Store:team, 3:Store:ci", Shown(entries));
            Assert.Equal(LookupReason.PersonalStore, entries[0].Reason);
            Assert.Equal(LookupReason.RegisteredStore, entries[1].Reason);
            Assert.True(entries.All(e => e.IsSecretsStore));
        }

        [Fact]
        public void ByDefaultSecretManagementsDefaultVaultComesFirstAndItsOtherVaultsLastByName()
        {
            using var folder = new TempFolder();
            var registry = StoreRegistry.Load(folder.Combine("stores.json")).Register("team", folder.Combine("team"));
            var vaults = new[] { Foreign("zeta"), Foreign("SecretStore", isDefault: true), Foreign("Alpha") };
            var entries = LookupPlan.Build(registry, vaults);
            Assert.Equal("1:Vault:SecretStore, 2:Store:personal, 3:Store:team, 4:Vault:Alpha, 5:Vault:zeta", Shown(entries));
            Assert.Equal(LookupReason.DefaultVault, entries[0].Reason);
            Assert.Equal(LookupReason.OtherVault, entries[4].Reason);
            Assert.False(entries[0].IsSecretsStore);
            Assert.Null(entries[0].StorePath);
        }

        [Fact]
        public void TheUsersOrderComesFirstThenTheVaultsItDoesNotName()
        {
            using var folder = new TempFolder();
            var registry = StoreRegistry.Load(folder.Combine("stores.json")).Register("team", folder.Combine("team"))
                .WithLookupOrder(new[] { "team", "zeta", "personal" }, false);
            var vaults = new[] { Foreign("zeta"), Foreign("SecretStore", isDefault: true), Foreign("Alpha") };
            Assert.Equal("1:Store:team, 2:Vault:zeta, 3:Store:personal, 4:Vault:SecretStore, 5:Vault:Alpha", Shown(LookupPlan.Build(registry, vaults)));

            var only = registry.WithLookupOrder(new[] { "team", "zeta", "personal" }, excludeUnlistedVaults: true);
            Assert.Equal("1:Store:team, 2:Vault:zeta, 3:Store:personal", Shown(LookupPlan.Build(only, vaults)));
        }

        [Fact]
        public void AStoreNameWinsOverAVaultOfTheSameName()
        {
            using var folder = new TempFolder();
            var registry = StoreRegistry.Load(folder.Combine("stores.json")).Register("team", folder.Combine("team")).WithLookupOrder(new[] { "team" }, true);
            var entry = Assert.Single(LookupPlan.Build(registry, new[] { Foreign("TEAM") }));
            Assert.Equal(LookupEntryKind.Store, entry.Kind);
        }

        [Fact]
        public void NamesThatNoLongerExistAreSkippedWithANote()
        {
            using var folder = new TempFolder();
            var registry = StoreRegistry.Load(folder.Combine("stores.json")).WithLookupOrder(new[] { "gone", "personal" }, true);
            var notes = new List<string>();
            Assert.Equal("1:Store:personal", Shown(LookupPlan.Build(registry, new KnownVault[0], notes)));
            Assert.Equal("'gone' in your lookup order is neither a registered store nor a SecretManagement vault: it is skipped.", Assert.Single(notes));

            notes.Clear();
            LookupPlan.Build(registry, null, notes);
            Assert.Contains("SecretManagement, which could have a vault of that name, is not installed", Assert.Single(notes));
        }

        [Fact]
        public void AVaultOfThisModuleOnAStoreAlreadySearchedIsSearchedOnce()
        {
            using var folder = new TempFolder();
            var team = folder.Combine("team");
            var registry = StoreRegistry.Load(folder.Combine("stores.json")).Register("team", team);
            var notes = new List<string>();

            // The default vault is ours on the team store: it comes first, the store is not searched again.
            var entries = LookupPlan.Build(registry, new[] { Ours("teamvault", team + "/", isDefault: true), Foreign("other") }, notes);
            Assert.Equal("1:Vault:teamvault, 2:Store:personal, 3:Vault:other", Shown(entries));
            Assert.True(StorePaths.Same(team, entries[0].StorePath));
            Assert.True(entries[0].IsSecretsStore);
            Assert.Contains("Store 'team' uses the same store folder as vault 'teamvault'", Assert.Single(notes));
        }
    }
}
