using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Identity;
using Secrets.Core.Names;
using Secrets.Core.Platform;

namespace Secrets.Core.Store
{
    /// <summary>
    /// Writes versions as docs/FORMAT.md ("Writing a secret") says: under the store lock, the one
    /// place that decides a new version's number and what it follows, published under a name that
    /// must be free, then recorded as seen and older versions pruned.
    /// </summary>
    internal sealed class VersionWriter
    {
        /// <summary>How many times a write starts again when a file it relied on vanished under it.</summary>
        private const int MaxWriteAttempts = 10;

        private readonly StoreContext _store;
        private readonly VersionReader _reader;

        public VersionWriter(StoreContext store, VersionReader reader)
        {
            _store = store;
            _reader = reader;
        }

        /// <summary>The write protocol of docs/FORMAT.md, "Writing a secret".</summary>
        public SecretRecord WriteVersion(SecretName name, UnlockedIdentity writer, Func<int, SecretFileHeader?, PreviousVersion?, byte[]> build, bool replaceInvalidNewest = false)
        {
            if (writer == null)
            {
                throw new ArgumentNullException(nameof(writer));
            }

            return _store.Locked(() =>
            {
                _store.FaultInjector?.Invoke(WriteStep.LockAcquired);
                return WriteVersionLocked(name, writer, build, replaceInvalidNewest);
            });
        }

        /// <summary>The write protocol once the lock is held and the state refreshed.</summary>
        /// <param name="name">the secret.</param>
        /// <param name="writer">who signs the new version.</param>
        /// <param name="build">makes the file of the new version from its number and the current newest version.</param>
        /// <param name="replaceInvalidNewest">a damaged or unauthorized newest file is replaced instead of stopping the write.</param>
        /// <param name="newestAsWritten">validate the newest version as of when it was written, not against
        /// access now (a reseal right after recording a change of access).</param>
        public SecretRecord WriteVersionLocked(SecretName name, UnlockedIdentity writer, Func<int, SecretFileHeader?, PreviousVersion?, byte[]> build,
            bool replaceInvalidNewest = false, bool newestAsWritten = false)
        {
            var folder = _store.FolderOf(name);
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
                    var seen = _store.State.GetSeen(name.Folder);
                    var versions = VersionReader.ListVersions(folder);
                    int newest = versions.Count == 0 ? 0 : versions[versions.Count - 1].Version;
                    if (seen.Version > newest)
                    {
                        throw _reader.Rollback(name, folder, newest, seen.Version);
                    }

                    current = null;
                    replaced = null;
                    if (newest > 0)
                    {
                        try
                        {
                            var newestFile = versions[versions.Count - 1].File;
                            current = _reader.ReadVerified(newestFile, name, newest, newest: !newestAsWritten);
                            _reader.CheckAgainstSeen(name, versions, current, newestFile, seen);
                        }
                        catch (SecretsException e) when (replaceInvalidNewest && (e is InvalidFileException || e.ErrorId == "UnauthorizedWriter"))
                        {
                            // A damaged or unauthorized newest file is replaced by the new version (the way to
                            // repair it); what carries over (metadata) comes from the newest valid one below it.
                            current = _reader.NewestValid(versions, name);
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
                        beforeRename: () => _store.FaultInjector?.Invoke(WriteStep.TempFileWritten));
                    break;
                }
                catch (FileExistsException taken)
                {
                    // Another writer published this number first: where the file system does not
                    // share locks, two writers can hold the store lock at once. Nothing was lost;
                    // write again under the next number, from the store as it is now (the access
                    // check and what carries over included).
                    _store.Refresh();
                    if (VersionReader.ListVersions(folder).Select(v => v.Version).DefaultIfEmpty(0).Max() < VersionReader.VersionOf(taken.FilePath))
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

            _store.FaultInjector?.Invoke(WriteStep.Renamed);

            var header = SecretFileFormat.Parse(content);
            _store.State.RecordSeen(name.Folder, next, header.Hash);
            _store.FaultInjector?.Invoke(WriteStep.SeenRecorded);

            // After a tombstone, the tombstone and the versions before it go: a removal interrupted
            // before its pruning left them, and the new version now carries the numbering on.
            Prune(folder, next, header.IsTombstone, current != null && current.IsTombstone ? current.Version + 1 : 0);
            _store.FaultInjector?.Invoke(WriteStep.Pruned);

            var kept = VersionReader.ListVersions(folder).Select(v => v.Version).ToList();
            var record = _reader.ToRecord(header, target, kept);
            record.ReplacedInvalidFile = replaced?.File;
            record.ReplacedInvalidReason = replaced?.Reason;
            return record;
        }

        private void Prune(string folder, int newest, bool removeAll, int keepFrom)
        {
            int oldestKept = removeAll ? newest : Math.Max(newest - _store.Manifest.KeepVersions + 1, keepFrom);
            foreach (var (version, file) in VersionReader.ListVersions(folder))
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

        /// <summary>The newest valid version's record (after a revocation the newest file may be one the revoked member wrote).</summary>
        public SecretRecord GetInfoTolerant(SecretName name)
        {
            try
            {
                var (header, file, versions) = _reader.ReadHeader(name, null);
                return _reader.ToRecord(header, file, versions);
            }
            catch (SecretsException e) when (e is InvalidFileException || e.ErrorId == "UnauthorizedWriter")
            {
                var all = VersionReader.ListVersions(_store.FolderOf(name));
                var valid = _reader.NewestValid(all, name) ?? throw e;
                return _reader.ToRecord(valid, _store.FileOf(name, valid.Version), all.Select(v => v.Version).ToList());
            }
        }

        /// <summary>Reseals, or returns why it could not (the newest version is unreadable to the actor or invalid).</summary>
        public string? TryReseal(SecretName name, UnlockedIdentity actor, out bool resealed)
        {
            resealed = false;
            try
            {
                resealed = Reseal(name, actor);
                return null;
            }
            catch (SecretsException e) when (e is NotARecipientException || e is InvalidFileException || e.ErrorId == "UnauthorizedWriter")
            {
                return e.Message;
            }
        }

        /// <summary>
        /// Writes a new version of a secret with the same value and metadata, encrypted with a fresh
        /// data key to the readers the newest state names, signed by the actor. It follows a change
        /// of access just recorded, so the newest version is taken as valid if it was when it was
        /// written (its writer may be the member whose access just ended). A removed secret gets a
        /// new tombstone. Returns false when the secret has no versions. The lock is held.
        /// </summary>
        public bool Reseal(SecretName name, UnlockedIdentity actor)
        {
            var folder = _store.FolderOf(name);
            if (VersionReader.ListVersions(folder).Count == 0)
            {
                return false;
            }

            WriteVersionLocked(name, actor, (version, current, previous) =>
            {
                if (current!.IsTombstone)
                {
                    return SecretFileFormat.WriteTombstone(_store.Manifest.Id, SecretName.Parse(current.Name), version, DateTime.UtcNow, actor, _store.Log.Head, previous);
                }

                using var value = _reader.DecryptFor(current, actor, _store.FileOf(name, current.Version));
                return SecretFileFormat.WriteSecret(_store.Manifest.Id, SecretName.Parse(current.Name), version, value, current.Metadata, DateTime.UtcNow, actor,
                    _store.Policy.RecipientsOf(name), _store.Log.Head, previous);
            }, newestAsWritten: true);
            return true;
        }

        public List<string> ResealAll(UnlockedIdentity actor, Action<string>? progress)
        {
            var rotated = new List<string>();
            foreach (var canonical in _store.AllSecrets())
            {
                if (Reseal(SecretName.Parse(canonical), actor))
                {
                    rotated.Add(canonical);
                    progress?.Invoke(canonical);
                }
            }

            return rotated;
        }

    }
}
