using Secrets.Core.Lookup;

namespace Secrets
{
    /// <summary>One place of the lookup order, as Get-SecretLookupOrder shows it.</summary>
    public sealed class SecretLookupEntry
    {
        internal SecretLookupEntry(LookupEntry entry)
        {
            Position = entry.Position;
            Name = entry.Name;
            Kind = (SecretLookupKind)(int)entry.Kind;
            Reason = (SecretLookupReason)(int)entry.Reason;
            Store = entry.StorePath;
            ModuleName = entry.Vault?.ModuleName;
            IsDefaultVault = entry.Vault?.IsDefault == true;
        }

        /// <summary>1 for the first place searched; writes without -Store or -Vault go to position 1.</summary>
        public int Position { get; }

        /// <summary>The store's registered name, or the vault's name.</summary>
        public string Name { get; }

        /// <summary>A store of this module, or a SecretManagement vault.</summary>
        public SecretLookupKind Kind { get; }

        /// <summary>Why it is at this place.</summary>
        public SecretLookupReason Reason { get; }

        /// <summary>The store folder (of a store, or of a vault of this module); null for another module's vault.</summary>
        public string? Store { get; }

        /// <summary>The module of a vault; null for a store.</summary>
        public string? ModuleName { get; }

        /// <summary>Whether the vault is SecretManagement's default vault.</summary>
        public bool IsDefaultVault { get; }

        /// <summary>Whether writes without -Store or -Vault go here (the first place).</summary>
        public bool IsWriteTarget => Position == 1;

        public override string ToString() => Name;
    }

    /// <summary>What a place of the lookup order is.</summary>
    public enum SecretLookupKind
    {
        /// <summary>A store of this module, by its registered name.</summary>
        Store = 0,

        /// <summary>A vault registered with SecretManagement.</summary>
        Vault = 1,
    }

    /// <summary>Why a place has its position in the lookup order.</summary>
    public enum SecretLookupReason
    {
        /// <summary>Your lookup order (Set-SecretLookupOrder) names it.</summary>
        LookupOrder = 0,

        /// <summary>SecretManagement's default vault, searched first as SecretManagement searches it.</summary>
        DefaultVault = 1,

        /// <summary>Your personal store.</summary>
        PersonalStore = 2,

        /// <summary>A registered store, in the order stores were registered.</summary>
        RegisteredStore = 3,

        /// <summary>Another SecretManagement vault, after the stores, by name.</summary>
        OtherVault = 4,
    }
}
