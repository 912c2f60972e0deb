using System;
using System.Collections.Generic;
using Secrets.Core.Codecs;
using Secrets.Core.Identity;
using Secrets.Core.Names;

namespace Secrets.Core.Store
{
    /// <summary>
    /// Listings of the store's secrets: every secret, those under a prefix, one, and what a person
    /// sees with their access to each.
    /// </summary>
    public sealed partial class SecretStore
    {
        /// <summary>
        /// Lists the secrets whose canonical name passes the filter, sorted by name. A secret that
        /// cannot be read is returned with its error instead of stopping the listing.
        /// </summary>
        public IEnumerable<ListedSecret> List(Func<string, bool>? canonicalNameFilter = null) => new StoreListing(_context, _reader).List(canonicalNameFilter);

        /// <summary>
        /// As <see cref="List(Func{string, bool})"/>, for the names that start with
        /// <paramref name="canonicalPrefix"/> (lowercase): only their folders are looked at.
        /// </summary>
        public IEnumerable<ListedSecret> List(string canonicalPrefix, Func<string, bool>? canonicalNameFilter = null) =>
            new StoreListing(_context, _reader).List(canonicalNameFilter, canonicalPrefix ?? string.Empty);

        /// <summary>One secret as a listing shows it (its error rather than an exception), or null when there is none.</summary>
        public ListedSecret? ListOne(string name) => new StoreListing(_context, _reader).One(SecretName.Parse(name));

        /// <summary>
        /// The listing a person sees: each secret with their access to it. In a shared store, only what
        /// they can read (their own, and what others shared with them); with no viewer, everything.
        /// </summary>
        public IEnumerable<ListedSecret> ListFor(Recipient? viewer, Func<string, bool>? canonicalNameFilter = null) => ListFor(viewer, string.Empty, canonicalNameFilter);

        /// <summary>
        /// As <see cref="ListFor(Recipient, Func{string, bool})"/>, for the names that start with
        /// <paramref name="canonicalPrefix"/>; with <paramref name="exact"/>, for that one name only.
        /// Only the folders of those names are looked at.
        /// </summary>
        public IEnumerable<ListedSecret> ListFor(Recipient? viewer, string canonicalPrefix, Func<string, bool>? canonicalNameFilter, bool exact = false)
        {
            var key = viewer == null ? null : Base64.Encode(viewer.SigningKey);
            IEnumerable<ListedSecret> listing;
            if (exact)
            {
                var one = SecretName.TryParse(canonicalPrefix, out var name) ? new StoreListing(_context, _reader).One(name!) : null;
                listing = one == null ? Array.Empty<ListedSecret>() : new[] { one };
            }
            else
            {
                listing = List(canonicalPrefix, canonicalNameFilter);
            }

            foreach (var listed in listing)
            {
                if (key != null)
                {
                    listed.Access = _context.Log.AccessOf(key, listed.CanonicalName);
                    if (IsShared && listed.Access < AccessLevel.Read)
                    {
                        continue;
                    }
                }

                yield return listed;
            }
        }
    }
}
