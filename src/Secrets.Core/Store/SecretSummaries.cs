using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
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

        public SecretSummaries(string storePath, string stateRoot)
        {
            StorePath = storePath;
            StateRoot = stateRoot;
        }

        public string StorePath { get; }

        public string StateRoot { get; }

        public int Count => _entries.Count;

        /// <summary>The summary of a secret's folder if its newest file is still the one summarized.</summary>
        public Entry? Current(string folderPath)
        {
            if (!_entries.TryGetValue(folderPath, out var entry))
            {
                return null;
            }

            var stamp = FileStamp.Of(entry.File);
            if (stamp == null || stamp != entry.Stamp || !StoreCache.IsSettled(stamp.Value) || File.Exists(Path.Combine(folderPath, $"v{entry.Newest.Version + 1}.secret")))
            {
                _entries.TryRemove(folderPath, out _);
                return null;
            }

            return entry;
        }

        /// <summary>Keeps what was just verified of a secret's newest version.</summary>
        public void Put(string folderPath, string file, FileStamp? stamp, VersionSummary newest, IReadOnlyList<int> versions)
        {
            if (stamp == null || !StoreCache.IsSettled(stamp.Value))
            {
                // Changed too recently (or no stamp that stands for the content): verified again next time.
                _entries.TryRemove(folderPath, out _);
                return;
            }

            _entries[folderPath] = new Entry(file, stamp.Value, newest, versions);
        }

        public void Forget(string folderPath) => _entries.TryRemove(folderPath, out _);

        public void Forget() => _entries.Clear();

        public IEnumerable<KeyValuePair<string, Entry>> All => _entries;

        public void Add(string folderPath, Entry entry) => _entries[folderPath] = entry;

        public sealed class Entry
        {
            public Entry(string file, FileStamp stamp, VersionSummary newest, IReadOnlyList<int> versions)
            {
                File = file;
                Stamp = stamp;
                Newest = newest;
                Versions = versions;
            }

            /// <summary>The newest version file.</summary>
            public string File { get; }

            public FileStamp Stamp { get; }

            public VersionSummary Newest { get; }

            /// <summary>Every version file in the folder, ascending.</summary>
            public IReadOnlyList<int> Versions { get; }
        }
    }
}
