using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace Secrets.Core.Identity
{
    /// <summary>
    /// Unlocked identities of this process, each until its timeout. Shared by every runspace of the
    /// process, so an identity unlocked in the user's session is unlocked for SecretManagement's
    /// runspace too. Callers get a copy of the keys and dispose it; the cached keys are zeroed when
    /// the identity is locked or its time runs out.
    /// </summary>
    public static class IdentitySession
    {
        /// <summary>How long an identity stays unlocked when no timeout is given.</summary>
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(15);

        private static readonly Dictionary<string, Entry> Entries = new Dictionary<string, Entry>(PathComparer);

        private static StringComparer PathComparer =>
            System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux)
                ? StringComparer.Ordinal
                : StringComparer.OrdinalIgnoreCase;

        /// <summary>Keeps a copy of the identity's keys until the timeout; replaces an earlier unlock.</summary>
        public static DateTime Remember(UnlockedIdentity identity, TimeSpan timeout)
        {
            if (identity == null)
            {
                throw new ArgumentNullException(nameof(identity));
            }

            if (identity.Path == null)
            {
                throw new ArgumentException("Only an identity read from a file can be remembered.", nameof(identity));
            }

            if (timeout <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(timeout), "The timeout must be positive.");
            }

            var key = Path.GetFullPath(identity.Path);
            var copy = identity.WithPath(key);
            var expires = DateTime.UtcNow + timeout;
            lock (Entries)
            {
                RemoveLocked(key);
                var entry = new Entry(copy, expires);
                entry.Timer = new Timer(_ => Expire(key, entry), null, timeout > TimeSpan.FromDays(24) ? TimeSpan.FromDays(24) : timeout, Timeout.InfiniteTimeSpan);
                Entries[key] = entry;
            }

            return expires;
        }

        /// <summary>A copy of the unlocked identity for that file, or null if it is locked.</summary>
        public static UnlockedIdentity? TryGet(string identityPath)
        {
            var key = Path.GetFullPath(identityPath);
            lock (Entries)
            {
                if (!Entries.TryGetValue(key, out var entry))
                {
                    return null;
                }

                if (entry.Expires <= DateTime.UtcNow)
                {
                    RemoveLocked(key);
                    return null;
                }

                return entry.Identity.WithPath(key);
            }
        }

        /// <summary>When the identity locks again, or null if it is locked.</summary>
        public static DateTime? ExpiresAt(string identityPath)
        {
            var key = Path.GetFullPath(identityPath);
            lock (Entries)
            {
                return Entries.TryGetValue(key, out var entry) && entry.Expires > DateTime.UtcNow ? entry.Expires : (DateTime?)null;
            }
        }

        /// <summary>Locks one identity: zeroes its cached keys. Returns whether it was unlocked.</summary>
        public static bool Forget(string identityPath)
        {
            lock (Entries)
            {
                return RemoveLocked(Path.GetFullPath(identityPath));
            }
        }

        /// <summary>Locks every identity of this process.</summary>
        public static void ForgetAll()
        {
            lock (Entries)
            {
                foreach (var key in new List<string>(Entries.Keys))
                {
                    RemoveLocked(key);
                }
            }
        }

        private static void Expire(string key, Entry entry)
        {
            lock (Entries)
            {
                if (Entries.TryGetValue(key, out var current) && ReferenceEquals(current, entry))
                {
                    RemoveLocked(key);
                }
            }
        }

        private static bool RemoveLocked(string key)
        {
            if (!Entries.TryGetValue(key, out var entry))
            {
                return false;
            }

            Entries.Remove(key);
            entry.Timer?.Dispose();
            entry.Identity.Dispose();
            return true;
        }

        private sealed class Entry
        {
            public Entry(UnlockedIdentity identity, DateTime expires)
            {
                Identity = identity;
                Expires = expires;
            }

            public UnlockedIdentity Identity { get; }
            public DateTime Expires { get; }
            public Timer? Timer { get; set; }
        }
    }
}
