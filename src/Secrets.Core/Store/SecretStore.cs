using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Secrets.Core.Crypto;
using Secrets.Core.Codecs;
using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Identity;
using Secrets.Core.Platform;
using Secrets.Core.Values;
using Secrets.Core.Names;

namespace Secrets.Core.Store
{
    /// <summary>
    /// An encrypted secret store: a folder with a signed manifest and one folder per secret, one
    /// file per version (docs/FORMAT.md). Every operation touches only the secret it is about.
    /// </summary>
    public sealed partial class SecretStore
    {
        public const string SecretsFolder = "secrets";
        private static readonly Regex VersionFile = new Regex(@"^v([1-9][0-9]{0,9})\.secret$", RegexOptions.CultureInvariant);

        /// <summary>How many times a write starts again when a file it relied on vanished under it.</summary>
        private const int MaxWriteAttempts = 10;

        private readonly string _stateRoot;
        private StoreLog _log;

        private SecretStore(string path, StoreManifest manifest, StoreLog log, string stateRoot)
        {
            Path = path;
            Manifest = manifest;
            _log = log;
            _stateRoot = stateRoot;
        }

        /// <summary>The store folder (full path).</summary>
        public string Path { get; }

        public StoreManifest Manifest { get; private set; }

        /// <summary>How long a writer waits for the store lock.</summary>
        public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Whether the store has members besides its owner (a store log).</summary>
        public bool IsShared => _log.Head > 0;

        /// <summary>Called after each step of a write; a test throws from it to simulate a crash.</summary>
        internal Action<WriteStep>? FaultInjector { get; set; }

        internal LocalState State => new LocalState(_stateRoot, Manifest.IdHex);

        /// <summary>Whether the folder holds a store (has a manifest).</summary>
        public static bool Exists(string path) => File.Exists(System.IO.Path.Combine(System.IO.Path.GetFullPath(path), StoreManifest.FileName));

        /// <summary>Creates a store owned by <paramref name="owner"/> in an empty or missing folder.</summary>
        public static SecretStore Create(string path, UnlockedIdentity owner, int keepVersions = StoreManifest.DefaultKeepVersions, string? stateRoot = null)
        {
            if (owner == null)
            {
                throw new ArgumentNullException(nameof(owner));
            }

            StoreManifest.CheckKeepVersions(keepVersions);
            path = FullPath(path);
            CheckNoFileInTheWay(path);
            if (Exists(path))
            {
                throw new SecretsException("StoreExists", FailureKind.AlreadyExists, $"There is already a store at '{path}'.") { FilePath = path };
            }

            if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
            {
                throw new SecretsException("StoreFolderNotEmpty", FailureKind.InvalidOperation,
                    $"The folder '{path}' is not empty; a store needs an empty or new folder.")
                {
                    FilePath = path,
                    RecommendedAction = "Choose a new folder for the store.",
                };
            }

            Directory.CreateDirectory(System.IO.Path.Combine(path, SecretsFolder));
            File.WriteAllText(System.IO.Path.Combine(path, ".gitattributes"), "# Every file is signed byte for byte: no line-ending conversion.\n* binary\n");
            File.WriteAllText(System.IO.Path.Combine(path, ".gitignore"), ".lock\n*.tmp\n");
            var manifest = new StoreManifest(RandomBytes.Get(16), DateTime.UtcNow, owner.Recipient, owner.Name, keepVersions);
            try
            {
                AtomicFile.Write(System.IO.Path.Combine(path, StoreManifest.FileName), manifest.Serialize(owner), overwrite: false, ownerOnly: false);
            }
            catch (FileExistsException)
            {
                // Created by someone else at the same moment.
                throw new SecretsException("StoreExists", FailureKind.AlreadyExists, $"There is already a store at '{path}'.") { FilePath = path };
            }

            return Open(path, stateRoot);
        }

        /// <summary>Refuses a store path that is a file, or that lies under one (its folder could not be created).</summary>
        private static void CheckNoFileInTheWay(string path)
        {
            for (var current = path; !string.IsNullOrEmpty(current); current = System.IO.Path.GetDirectoryName(current))
            {
                if (Directory.Exists(current))
                {
                    return;
                }

                if (File.Exists(current))
                {
                    throw new InvalidInputException("StorePathIsFile", "Path", current == path
                        ? $"'{path}' is a file; a store is a folder. Give the path of a new or empty folder."
                        : $"'{current}' is a file, so the folder '{path}' cannot be created. Give the path of a new or empty folder.")
                    {
                        FilePath = path,
                    };
                }
            }
        }

        /// <summary>Opens a store: reads and verifies its manifest and store log, and pins its owner and id.</summary>
        public static SecretStore Open(string path, string? stateRoot = null)
        {
            path = FullPath(path);
            stateRoot ??= SecretsPaths.StateDirectory;
            var manifestPath = System.IO.Path.Combine(path, StoreManifest.FileName);
            if (!File.Exists(manifestPath))
            {
                throw new StoreNotFoundException(path);
            }

            var manifest = ReadPinnedManifest(path, stateRoot);
            int seenLog = new LocalState(stateRoot, manifest.IdHex).GetSeenLog();
            var store = new SecretStore(path, manifest, StoreLog.Load(path, manifest), stateRoot);
            store.CheckLogNotRolledBack(seenLog);
            return store;
        }

        /// <summary>Writes a new version of a secret. With null metadata, an update keeps the previous version's metadata.</summary>
        public SecretRecord Write(string name, SecretValue value, SecretMetadata? metadata, UnlockedIdentity writer, WriteMode mode)
        {
            if (value == null)
            {
                throw new ArgumentNullException(nameof(value));
            }

            var secretName = SecretName.Parse(name);
            return WriteVersion(secretName, writer, (version, current, previous) =>
            {
                if (mode == WriteMode.CreateOnly && current != null && !current.IsTombstone)
                {
                    throw new SecretExistsException(current.Name, current.Version);
                }

                RequireAccess(writer, secretName, current == null ? AccessLevel.Manage : AccessLevel.Write, current == null ? "create" : "write");
                var effective = metadata ?? (current != null && !current.IsTombstone ? current.Metadata : SecretMetadata.Empty);
                return SecretFileFormat.WriteSecret(Manifest.Id, secretName, version, value, effective, DateTime.UtcNow, writer, RecipientsOf(secretName), _log.Head, previous);
            }, replaceInvalidNewest: true);
        }

        /// <summary>Writes a new version with the same value and new metadata (the writer must be able to read the secret).</summary>
        public SecretRecord SetMetadata(string name, SecretMetadata metadata, UnlockedIdentity writer)
        {
            if (metadata == null)
            {
                throw new ArgumentNullException(nameof(metadata));
            }

            var secretName = SecretName.Parse(name);
            return WriteVersion(secretName, writer, (version, current, previous) =>
            {
                if (current == null || current.IsTombstone)
                {
                    throw new SecretNotFoundException(name, Path);
                }

                RequireAccess(writer, secretName, AccessLevel.Write, "change the metadata of");
                using var value = DecryptFor(current, writer, CurrentFile(secretName, current.Version));
                var renamed = SecretName.Parse(current.Name);
                return SecretFileFormat.WriteSecret(Manifest.Id, renamed, version, value, metadata, DateTime.UtcNow, writer, RecipientsOf(secretName), _log.Head, previous);
            });
        }

        /// <summary>Removes a secret: writes a tombstone and deletes every older version.</summary>
        public SecretRecord Remove(string name, UnlockedIdentity writer)
        {
            var secretName = SecretName.Parse(name);
            SecretRecord? removed = null;
            WriteVersion(secretName, writer, (version, current, previous) =>
            {
                if (current == null || current.IsTombstone)
                {
                    throw new SecretNotFoundException(name, Path);
                }

                RequireAccess(writer, secretName, AccessLevel.Manage, "remove");
                removed = ToRecord(current, CurrentFile(secretName, current.Version), ListVersions(FolderOf(secretName)).Select(v => v.Version).ToList());
                return SecretFileFormat.WriteTombstone(Manifest.Id, SecretName.Parse(current.Name), version, DateTime.UtcNow, writer, _log.Head, previous);
            }, replaceInvalidNewest: true);
            return removed!;
        }

        /// <summary>Reads and decrypts a secret (the newest version unless one is given).</summary>
        public SecretValue Read(string name, UnlockedIdentity reader, int? version = null) => Read(name, reader, version, out _);

        /// <summary>Reads and decrypts a secret and returns what is known about the version read.</summary>
        public SecretValue Read(string name, UnlockedIdentity reader, int? version, out SecretRecord record)
        {
            var secretName = SecretName.Parse(name);
            var (header, file, versions) = ReadHeader(secretName, version);
            record = ToRecord(header, file, versions);
            return DecryptFor(header, reader, file);
        }

        /// <summary>What is known about a secret (the newest version unless one is given), without decrypting.</summary>
        public SecretRecord GetInfo(string name, int? version = null)
        {
            var secretName = SecretName.Parse(name);
            var (header, file, versions) = ReadHeader(secretName, version);
            return ToRecord(header, file, versions);
        }

        /// <summary>
        /// Every version of a secret still kept, oldest first; tombstones are left out. The history
        /// is what the newest version names, one file after another; a file it does not reach
        /// (left behind by an interrupted pruning, or planted) is not part of it.
        /// </summary>
        public IReadOnlyList<SecretRecord> GetHistory(string name)
        {
            var secretName = SecretName.Parse(name);
            var newest = GetInfo(name);
            var versions = ListVersions(FolderOf(secretName));
            var chain = HistoryFrom(secretName, versions, newest.Version, ReadVerified(newest.FilePath, secretName, newest.Version, newest: true));
            var result = new List<SecretRecord>();
            int previousLog = 0;
            foreach (var (version, file, _) in chain)
            {
                var header = ReadVerified(file, secretName, version, newest: version == newest.Version);
                if (header.LogSeq < previousLog)
                {
                    throw OutOfOrder(file, header.LogSeq, previousLog);
                }

                previousLog = header.LogSeq;
                if (!header.IsTombstone)
                {
                    result.Add(ToRecord(header, file, newest.Versions));
                }
            }

            return result;
        }

        /// <summary>
        /// Lists the secrets whose canonical name passes the filter, sorted by name. A secret that
        /// cannot be read is returned with its error instead of stopping the listing.
        /// </summary>
        public IEnumerable<ListedSecret> List(Func<string, bool>? canonicalNameFilter = null)
        {
            var root = System.IO.Path.Combine(Path, SecretsFolder);
            if (!Directory.Exists(root))
            {
                yield break;
            }

            var folders = new List<(string Canonical, string Folder)>();
            foreach (var directory in Directory.EnumerateDirectories(root))
            {
                var folderName = System.IO.Path.GetFileName(directory);
                var canonical = SecretName.CanonicalFromFolder(folderName);
                if (canonical != null && (canonicalNameFilter == null || canonicalNameFilter(canonical)))
                {
                    folders.Add((canonical, directory));
                }
            }

            foreach (var (canonical, _) in folders.OrderBy(f => f.Canonical, StringComparer.Ordinal))
            {
                SecretRecord? record = null;
                SecretsException? error = null;
                try
                {
                    var secretName = SecretName.Parse(canonical);
                    var (header, file, versions) = ReadHeader(secretName, null);
                    record = ToRecord(header, file, versions);
                }
                catch (SecretNotFoundException)
                {
                    continue;
                }
                catch (SecretsException e)
                {
                    error = e;
                }

                yield return new ListedSecret(canonical, record, error);
            }
        }

        /// <summary>
        /// The listing a person sees: each secret with their access to it. In a shared store, only what
        /// they can read (their own, and what others shared with them); with no viewer, everything.
        /// </summary>
        public IEnumerable<ListedSecret> ListFor(Recipient? viewer, Func<string, bool>? canonicalNameFilter = null)
        {
            var key = viewer == null ? null : Base64.Encode(viewer.SigningKey);
            foreach (var listed in List(canonicalNameFilter))
            {
                if (key != null)
                {
                    listed.Access = _log.AccessOf(key, listed.CanonicalName);
                    if (IsShared && listed.Access < AccessLevel.Read)
                    {
                        continue;
                    }
                }

                yield return listed;
            }
        }

        /// <summary>Changes how many versions of each secret writers keep (owner only).</summary>
        public void SetKeepVersions(int keepVersions, UnlockedIdentity owner)
        {
            if (owner == null)
            {
                throw new ArgumentNullException(nameof(owner));
            }

            StoreManifest.CheckKeepVersions(keepVersions);
            using (StoreLock.Acquire(Path, LockTimeout))
            {
                var manifestPath = System.IO.Path.Combine(Path, StoreManifest.FileName);
                var current = ReadPinnedManifest(Path, _stateRoot);
                if (!owner.Recipient.Equals(current.Owner))
                {
                    throw new SecretsException("NotStoreOwner", FailureKind.Permission,
                        $"Only the store's owner ({current.OwnerName}, {current.Owner.Fingerprint}) can change its settings.") { FilePath = manifestPath };
                }

                var updated = current.WithKeepVersions(keepVersions);
                AtomicFile.Write(manifestPath, updated.Serialize(owner), overwrite: true, ownerOnly: false);
                State.RecordSeenManifest(updated.Revision);
                Manifest = updated;
            }
        }

        public override string ToString() => $"SecretStore({Path})";

        /// <summary>
        /// Reads and verifies the manifest: its signature, then its owner against the owner pinned
        /// for its store id (pinned on first use). Every reader of the manifest goes through here.
        /// </summary>
        private static StoreManifest ReadPinnedManifest(string path, string stateRoot)
        {
            var manifestPath = System.IO.Path.Combine(path, StoreManifest.FileName);
            var manifest = ReadManifest(manifestPath);
            var pinnedId = LocalState.PinPath(stateRoot, path, manifest.IdHex);
            if (pinnedId != manifest.IdHex)
            {
                throw new SecurityViolationException("StoreOwnerChanged", manifestPath,
                    $"The folder '{path}' holds another store than the one you first used there (store id {manifest.IdHex} instead of {pinnedId}). Someone may have replaced the store.")
                {
                    RecommendedAction = $"Check with the store's owner. If the change is genuine, delete the entry for this folder in '{System.IO.Path.Combine(stateRoot, "paths")}'.",
                };
            }

            var state = new LocalState(stateRoot, manifest.IdHex);
            if (state.PinOwner(manifest.Owner) != manifest.Owner.Text)
            {
                throw new SecurityViolationException("StoreOwnerChanged", manifestPath,
                    $"The owner key of the store at '{path}' has changed since you first used it. Someone may have replaced the store's manifest.")
                {
                    RecommendedAction = $"Check with the store's owner. If the change is genuine, delete '{state.Directory}' to trust the new owner key.",
                };
            }

            // An older manifest, validly signed, put back in place would undo the owner's settings
            // (a lower keep-versions makes the next write prune what the owner meant to keep).
            int seenRevision = state.GetSeenManifest();
            if (manifest.Revision < seenRevision)
            {
                throw new SecurityViolationException("RollbackDetected", manifestPath,
                    $"The manifest of the store at '{path}' is revision {manifest.Revision}, but you have already seen revision {seenRevision}: an older copy was put back.")
                {
                    RecommendedAction = $"Check with the store's owner. If an older copy of the store was restored on purpose, delete '{System.IO.Path.Combine(state.Directory, "manifest")}'.",
                };
            }

            state.RecordSeenManifest(manifest.Revision);
            return manifest;
        }

        /// <summary>The full path without trailing separators (so that 'team' and 'team/' are one store).</summary>
        private static string FullPath(string path)
        {
            var full = System.IO.Path.GetFullPath(path);
            var root = System.IO.Path.GetPathRoot(full) ?? string.Empty;
            return full.Length > root.Length ? full.TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar) : full;
        }

        private static StoreManifest ReadManifest(string manifestPath)
        {
            var data = AtomicFile.ReadAll(manifestPath, StoreManifest.MaxFileBytes, problem => new InvalidFileException("ManifestInvalid", manifestPath, problem));
            try
            {
                return StoreManifest.Parse(data);
            }
            catch (FormatProblem problem)
            {
                throw problem.ToException("ManifestInvalid", manifestPath);
            }
        }

        private IReadOnlyCollection<Recipient> RecipientsOf(SecretName name) => _log.Members.RecipientsOf(_log.Grants(name.Canonical));

        /// <summary>Throws AccessDenied unless the identity has at least <paramref name="needed"/> on the secret now.</summary>
        private void RequireAccess(UnlockedIdentity who, SecretName name, AccessLevel needed, string what)
        {
            var key = Base64.Encode(who.Recipient.SigningKey);
            var member = _log.Members.BySigningKey(key);
            var has = _log.AccessOf(key, name.Canonical);
            if (has >= needed)
            {
                return;
            }

            string message;
            if (member == null)
            {
                message = $"Your identity ({who.Recipient.Fingerprint}) is not a member of the store at '{Path}'. Ask its owner ({Manifest.OwnerName}) to add you: give them the recipient string from Get-SecretIdentity.";
            }
            else if (needed == AccessLevel.Manage && what == "create")
            {
                message = $"Only the owner and admins create secrets in a shared store; you ({member.Name}) are a member. Ask {Managers(name)} to create '{name.Value}' and grant you access.";
            }
            else
            {
                message = $"To {what} '{name.Value}' you need {needed.ToString().ToLowerInvariant()} access; you ({member.Name}) have {has.ToString().ToLowerInvariant()}. Ask someone who can grant it: {Managers(name)}.";
            }

            throw new SecretsException("AccessDenied", FailureKind.Permission, message) { FilePath = Path };
        }

        private string Managers(SecretName name)
        {
            var grants = _log.Grants(name.Canonical);
            var managers = _log.Members.Everyone.Where(m => _log.Members.AccessOf(m.SigningKey, grants) == AccessLevel.Manage)
                .Select(m => $"{m.Name} ({m.Role.ToString().ToLowerInvariant()})");
            return string.Join(", ", managers);
        }

        /// <summary>
        /// Checks the log just loaded against <paramref name="seen"/>, read before loading it: a process
        /// of the same user may append an entry and record it as seen meanwhile, which a record read
        /// afterwards would make look like a rollback.
        /// </summary>
        private void CheckLogNotRolledBack(int seen)
        {
            if (_log.Head < seen)
            {
                throw new SecurityViolationException("RollbackDetected", _log.Folder,
                    $"The store log of '{Path}' has {_log.Head} entries, but you have already seen {seen}. Entries were deleted or an older copy of the store was put back, which could undo a revocation.")
                {
                    RecommendedAction = $"Check the store's 'log' folder with its owner. If an older copy was restored on purpose, delete '{System.IO.Path.Combine(State.Directory, "log")}'.",
                };
            }

            State.RecordSeenLog(_log.Head);
        }

        /// <summary>Reloads the manifest and the store log (under the lock, before a change).</summary>
        private void Refresh()
        {
            Manifest = ReadPinnedManifest(Path, _stateRoot);
            int seen = State.GetSeenLog();
            _log = StoreLog.Load(Path, Manifest);
            CheckLogNotRolledBack(seen);
        }

        /// <summary>The write protocol of docs/FORMAT.md, "Writing a secret".</summary>
        private SecretRecord WriteVersion(SecretName name, UnlockedIdentity writer, Func<int, SecretFileHeader?, PreviousVersion?, byte[]> build, bool replaceInvalidNewest = false)
        {
            if (writer == null)
            {
                throw new ArgumentNullException(nameof(writer));
            }

            using (StoreLock.Acquire(Path, LockTimeout))
            {
                FaultInjector?.Invoke(WriteStep.LockAcquired);
                Refresh();
                return WriteVersionLocked(name, writer, build, replaceInvalidNewest);
            }
        }

        /// <summary>The write protocol once the lock is held and the state refreshed.</summary>
        /// <param name="name">the secret.</param>
        /// <param name="writer">who signs the new version.</param>
        /// <param name="build">makes the file of the new version from its number and the current newest version.</param>
        /// <param name="replaceInvalidNewest">a damaged or unauthorized newest file is replaced instead of stopping the write.</param>
        /// <param name="newestAsWritten">validate the newest version as of when it was written, not against
        /// access now (a reseal right after recording a change of access).</param>
        private SecretRecord WriteVersionLocked(SecretName name, UnlockedIdentity writer, Func<int, SecretFileHeader?, PreviousVersion?, byte[]> build,
            bool replaceInvalidNewest = false, bool newestAsWritten = false)
        {
            var folder = FolderOf(name);
            SecretFileHeader? current;
            (string File, string Reason)? replaced;
            byte[] content;
            string target;
            int next;
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    // What was seen is read before listing (as readers do): a writer sharing this
                    // local state records a version only once its file is in place.
                    var seen = State.GetSeen(name.Folder);
                    var versions = ListVersions(folder);
                    int newest = versions.Count == 0 ? 0 : versions[versions.Count - 1].Version;
                    if (seen.Version > newest)
                    {
                        throw Rollback(name, folder, newest, seen.Version);
                    }

                    current = null;
                    replaced = null;
                    if (newest > 0)
                    {
                        try
                        {
                            var newestFile = versions[versions.Count - 1].File;
                            current = ReadVerified(newestFile, name, newest, newest: !newestAsWritten);
                            CheckAgainstSeen(name, versions, current, newestFile, seen);
                        }
                        catch (SecretsException e) when (replaceInvalidNewest && (e is InvalidFileException || e.ErrorId == "UnauthorizedWriter"))
                        {
                            // A damaged or unauthorized newest file is replaced by the new version (the way to
                            // repair it); what carries over (metadata) comes from the newest valid one below it.
                            current = NewestValid(versions, name);
                            replaced = (versions[versions.Count - 1].File, e.Message);
                        }
                    }

                    if (newest == int.MaxValue)
                    {
                        throw new SecretsException("VersionLimitReached", FailureKind.InvalidOperation, $"Secret '{name}' has reached the highest version number.");
                    }

                    // The new version follows the newest valid one: after a repair, the invalid files
                    // between them are not part of the history.
                    var previous = current == null ? null : new PreviousVersion(current.Version, current.Hash);
                    next = newest + 1;
                    content = build(next, current, previous);
                    Directory.CreateDirectory(folder);
                    target = System.IO.Path.Combine(folder, $"v{next}.secret");
                    AtomicFile.Write(target, content, overwrite: false, ownerOnly: false,
                        beforeRename: () => FaultInjector?.Invoke(WriteStep.TempFileWritten));
                    break;
                }
                catch (FileExistsException taken)
                {
                    // Another writer published this number first: where the file system does not
                    // share locks, two writers can hold the store lock at once. Nothing was lost;
                    // write again under the next number, from the store as it is now (the access
                    // check and what carries over included).
                    Refresh();
                    if (ListVersions(folder).Select(v => v.Version).DefaultIfEmpty(0).Max() < VersionOf(taken.FilePath))
                    {
                        throw new InvalidFileException("SecretFileInvalid", taken.FilePath, "it takes the name of the next version but is not a version file", taken);
                    }
                }
                catch (FileNotFoundException) when (attempt < MaxWriteAttempts)
                {
                    // A file this write relied on went away under it: its temporary file, cleaned up
                    // by such a second writer, or the newest version, pruned by one. Start again.
                }
            }

            FaultInjector?.Invoke(WriteStep.Renamed);

            var header = SecretFileFormat.Parse(content);
            State.RecordSeen(name.Folder, next, header.Hash);
            FaultInjector?.Invoke(WriteStep.SeenRecorded);

            // After a tombstone, the tombstone and the versions before it go: a removal interrupted
            // before its pruning left them, and the new version now carries the numbering on.
            Prune(folder, next, header.IsTombstone, current != null && current.IsTombstone ? current.Version + 1 : 0);
            FaultInjector?.Invoke(WriteStep.Pruned);

            var kept = ListVersions(folder).Select(v => v.Version).ToList();
            var record = ToRecord(header, target, kept);
            record.ReplacedInvalidFile = replaced?.File;
            record.ReplacedInvalidReason = replaced?.Reason;
            return record;
        }

        /// <summary>
        /// Versions never go back in the store log: each is written under the newest entry at the
        /// time. A version that claims an older entry than the one before it was written by someone
        /// claiming access they had lost (and was left in place by a later write).
        /// </summary>
        private void CheckOrderedAfterPrevious(List<(int Version, string File)> versions, SecretName name, int version, SecretFileHeader header, string file)
        {
            var previous = versions.LastOrDefault(v => v.Version < version);
            if (previous.File == null)
            {
                return;
            }

            var before = ReadVerified(previous.File, name, previous.Version, newest: false);
            if (header.LogSeq < before.LogSeq)
            {
                throw OutOfOrder(file, header.LogSeq, before.LogSeq);
            }
        }

        private static SecurityViolationException OutOfOrder(string file, int logSeq, int previousLogSeq) =>
            new SecurityViolationException("UnauthorizedWriter", file,
                $"The file '{file}' claims to have been written under store log entry {logSeq}, before the version that precedes it (entry {previousLogSeq}): its writer used access they had lost.")
            {
                RecommendedAction = "Do not trust this version.",
            };

        private SecretFileHeader? NewestValid(List<(int Version, string File)> versions, SecretName name)
        {
            for (int i = versions.Count - 2; i >= 0; i--)
            {
                try
                {
                    return ReadVerified(versions[i].File, name, versions[i].Version, newest: false);
                }
                catch (SecretsException e) when (e is InvalidFileException || e.ErrorId == "UnauthorizedWriter")
                {
                }
            }

            return null;
        }

        private void Prune(string folder, int newest, bool removeAll, int keepFrom)
        {
            int oldestKept = removeAll ? newest : Math.Max(newest - Manifest.KeepVersions + 1, keepFrom);
            foreach (var (version, file) in ListVersions(folder))
            {
                if (version < oldestKept)
                {
                    AtomicFile.TryDelete(file);
                }
            }

            foreach (var temp in Directory.EnumerateFiles(folder, "*" + AtomicFile.TempSuffix))
            {
                AtomicFile.TryDelete(temp);
            }
        }

        private (SecretFileHeader Header, string File, IReadOnlyList<int> Versions) ReadHeader(SecretName name, int? version)
        {
            var folder = FolderOf(name);

            // A concurrent writer may prune the file we picked; list again when it vanishes.
            for (int attempt = 0; ; attempt++)
            {
                // What was seen is read before listing: a version is recorded as seen only once its
                // file is in place, so a listing taken afterwards includes it unless files were
                // removed. Read after the listing, a concurrent write would look like a rollback.
                var seen = version == null ? State.GetSeen(name.Folder) : default;
                var versions = ListVersions(folder);
                var numbers = versions.Select(v => v.Version).ToList();

                // A listing is not a snapshot: taken while a writer renames and prunes, it can miss
                // both the new file and the pruned one. Look again before concluding.
                bool settled = attempt >= 3;
                if (versions.Count == 0)
                {
                    if (!settled && Directory.Exists(folder))
                    {
                        continue;
                    }

                    throw new SecretNotFoundException(name.Value, Path);
                }

                var newest = versions[versions.Count - 1];
                try
                {
                    if (version == null)
                    {
                        if (newest.Version < seen.Version)
                        {
                            if (!settled)
                            {
                                continue;
                            }

                            throw Rollback(name, folder, newest.Version, seen.Version);
                        }

                        var header = ReadVerified(newest.File, name, newest.Version, newest: true);
                        CheckAgainstSeen(name, versions, header, newest.File, seen);
                        State.RecordSeen(name.Folder, newest.Version, header.Hash);
                        if (header.IsTombstone)
                        {
                            throw new SecretNotFoundException(name.Value, Path);
                        }

                        return (header, newest.File, numbers.Where(n => n != newest.Version || !header.IsTombstone).ToList());
                    }

                    var match = versions.FirstOrDefault(v => v.Version == version.Value);
                    if (match.File == null)
                    {
                        if (newest.Version >= version.Value || attempt > 2)
                        {
                            var available = numbers.Count == 0 ? "none" : string.Join(", ", numbers);
                            throw new SecretNotFoundException(name.Value, version.Value, available);
                        }

                        continue;
                    }

                    var specific = ReadVerified(match.File, name, match.Version, newest: match.Version == newest.Version);
                    if (match.Version != newest.Version)
                    {
                        CheckInHistory(versions, name, match.Version, match.File);
                        CheckOrderedAfterPrevious(versions, name, match.Version, specific, match.File);
                    }

                    if (specific.IsTombstone)
                    {
                        throw new SecretNotFoundException(name.Value, Path);
                    }

                    return (specific, match.File, numbers);
                }
                catch (FileNotFoundException) when (attempt < 3)
                {
                    continue;
                }
            }
        }

        private SecretFileHeader ReadVerified(string file, SecretName name, int version, bool newest) =>
            Verify(ReadVersionBytes(file), file, name, version, newest);

        /// <summary>The bytes of a version file, read by the store's rules (size, links).</summary>
        private static byte[] ReadVersionBytes(string file) =>
            AtomicFile.ReadAll(file, SecretFileFormat.MaxFileBytes, problem => new InvalidFileException("SecretFileInvalid", file, problem));

        /// <summary>Parses a version file and checks every rule a reader must (docs/FORMAT.md, "Secret version files").</summary>
        private SecretFileHeader Verify(byte[] data, string file, SecretName name, int version, bool newest)
        {
            SecretFileHeader header;
            try
            {
                header = SecretFileFormat.Parse(data);
            }
            catch (FormatProblem problem)
            {
                throw problem.ToException("SecretFileInvalid", file);
            }

            if (header.Version != version)
            {
                throw new InvalidFileException("SecretFileInvalid", file, $"it holds version {header.Version} but is named for version {version} (renamed or copied)");
            }

            if (!Sensitive.FixedTimeEquals(header.StoreId, Manifest.Id))
            {
                throw new InvalidFileException("SecretFileInvalid", file, "it belongs to another store (copied from elsewhere)");
            }

            if (header.Name.ToLowerInvariant() != name.Canonical)
            {
                throw new InvalidFileException("SecretFileInvalid", file, $"it holds secret '{header.Name}', not '{name.Value}' (renamed or copied)");
            }

            if (header.LogSeq > _log.Head)
            {
                // Written under an entry appended since the log was loaded: load it again.
                Refresh();
            }

            if (header.LogSeq > _log.Head)
            {
                throw new SecurityViolationException("RollbackDetected", file,
                    $"The file '{file}' was written after store log entry {header.LogSeq}, but the log has only {_log.Head} entries: entries were deleted or an older copy of the log was put back.")
                {
                    RecommendedAction = "Check the store's 'log' folder with its owner.",
                };
            }

            // The writer needs write access (manage, to remove a secret) in the state the file was
            // written under, and, for the newest version, now: a revoked writer cannot make readers
            // accept a new version.
            var writer = Base64.Encode(header.Writer);
            var needed = header.IsTombstone ? AccessLevel.Manage : AccessLevel.Write;
            var then = _log.MembersAt(header.LogSeq).AccessOf(writer, _log.GrantsAt(name.Canonical, header.LogSeq));
            var now = newest ? _log.AccessOf(writer, name.Canonical) : then;
            if (then < needed || now < needed)
            {
                var who = _log.Members.BySigningKey(writer)?.Name ?? _log.MembersAt(header.LogSeq).BySigningKey(writer)?.Name;
                var what = needed == AccessLevel.Manage ? "manage access (needed to remove a secret)" : "write access";
                var by = who == null ? $"a key that is not in the store (ed25519:{writer.Substring(0, 8)})" : $"'{who}', who {(then < needed ? "did not have" : "no longer has")} {what}";
                throw new SecurityViolationException("UnauthorizedWriter", file,
                    $"The file '{file}' is signed by {by}. Readers do not accept this version of '{name.Value}'.")
                {
                    RecommendedAction = "Do not trust this version. Older versions may still be read with -Version; someone with write access can write a new one with Set-Secret.",
                };
            }

            // Every version is encrypted to the owner, so that a writer can never lock the owner out
            // of a secret (nor stop them from rotating it when someone's access ends).
            if (!header.IsTombstone && !header.Recipients.Any(r => Sensitive.FixedTimeEquals(r.Recipient, Manifest.Owner.EncryptionKey)))
            {
                throw new InvalidFileException("SecretFileInvalid", file, "it is not encrypted to the store's owner, as every version must be");
            }

            return header;
        }

        private SecretValue DecryptFor(SecretFileHeader header, UnlockedIdentity reader, string file)
        {
            if (reader == null)
            {
                throw new ArgumentNullException(nameof(reader));
            }

            try
            {
                return SecretFileFormat.Decrypt(header, reader)
                    ?? throw new NotARecipientException(header.Name, file, reader.Recipient.Fingerprint);
            }
            catch (FormatProblem problem)
            {
                throw problem.ToException("SecretFileInvalid", file);
            }
        }

        private SecretRecord ToRecord(SecretFileHeader header, string file, IReadOnlyList<int> versions)
        {
            var writerKey = Base64.Encode(header.Writer);
            var by = _log.Members.BySigningKey(writerKey)?.Name ?? _log.MembersAt(header.LogSeq).BySigningKey(writerKey)?.Name ?? "ed25519:" + writerKey.Substring(0, 8);
            return new SecretRecord(header.Name, header.Version, header.Type, header.Created, by, writerKey, header.Metadata, versions, file, Path);
        }

        private string FolderOf(SecretName name) => System.IO.Path.Combine(Path, SecretsFolder, name.Folder);

        private string CurrentFile(SecretName name, int version) => System.IO.Path.Combine(FolderOf(name), $"v{version}.secret");

        private SecurityViolationException Rollback(SecretName name, string folder, int newest, int seen) =>
            new SecurityViolationException("RollbackDetected", folder,
                newest == 0
                    ? $"Secret '{name}' has no version files, but you have already seen version {seen}. Files were deleted or an older copy of the store was restored."
                    : $"The newest version of secret '{name}' in the store is {newest}, but you have already seen version {seen}. An older copy may have been put back (rollback).")
            {
                RecommendedAction = $"Read a specific version with -Version, or, if an older copy of the store was restored on purpose, delete '{System.IO.Path.Combine(State.Directory, "seen", name.Folder)}'.",
            };

        /// <summary>The version number a version file's name gives (0 if it is not one).</summary>
        private static int VersionOf(string file)
        {
            var match = VersionFile.Match(System.IO.Path.GetFileName(file));
            return match.Success && long.TryParse(match.Groups[1].Value, out long number) && number <= int.MaxValue ? (int)number : 0;
        }

        private static List<(int Version, string File)> ListVersions(string folder)
        {
            var result = new List<(int, string)>();
            if (!Directory.Exists(folder))
            {
                return result;
            }

            if ((File.GetAttributes(folder) & FileAttributes.ReparsePoint) != 0)
            {
                // A linked folder would make readers read, and writers prune, files elsewhere.
                throw new InvalidFileException("SecretFileInvalid", folder, "the secret's folder is a link; a store holds only plain folders and files");
            }

            foreach (var file in Directory.EnumerateFiles(folder, "v*.secret"))
            {
                int number = VersionOf(file);
                if (number > 0)
                {
                    result.Add((number, file));
                }
            }

            result.Sort((a, b) => a.Item1.CompareTo(b.Item1));
            return result;
        }
    }
}
