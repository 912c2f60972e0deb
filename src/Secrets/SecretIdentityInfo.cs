using System;
using Secrets.Core.Identity;

namespace Secrets
{
    /// <summary>An identity's public side and whether it is unlocked in this process.</summary>
    public sealed class SecretIdentityInfo
    {
        internal SecretIdentityInfo(IdentityFile file, DateTime? unlockedUntil)
        {
            Name = file.Name;
            Recipient = file.Recipient.Text;
            Fingerprint = file.Recipient.Fingerprint;
            Path = file.Path;
            Protection = file.Protection.ToString();
            Created = file.Created.ToLocalTime();
            IsLocked = file.Protection == IdentityProtection.Passphrase && unlockedUntil == null;
            UnlockedUntil = file.Protection == IdentityProtection.Passphrase ? unlockedUntil?.ToLocalTime() : null;
        }

        public string Name { get; }

        /// <summary>The recipient string to hand to people who share secrets with you.</summary>
        public string Recipient { get; }

        public string Fingerprint { get; }

        public string Path { get; }

        /// <summary>Passphrase (Argon2id) or None (owner-only file, for automation).</summary>
        public string Protection { get; }

        public DateTime Created { get; }

        public bool IsLocked { get; }

        public DateTime? UnlockedUntil { get; }

        public override string ToString() => Recipient;
    }
}
