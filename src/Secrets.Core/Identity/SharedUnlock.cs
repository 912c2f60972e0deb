using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Platform;

namespace Secrets.Core.Identity
{
    /// <summary>Where an unlocked identity is kept: in this process only, or for every process of the user.</summary>
    public enum UnlockScope
    {
        /// <summary>In this process's memory only: another PowerShell window asks again.</summary>
        Process,

        /// <summary>For every process of this user (new windows, scripts, the vault) until the timeout or a lock anywhere.</summary>
        User,
    }

    /// <summary>What <see cref="IdentitySession.Remember(UnlockedIdentity, TimeSpan, UnlockScope)"/> did.</summary>
    public readonly struct UnlockOutcome
    {
        internal UnlockOutcome(DateTime expires, UnlockScope scope, string? notShared)
        {
            Expires = expires;
            Scope = scope;
            NotSharedBecause = notShared;
        }

        /// <summary>When the identity locks again (UTC).</summary>
        public DateTime Expires { get; }

        /// <summary>Where the keys are kept.</summary>
        public UnlockScope Scope { get; }

        /// <summary>Why an unlock for the user's processes was kept in this process instead; null otherwise.</summary>
        public string? NotSharedBecause { get; }
    }

    /// <summary>
    /// The unlock shared by the processes of one user (docs/ARCHITECTURE.md, "The shared unlock";
    /// docs/FORMAT.md, "Shared unlock"): on Linux a "user" key in the kernel's user keyring, readable
    /// by that user only, with the unlock's timeout enforced by the kernel. Its description names the
    /// Secrets home and the identity file; its payload holds the private keys and when they expire.
    /// Elsewhere, or when the kernel refuses, nothing is shared and unlocks stay in their process.
    /// </summary>
    internal static class SharedUnlock
    {
        /// <summary>Every description starts with this.</summary>
        public const string Prefix = "secrets:unlock:v1:";

        private const int PayloadSize = 4 + 8 + 64;
        private static readonly byte[] Magic = Encoding.ASCII.GetBytes("SUL1");

        /// <summary>Whether this platform can share an unlock (the kernel may still refuse).</summary>
        public static bool IsSupported => LinuxKeyring.IsSupported;

        /// <summary>The description prefix of every unlock made with this Secrets home.</summary>
        public static string HomePrefix => Prefix + Hex(Sha256.Hash(Encoding.UTF8.GetBytes(Canonical(SecretsPaths.Home))), 8) + ":";

        /// <summary>The description of the unlock of the identity file at <paramref name="path"/>.</summary>
        public static string DescriptionOf(string path) => HomePrefix + Hex(Sha256.Hash(Encoding.UTF8.GetBytes(Canonical(path))), 16);

        /// <summary>
        /// Shares the keys until <paramref name="expires"/> (UTC). Returns null when they are shared,
        /// else why they could not be (for a verbose message; never names a key).
        /// </summary>
        public static string? Store(UnlockedIdentity identity, string path, DateTime expires)
        {
            if (!IsSupported)
            {
                return "only Linux's kernel keyring can share an unlock; on this system it stays in its process";
            }

            var payload = new byte[PayloadSize];
            try
            {
                Buffer.BlockCopy(Magic, 0, payload, 0, 4);
                WriteInt64(payload, 4, expires.ToUniversalTime().Ticks);
                Buffer.BlockCopy(identity.EncryptionPrivate, 0, payload, 12, 32);
                Buffer.BlockCopy(identity.SigningPrivate, 0, payload, 44, 32);
                var timeout = expires - DateTime.UtcNow;
                if (timeout <= TimeSpan.Zero)
                {
                    return "the unlock has already expired";
                }

                return LinuxKeyring.Add(DescriptionOf(path), payload, timeout, out var refusal) != null ? null : refusal;
            }
            finally
            {
                Sensitive.Zero(payload);
            }
        }

        /// <summary>
        /// The shared keys of the identity at <paramref name="path"/> (a copy the caller disposes),
        /// when another process (or this one) unlocked it and the keys are those of the file now; null otherwise.
        /// </summary>
        public static UnlockedIdentity? TryGet(string path, out DateTime expires)
        {
            expires = default;
            if (!IsSupported)
            {
                return null;
            }

            var description = DescriptionOf(path);
            var id = LinuxKeyring.Find(description);
            if (id == null)
            {
                return null;
            }

            var payload = LinuxKeyring.Read(id.Value, PayloadSize + 1);
            try
            {
                if (payload == null || payload.Length != PayloadSize || !payload.Take(4).SequenceEqual(Magic))
                {
                    return null;
                }

                expires = new DateTime(ReadInt64(payload, 4), DateTimeKind.Utc);
                if (expires <= DateTime.UtcNow)
                {
                    LinuxKeyring.Remove(id.Value);
                    return null;
                }

                IdentityFile file;
                try
                {
                    file = IdentityFile.Load(path);
                    file.ClearKeyMaterial();
                }
                catch (SecretsException)
                {
                    return null;
                }

                var encryption = new byte[32];
                var signing = new byte[32];
                Buffer.BlockCopy(payload, 12, encryption, 0, 32);
                Buffer.BlockCopy(payload, 44, signing, 0, 32);
                var unlocked = new UnlockedIdentity(file.Name, Path.GetFullPath(path), encryption, signing);
                if (!unlocked.Recipient.Equals(file.Recipient))
                {
                    // The file was replaced since it was unlocked: these keys are not its keys.
                    unlocked.Dispose();
                    LinuxKeyring.Remove(id.Value);
                    return null;
                }

                return unlocked;
            }
            finally
            {
                Sensitive.Zero(payload);
            }
        }

        /// <summary>Removes the shared unlock of one identity, for every process. Returns whether there was one.</summary>
        public static bool Forget(string path)
        {
            if (!IsSupported)
            {
                return false;
            }

            bool removed = false;
            for (var id = LinuxKeyring.Find(DescriptionOf(path)); id != null; id = LinuxKeyring.Find(DescriptionOf(path)))
            {
                if (!LinuxKeyring.Remove(id.Value))
                {
                    break;
                }

                removed = true;
            }

            return removed;
        }

        /// <summary>Removes every shared unlock made with this Secrets home. Returns how many there were.</summary>
        public static int ForgetAll()
        {
            if (!IsSupported)
            {
                return 0;
            }

            int count = 0;
            foreach (var (id, _) in LinuxKeyring.List(HomePrefix))
            {
                if (LinuxKeyring.Remove(id))
                {
                    count++;
                }
            }

            return count;
        }

        private static string Canonical(string path)
        {
            var full = Path.GetFullPath(path);
            bool caseInsensitive = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX);
            return caseInsensitive ? full.ToUpperInvariant() : full;
        }

        private static string Hex(byte[] bytes, int count) =>
            string.Concat(bytes.Take(count).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));

        private static void WriteInt64(byte[] buffer, int offset, long value)
        {
            for (int i = 7; i >= 0; i--)
            {
                buffer[offset + i] = (byte)value;
                value >>= 8;
            }
        }

        private static long ReadInt64(byte[] buffer, int offset)
        {
            long value = 0;
            for (int i = 0; i < 8; i++)
            {
                value = (value << 8) | buffer[offset + i];
            }

            return value;
        }
    }
}
