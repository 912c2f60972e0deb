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

        private NamedFolder[]? _names;
        private NamedFolder[]? _keptNames;
        private FileStamp? _keptNamesStamp;
        private bool _namesChanged;

        /// <summary>
        /// The store's secret folders (canonical name, parsed name, folder), sorted by canonical name:
        /// read again when the store's secrets folder changed (or cannot be watched). Where it is not
        /// watched yet (a new process), the names read before are used while the secrets folder keeps
        /// the settled stamp it had before they were read: no folder was added, removed or renamed.
        /// </summary>
        public NamedFolder[] Names()
        {
            lock (_gate)
            {
                ApplyChanges();
                if (_names != null && _watch != null && _watch.IsWatched(SecretsRoot))
                {
                    return _names;
                }

                bool watched = _watch != null && Directory.Exists(SecretsRoot) && _watch.Watch(SecretsRoot);
                var stamp = FileStamp.Of(SecretsRoot);
                if (_keptNames != null && stamp != null && stamp == _keptNamesStamp && stamp.Value.IsSettled)
                {
                    _names = watched ? _keptNames : null;
                    return _keptNames;
                }

                var names = new System.Collections.Generic.List<NamedFolder>();
                if (Directory.Exists(SecretsRoot))
                {
                    foreach (var directory in Directory.EnumerateDirectories(SecretsRoot))
                    {
                        var name = global::Secrets.Core.Names.SecretName.FromFolder(Path.GetFileName(directory));
                        if (name != null)
                        {
                            names.Add(new NamedFolder(name.Canonical, name, Path.Combine(SecretsRoot, name.Folder)));
                        }
                    }
                }

                names.Sort((a, b) => string.CompareOrdinal(a.Canonical, b.Canonical));
                var result = names.ToArray();
                _names = watched ? result : null;
                _namesChanged |= _keptNames == null || stamp != _keptNamesStamp;
                _keptNames = result;
                _keptNamesStamp = stamp;
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
                    _keptNames = null;
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

                var manifest = _manifest != null && _manifestStamp == stamp && IsSettled(stamp.Value) ? _manifest : PinnedManifest.Read(_path, _stateRoot);
                var state = new LocalState(_stateRoot, manifest.IdHex);
                PinnedManifest.CheckRevision(manifest, state, manifestPath);
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
            if (snapshot.NamesStamp != null)
            {
                _keptNames = snapshot.Names.Select(folder => NamedFolder.Kept(SecretsRoot, folder)).ToArray();
                _keptNamesStamp = snapshot.NamesStamp;
            }
        }

        /// <summary>Keeps what this process verified for the next one, when it changed.</summary>
        public void Save()
        {
            lock (_gate)
            {
                // Notifications queued by now are for changes the snapshot must not hide.
                ApplyChanges();
                if (_manifest == null || _log == null || (!Secrets.Changed && !_namesChanged && ReferenceEquals(_log, _savedLog)))
                {
                    return;
                }

                try
                {
                    var names = _keptNamesStamp != null && _keptNames != null ? (_keptNamesStamp.Value, _keptNames.Select(n => n.Name.Folder).ToList()) : default((FileStamp, System.Collections.Generic.List<string>)?);
                    bool complete = SnapshotFile.Write(SnapshotFile.PathFor(_stateRoot, _manifest.IdHex, _path), _path, _log.Entries, _log.Stamps, Secrets.All, names);

                    // What was left out for a stamp not settled yet is saved by a later listing.
                    Secrets.Changed = !complete;
                    _namesChanged = false;
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
                _keptNames = null;
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
    }
}
