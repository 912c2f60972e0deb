using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Platform;

namespace Secrets.Core.Store
{
    /// <summary>
    /// What this process has verified of a store (docs/ARCHITECTURE.md, "The store snapshot"): its
    /// manifest and store log, and a summary of each secret's newest version, each with the stamp
    /// of the file it came from. What is unchanged on disk is not verified again; what changed is,
    /// in full. One per store folder and user (local state).
    /// </summary>
    internal sealed class StoreCache
    {
        private static readonly ConcurrentDictionary<(string Path, string StateRoot), StoreCache> Caches =
            new ConcurrentDictionary<(string, string), StoreCache>();

        private readonly object _gate = new object();
        private readonly string _path;
        private readonly string _stateRoot;
        private StoreManifest? _manifest;
        private FileStamp? _manifestStamp;
        private StoreLog? _log;
        private bool _logWatched;
        private bool _snapshotTried;
        private StoreLog? _savedLog;

        private StoreCache(string path, string stateRoot)
        {
            _path = path;
            _stateRoot = stateRoot;
            _watch = FolderWatch.For(path);
            Secrets = new SecretSummaries(path, stateRoot, _watch);
        }

        private readonly FolderWatch? _watch;

        private string LogFolder => Path.Combine(_path, StoreLog.FolderName);

        private string SecretsRoot => Path.Combine(_path, SecretStore.SecretsFolder);

        private string[]? _names;

        /// <summary>
        /// The canonical names of the store's secret folders, sorted: read again when the store's
        /// secrets folder changed (or cannot be watched).
        /// </summary>
        public string[] Names()
        {
            lock (_gate)
            {
                ApplyChanges();
                if (_names != null && _watch != null && _watch.IsWatched(SecretsRoot))
                {
                    return _names;
                }

                bool watched = _watch != null && Directory.Exists(SecretsRoot) && _watch.Watch(SecretsRoot);
                var names = new System.Collections.Generic.List<string>();
                if (Directory.Exists(SecretsRoot))
                {
                    foreach (var directory in Directory.EnumerateDirectories(SecretsRoot))
                    {
                        var canonical = global::Secrets.Core.Names.SecretName.CanonicalFromFolder(Path.GetFileName(directory));
                        if (canonical != null)
                        {
                            names.Add(canonical);
                        }
                    }
                }

                names.Sort(StringComparer.Ordinal);
                var result = names.ToArray();
                _names = watched ? result : null;
                return result;
            }
        }

        /// <summary>The summaries of the secrets' newest versions, for listings.</summary>
        public SecretSummaries Secrets { get; }

        public static StoreCache For(string path, string stateRoot) => Caches.GetOrAdd((path, stateRoot), key => new StoreCache(key.Path, key.StateRoot));

        /// <summary>
        /// Reads the change notifications queued since the last time and forgets what they make
        /// stale; returns the summaries of the secrets, ready for a listing.
        /// </summary>
        public SecretSummaries Changes()
        {
            lock (_gate)
            {
                ApplyChanges();
                return Secrets;
            }
        }

        private void ApplyChanges()
        {
            if (_watch == null)
            {
                return;
            }

            foreach (var change in _watch.Drain())
            {
                if (change.Key == SecretsRoot)
                {
                    _names = null;
                }
                else if (change.Key == LogFolder)
                {
                    // Only new entries appended after the newest keep the log verified so far as it is.
                    if (_log == null || change.Value.Any(name => !IsNewEntry(name, _log.Head)))
                    {
                        _logWatched = false;
                    }
                }
                else
                {
                    Secrets.Forget(change.Key);
                }
            }
        }

        private static bool IsNewEntry(string name, int head) =>
            name.EndsWith(AtomicFile.TempSuffix, StringComparison.Ordinal)
            || (name.EndsWith("." + StoreLog.Extension, StringComparison.Ordinal) && int.TryParse(name.Substring(0, name.Length - StoreLog.Extension.Length - 1), out int seq) && seq > head);

        /// <summary>Forgets what was verified of every store (tests, and a store replaced on purpose).</summary>
        public static void Clear()
        {
            foreach (var cache in Caches.Values)
            {
                cache._watch?.Dispose();
            }

            Caches.Clear();
        }

        /// <summary>
        /// The manifest and the store log as they are now, verified: the manifest again when its
        /// file changed, the log's new entries only, each checked against what this user has seen.
        /// </summary>
        public (StoreManifest Manifest, StoreLog Log) Load()
        {
            lock (_gate)
            {
                var manifestPath = Path.Combine(_path, StoreManifest.FileName);
                var stamp = FileStamp.Of(manifestPath);
                if (stamp == null)
                {
                    throw new StoreNotFoundException(_path);
                }

                var manifest = _manifest != null && _manifestStamp == stamp && IsSettled(stamp.Value) ? _manifest : ReadPinnedManifest(_path, _stateRoot);
                var state = new LocalState(_stateRoot, manifest.IdHex);
                CheckRevision(manifest, state, manifestPath);
                if (!_snapshotTried)
                {
                    _snapshotTried = true;
                    LoadSnapshot(manifest);
                }

                // What was seen of the log is read before the log: a process of the same user may append
                // an entry and record it meanwhile, which a record read afterwards would make a rollback.
                int seen = state.GetSeenLog();
                ApplyChanges();
                StoreLog log;
                if (_log != null && _manifest != null && Sensitive.FixedTimeEquals(_manifest.Id, manifest.Id) && _manifest.Owner.Equals(manifest.Owner)
                    && _manifest.HandOvers.Count == manifest.HandOvers.Count)
                {
                    if (_logWatched && _watch!.IsWatched(LogFolder))
                    {
                        // Nothing in the log's folder changed but entries appended: verify those only.
                        log = File.Exists(_log.EntryPath(_log.Head + 1)) ? _log.ExtendAppended(manifest) : _log;
                    }
                    else
                    {
                        _logWatched = WatchLog();
                        log = _log.IsCurrent() ? _log : _log.ExtendWithNew(manifest);
                    }
                }
                else
                {
                    _logWatched = WatchLog();
                    log = StoreLog.Load(_path, manifest);
                }

                if (log.Head < seen)
                {
                    _log = null;
                    throw new SecurityViolationException("RollbackDetected", log.Folder,
                        $"The store log of '{_path}' has {log.Head} entries, but you have already seen {seen}. Entries were deleted or an older copy of the store was put back, which could undo a revocation.")
                    {
                        RecommendedAction = $"Check the store's 'log' folder with its owner. If an older copy was restored on purpose, delete '{Path.Combine(state.Directory, "log")}'.",
                    };
                }

                if (log.Head > seen)
                {
                    state.RecordSeenLog(log.Head);
                }

                _manifest = manifest;
                _manifestStamp = stamp;
                _log = log;
                return (manifest, log);
            }
        }

        /// <summary>Takes up what a process of this user verified of the store before (see <see cref="SnapshotFile"/>).</summary>
        private void LoadSnapshot(StoreManifest manifest)
        {
            var snapshot = SnapshotFile.Read(SnapshotFile.PathFor(_stateRoot, manifest.IdHex, _path), _path);
            if (snapshot == null)
            {
                return;
            }

            try
            {
                _logWatched = WatchLog();
                _log = StoreLog.FromVerified(_path, manifest, snapshot.Entries, snapshot.EntryStamps);
                _savedLog = _log;
                _manifest = manifest;
            }
            catch (SecretsException)
            {
                // What was kept no longer matches the store: verify it all.
                _log = null;
                _logWatched = false;
            }

            foreach (var pair in snapshot.Secrets)
            {
                Secrets.Add(pair.Key, pair.Value);
            }

            Secrets.Changed = false;
        }

        /// <summary>Keeps what this process verified for the next one, when it changed.</summary>
        public void Save()
        {
            lock (_gate)
            {
                if (_manifest == null || _log == null || (!Secrets.Changed && ReferenceEquals(_log, _savedLog)))
                {
                    return;
                }

                try
                {
                    SnapshotFile.Write(SnapshotFile.PathFor(_stateRoot, _manifest.IdHex, _path), _path, _log.Entries, _log.Stamps, Secrets.All);
                    Secrets.Changed = false;
                    _savedLog = _log;
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    // Only a cache: the next process verifies what it cannot take up.
                }
            }
        }

        private bool WatchLog() => _watch != null && Directory.Exists(LogFolder) && _watch.Watch(LogFolder);

        /// <summary>Drops what was verified of this store: the next load verifies it all again.</summary>
        public void Forget()
        {
            lock (_gate)
            {
                _manifest = null;
                _manifestStamp = null;
                _log = null;
                _logWatched = false;
                _names = null;
            }

            Secrets.Forget();
        }

        /// <summary>Whether a stamp can stand for the file's content (see <see cref="FileStamp.IsSettled"/>).</summary>
        public static bool IsSettled(FileStamp stamp) => stamp.IsSettled;

        /// <summary>How long a file must have been left alone before its stamp stands for its content.</summary>
        internal static TimeSpan SettleTime
        {
            get => FileStamp.SettleTime;
            set => FileStamp.SettleTime = value;
        }

        /// <summary>How many version files listings have verified in full (their summaries were not used): for tests.</summary>
        internal static int Verifications;

        /// <summary>
        /// Reads and verifies the manifest: its signature, then its owner against the owner pinned
        /// for its store id and the store id pinned for the folder (pinned on first use).
        /// </summary>
        public static StoreManifest ReadPinnedManifest(string path, string stateRoot)
        {
            var manifestPath = Path.Combine(path, StoreManifest.FileName);
            var data = AtomicFile.ReadAll(manifestPath, StoreManifest.MaxFileBytes, problem => new InvalidFileException("ManifestInvalid", manifestPath, problem));
            StoreManifest manifest;
            try
            {
                manifest = StoreManifest.Parse(data);
            }
            catch (FormatProblem problem) when (problem.IsForgedHandOver)
            {
                throw new SecurityViolationException("StoreOwnerChanged", manifestPath,
                    $"The manifest of the store at '{path}' hands the store to a new owner, but {problem.Message}. Someone may have tried to take over the store.")
                {
                    RecommendedAction = "Do not use this store until its owner has checked its manifest (for example in the history of the git repository).",
                };
            }
            catch (FormatProblem problem)
            {
                throw problem.ToException("ManifestInvalid", manifestPath);
            }

            var pinnedId = LocalState.PinPath(stateRoot, path, manifest.IdHex);
            if (pinnedId != manifest.IdHex)
            {
                throw new SecurityViolationException("StoreOwnerChanged", manifestPath,
                    $"The folder '{path}' holds another store than the one you first used there (store id {manifest.IdHex} instead of {pinnedId}). Someone may have replaced the store.")
                {
                    RecommendedAction = $"Check with the store's owner. If the change is genuine, delete the entry for this folder in '{Path.Combine(stateRoot, "paths")}'.",
                };
            }

            var state = new LocalState(stateRoot, manifest.IdHex);
            var pinned = state.PinOwner(manifest.Owner);
            if (pinned != manifest.Owner.Text && manifest.HandOvers.Any(h => h.From.Text == pinned))
            {
                // The owner pinned here handed the store over, and every hand-over since verifies: trust the new owner.
                state.RepinOwner(pinned, manifest.Owner);
            }
            else if (pinned != manifest.Owner.Text)
            {
                throw new SecurityViolationException("StoreOwnerChanged", manifestPath,
                    $"The owner key of the store at '{path}' has changed since you first used it. Someone may have replaced the store's manifest.")
                {
                    RecommendedAction = $"Check with the store's owner. If the change is genuine, delete '{state.Directory}' to trust the new owner key.",
                };
            }

            return manifest;
        }

        /// <summary>
        /// An older manifest, validly signed, put back in place would undo the owner's settings (a
        /// lower keep-versions makes the next write prune what the owner meant to keep).
        /// </summary>
        private static void CheckRevision(StoreManifest manifest, LocalState state, string manifestPath)
        {
            int seenRevision = state.GetSeenManifest();
            if (manifest.Revision < seenRevision)
            {
                throw new SecurityViolationException("RollbackDetected", manifestPath,
                    $"The manifest of the store at '{Path.GetDirectoryName(manifestPath)}' is revision {manifest.Revision}, but you have already seen revision {seenRevision}: an older copy was put back.")
                {
                    RecommendedAction = $"Check with the store's owner. If an older copy of the store was restored on purpose, delete '{Path.Combine(state.Directory, "manifest")}'.",
                };
            }

            if (manifest.Revision > seenRevision)
            {
                state.RecordSeenManifest(manifest.Revision);
            }
        }
    }
}
