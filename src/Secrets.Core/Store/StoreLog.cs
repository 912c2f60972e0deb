using System;
using System.Collections.Generic;
using System.IO;
using Secrets.Core.Platform;

namespace Secrets.Core.Store
{
    /// <summary>
    /// The store log of a shared store (docs/FORMAT.md, "Sharing: members and access"): one
    /// hash-chained list of membership and access changes, each entry checked against the state
    /// the entries before it built, from the owner key. This part holds the state the entries
    /// built (members and access lists, after each entry); StoreLog.Loading.cs reads and verifies
    /// the entries, StoreLog.Appending.cs writes new ones.
    /// </summary>
    internal sealed partial class StoreLog
    {
        public const string FolderName = "log";
        public const string Extension = "entry";
        public const int MaxEntryBytes = 1024 * 1024;

        private readonly List<Membership> _membership;
        private readonly Dictionary<string, List<(int Seq, IReadOnlyList<AccessGrant> Grants)>> _access;

        private StoreLog(string folder, List<Membership> membership, Dictionary<string, List<(int, IReadOnlyList<AccessGrant>)>> access, byte[]? headHash,
            IReadOnlyList<byte[]> entries)
        {
            Folder = folder;
            _membership = membership;
            _access = access;
            HeadHash = headHash;
            Entries = entries;
        }

        /// <summary>The bytes of every entry, as verified (what the local cache of the log keeps).</summary>
        public IReadOnlyList<byte[]> Entries { get; }

        /// <summary>The stamp of each entry's file, taken before it was read.</summary>
        private IReadOnlyList<FileStamp?> _stamps = Array.Empty<FileStamp?>();

        public string Folder { get; }

        /// <summary>Number of entries (0: the store is not shared).</summary>
        public int Head => _membership.Count - 1;

        public byte[]? HeadHash { get; }

        public Membership Members => _membership[_membership.Count - 1];

        public Membership MembersAt(int seq) => _membership[seq];

        /// <summary>The names (canonical) of the secrets that have an access list.</summary>
        public IEnumerable<string> SecretsWithAccessLists => _access.Keys;

        /// <summary>A secret's access list now.</summary>
        public IReadOnlyList<AccessGrant> Grants(string canonicalName) => GrantsAt(canonicalName, Head);

        /// <summary>A secret's access list after entry <paramref name="seq"/>.</summary>
        public IReadOnlyList<AccessGrant> GrantsAt(string canonicalName, int seq)
        {
            if (!_access.TryGetValue(canonicalName, out var history))
            {
                return Array.Empty<AccessGrant>();
            }

            IReadOnlyList<AccessGrant> result = Array.Empty<AccessGrant>();
            foreach (var (entrySeq, grants) in history)
            {
                if (entrySeq > seq)
                {
                    break;
                }

                result = grants;
            }

            return result;
        }

        public AccessLevel AccessOf(string signingKey, string canonicalName) => Members.AccessOf(signingKey, Grants(canonicalName));

        /// <summary>The stamp of each entry's file when it was verified.</summary>
        public IReadOnlyList<FileStamp?> Stamps => _stamps;

        /// <summary>The file of entry <paramref name="seq"/>.</summary>
        public string EntryPath(int seq) => Path.Combine(Folder, $"{seq}.{Extension}");
    }
}
