using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace Secrets.Core.Identity
{
    /// <summary>
    /// Unlocked identities, each until its timeout: in this process (shared by every runspace of
    /// it, so an identity unlocked in the user's session is unlocked for SecretManagement's runspace
    /// too), or for every process of the user (<see cref="UnlockScope.User"/>, through
    /// <see cref="SharedUnlock"/>, where the platform has it). Callers get a copy of the keys and
    /// dispose it; the cached keys are zeroed when the identity is locked or its time runs out.
    /// </summary>
    public static class IdentitySession
    {
        /// <summary>How long an identity stays unlocked when no timeout is given.</summary>
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(15);

        /// <summary>Set to 'Process', unlocks stay in their process; anything else (or unset): they are shared by the user's processes.</summary>
        public const string ScopeVariable = "SECRETS_UNLOCK";

        /// <summary>The scope of unlocks when none is asked for: <see cref="ScopeVariable"/>, else <see cref="UnlockScope.User"/>.</summary>
        public static UnlockScope PreferredScope =>
            string.Equals(Environment.GetEnvironmentVariable(ScopeVariable)?.Trim(), "Process", StringComparison.OrdinalIgnoreCase)
                ? UnlockScope.Process
                : UnlockScope.User;

        /// <summary>
        /// Keeps the identity unlocked until the timeout, for <paramref name="scope"/>: shared by the
        /// user's processes where the platform allows it (docs/ARCHITECTURE.md, "The shared unlock"),
        /// else in this process. Replaces an earlier unlock of the same file. The outcome says until
        /// when, where the keys went, and why they were not shared when that was asked for.
        /// </summary>
        public static UnlockOutcome Remember(UnlockedIdentity identity, TimeSpan timeout, UnlockScope scope)
        {
            if (identity == null)
            {
                throw new ArgumentNullException(nameof(identity));
            }

            string? notShared = null;
            if (scope == UnlockScope.User && identity.Path != null && timeout > TimeSpan.Zero)
            {
                var key = Path.GetFullPath(identity.Path);
                var expires = DateTime.UtcNow + timeout;
                notShared = SharedUnlock.Store(identity, key, expires);
                if (notShared == null)
                {
                    lock (Entries)
                    {
                        // The shared unlock is the only one: a lock in another process ends it here too.
                        RemoveLocked(key);
                    }

                    return new UnlockOutcome(expires, UnlockScope.User, null);
                }
            }

            return new UnlockOutcome(Remember(identity, timeout), UnlockScope.Process, notShared);
        }

        private static readonly Dictionary<string, Entry> Entries = new Dictionary<string, Entry>(PathComparer);

        private static StringComparer PathComparer =>
            System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux)
                ? StringComparer.Ordinal
                : StringComparer.OrdinalIgnoreCase;

        /// <summary>Keeps a copy of the identity's keys in this process until the timeout; replaces an earlier unlock.</summary>
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
                if (Entries.TryGetValue(key, out var entry))
                {
                    if (entry.Expires > DateTime.UtcNow)
                    {
                        return entry.Identity.WithPath(key);
                    }

                    RemoveLocked(key);
                }
            }

            return SharedUnlock.TryGet(key, out _);
        }

        /// <summary>When the identity locks again, or null if it is locked.</summary>
        public static DateTime? ExpiresAt(string identityPath) => StatusOf(identityPath)?.Expires;

        /// <summary>Until when and where the identity is unlocked, or null if it is locked.</summary>
        public static (DateTime Expires, UnlockScope Scope)? StatusOf(string identityPath)
        {
            var key = Path.GetFullPath(identityPath);
            lock (Entries)
            {
                if (Entries.TryGetValue(key, out var entry) && entry.Expires > DateTime.UtcNow)
                {
                    return (entry.Expires, UnlockScope.Process);
                }
            }

            using var shared = SharedUnlock.TryGet(key, out var expires);
            return shared == null ? ((DateTime, UnlockScope)?)null : (expires, UnlockScope.User);
        }

        /// <summary>
        /// Locks one identity: zeroes its keys in this process and ends its shared unlock, for every
        /// process of the user. Returns whether it was unlocked.
        /// </summary>
        public static bool Forget(string identityPath)
        {
            var key = Path.GetFullPath(identityPath);
            bool shared = SharedUnlock.Forget(key);
            lock (Entries)
            {
                return RemoveLocked(key) | shared;
            }
        }

        /// <summary>
        /// Locks every identity of this process, and every shared unlock made with this Secrets home
        /// (in every process of the user). Returns how many unlocks ended.
        /// </summary>
        public static int ForgetAll()
        {
            int count = SharedUnlock.ForgetAll();
            lock (Entries)
            {
                foreach (var key in new List<string>(Entries.Keys))
                {
                    if (RemoveLocked(key))
                    {
                        count++;
                    }
                }
            }

            return count;
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
