using System;
using System.IO;
using Secrets.Core.Errors;
using Secrets.Core.Names;
using Secrets.Core.Platform;

namespace Secrets.Core.Store
{
    /// <summary>
    /// What every part of a store works against: its folder, this user's local state, and the
    /// manifest and store log as this user last verified them. Refreshed under the store lock
    /// before every change; the one place that takes the lock.
    /// </summary>
    internal sealed class StoreContext
    {
        public StoreContext(string path, string stateRoot, StoreManifest manifest, StoreLog log)
        {
            Path = path;
            StateRoot = stateRoot;
            Manifest = manifest;
            Log = log;
        }

        /// <summary>The store folder (full path).</summary>
        public string Path { get; }

        public string StateRoot { get; }

        public StoreManifest Manifest { get; private set; }

        public StoreLog Log { get; private set; }

        public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Called after each step of a write; a test throws from it to simulate a crash.</summary>
        public Action<WriteStep>? FaultInjector { get; set; }

        public LocalState State => new LocalState(StateRoot, Manifest.IdHex);

        public AccessPolicy Policy => new AccessPolicy(this);

        public string SecretsRoot => System.IO.Path.Combine(Path, SecretStore.SecretsFolder);

        public string FolderOf(SecretName name) => System.IO.Path.Combine(SecretsRoot, name.Folder);

        public string FileOf(SecretName name, int version) => System.IO.Path.Combine(FolderOf(name), $"v{version}.secret");

        /// <summary>Reads the manifest and the store log again (through the cache of what was verified).</summary>
        public void Refresh()
        {
            var (manifest, log) = StoreCache.For(Path, StateRoot).Load();
            Manifest = manifest;
            Log = log;
        }

        /// <summary>Replaces the manifest after this process wrote it (the owner's change of settings).</summary>
        public void Adopt(StoreManifest manifest) => Manifest = manifest;

        /// <summary>Runs <paramref name="action"/> holding the store lock, on a refreshed state.</summary>
        public T Locked<T>(Func<T> action)
        {
            using (StoreLock.Acquire(Path, LockTimeout))
            {
                Refresh();
                return action();
            }
        }

        /// <summary>Runs <paramref name="action"/> holding the store lock, on a refreshed state.</summary>
        public void Locked(Action action) => Locked(() =>
        {
            action();
            return true;
        });

        /// <summary>The canonical names of every secret folder, in order.</summary>
        public System.Collections.Generic.List<string> AllSecrets()
        {
            var result = new System.Collections.Generic.List<string>();
            if (Directory.Exists(SecretsRoot))
            {
                foreach (var directory in Directory.EnumerateDirectories(SecretsRoot))
                {
                    var canonical = SecretName.CanonicalFromFolder(System.IO.Path.GetFileName(directory));
                    if (canonical != null)
                    {
                        result.Add(canonical);
                    }
                }
            }

            result.Sort(StringComparer.Ordinal);
            return result;
        }

        /// <summary>The full path without trailing separators (so that 'team' and 'team/' are one store).</summary>
        public static string FullPath(string path)
        {
            var full = System.IO.Path.GetFullPath(path);
            var root = System.IO.Path.GetPathRoot(full) ?? string.Empty;
            return full.Length > root.Length ? full.TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar) : full;
        }

        public SecurityViolationException LogRolledBack(int head, int seen) =>
            new SecurityViolationException("RollbackDetected", Log.Folder,
                $"The store log of '{Path}' has {head} entries, but you have already seen {seen}. Entries were deleted or an older copy of the store was put back, which could undo a revocation.")
            {
                RecommendedAction = $"Check the store's 'log' folder with its owner. If an older copy was restored on purpose, delete '{System.IO.Path.Combine(State.Directory, "log")}'.",
            };
    }
}
