using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Platform;

namespace Secrets.Core.Store
{
    /// <summary>
    /// Reading the store log: every entry file read within its size limit and replayed in order
    /// against the state before it (LogReplay), in full or from the entries this user verified
    /// before, and whether the log on disk is still the one verified.
    /// </summary>
    internal sealed partial class StoreLog
    {
        private static readonly Regex EntryFile = new Regex(@"^([1-9][0-9]{0,9})\.entry$", RegexOptions.CultureInvariant);

        /// <summary>Reads and verifies the whole log of a store.</summary>
        public static StoreLog Load(string storePath, StoreManifest manifest)
        {
            var folder = Path.Combine(storePath, FolderName);
            var owner = new StoreMember(manifest.FirstOwner, manifest.FirstOwnerName, MemberRole.Owner, manifest.FirstOwnerName, manifest.Created);
            var empty = new StoreLog(folder, new List<Membership> { new Membership(owner, new Dictionary<string, StoreMember>(StringComparer.Ordinal)) },
                new Dictionary<string, List<(int, IReadOnlyList<AccessGrant>)>>(StringComparer.Ordinal), null, Array.Empty<byte[]>());

            // Entries are numbered from 1 without gaps: a file beyond a missing number is an error.
            var files = ListEntries(folder);
            return empty.Extend(manifest, files.Count, verifySignatures: true);
        }

        /// <summary>
        /// Rebuilds a log from entries this user verified before (the local cache), checking
        /// everything but their signatures, then verifies what was appended since in full.
        /// </summary>
        public static StoreLog FromVerified(string storePath, StoreManifest manifest, IReadOnlyList<byte[]> verified, IReadOnlyList<FileStamp?> stamps)
        {
            var log = Load(storePath, manifest, verified);
            log._stamps = stamps;
            return log.ExtendWithNew(manifest);
        }

        private static StoreLog Load(string storePath, StoreManifest manifest, IReadOnlyList<byte[]> verified)
        {
            var folder = Path.Combine(storePath, FolderName);
            var owner = new StoreMember(manifest.FirstOwner, manifest.FirstOwnerName, MemberRole.Owner, manifest.FirstOwnerName, manifest.Created);
            var membership = new List<Membership> { new Membership(owner, new Dictionary<string, StoreMember>(StringComparer.Ordinal)) };
            var access = new Dictionary<string, List<(int, IReadOnlyList<AccessGrant>)>>(StringComparer.Ordinal);
            byte[]? previousHash = null;
            for (int i = 0; i < verified.Count; i++)
            {
                LogReplay.Apply(verified[i], manifest.Id, i + 1, previousHash, membership, access, verifySignature: false);
                if (LogReplay.ApplyHandOvers(manifest, i + 1, membership) is string problem)
                {
                    throw Invalid(Path.Combine(folder, $"{i + 1}.{Extension}"), problem);
                }

                previousHash = Sha256.Hash(verified[i]);
            }

            return new StoreLog(folder, membership, access, previousHash, verified);
        }

        /// <summary>
        /// Whether the log on disk is still the one this object holds: every entry file is the one
        /// verified (an unchanged, settled stamp), and no entry follows the newest.
        /// </summary>
        public bool IsCurrent()
        {
            if (File.Exists(EntryPath(Head + 1)) || _stamps.Count != Head)
            {
                return false;
            }

            for (int seq = 1; seq <= Head; seq++)
            {
                var recorded = _stamps[seq - 1];
                if (recorded == null || !StoreCache.IsSettled(recorded.Value) || FileStamp.Of(EntryPath(seq)) != recorded)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// This log with the entries appended since, each verified against the state before it. An
        /// entry whose file may have changed is read again and compared with what was verified; the
        /// whole log is verified again when one differs or is gone.
        /// </summary>
        public StoreLog ExtendWithNew(StoreManifest manifest)
        {
            var stamps = new List<FileStamp?>(Head);
            for (int seq = 1; seq <= Head; seq++)
            {
                var file = EntryPath(seq);
                var stamp = FileStamp.Of(file);
                if (stamp == null)
                {
                    // Entries were removed: read it all, and let the caller tell a rollback.
                    return Load(Path.GetDirectoryName(Folder)!, manifest);
                }

                var recorded = seq <= _stamps.Count ? _stamps[seq - 1] : null;
                if ((recorded == null || stamp != recorded || !StoreCache.IsSettled(recorded.Value)) && !Sensitive.FixedTimeEquals(ReadEntry(file), Entries[seq - 1]))
                {
                    // Another entry than the one verified (edited, replaced, a history rewritten): verify it all.
                    return Load(Path.GetDirectoryName(Folder)!, manifest);
                }

                stamps.Add(stamp);
            }

            int count = Head;
            while (File.Exists(EntryPath(count + 1)))
            {
                count++;
            }

            var extended = Extend(manifest, count, verifySignatures: true, stamps);
            return extended;
        }

        /// <summary>This log with the entries appended after its newest, verified; the entries it holds are taken as they are.</summary>
        public StoreLog ExtendAppended(StoreManifest manifest)
        {
            int count = Head;
            while (File.Exists(EntryPath(count + 1)))
            {
                count++;
            }

            return count == Head ? this : Extend(manifest, count, verifySignatures: true);
        }

        private StoreLog Extend(StoreManifest manifest, int count, bool verifySignatures, List<FileStamp?>? stamps = null)
        {
            stamps ??= new List<FileStamp?>(_stamps);
            var membership = new List<Membership>(_membership);
            var access = new Dictionary<string, List<(int, IReadOnlyList<AccessGrant>)>>(_access, StringComparer.Ordinal);
            var entries = new List<byte[]>(Entries);
            var previousHash = HeadHash;
            for (int seq = Head + 1; seq <= count; seq++)
            {
                var file = EntryPath(seq);
                stamps.Add(FileStamp.Of(file));
                var data = ReadEntry(file);
                try
                {
                    LogReplay.Apply(data, manifest.Id, seq, previousHash, membership, access, verifySignatures);
                }
                catch (FormatProblem problem) when (problem.LaterFormat != null)
                {
                    throw problem.ToException("StoreLogInvalid", file);
                }
                catch (FormatProblem problem)
                {
                    throw Invalid(file, problem.Message);
                }

                if (LogReplay.ApplyHandOvers(manifest, seq, membership) is string handOverProblem)
                {
                    throw Invalid(file, handOverProblem);
                }

                previousHash = Sha256.Hash(data);
                entries.Add(data);
            }

            var last = manifest.HandOvers.Count > 0 ? manifest.HandOvers[manifest.HandOvers.Count - 1] : null;
            if (last != null && last.Log > count)
            {
                throw Invalid(EntryPath(last.Log),
                    $"the manifest hands the store over to {last.To.Fingerprint} after entry {last.Log}, but the log has {count} entries (entries were deleted, or the manifest comes from another copy of the store)");
            }

            return new StoreLog(Folder, membership, access, previousHash, entries) { _stamps = stamps };
        }

        private static byte[] ReadEntry(string file) => AtomicFile.ReadAll(file, MaxEntryBytes, problem => Invalid(file, problem));

        private static List<string> ListEntries(string folder)
        {
            var numbered = new SortedDictionary<long, string>();
            if (Directory.Exists(folder))
            {
                foreach (var file in Directory.EnumerateFiles(folder, "*." + Extension))
                {
                    var match = EntryFile.Match(Path.GetFileName(file));
                    if (match.Success && long.TryParse(match.Groups[1].Value, out long n) && n <= int.MaxValue)
                    {
                        numbered[n] = file;
                    }
                }
            }

            var result = new List<string>(numbered.Count);
            long expected = 1;
            foreach (var pair in numbered)
            {
                if (pair.Key != expected)
                {
                    throw Invalid(Path.Combine(folder, $"{expected}.{Extension}"), $"entry {expected} is missing before entry {pair.Key} (the log has a gap)");
                }

                result.Add(pair.Value);
                expected++;
            }

            return result;
        }

        internal static SecurityViolationException Invalid(string file, string problem) =>
            new SecurityViolationException("StoreLogInvalid", file, $"The store log entry '{file}' is not valid: {problem}. Someone may have changed who may do what by hand.")
            {
                RecommendedAction = "Do not use this store until its owner has checked its 'log' folder (for example in the history of the git repository).",
            };
    }
}
