using System;
using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Vault;

namespace Secrets.Core.Lookup
{
    /// <summary>A vault registered with SecretManagement, as Get-SecretVault describes it.</summary>
    public sealed class KnownVault
    {
        /// <summary>The module name SecretManagement records for vaults of this module.</summary>
        public const string ThisModule = "Secrets";

        public KnownVault(string name, string moduleName, bool isDefault, VaultSettings? settings = null, SecretsException? settingsError = null)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            ModuleName = moduleName ?? string.Empty;
            IsDefault = isDefault;
            Settings = settings;
            SettingsError = settingsError;
        }

        public string Name { get; }

        public string ModuleName { get; }

        /// <summary>Whether it is SecretManagement's default vault.</summary>
        public bool IsDefault { get; }

        /// <summary>For a vault of this module: its store, identity and unlock time.</summary>
        public VaultSettings? Settings { get; }

        /// <summary>For a vault of this module whose parameters are invalid: why (reported when the vault is used).</summary>
        public SecretsException? SettingsError { get; }

        /// <summary>Whether the vault belongs to this module (served directly, with its store and identity).</summary>
        public bool IsThisModule => string.Equals(ModuleName, ThisModule, StringComparison.OrdinalIgnoreCase);

        public override string ToString() => $"vault {Name} ({ModuleName})";
    }

    /// <summary>What an entry of the lookup order is.</summary>
    public enum LookupEntryKind
    {
        /// <summary>A store of this module, by its registered name.</summary>
        Store,

        /// <summary>A vault registered with SecretManagement (of this module or another).</summary>
        Vault,
    }

    /// <summary>Why an entry has its place in the lookup order.</summary>
    public enum LookupReason
    {
        /// <summary>The user's lookup order names it.</summary>
        LookupOrder,

        /// <summary>SecretManagement's default vault, first as SecretManagement searches it first.</summary>
        DefaultVault,

        /// <summary>The personal store.</summary>
        PersonalStore,

        /// <summary>A registered store, in the order stores were registered.</summary>
        RegisteredStore,

        /// <summary>Another SecretManagement vault, after the stores, by name as SecretManagement searches them.</summary>
        OtherVault,
    }

    /// <summary>One place of the lookup order.</summary>
    public sealed class LookupEntry
    {
        public LookupEntry(int position, string name, LookupEntryKind kind, LookupReason reason, string? storePath, KnownVault? vault)
        {
            Position = position;
            Name = name;
            Kind = kind;
            Reason = reason;
            StorePath = storePath;
            Vault = vault;
        }

        /// <summary>1 for the first place searched, where writes go.</summary>
        public int Position { get; }

        /// <summary>The store's registered name or the vault's name.</summary>
        public string Name { get; }

        public LookupEntryKind Kind { get; }

        public LookupReason Reason { get; }

        /// <summary>The store folder of a store, or of a vault of this module; null for another module's vault.</summary>
        public string? StorePath { get; }

        /// <summary>The vault, for a vault entry.</summary>
        public KnownVault? Vault { get; }

        /// <summary>Whether this module reads and writes the entry itself (a store, or a vault of this module).</summary>
        public bool IsSecretsStore => Kind == LookupEntryKind.Store || (Vault != null && Vault.IsThisModule);

        /// <summary>How messages name it: "store 'team'" or "vault 'SecretStore'".</summary>
        public string Display => Kind == LookupEntryKind.Store ? $"store '{Name}'" : $"vault '{Name}'";

        public override string ToString() => $"{Position}. {Display}";
    }

    /// <summary>
    /// The lookup order (docs/VAULT.md, "The lookup order"): where a command without -Store or
    /// -Vault looks for a secret, first to last, and where it writes (the first entry).
    /// <list type="bullet">
    /// <item>Without a lookup order of the user's: SecretManagement's default vault, then the
    /// personal store, then the other registered stores in the order they were registered, then
    /// SecretManagement's other vaults by name. A script written for SecretManagement so finds what
    /// SecretManagement's Get-Secret finds, and writes where its Set-Secret writes.</item>
    /// <item>With one: its entries in its order (a name is a registered store first, else a
    /// vault), then, unless it excludes them, SecretManagement's vaults it does not name, its default
    /// vault first.</item>
    /// </list>
    /// A store folder is searched once: a later entry on the folder of an earlier one (a vault of
    /// this module on a registered store) is left out. Without SecretManagement, only stores.
    /// </summary>
    public static class LookupPlan
    {
        /// <summary>
        /// The entries, in order. <paramref name="vaults"/> is null when SecretManagement is not
        /// installed. <paramref name="notes"/> receives what was left out and why (for -Verbose).
        /// </summary>
        public static IReadOnlyList<LookupEntry> Build(StoreRegistry registry, IReadOnlyList<KnownVault>? vaults, ICollection<string>? notes = null)
        {
            if (registry == null)
            {
                throw new ArgumentNullException(nameof(registry));
            }

            var known = vaults ?? Array.Empty<KnownVault>();
            var entries = new List<LookupEntry>();
            var defaultVault = known.FirstOrDefault(v => v.IsDefault);
            var others = known.Where(v => !v.IsDefault).OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase).ToList();

            void AddStore(RegisteredStore store, LookupReason reason) =>
                Add(entries, new LookupEntry(entries.Count + 1, store.Name, LookupEntryKind.Store, reason, store.Path, null), notes);

            void AddVault(KnownVault vault, LookupReason reason) =>
                Add(entries, new LookupEntry(entries.Count + 1, vault.Name, LookupEntryKind.Vault, reason,
                    vault.IsThisModule ? vault.Settings?.EffectiveStorePath : null, vault), notes);

            if (registry.LookupOrder == null)
            {
                if (defaultVault != null)
                {
                    AddVault(defaultVault, LookupReason.DefaultVault);
                }

                foreach (var store in registry.Stores)
                {
                    AddStore(store, store.IsPersonal ? LookupReason.PersonalStore : LookupReason.RegisteredStore);
                }

                foreach (var vault in others)
                {
                    AddVault(vault, LookupReason.OtherVault);
                }

                return entries;
            }

            foreach (var name in registry.LookupOrder)
            {
                var store = registry.Find(name);
                if (store != null)
                {
                    AddStore(store, LookupReason.LookupOrder);
                    continue;
                }

                var vault = known.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase));
                if (vault != null)
                {
                    AddVault(vault, LookupReason.LookupOrder);
                    continue;
                }

                notes?.Add(vaults == null
                    ? $"'{name}' in your lookup order is not a registered store, and SecretManagement, which could have a vault of that name, is not installed: it is skipped."
                    : $"'{name}' in your lookup order is neither a registered store nor a SecretManagement vault: it is skipped.");
            }

            if (!registry.ExcludeUnlistedVaults)
            {
                if (defaultVault != null)
                {
                    AddVault(defaultVault, LookupReason.DefaultVault);
                }

                foreach (var vault in others)
                {
                    AddVault(vault, LookupReason.OtherVault);
                }
            }

            return entries;
        }

        private static void Add(List<LookupEntry> entries, LookupEntry entry, ICollection<string>? notes)
        {
            if (entry.Kind == LookupEntryKind.Vault && entries.Any(e => e.Kind == LookupEntryKind.Vault && string.Equals(e.Name, entry.Name, StringComparison.OrdinalIgnoreCase)))
            {
                return;
            }

            if (entry.Kind == LookupEntryKind.Store && entries.Any(e => e.Kind == LookupEntryKind.Store && StoreNames.Comparer.Equals(e.Name, entry.Name)))
            {
                return;
            }

            var same = entry.StorePath == null ? null : entries.FirstOrDefault(e => StorePaths.Same(e.StorePath, entry.StorePath));
            if (same != null)
            {
                notes?.Add($"{Capital(entry.Display)} uses the same store folder as {same.Display} ('{entry.StorePath}'): the folder is searched once, as {same.Display}.");
                return;
            }

            entries.Add(entry);
        }

        private static string Capital(string text) => char.ToUpperInvariant(text[0]) + text.Substring(1);
    }
}
