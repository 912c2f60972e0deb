using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Secrets.Core.Platform;

namespace Secrets.Core.Store
{
    /// <summary>
    /// For each secret of a store, what its newest version file said when it was last verified, with
    /// the stamp of that file: a listing uses it as long as the file is the same (an unchanged, settled
    /// stamp) and no version has been added after it. What it holds was verified in full; whether its
    /// writer may write is decided again against the store log at each use.
    /// </summary>
    internal sealed class SecretSummaries
    {
        private readonly ConcurrentDictionary<string, Entry> _entries = new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal);

        public SecretSummaries(string storePath, string stateRoot, FolderWatch? watch)
        {
            StorePath = storePath;
            StateRoot = stateRoot;
            Watch = watch;
        }

        /// <summary>Change notifications for the secrets' folders, where the file system gives them.</summary>
        public FolderWatch? Watch { get; }

        public string StorePath { get; }

        public string StateRoot { get; }

        public int Count => _entries.Count;

        /// <summary>
        /// The summary of a secret's folder if its newest file is still the one summarized. In a
        /// listing (<paramref name="listing"/> from <see cref="CheckAll"/>), an entry checked by that
        /// call is not checked again.
        /// </summary>
        public Entry? Current(string folderPath, int listing = 0)
        {
            if (!_entries.TryGetValue(folderPath, out var entry))
            {
                return null;
            }

            if (entry.Watched && Watch != null && Watch.IsWatched(folderPath))
            {
                // Watched since before it was verified, and no change since (the caller drained the events).
                return entry;
            }

            if (listing != 0 && entry.CheckedInListing == listing)
            {
                return entry;
            }

            return Check(folderPath, entry) ? entry : null;
        }

        /// <summary>
        /// At the start of a listing: checks by their stamps, several at a time, the entries of these
        /// folders that are not watched (kept from another process, on a file system without change
        /// notifications): one listing of a store taken up from a snapshot costs two stamps a secret,
        /// which the cores share. Returns the listing's number for <see cref="Current"/>.
        /// </summary>
        public int CheckAll(IEnumerable<string> folderPaths)
        {
            int listing = System.Threading.Interlocked.Increment(ref _listings);
            var pending = new List<(string Folder, Entry Entry)>();
            foreach (var folder in folderPaths)
            {
                if (_entries.TryGetValue(folder, out var entry) && !(entry.Watched && Watch != null && Watch.IsWatched(folder)))
                {
                    pending.Add((folder, entry));
                }
            }

            if (pending.Count < ParallelFrom)
            {
                return listing;
            }

            Parallel.ForEach(pending, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, item =>
            {
                if (Check(item.Folder, item.Entry))
                {
                    item.Entry.CheckedInListing = listing;
                }
            });
            return listing;
        }

        /// <summary>Below this many entries to check, a listing checks each as it comes to it.</summary>
        internal static int ParallelFrom { get; set; } = 256;

        private int _listings;

        /// <summary>
        /// Kept from another process, or not watched: checks that the newest file is still the one
        /// verified and that nothing was added to, removed from or renamed in the folder since (the
        /// folder's settled stamp: no file lookup that can miss). A folder is watched from the second
        /// time this process checks it (watched first, then checked): a process that lists once does
        /// not pay for watches it would never use. Forgets the entry when it no longer holds.
        /// </summary>
        private bool Check(string folderPath, Entry entry)
        {
            bool watched = entry.StampChecked && BeginVerify(folderPath);
            var folderStamp = FileStamp.Of(folderPath);
            var stamp = folderStamp == null ? null : FileStamp.Of(entry.File);
            if (folderStamp == null || folderStamp != entry.FolderStamp || !StoreCache.IsSettled(folderStamp.Value)
                || stamp == null || stamp != entry.Stamp || !StoreCache.IsSettled(stamp.Value))
            {
                Forget(folderPath);
                return false;
            }

            entry.StampChecked = true;
            entry.Watched = watched;
            return true;
        }

        /// <summary>
        /// Called before a secret's folder is read to be verified: watches it, so that any change
        /// made from now on is seen. Returns whether it is watched.
        /// </summary>
        public bool BeginVerify(string folderPath) => Watch != null && Watch.Watch(folderPath);

        /// <summary>Keeps what was just verified of a secret's newest version.</summary>
        public void Put(string folderPath, string file, FileStamp? stamp, FileStamp? folderStamp, VersionSummary newest, IReadOnlyList<int> versions, bool watched)
        {
            if (!watched && (stamp == null || !StoreCache.IsSettled(stamp.Value) || folderStamp == null || !StoreCache.IsSettled(folderStamp.Value)))
            {
                // Changed too recently (or no stamp that stands for the content), and not watched: verified again next time.
                Forget(folderPath);
                return;
            }

            _entries[folderPath] = new Entry(file, stamp ?? default, folderStamp ?? default, newest, versions) { Watched = watched };
            Changed = true;
        }

        public void Forget(string folderPath)
        {
            if (_entries.TryRemove(folderPath, out _))
            {
                Changed = true;
            }
        }

        public void Forget()
        {
            _entries.Clear();
            Changed = true;
        }

        /// <summary>Whether entries were added or dropped since the cache was last saved.</summary>
        public bool Changed { get; set; }

        public IEnumerable<KeyValuePair<string, Entry>> All => _entries;

        public void Add(string folderPath, Entry entry) => _entries[folderPath] = entry;

        /// <summary>A listing's record of a secret (null for a removed one), valid for one state of the store log.</summary>
        public sealed class CheckedRecord
        {
            public CheckedRecord(StoreLog log, SecretRecord? record)
            {
                Log = log;
                Record = record;
            }

            public StoreLog Log { get; }

            public SecretRecord? Record { get; }
        }

        public sealed class Entry
        {
            public Entry(string file, FileStamp stamp, FileStamp folderStamp, VersionSummary newest, IReadOnlyList<int> versions)
            {
                File = file;
                Stamp = stamp;
                FolderStamp = folderStamp;
                Newest = newest;
                Versions = versions;
            }

            /// <summary>The newest version file.</summary>
            public string File { get; }

            public FileStamp Stamp { get; }

            /// <summary>The stamp of the secret's folder, taken before its files were read.</summary>
            public FileStamp FolderStamp { get; }

            public VersionSummary Newest { get; }

            /// <summary>Every version file in the folder, ascending.</summary>
            public IReadOnlyList<int> Versions { get; }

            /// <summary>Whether the folder was watched from before the file was verified.</summary>
            public bool Watched { get; set; }

            /// <summary>
            /// The record a listing shows, with the store log (as verified) against which its writer's
            /// access was found sufficient: used again as long as the log is the same.
            /// </summary>
            public CheckedRecord? Checked { get; set; }

            /// <summary>The listing (<see cref="CheckAll"/>) whose check of the stamps found the entry current.</summary>
            public int CheckedInListing { get; set; }

            /// <summary>Whether this process has checked the entry against the file at least once.</summary>
            public bool StampChecked { get; set; }
        }
    }
}
