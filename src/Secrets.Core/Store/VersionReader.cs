using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Identity;
using Secrets.Core.Names;
using Secrets.Core.Platform;
using Secrets.Core.Values;

namespace Secrets.Core.Store
{
    /// <summary>
    /// Reads a secret's version files as docs/FORMAT.md ("Reading a secret") says: finds them,
    /// checks every rule a reader must (the file's own, the writer's access, the history, what this
    /// user saw before), and decrypts.
    /// </summary>
    internal sealed partial class VersionReader
    {
        private static readonly Regex VersionFile = new Regex(@"^v([1-9][0-9]{0,9})\.secret$", RegexOptions.CultureInvariant);
        private readonly StoreContext _store;

        public VersionReader(StoreContext store) => _store = store;

        /// <summary>The bytes of a version file, read by the store's rules (a regular file, not a link, not too large).</summary>
        public static byte[] ReadBytes(string file) =>
            AtomicFile.ReadAll(file, SecretFileFormat.MaxFileBytes, problem => new InvalidFileException("SecretFileInvalid", file, problem));

        public SecretFileHeader ReadVerified(string file, SecretName name, int version, bool newest) =>
            Verify(ReadBytes(file), file, name, version, newest);

        /// <summary>Parses a version file and checks every rule a reader must (docs/FORMAT.md, "Secret version files").</summary>
        public SecretFileHeader Verify(byte[] data, string file, SecretName name, int version, bool newest)
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

            if (!Sensitive.FixedTimeEquals(header.StoreId, _store.Manifest.Id))
            {
                throw new InvalidFileException("SecretFileInvalid", file, "it belongs to another store (copied from elsewhere)");
            }

            if (header.Name.ToLowerInvariant() != name.Canonical)
            {
                throw new InvalidFileException("SecretFileInvalid", file, $"it holds secret '{header.Name}', not '{name.Value}' (renamed or copied)");
            }

            if (header.LogSeq > _store.Log.Head)
            {
                // Written under an entry appended since the log was loaded: load it again.
                _store.Refresh();
            }

            if (header.LogSeq > _store.Log.Head)
            {
                throw new SecurityViolationException("RollbackDetected", file,
                    $"The file '{file}' was written after store log entry {header.LogSeq}, but the log has only {_store.Log.Head} entries: entries were deleted or an older copy of the log was put back.")
                {
                    RecommendedAction = "Check the store's 'log' folder with its owner.",
                };
            }

            _store.Policy.CheckVersion(VersionSummary.Of(header), name, newest, file);
            return header;
        }

        /// <summary>
        /// The newest version (or version <paramref name="version"/>) of a secret, verified: a
        /// tombstone is not found, a version below what this user saw is a rollback.
        /// </summary>
        public (SecretFileHeader Header, string File, IReadOnlyList<int> Versions) ReadHeader(SecretName name, int? version)
        {
            var (header, file, versions, _) = Read(name, version);
            if (header.IsTombstone)
            {
                throw new SecretNotFoundException(name.Value, _store.Path);
            }

            return (header, file, versions);
        }

        /// <summary>
        /// As <see cref="ReadHeader"/>, but a tombstone is returned, with the stamp of the file taken
        /// before it was read (what a cache of the verified file may keep).
        /// </summary>
        public (SecretFileHeader Header, string File, IReadOnlyList<int> Versions, FileStamp? Stamp) Read(SecretName name, int? version)
        {
            var folder = _store.FolderOf(name);

            // A concurrent writer may prune the file we picked; list again when it vanishes.
            for (int attempt = 0; ; attempt++)
            {
                // What was seen is read before listing: a version is recorded as seen only once its
                // file is in place, so a listing taken afterwards includes it unless files were
                // removed. Read after the listing, a concurrent write would look like a rollback.
                var seen = version == null ? _store.State.GetSeen(name.Folder) : default;
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

                    throw new SecretNotFoundException(name.Value, _store.Path);
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

                        var stamp = FileStamp.Of(newest.File);
                        var header = ReadVerified(newest.File, name, newest.Version, newest: true);
                        CheckAgainstSeen(name, versions, header, newest.File, seen);
                        _store.State.RecordSeen(name.Folder, newest.Version, header.Hash);
                        return (header, newest.File, numbers.Where(n => n != newest.Version || !header.IsTombstone).ToList(), stamp);
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

                    return (specific, match.File, numbers, null);
                }
                catch (FileNotFoundException) when (attempt < 3)
                {
                    continue;
                }
            }
        }

        public SecretValue DecryptFor(SecretFileHeader header, UnlockedIdentity reader, string file)
        {
            if (reader == null)
            {
                throw new ArgumentNullException(nameof(reader));
            }

            try
            {
                return SecretFileFormat.Decrypt(header, reader) ?? DecryptWithAnother(header, reader, file);
            }
            catch (FormatProblem problem)
            {
                throw problem.ToException("SecretFileInvalid", file);
            }
        }

        /// <summary>
        /// A version not encrypted to <paramref name="reader"/>: decrypted with a retired identity of
        /// the same Secrets home whose keys are at hand, or an error that names the identity that can.
        /// </summary>
        private static SecretValue DecryptWithAnother(SecretFileHeader header, UnlockedIdentity reader, string file)
        {
            var other = OtherIdentities.Find(header.Recipients.Select(r => r.Recipient), reader.Recipient);
            if (other == null)
            {
                throw new NotARecipientException(header.Name, file, reader.Recipient.Fingerprint);
            }

            if (!other.Retired)
            {
                throw new NotARecipientException(header.Name, file, reader.Recipient.Fingerprint, IdentityNames.LabelOf(other.Path), other.Recipient.Fingerprint);
            }

            using var retired = OtherIdentities.TryUnlock(other)
                ?? throw new RetiredIdentityLockedException(header.Name, file, reader.Recipient.Fingerprint, other.Path, other.Recipient.Fingerprint);
            return SecretFileFormat.Decrypt(header, retired)
                ?? throw new NotARecipientException(header.Name, file, reader.Recipient.Fingerprint);
        }

        /// <summary>Every version of the secret in its history, oldest first, tombstones left out.</summary>
        public IReadOnlyList<SecretRecord> GetHistory(SecretName name)
        {
            var (newestHeader, newestFile, kept) = ReadHeader(name, null);
            var versions = ListVersions(_store.FolderOf(name));
            var chain = HistoryFrom(name, versions, newestHeader.Version, newestHeader);
            var result = new List<SecretRecord>();
            int previousLog = 0;
            foreach (var (version, file, _) in chain)
            {
                var header = version == newestHeader.Version ? newestHeader : ReadVerified(file, name, version, newest: false);
                if (header.LogSeq < previousLog)
                {
                    throw OutOfOrder(file, header.LogSeq, previousLog);
                }

                previousLog = header.LogSeq;
                if (!header.IsTombstone)
                {
                    result.Add(ToRecord(header, file, kept));
                }
            }

            return result;
        }

        /// <summary>What a caller sees of a version.</summary>
        public SecretRecord ToRecord(VersionSummary version, string file, IReadOnlyList<int> versions) =>
            new SecretRecord(version.Name, version.Version, version.Type, version.Created, _store.Policy.WriterName(version), version.WriterKey,
                version.Metadata.Clone(), versions, file, _store.Path);

        public SecretRecord ToRecord(SecretFileHeader header, string file, IReadOnlyList<int> versions) => ToRecord(VersionSummary.Of(header), file, versions);

        /// <summary>
        /// Versions never go back in the store log: each is written under the newest entry at the
        /// time. A version that claims an older entry than the one before it was written by someone
        /// claiming access they had lost (and was left in place by a later write).
        /// </summary>
        public void CheckOrderedAfterPrevious(List<(int Version, string File)> versions, SecretName name, int version, SecretFileHeader header, string file)
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

        public static SecurityViolationException OutOfOrder(string file, int logSeq, int previousLogSeq) =>
            new SecurityViolationException("UnauthorizedWriter", file,
                $"The file '{file}' claims to have been written under store log entry {logSeq}, before the version that precedes it (entry {previousLogSeq}): its writer used access they had lost.")
            {
                RecommendedAction = "Do not trust this version.",
            };

        public SecretFileHeader? NewestValid(List<(int Version, string File)> versions, SecretName name)
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

        public SecurityViolationException Rollback(SecretName name, string folder, int newest, int seen) =>
            new SecurityViolationException("RollbackDetected", folder,
                newest == 0
                    ? $"Secret '{name}' has no version files, but you have already seen version {seen}. Files were deleted or an older copy of the store was restored."
                    : $"The newest version of secret '{name}' in the store is {newest}, but you have already seen version {seen}. An older copy may have been put back (rollback).")
            {
                RecommendedAction = $"Read a specific version with -Version, or, if an older copy of the store was restored on purpose, delete '{System.IO.Path.Combine(_store.State.Directory, "seen", name.Folder)}'.",
            };

        /// <summary>The version number a version file's name gives (0 if it is not one).</summary>
        public static int VersionOf(string file)
        {
            var match = VersionFile.Match(System.IO.Path.GetFileName(file));
            return match.Success && long.TryParse(match.Groups[1].Value, out long number) && number <= int.MaxValue ? (int)number : 0;
        }

        public static List<(int Version, string File)> ListVersions(string folder)
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
