using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Names;
using Secrets.Core.Platform;

namespace Secrets.Core.Store
{
    /// <summary>
    /// Lists a store's secrets. A secret whose newest version file is the one this user verified
    /// before (its cached summary) is not read again; its writer's access is decided again against
    /// the store log. Every other secret is read and verified in full, and its summary kept.
    /// </summary>
    internal sealed class StoreListing
    {
        private readonly StoreContext _store;
        private readonly VersionReader _reader;

        public StoreListing(StoreContext store, VersionReader reader)
        {
            _store = store;
            _reader = reader;
        }

        /// <summary>
        /// The secrets whose canonical name starts with <paramref name="prefix"/> (all with an empty
        /// one) and passes the filter, sorted by name: only their folders are looked at.
        /// </summary>
        public IEnumerable<ListedSecret> List(Func<string, bool>? canonicalNameFilter, string prefix = "")
        {
            var cache = StoreCache.For(_store.Path, _store.StateRoot);
            var names = cache.Names();
            var summaries = cache.Changes();
            int start = prefix.Length == 0 ? 0 : FirstAtOrAfter(names, prefix);
            var matching = new List<NamedFolder>();
            for (int i = start; i < names.Length && names[i].Canonical.StartsWith(prefix, StringComparison.Ordinal); i++)
            {
                if (canonicalNameFilter == null || canonicalNameFilter(names[i].Canonical))
                {
                    matching.Add(names[i]);
                }
            }

            int listing = summaries.CheckAll(matching.Select(n => n.Folder));
            foreach (var named in matching)
            {
                var listed = ListOne(named.Name, named.Folder, summaries, listing);
                if (listed != null)
                {
                    yield return listed;
                }
            }

            cache.Save();
        }

        /// <summary>One secret by name, as a listing shows it, or null when it does not exist (or was removed).</summary>
        public ListedSecret? One(SecretName name)
        {
            var folder = _store.FolderOf(name);
            if (!Directory.Exists(folder))
            {
                return null;
            }

            return ListOne(name, folder, StoreCache.For(_store.Path, _store.StateRoot).Changes());
        }

        private static int FirstAtOrAfter(NamedFolder[] sorted, string prefix)
        {
            int low = 0, high = sorted.Length;
            while (low < high)
            {
                int middle = low + ((high - low) / 2);
                if (string.CompareOrdinal(sorted[middle].Canonical, prefix) < 0)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            return low;
        }

        /// <summary>A record that later listings return again: its metadata can no longer change.</summary>
        private static SecretRecord Shared(SecretRecord record)
        {
            record.Metadata.Freeze();
            return record;
        }

        /// <summary>The listing of one secret, or null when it is removed (its newest version is a tombstone).</summary>
        public ListedSecret? ListOne(SecretName name, string folder, SecretSummaries cache, int listing = 0)
        {
            try
            {
                var cached = cache.Current(folder, listing);
                if (cached != null)
                {
                    var checkedRecord = cached.Checked;
                    if (checkedRecord == null || !ReferenceEquals(checkedRecord.Log, _store.Log))
                    {
                        // Whether its writer may write, and who they are, is decided by the store log:
                        // again whenever the log changed.
                        _store.Policy.CheckVersion(cached.Newest, name, newest: true, cached.File);
                        checkedRecord = new SecretSummaries.CheckedRecord(_store.Log, cached.Newest.IsTombstone ? null : Shared(_reader.ToRecord(cached.Newest, cached.File, cached.Versions)));
                        cached.Checked = checkedRecord;
                    }

                    return checkedRecord.Record == null ? null : new ListedSecret(name.Canonical, checkedRecord.Record, null);
                }

                System.Threading.Interlocked.Increment(ref StoreCache.Verifications);
                bool watched = cache.BeginVerify(folder);
                var folderStamp = FileStamp.Of(folder);
                var (header, file, versions, stamp) = _reader.Read(name, null);
                var summary = VersionSummary.Of(header);
                cache.Put(folder, file, stamp, folderStamp, summary, versions, watched);
                return header.IsTombstone ? null : new ListedSecret(name.Canonical, _reader.ToRecord(summary, file, versions), null);
            }
            catch (SecretNotFoundException)
            {
                cache.Forget(folder);
                return null;
            }
            catch (SecretsException e)
            {
                cache.Forget(folder);
                return new ListedSecret(name.Canonical, null, e);
            }
        }
    }
}
