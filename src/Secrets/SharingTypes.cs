using System;
using Secrets.Core.Store;

namespace Secrets
{
    /// <summary>What someone may do with a secret. Each level includes the ones below it.</summary>
    public enum SecretAccessLevel
    {
        None = 0,
        Read = 1,
        Write = 2,
        Manage = 3,
    }

    /// <summary>A person's role in a shared store.</summary>
    public enum SecretStoreRole
    {
        Member = 0,
        Admin = 1,
        Owner = 2,
    }

    /// <summary>A member of a store (Get-SecretStoreMember).</summary>
    public sealed class SecretStoreMemberInfo
    {
        internal SecretStoreMemberInfo(StoreMember member, string store)
        {
            Name = member.Name;
            Role = (SecretStoreRole)(int)member.Role;
            Fingerprint = member.Recipient.Fingerprint;
            Recipient = member.Recipient.Text;
            AddedBy = member.AddedBy;
            Added = member.Added.ToLocalTime();
            Store = store;
        }

        public string Name { get; }
        public SecretStoreRole Role { get; }
        public string Fingerprint { get; }
        public string Recipient { get; }

        /// <summary>Who added the member or gave the current role.</summary>
        public string AddedBy { get; }

        public DateTime Added { get; }
        public string Store { get; }

        public override string ToString() => Name;
    }

    /// <summary>One person's access to one secret (Get-SecretAccess).</summary>
    public sealed class SecretAccessInfo
    {
        internal SecretAccessInfo(SecretAccessEntry entry, string store)
        {
            Name = entry.Secret;
            Member = entry.Member.Name;
            Role = (SecretStoreRole)(int)entry.Member.Role;
            Access = (SecretAccessLevel)(int)entry.Level;
            GrantedBy = entry.IsImplicit ? "(" + Role.ToString().ToLowerInvariant() + ")" : entry.GrantedBy;
            Granted = entry.Granted?.ToLocalTime();
            Fingerprint = entry.Member.Recipient.Fingerprint;
            Store = store;
            RotationPending = entry.RotationPending;
        }

        /// <summary>The secret's name.</summary>
        public string Name { get; }

        public string Member { get; }
        public SecretStoreRole Role { get; }
        public SecretAccessLevel Access { get; }

        /// <summary>Who granted it; "(owner)" or "(admin)" for access that comes with the role.</summary>
        public string? GrantedBy { get; }

        public DateTime? Granted { get; }
        public string Fingerprint { get; }
        public string Store { get; }

        /// <summary>
        /// True when this person's access ended but they can still decrypt the newest version: the
        /// secret was not written again after the change (Repair-SecretStore finishes it).
        /// </summary>
        public bool RotationPending { get; }

        public override string ToString() => RotationPending ? $"{Member}: {Access} (can still read the newest version)" : $"{Member}: {Access}";
    }
}
