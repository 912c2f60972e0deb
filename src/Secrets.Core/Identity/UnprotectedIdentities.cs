using System;
using System.Collections.Concurrent;
using Secrets.Core.Platform;

namespace Secrets.Core.Identity
{
    /// <summary>
    /// Identities stored without a passphrase, as this process last read them: reading and checking
    /// the file and deriving the public keys from the private ones costs more than the rest of a
    /// Get-Secret. A file read again while it keeps the same settled stamp is not read again (the
    /// keys are on disk unprotected anyway; a change of the file, or of its permissions, changes the
    /// stamp). Callers get a copy and dispose it.
    /// </summary>
    internal static class UnprotectedIdentities
    {
        private static readonly ConcurrentDictionary<string, (FileStamp Stamp, UnlockedIdentity Identity)> Cache =
            new ConcurrentDictionary<string, (FileStamp, UnlockedIdentity)>();

        /// <summary>The unlocked identity at <paramref name="path"/>, or null when it has a passphrase.</summary>
        public static UnlockedIdentity? TryUnlock(string path)
        {
            path = System.IO.Path.GetFullPath(path);
            var stamp = FileStamp.Of(path);
            if (stamp != null && Cache.TryGetValue(path, out var cached) && cached.Stamp == stamp.Value && stamp.Value.IsSettled
                && !SecretsPaths.IgnoreIdentityPermissions)
            {
                return cached.Identity.Copy();
            }

            var file = IdentityFile.Load(path);
            if (file.Protection != IdentityProtection.None)
            {
                return null;
            }

            try
            {
                var unlocked = file.Unlock(null);
                if (stamp != null && stamp.Value.IsSettled)
                {
                    if (Cache.TryRemove(path, out var old))
                    {
                        old.Identity.Dispose();
                    }

                    Cache[path] = (stamp.Value, unlocked.Copy());
                }

                return unlocked;
            }
            finally
            {
                file.ClearKeyMaterial();
            }
        }

        /// <summary>Forgets every identity read (they are zeroed).</summary>
        public static void Clear()
        {
            foreach (var key in Cache.Keys)
            {
                if (Cache.TryRemove(key, out var entry))
                {
                    entry.Identity.Dispose();
                }
            }
        }
    }
}
