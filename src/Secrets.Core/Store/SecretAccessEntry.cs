using System;

namespace Secrets.Core.Store
{
    /// <summary>Who has what access to a secret, and since when (for Get-SecretAccess).</summary>
    public sealed class SecretAccessEntry
    {
        internal SecretAccessEntry(string secret, StoreMember member, AccessLevel level, bool isImplicit, string? grantedBy, DateTime? granted)
        {
            Secret = secret;
            Member = member;
            Level = level;
            IsImplicit = isImplicit;
            GrantedBy = grantedBy;
            Granted = granted;
        }

        public string Secret { get; }

        public StoreMember Member { get; }

        public AccessLevel Level { get; }

        /// <summary>True for the owner and admins, whose access comes from their role, not a grant.</summary>
        public bool IsImplicit { get; }

        /// <summary>Display name of the granter (null for implicit access).</summary>
        public string? GrantedBy { get; }

        public DateTime? Granted { get; }

        /// <summary>
        /// True when this person's access ended but the newest version is still encrypted to them:
        /// the secret was not written again after the change (Repair-SecretStore finishes it).
        /// </summary>
        public bool RotationPending { get; internal set; }

        public override string ToString() => RotationPending ? $"{Member.Name}: {Level} (can still read the newest version)" : $"{Member.Name}: {Level}";
    }
}
