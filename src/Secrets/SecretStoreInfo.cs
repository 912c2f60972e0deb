using System;
using Secrets.Core.Store;

namespace Secrets
{
    /// <summary>A store's location, owner and settings.</summary>
    public sealed class SecretStoreInfo
    {
        internal SecretStoreInfo(SecretStore store, bool isDefault)
        {
            Path = store.Path;
            Id = store.Manifest.IdHex;
            Owner = store.Manifest.OwnerName;
            OwnerFingerprint = store.Manifest.Owner.Fingerprint;
            OwnerRecipient = store.Manifest.Owner.Text;
            VersionsToKeep = store.Manifest.KeepVersions;
            Created = store.Manifest.Created.ToLocalTime();
            IsDefault = isDefault;
            Members = store.GetMembers().Count;
            IsShared = store.IsShared;
        }

        /// <summary>The name the store is registered under (Register-SecretStore; 'personal' for your personal store), or null.</summary>
        public string? Name { get; internal set; }

        public string Path { get; }
        public string Id { get; }
        public string Owner { get; }
        public string OwnerFingerprint { get; }
        public string OwnerRecipient { get; }
        public int VersionsToKeep { get; }
        public DateTime Created { get; }
        public bool IsDefault { get; }

        /// <summary>How many people are in the store, the owner included.</summary>
        public int Members { get; }

        /// <summary>Whether the store has members besides its owner.</summary>
        public bool IsShared { get; }

        public override string ToString() => Name ?? Path;
    }
}
