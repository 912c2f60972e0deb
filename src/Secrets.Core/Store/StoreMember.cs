using System;
using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Codecs;
using Secrets.Core.Identity;

namespace Secrets.Core.Store
{
    /// <summary>A person in a shared store: the owner, an admin or a member.</summary>
    public sealed class StoreMember
    {
        internal StoreMember(Recipient recipient, string name, MemberRole role, string addedBy, DateTime added)
        {
            Recipient = recipient;
            Name = name;
            Role = role;
            AddedBy = addedBy;
            Added = added;
        }

        public Recipient Recipient { get; }

        /// <summary>The display name, unique in the store (case-insensitively).</summary>
        public string Name { get; }

        public MemberRole Role { get; }

        /// <summary>Display name of whoever added the member or gave the current role.</summary>
        public string AddedBy { get; }

        public DateTime Added { get; }

        internal string SigningKey => Base64.Encode(Recipient.SigningKey);

        internal StoreMember WithRole(MemberRole role, string by, DateTime at) => new StoreMember(Recipient, Name, role, by, at);

        public override string ToString() => $"{Name} ({Role}, {Recipient.Fingerprint})";
    }

    /// <summary>One line of a secret's access list: who, what level, granted by whom and when.</summary>
    public sealed class AccessGrant : IEquatable<AccessGrant>
    {
        internal AccessGrant(string signingKey, AccessLevel level, string grantedBy, DateTime granted)
        {
            SigningKey = signingKey;
            Level = level;
            GrantedBy = grantedBy;
            Granted = granted;
        }

        /// <summary>The grantee's Ed25519 key, base64.</summary>
        public string SigningKey { get; }

        public AccessLevel Level { get; }

        /// <summary>The granter's Ed25519 key, base64.</summary>
        public string GrantedBy { get; }

        public DateTime Granted { get; }

        public bool Equals(AccessGrant? other) =>
            other != null && other.SigningKey == SigningKey && other.Level == Level && other.GrantedBy == GrantedBy && other.Granted == Granted;

        public override bool Equals(object? obj) => Equals(obj as AccessGrant);

        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(SigningKey) ^ (int)Level;

        public override string ToString() => $"{Level} for ed25519:{SigningKey.Substring(0, 8)}";

        internal static string LevelText(AccessLevel level) => level.ToString().ToLowerInvariant();

        internal static AccessLevel ParseLevel(string text) =>
            text == "read" ? AccessLevel.Read : text == "write" ? AccessLevel.Write : text == "manage" ? AccessLevel.Manage : AccessLevel.None;

        /// <summary>The list after setting one member's level (None removes them); other lines are kept as they are.</summary>
        internal static List<AccessGrant> WithLevel(IReadOnlyList<AccessGrant> grants, string signingKey, AccessLevel level, string grantedBy, DateTime at)
        {
            var result = grants.Where(g => g.SigningKey != signingKey).ToList();
            if (level != AccessLevel.None)
            {
                result.Add(new AccessGrant(signingKey, level, grantedBy, at));
            }

            result.Sort((a, b) => string.CompareOrdinal(a.SigningKey, b.SigningKey));
            return result;
        }
    }

    /// <summary>The owner and the members after some entry of the store log.</summary>
    internal sealed class Membership
    {
        private readonly Dictionary<string, StoreMember> _bySigningKey;

        public Membership(StoreMember owner, Dictionary<string, StoreMember> members)
        {
            Owner = owner;
            _bySigningKey = members;
        }

        public StoreMember Owner { get; }

        /// <summary>Members and admins (not the owner).</summary>
        public IEnumerable<StoreMember> Members => _bySigningKey.Values;

        public IEnumerable<StoreMember> Everyone => new[] { Owner }.Concat(_bySigningKey.Values);

        public StoreMember? BySigningKey(string signingKey) =>
            signingKey == Owner.SigningKey ? Owner : _bySigningKey.TryGetValue(signingKey, out var member) ? member : null;

        public MemberRole? RoleOf(string signingKey) => BySigningKey(signingKey)?.Role;

        public Membership With(Action<Dictionary<string, StoreMember>> change)
        {
            var copy = new Dictionary<string, StoreMember>(_bySigningKey, StringComparer.Ordinal);
            change(copy);
            return new Membership(Owner, copy);
        }

        /// <summary>The state after a hand-over: <paramref name="newOwner"/> (an admin before) is the owner, the former owner an admin.</summary>
        public Membership HandedOver(StoreMember newOwner, StoreMember formerOwner)
        {
            var copy = new Dictionary<string, StoreMember>(_bySigningKey, StringComparer.Ordinal);
            copy.Remove(newOwner.SigningKey);
            copy[formerOwner.SigningKey] = formerOwner;
            return new Membership(newOwner, copy);
        }

        /// <summary>The access of a key: manage for the owner and admins, the grant's level for a member, none otherwise.</summary>
        public AccessLevel AccessOf(string signingKey, IReadOnlyList<AccessGrant> grants)
        {
            var role = RoleOf(signingKey);
            if (role == MemberRole.Owner || role == MemberRole.Admin)
            {
                return AccessLevel.Manage;
            }

            return role == null ? AccessLevel.None : grants.FirstOrDefault(g => g.SigningKey == signingKey)?.Level ?? AccessLevel.None;
        }

        /// <summary>Everyone a version must be encrypted to: owner, admins, members with read or more.</summary>
        public List<Recipient> RecipientsOf(IReadOnlyList<AccessGrant> grants) =>
            Everyone.Where(m => AccessOf(m.SigningKey, grants) >= AccessLevel.Read).Select(m => m.Recipient).ToList();
    }
}
