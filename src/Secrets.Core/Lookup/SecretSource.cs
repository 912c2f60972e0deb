using System;
using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Jobs;
using Secrets.Core.Store;
using Secrets.Core.Values;

namespace Secrets.Core.Lookup
{
    /// <summary>A place a secret can be found: a Secrets store, or another module's SecretManagement vault.</summary>
    public abstract class LookupPlace
    {
        protected LookupPlace(string name, string display)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            Display = display ?? throw new ArgumentNullException(nameof(display));
        }

        /// <summary>The store's registered name (or its folder, for a store given by path), or the vault's name.</summary>
        public string Name { get; }

        /// <summary>How messages name it: "store 'team'", "the store at '/srv/x'", "vault 'SecretStore'".</summary>
        public string Display { get; }

        public override string ToString() => Display;
    }

    /// <summary>A Secrets store, opened and read by this module.</summary>
    public sealed class StorePlace : LookupPlace
    {
        private readonly Func<SecretStore?> _open;
        private readonly Func<UnlockedIdentity> _reader;
        private bool _opened;
        private SecretStore? _store;

        /// <param name="name">the store's registered name, or its folder.</param>
        /// <param name="display">how messages name it.</param>
        /// <param name="path">the store folder.</param>
        /// <param name="open">opens the store; null when it does not exist yet (the personal store before its first write).</param>
        /// <param name="reader">the identity that reads it (acquired when a value is first read).</param>
        /// <param name="vaultName">the vault of this module it is reached through, if any.</param>
        public StorePlace(string name, string display, string path, Func<SecretStore?> open, Func<UnlockedIdentity> reader, string? vaultName = null)
            : base(name, display)
        {
            Path = path ?? throw new ArgumentNullException(nameof(path));
            _open = open ?? throw new ArgumentNullException(nameof(open));
            _reader = reader ?? throw new ArgumentNullException(nameof(reader));
            VaultName = vaultName;
        }

        /// <summary>A place for a store already open, read with <paramref name="reader"/>.</summary>
        public static StorePlace For(SecretStore store, UnlockedIdentity reader) =>
            new StorePlace(store.Path, $"the store at '{store.Path}'", store.Path, () => store, () => reader);

        public string Path { get; }

        public string? VaultName { get; }

        /// <summary>The store, opened on first use; null when it does not exist (yet).</summary>
        public SecretStore? Store
        {
            get
            {
                if (!_opened)
                {
                    _store = _open();
                    _opened = true;
                }

                return _store;
            }
        }

        /// <summary>The identity that reads this store.</summary>
        public UnlockedIdentity Reader => _reader();
    }

    /// <summary>Another module's vault, read through SecretManagement.</summary>
    public abstract class VaultPlace : LookupPlace
    {
        protected VaultPlace(string name, string moduleName)
            : base(name, $"vault '{name}'")
        {
            ModuleName = moduleName ?? string.Empty;
        }

        public string ModuleName { get; }

        /// <summary>The secret named <paramref name="name"/>, or null when the vault has none of that name. Other failures throw a <see cref="SecretsException"/>.</summary>
        public abstract ForeignSecret? Read(string name);
    }

    /// <summary>What another module's vault returned: the object as SecretManagement gave it, and the same as a value.</summary>
    public sealed class ForeignSecret
    {
        private readonly Func<SecretValue> _toValue;

        public ForeignSecret(object raw, Func<SecretValue> toValue)
        {
            Raw = raw ?? throw new ArgumentNullException(nameof(raw));
            _toValue = toValue ?? throw new ArgumentNullException(nameof(toValue));
        }

        /// <summary>The object SecretManagement returned (a SecureString, a PSCredential, a Hashtable…), passed on unchanged when no key is taken.</summary>
        public object Raw { get; }

        /// <summary>The value, as a new object the caller disposes; throws <see cref="InvalidInputException"/> when it is not one a store could hold.</summary>
        public SecretValue ToValue() => _toValue();
    }

    /// <summary>Where a secret was found, and what was found.</summary>
    public sealed class LookupHit
    {
        internal LookupHit(LookupPlace place, SecretLocator locator, SecretValue? value, SecretRecord? record, ForeignSecret? foreign)
        {
            Place = place;
            Locator = locator;
            Value = value;
            Record = record;
            Foreign = foreign;
        }

        public LookupPlace Place { get; }

        public SecretLocator Locator { get; }

        /// <summary>The whole value, from a Secrets store (owned by the <see cref="SecretSource"/>, which disposes it).</summary>
        public SecretValue? Value { get; }

        /// <summary>What the store says of the version read.</summary>
        public SecretRecord? Record { get; }

        /// <summary>What another module's vault returned.</summary>
        public ForeignSecret? Foreign { get; }

        /// <summary>The key to take: <c>name.key</c> or '#key' in a store, '#key' in a vault; null for the whole secret.</summary>
        public string? Key => Place is StorePlace ? Locator.Reference?.Key : Locator.VaultKey;

        /// <summary>The secret's name where it was found.</summary>
        public string SecretName => Record?.Name ?? (Place is StorePlace ? Locator.Reference!.Name.Value : Locator.VaultSecretName);

        /// <summary>The metadata of the version read (none from another module's vault).</summary>
        public SecretMetadata Metadata => Record?.Metadata ?? SecretMetadata.Empty;

        /// <summary>
        /// What the locator names, as a new value the caller disposes: the value of its key (a
        /// <see cref="SecretKeyNotFoundException"/> when there is none), or a copy of the whole.
        /// </summary>
        public SecretValue Select()
        {
            if (Value != null)
            {
                return Locator.Reference!.Select(Value, SecretName);
            }

            using var whole = Foreign!.ToValue();
            return SecretReference.SelectKey(whole, Key, SecretName);
        }
    }

    /// <summary>
    /// Where the secrets of a command come from: the places of the lookup order (or the one store
    /// given with -Store), and the places secret URIs name. <see cref="Find"/> stops at the first
    /// place that has the secret (docs/VAULT.md, "The lookup order"); what it read is kept until
    /// the source is disposed, so a job that names one secret several times reads it once.
    /// </summary>
    public sealed class SecretSource : IDisposable
    {
        private readonly Func<string, LookupPlace>? _resolve;
        private readonly Dictionary<string, LookupPlace> _named = new Dictionary<string, LookupPlace>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<(LookupPlace, string), object?> _read = new Dictionary<(LookupPlace, string), object?>();
        private readonly List<SecretValue> _owned = new List<SecretValue>();

        /// <param name="order">the places searched for plain names, first to last.</param>
        /// <param name="resolve">the place a URI names (a store or vault name); throws a <see cref="SecretsException"/> for an unknown name. Null: URIs name nothing.</param>
        public SecretSource(IReadOnlyList<LookupPlace> order, Func<string, LookupPlace>? resolve)
        {
            Order = order ?? throw new ArgumentNullException(nameof(order));
            _resolve = resolve;
        }

        /// <summary>A source of one store, read with <paramref name="reader"/>; URIs name nothing.</summary>
        public static SecretSource ForStore(SecretStore store, UnlockedIdentity reader) =>
            new SecretSource(new LookupPlace[] { StorePlace.For(store, reader) }, null);

        /// <summary>The places searched for plain names, in order.</summary>
        public IReadOnlyList<LookupPlace> Order { get; }

        /// <summary>Called for a place skipped because it could not be opened (a registered store whose folder is gone).</summary>
        public Action<LookupPlace, SecretsException>? Skipped { get; set; }

        /// <summary>The place a URI's store or vault name names.</summary>
        public LookupPlace Resolve(string source)
        {
            if (!_named.TryGetValue(source, out var place))
            {
                if (_resolve == null)
                {
                    throw new SecretsException("StoreNameNotFound", FailureKind.NotFound, $"No store or vault is named '{source}' here.");
                }

                place = _resolve(source);
                _named[source] = place;
            }

            return place;
        }

        /// <summary>
        /// The secret the locator names: in the place its URI names, or the first place of the
        /// order that has it. A Secrets store that has the name answers, except when the secret is
        /// not encrypted to the reader (the search goes on; if nothing else has it, that is the
        /// error). Another module's vault is asked only when the store places do not have it, and
        /// never for a given <paramref name="version"/> (vaults keep none). Throws
        /// <see cref="SecretNotFoundException"/> naming every place searched.
        /// </summary>
        public LookupHit Find(SecretLocator locator, int? version = null)
        {
            if (locator == null)
            {
                throw new ArgumentNullException(nameof(locator));
            }

            if (locator.Source != null)
            {
                var place = Resolve(locator.Source);
                return FindIn(place, locator, version) ?? throw NotFound(locator, new[] { place });
            }

            NotARecipientException? unreadable = null;
            var searched = new List<LookupPlace>();
            bool anyVault = false;
            foreach (var place in Order)
            {
                if (place is VaultPlace)
                {
                    if (version != null)
                    {
                        continue;
                    }

                    anyVault = true;
                }
                else if (locator.Reference == null)
                {
                    continue;
                }

                searched.Add(place);
                try
                {
                    var hit = FindIn(place, locator, version);
                    if (hit != null)
                    {
                        return hit;
                    }
                }
                catch (NotARecipientException e)
                {
                    unreadable ??= e;
                }
            }

            if (unreadable != null)
            {
                throw unreadable;
            }

            if (locator.Reference == null && !anyVault)
            {
                // Only stores were searched, and the text cannot be the name of a secret of a store.
                throw locator.ReferenceError("Name");
            }

            throw NotFound(locator, searched);
        }

        /// <summary>
        /// The secret in one place, or null when the place does not have it (or, for a store, does
        /// not exist yet, or could not be opened: <see cref="Skipped"/> is told).
        /// </summary>
        public LookupHit? FindIn(LookupPlace place, SecretLocator locator, int? version = null)
        {
            if (place == null || locator == null)
            {
                throw new ArgumentNullException(place == null ? nameof(place) : nameof(locator));
            }

            if (place is VaultPlace vault)
            {
                if (version != null)
                {
                    throw new InvalidInputException("ParameterNotSupportedByVault", "Version",
                        $"-Version works with Secrets stores only; vault '{vault.Name}' belongs to the module '{vault.ModuleName}', which keeps no versions.");
                }

                var key = (place, "vault:" + locator.VaultSecretName);
                if (!_read.TryGetValue(key, out var cached))
                {
                    cached = vault.Read(locator.VaultSecretName);
                    _read[key] = cached;
                }

                return cached is ForeignSecret foreign ? new LookupHit(place, locator, null, null, foreign) : null;
            }

            var storePlace = (StorePlace)place;
            var reference = locator.RequireReference("Name");
            var storeKey = (place, "store:" + reference.Name.Canonical + "@" + (version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "newest"));
            if (_read.TryGetValue(storeKey, out var known))
            {
                return known is Tuple<SecretValue, SecretRecord> pair ? new LookupHit(place, locator, pair.Item1, pair.Item2, null) : null;
            }

            SecretStore? store;
            try
            {
                store = storePlace.Store;
            }
            catch (SecretsException e) when (e.Kind == FailureKind.NotFound || e is InvalidFileException)
            {
                Skipped?.Invoke(place, e);
                _read[storeKey] = null;
                return null;
            }

            if (store == null)
            {
                _read[storeKey] = null;
                return null;
            }

            try
            {
                var value = store.Read(reference.Name.Value, storePlace.Reader, version, out var record);
                _owned.Add(value);
                _read[storeKey] = Tuple.Create(value, record);
                return new LookupHit(place, locator, value, record, null);
            }
            catch (SecretNotFoundException e) when (e.ErrorId == "SecretNotFound")
            {
                _read[storeKey] = null;
                return null;
            }
        }

        /// <summary>
        /// The secrets of the store places of the order whose canonical names
        /// <paramref name="canonicalNameFilter"/> accepts: the first copy of each name, a store
        /// after another. Secrets whose file cannot be read come with their error.
        /// </summary>
        public IEnumerable<(StorePlace Place, ListedSecret Listed)> List(Func<string, bool>? canonicalNameFilter)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var place in Order.OfType<StorePlace>())
            {
                SecretStore? store;
                try
                {
                    store = place.Store;
                }
                catch (SecretsException e) when (e.Kind == FailureKind.NotFound || e is InvalidFileException)
                {
                    Skipped?.Invoke(place, e);
                    continue;
                }

                if (store == null)
                {
                    continue;
                }

                foreach (var listed in store.List(canonicalNameFilter))
                {
                    if (seen.Add(listed.CanonicalName))
                    {
                        yield return (place, listed);
                    }
                }
            }
        }

        /// <summary>Erases every value read.</summary>
        public void Dispose()
        {
            foreach (var value in _owned)
            {
                value.Dispose();
            }

            _owned.Clear();
            _read.Clear();
        }

        private static SecretNotFoundException NotFound(SecretLocator locator, IReadOnlyList<LookupPlace> searched)
        {
            var name = locator.Uri != null ? locator.Uri.Name : locator.Reference?.Name.Value ?? locator.Text;
            if (searched.Count == 1 && searched[0] is StorePlace only && locator.Source == null)
            {
                return new SecretNotFoundException(name, only.Path);
            }

            return new SecretNotFoundException(name, searched.Select(p => p.Display).ToList());
        }
    }
}
