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

        public IEnumerable<ListedSecret> List(Func<string, bool>? canonicalNameFilter)
        {
            var root = _store.SecretsRoot;
            if (!Directory.Exists(root))
            {
                yield break;
            }

            var folders = new List<(string Canonical, string Folder)>();
            foreach (var directory in Directory.EnumerateDirectories(root))
            {
                var canonical = SecretName.CanonicalFromFolder(Path.GetFileName(directory));
                if (canonical != null && (canonicalNameFilter == null || canonicalNameFilter(canonical)))
                {
                    folders.Add((canonical, directory));
                }
            }

            var cache = StoreCache.For(_store.Path, _store.StateRoot).Changes();
            foreach (var (canonical, folder) in folders.OrderBy(f => f.Canonical, StringComparer.Ordinal))
            {
                var listed = ListOne(SecretName.Parse(canonical), folder, cache);
                if (listed != null)
                {
                    yield return listed;
                }
            }
        }

        /// <summary>The listing of one secret, or null when it is removed (its newest version is a tombstone).</summary>
        public ListedSecret? ListOne(SecretName name, string folder, SecretSummaries cache)
        {
            try
            {
                var cached = cache.Current(folder);
                if (cached != null)
                {
                    _store.Policy.CheckVersion(cached.Newest, name, newest: true, cached.File);
                    return cached.Newest.IsTombstone ? null : new ListedSecret(name.Canonical, _reader.ToRecord(cached.Newest, cached.File, cached.Versions), null);
                }

                bool watched = cache.BeginVerify(folder);
                var (header, file, versions, stamp) = _reader.Read(name, null);
                var summary = VersionSummary.Of(header);
                cache.Put(folder, file, stamp, summary, versions, watched);
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
