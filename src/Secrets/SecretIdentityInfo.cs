using System;
using Secrets.Core.Identity;

namespace Secrets
{
    /// <summary>An identity's public side and whether it is unlocked.</summary>
    public sealed class SecretIdentityInfo
    {
        internal SecretIdentityInfo(IdentityFile file, DateTime? unlockedUntil, UnlockScope? scope = null)
        {
            var retiredAt = IdentityNames.RetiredAt(file.Path);
            bool retired = retiredAt != null && string.Equals(System.IO.Path.GetDirectoryName(file.Path), IdentityNames.RetiredDirectory, StringComparison.Ordinal);
            Name = retired ? IdentityNames.RetiredName(file.Path) ?? IdentityNames.LabelOf(file.Path) : IdentityNames.LabelOf(file.Path);
            DisplayName = file.Name;
            Recipient = file.Recipient.Text;
            Fingerprint = file.Recipient.Fingerprint;
            Path = file.Path;
            Protection = file.Protection.ToString();
            Created = file.Created.ToLocalTime();
            RetiredAt = retired ? retiredAt!.Value.ToLocalTime() : (DateTime?)null;
            IsLocked = file.Protection == IdentityProtection.Passphrase && unlockedUntil == null;
            UnlockedUntil = file.Protection == IdentityProtection.Passphrase ? unlockedUntil?.ToLocalTime() : null;
            UnlockScope = UnlockedUntil == null ? null : (scope ?? Core.Identity.UnlockScope.Process).ToString();
            InUse = string.Equals(Core.Platform.SecretsPaths.DefaultIdentityPath, file.Path,
                Environment.OSVersion.Platform == PlatformID.Win32NT ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        }

        /// <summary>The identity's name in your Secrets home ('default', 'work'), or its file name for a file elsewhere.</summary>
        public string Name { get; }

        /// <summary>Who you are to the people you share with: stores show it as their owner and as writer.</summary>
        public string DisplayName { get; }

        /// <summary>The recipient string to hand to people who share secrets with you.</summary>
        public string Recipient { get; }

        public string Fingerprint { get; }

        public string Path { get; }

        /// <summary>Passphrase (Argon2id) or None (owner-only file, for automation).</summary>
        public string Protection { get; }

        public DateTime Created { get; }

        /// <summary>For a retired identity (one that was replaced): when it was retired; otherwise empty.</summary>
        public DateTime? RetiredAt { get; }

        /// <summary>Whether it is the identity commands use when none is named ($env:SECRETS_IDENTITY, else 'default').</summary>
        public bool InUse { get; }

        public bool IsLocked { get; }

        public DateTime? UnlockedUntil { get; }

        /// <summary>Where the identity is unlocked: Process (this process only) or User (every process of yours); empty when locked.</summary>
        public string? UnlockScope { get; }

        public override string ToString() => Recipient;
    }
}
