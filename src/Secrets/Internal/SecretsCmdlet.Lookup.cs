using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Lookup;
using Secrets.Core.Platform;
using Secrets.Core.Store;
using Secrets.Core.Vault;

namespace Secrets.Internal
{
    /// <summary>
    /// Named stores and the lookup order (docs/VAULT.md, "The lookup order"): -Store takes a
    /// registered name or a path; without -Store or -Vault, reads search the lookup order and
    /// writes go to its first entry; secret URIs name their store or vault.
    /// </summary>
    public abstract partial class SecretsCmdlet
    {
        private StoreRegistry? _registry;
        private SecretManagementModule? _secretManagement;
        private bool _secretManagementLooked;
        private IReadOnlyList<KnownVault>? _knownVaults;
        private bool _vaultsLooked;
        private IReadOnlyList<LookupEntry>? _lookup;
        private readonly Dictionary<string, SecretStore> _storesByPath = new Dictionary<string, SecretStore>(StringComparer.Ordinal);

        /// <summary>Runs a script in the caller's session (a scope of its own) and returns its output.</summary>
        internal Collection<PSObject> RunScript(string script, object?[] arguments) =>
            InvokeCommand.InvokeScript(script, true, System.Management.Automation.Runspaces.PipelineResultTypes.None, null, arguments);

        /// <summary>The registered stores and the lookup order, read once per pipeline.</summary>
        internal StoreRegistry Registry
        {
            get
            {
                if (_registry == null)
                {
                    try
                    {
                        _registry = StoreRegistry.Load();
                    }
                    catch (SecretsException e)
                    {
                        ThrowFailure(e, StoreRegistry.DefaultFilePath);
                    }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                    {
                        ThrowTerminatingError(ErrorMapping.FromIo(e, "StoreRegistryUnreadable", StoreRegistry.DefaultFilePath));
                    }
                }

                return _registry!;
            }
        }

        /// <summary>Forgets the registry read, after a command changed it.</summary>
        internal void RegistryChanged(StoreRegistry registry)
        {
            _registry = registry;
            _lookup = null;
        }

        /// <summary>SecretManagement, looked for once per pipeline; null when it is not installed.</summary>
        internal SecretManagementModule? SecretManagement
        {
            get
            {
                if (!_secretManagementLooked)
                {
                    _secretManagement = SecretManagementModule.Find(RunScript);
                    _secretManagementLooked = true;
                }

                return _secretManagement;
            }
        }

        /// <summary>SecretManagement's vaults; null when SecretManagement is not installed.</summary>
        internal IReadOnlyList<KnownVault>? KnownVaults
        {
            get
            {
                if (!_vaultsLooked)
                {
                    _knownVaults = SecretManagement?.Vaults(RunScript);
                    _vaultsLooked = true;
                }

                return _knownVaults;
            }
        }

        /// <summary>The lookup order, worked out once per pipeline (what it leaves out is said with -Verbose).</summary>
        internal IReadOnlyList<LookupEntry> LookupOrder
        {
            get
            {
                if (_lookup == null)
                {
                    var notes = new List<string>();
                    _lookup = LookupPlan.Build(Registry, KnownVaults, notes);
                    foreach (var note in notes)
                    {
                        WriteVerbose(note);
                    }
                }

                return _lookup;
            }
        }

        /// <summary>
        /// The folder of a -Store value: a registered store's name (see <see cref="StoreNames"/>), or
        /// a path resolved through the file-system provider; the personal store when empty.
        /// </summary>
        protected string ResolveStorePath(string? store)
        {
            if (string.IsNullOrEmpty(store))
            {
                return SecretsPaths.DefaultStorePath;
            }

            if (StoreNames.IsValid(store))
            {
                var registered = Registry.Find(store);
                if (registered != null)
                {
                    return registered.Path;
                }
            }

            if (store![0] == '/' && System.IO.Path.DirectorySeparatorChar == '/')
            {
                // A file-system path as it is (no drive, no provider, no current location in it): what
                // the provider would make of it, without its look at every mounted drive.
                return System.IO.Path.GetFullPath(store);
            }

            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(store, out var provider, out _);
            if (provider.Name != "FileSystem")
            {
                ThrowTerminatingError(ErrorMapping.InvalidArgument("StoreNotOnFileSystem",
                    $"The store path '{store}' is on the {provider.Name} provider; a store is a folder on the file system.", store));
            }

            return path;
        }

        /// <summary>Whether a -Store value names the personal store (created on first write).</summary>
        internal bool IsPersonalStore(string? store) =>
            string.IsNullOrEmpty(store) || StorePaths.Same(ResolveStorePath(store), SecretsPaths.DefaultStorePath);

        /// <summary>The registered name of the store at <paramref name="path"/>, or null.</summary>
        internal string? StoreNameOf(string path) => Registry.FindByPath(path)?.Name;

        /// <summary>What Get-SecretStore shows of a store, with the name it is registered under.</summary>
        internal SecretStoreInfo DescribeStore(SecretStore store) =>
            new SecretStoreInfo(store, StorePaths.Same(store.Path, SecretsPaths.DefaultStorePath)) { Name = StoreNameOf(store.Path) };

        /// <summary>The store at <paramref name="path"/>, opened once per pipeline; null when it does not exist and <paramref name="mayBeMissing"/>.</summary>
        internal SecretStore? OpenStoreAt(string path, bool mayBeMissing)
        {
            var key = StorePaths.Normalize(path);
            if (_storesByPath.TryGetValue(key, out var open))
            {
                return open;
            }

            if (!SecretStore.Exists(key))
            {
                if (mayBeMissing)
                {
                    return null;
                }

                throw new StoreNotFoundException(key);
            }

            open = SecretStore.Open(key);
            _storesByPath[key] = open;
            return open;
        }

        /// <summary>The place a lookup entry is.</summary>
        internal LookupPlace PlaceFor(LookupEntry entry, bool asPlainText, bool vaultFailuresStop)
        {
            var vault = entry.Vault;
            if (vault != null && !vault.IsThisModule)
            {
                return new ForeignVaultPlace(this, vault, asPlainText, vaultFailuresStop);
            }

            var settings = vault?.Settings;
            var path = entry.StorePath;
            var personal = vault == null ? StoreNames.IsPersonal(entry.Name) : settings?.UsesDefaultStore == true;
            return new StorePlace(entry.Name, entry.Display, path ?? SecretsPaths.DefaultStorePath,
                () =>
                {
                    if (vault?.SettingsError != null)
                    {
                        throw vault.SettingsError;
                    }

                    return OpenStoreAt(path!, mayBeMissing: personal);
                },
                () => IdentityFor(settings), vault?.Name);
        }

        /// <summary>
        /// The place a store or vault name names (a URI's source, or a name in the lookup order):
        /// a registered store first, then a SecretManagement vault. Unknown: StoreNameNotFound.
        /// </summary>
        internal LookupPlace PlaceNamed(string name, bool asPlainText, bool vaultFailuresStop) =>
            PlaceFor(EntryNamed(name), asPlainText, vaultFailuresStop);

        /// <summary>The lookup entry a store or vault name names, whether or not the lookup order has it.</summary>
        internal LookupEntry EntryNamed(string name)
        {
            var inOrder = LookupOrder.FirstOrDefault(e => e.Kind == LookupEntryKind.Store ? StoreNames.Comparer.Equals(e.Name, name)
                : string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase) && Registry.Find(name) == null);
            if (inOrder != null)
            {
                return inOrder;
            }

            var store = StoreNames.IsValid(name) ? Registry.Find(name) : null;
            if (store != null)
            {
                return new LookupEntry(0, store.Name, LookupEntryKind.Store, LookupReason.RegisteredStore, store.Path, null);
            }

            var vault = KnownVaults?.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase));
            if (vault != null)
            {
                return new LookupEntry(0, vault.Name, LookupEntryKind.Vault, LookupReason.OtherVault,
                    vault.IsThisModule ? vault.Settings?.EffectiveStorePath : null, vault);
            }

            var stores = string.Join(", ", Registry.Stores.Select(s => "'" + s.Name + "'"));
            var vaults = KnownVaults == null ? null : string.Join(", ", KnownVaults.Select(v => "'" + v.Name + "'"));
            throw new SecretsException("StoreNameNotFound", FailureKind.NotFound,
                $"No store or vault is named '{name}'. Your stores are {stores}; "
                + (vaults == null ? "SecretManagement is not installed, so there are no vaults."
                    : vaults.Length == 0 ? "SecretManagement has no vaults." : $"SecretManagement's vaults are {vaults}."))
            {
                RecommendedAction = "Register a store with Register-SecretStore -Name <name> -Path <folder> (Get-SecretStore lists them; Get-SecretVault lists the vaults).",
            };
        }

        /// <summary>
        /// Where the secrets of one item come from: the store -Store names (or the vault of this
        /// module -Vault selected), or else the lookup order; URIs name their own place either way.
        /// </summary>
        /// <param name="store">the -Store value, or null.</param>
        /// <param name="asPlainText">whether another module's vault returns strings as plain text.</param>
        /// <param name="vaultFailuresStop">
        /// whether a failure of another module's vault stops the search with an error (jobs),
        /// or is written as it is and the search goes on (Get-Secret, as SecretManagement's does).
        /// </param>
        internal SecretSource SourceFor(string? store, bool asPlainText, bool vaultFailuresStop)
        {
            var resolved = _vault != null ? _vault.StorePath : store;
            IReadOnlyList<LookupPlace> order;
            if (_vault != null || !string.IsNullOrEmpty(store))
            {
                var path = ResolveStorePath(resolved);
                var personal = IsPersonalStore(resolved);
                var settings = _vault;
                var name = StoreNameOf(path) ?? path;
                var display = settings != null ? $"vault '{settings.VaultName}'" : name == path ? $"the store at '{path}'" : $"store '{name}'";

                // A store given by name, path or vault must exist (the personal store is created by the first write).
                OpenStoreAt(path, mayBeMissing: personal);
                order = new LookupPlace[] { new StorePlace(name, display, path, () => OpenStoreAt(path, mayBeMissing: personal), () => IdentityFor(settings), settings?.VaultName) };
            }
            else
            {
                order = LookupOrder.Select(e => PlaceFor(e, asPlainText, vaultFailuresStop)).ToList();
            }

            var source = new SecretSource(order, name => PlaceNamed(name, asPlainText, vaultFailuresStop))
            {
                Skipped = (place, e) => WriteWarning($"{Capital(place.Display)} is skipped: {e.Message}"),
            };
            return source;
        }

        /// <summary>
        /// The identity that reads and writes through a vault of this module (its Identity and
        /// UnlockTimeout), or the default identity: unlocked once per pipeline.
        /// </summary>
        internal UnlockedIdentity IdentityFor(VaultSettings? settings)
        {
            var saved = _vault;
            _vault = settings;
            try
            {
                return Caller;
            }
            finally
            {
                _vault = saved;
            }
        }

        /// <summary>
        /// Where a write goes: the place a URI names, else -Vault, else -Store, else the first entry
        /// of the lookup order. Selects the vault of this module it goes through, if any (its
        /// identity is then used); returns another module's vault to hand the write to, or null
        /// with <paramref name="storePath"/> set to the store to write.
        /// </summary>
        internal KnownVault? SelectWriteTarget(SecretLocator? uri, string? store, string? vault, out string? storePath)
        {
            storePath = null;
            if (uri?.Source != null)
            {
                var entry = EntryNamed(uri.Source);
                if (!string.IsNullOrEmpty(vault) || !string.IsNullOrEmpty(store))
                {
                    var foreignOther = SelectVault(vault, store);
                    var other = foreignOther != null
                        ? new LookupEntry(0, foreignOther.Name, LookupEntryKind.Vault, LookupReason.OtherVault, null, foreignOther)
                        : new LookupEntry(0, _vault?.VaultName ?? store!, _vault != null ? LookupEntryKind.Vault : LookupEntryKind.Store,
                            LookupReason.RegisteredStore, ResolveStorePath(StoreFor(store)), null);
                    _vault = null;
                    if (!SameEntry(entry, other))
                    {
                        ThrowTerminatingError(ErrorMapping.InvalidArgument("UriAndStoreDiffer",
                            $"'{uri.Text}' names {entry.Display}, but {(string.IsNullOrEmpty(vault) ? $"-Store names '{store}'" : $"-Vault names '{vault}'")}. Give the place once: in the URI, or with -Store or -Vault.",
                            uri.Text));
                    }
                }

                return Select(entry, out storePath);
            }

            if (!string.IsNullOrEmpty(vault) || !string.IsNullOrEmpty(store))
            {
                var foreign = SelectVault(vault, store);
                storePath = foreign == null ? ResolveStorePath(StoreFor(store)) : null;
                return foreign;
            }

            var first = LookupOrder.FirstOrDefault()
                ?? throw new SecretsException("NoWriteTarget", FailureKind.InvalidOperation,
                    "Your lookup order has no store or vault, so there is nowhere to write.")
                {
                    RecommendedAction = "Give -Store, or run Set-SecretLookupOrder to name the stores and vaults to use (the first one is written).",
                };
            WriteVerbose($"No -Store or -Vault: writing to {first.Display}, the first entry of the lookup order.");
            return Select(first, out storePath);
        }

        /// <summary>
        /// The URI a command that writes or changes whole secrets was given as a name, or null for
        /// a plain name. A URI with '#key' is refused: such commands act on whole secrets.
        /// </summary>
        internal SecretLocator? WriteUri(string name, string parameterName)
        {
            if (!SecretUri.LooksLikeUri(name))
            {
                return null;
            }

            var locator = SecretLocator.Parse(name, parameterName);
            if (locator.Uri!.Key != null)
            {
                throw new InvalidInputException("InvalidSecretUri", parameterName,
                    $"Invalid secret URI: '{locator.Text}' names the key '{locator.Uri.Key}', and {MyInvocation.MyCommand.Name} acts on whole secrets; leave '#{locator.Uri.Key}' out.");
            }

            return locator;
        }

        /// <summary>
        /// For commands that act on whole secrets of one Secrets store (Rename-Secret, Export-Secret,
        /// the access commands): a secret URI given as the name names the store (a registered
        /// store, or the store of a vault of this module, whose identity is then used). Returns the
        /// secret's name and the -Store value to use. A URI with '#key', one that names another
        /// module's vault, or one that -Store contradicts, is an error; a plain name is returned as
        /// it is, with <paramref name="store"/>.
        /// </summary>
        internal (string Name, string? Store) InStore(string name, string? store, string parameterName)
        {
            var uri = WriteUri(name, parameterName);
            if (uri == null)
            {
                return (name, store);
            }

            var entry = EntryNamed(uri.Source!);
            var vault = entry.Vault;
            if (vault != null && !vault.IsThisModule)
            {
                throw new InvalidInputException("UriNamesAnotherModulesVault", parameterName,
                    $"'{uri.Text}' names the vault '{vault.Name}' of the module '{vault.ModuleName}', and {MyInvocation.MyCommand.Name} works on Secrets stores only; name a registered store in the URI.");
            }

            if (vault?.SettingsError != null)
            {
                throw vault.SettingsError;
            }

            var path = entry.StorePath!;
            if (!string.IsNullOrEmpty(store) && !StorePaths.Same(ResolveStorePath(store), path))
            {
                throw new InvalidInputException("UriAndStoreDiffer", parameterName,
                    $"'{uri.Text}' names {entry.Display}, but -Store names '{store}'. Give the place once: in the URI, or with -Store.");
            }

            uri.RequireReference(parameterName);
            CurrentVault = vault?.Settings;
            return (uri.Uri!.Name, path);
        }

        /// <summary>The store to write at <paramref name="path"/>: the personal store is created on first write (with the identity in use); another missing store is StoreNotFound.</summary>
        internal SecretStore OpenForWrite(string path)
        {
            if (SecretStore.Exists(path))
            {
                return OpenStoreAt(path, mayBeMissing: false)!;
            }

            if (StorePaths.Same(path, SecretsPaths.DefaultStorePath))
            {
                var created = OpenStore(null, createDefault: true)!;
                _storesByPath[StorePaths.Normalize(created.Path)] = created;
                return created;
            }

            throw new StoreNotFoundException(path);
        }

        /// <summary>
        /// After a new secret was created: says so when other Secrets stores of the lookup order have
        /// a secret of the same name, and which copy a command without -Store reads. Other modules'
        /// vaults are not asked (that would cost a call to each).
        /// </summary>
        internal void WarnAboutOtherCopies(string name, string writtenPath, bool chosenByLookup)
        {
            IReadOnlyList<LookupEntry> order;
            try
            {
                order = LookupOrder;
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (Exception e) when (e is SecretsException || e is RuntimeException)
            {
                return;
            }

            var written = order.FirstOrDefault(e => e.StorePath != null && StorePaths.Same(e.StorePath, writtenPath));
            var before = new List<LookupEntry>();
            var after = new List<LookupEntry>();
            foreach (var entry in order.Where(e => e.IsSecretsStore && e.StorePath != null && !StorePaths.Same(e.StorePath, writtenPath)))
            {
                try
                {
                    var store = OpenStoreAt(entry.StorePath!, mayBeMissing: true);
                    if (store?.ListOne(name) == null)
                    {
                        continue;
                    }
                }
                catch (Exception e) when (e is SecretsException || e is IOException || e is UnauthorizedAccessException)
                {
                    continue;
                }

                (written == null || entry.Position < written.Position ? before : after).Add(entry);
            }

            var here = written?.Display ?? $"the store at '{writtenPath}'";
            if (before.Count > 0)
            {
                var address = written != null && written.Kind == LookupEntryKind.Store ? SecretUri.Format(written.Name, name) : null;
                WriteWarning($"Secret '{name}' is also in {string.Join(", ", before.Select(e => e.Display))}, which {(before.Count == 1 ? "comes" : "come")} "
                    + (written == null ? "in your lookup order (this store is not in it)" : $"before {here} in the lookup order")
                    + $": without -Store, Get-Secret, Get-SecretInfo's first copy and jobs read that one. Read the new one with -Store"
                    + (address == null ? $" '{writtenPath}'." : $" {written!.Name} or as {address}."));
            }
            else if (after.Count > 0)
            {
                WriteWarning($"Secret '{name}' is also in {string.Join(", ", after.Select(e => e.Display))}: the new secret in {here} comes first in the lookup order, "
                    + "so commands without -Store now read it instead (Get-SecretInfo shows every copy).");
            }
        }

        private static bool SameEntry(LookupEntry a, LookupEntry b) =>
            (a.StorePath != null && StorePaths.Same(a.StorePath, b.StorePath))
            || (a.Kind == LookupEntryKind.Vault && b.Kind == LookupEntryKind.Vault && string.Equals(a.Name, b.Name, StringComparison.OrdinalIgnoreCase));

        /// <summary>Selects an entry as the target: its vault of this module (for the identity), or returns another module's vault.</summary>
        private KnownVault? Select(LookupEntry entry, out string? storePath)
        {
            _vault = null;
            storePath = null;
            var vault = entry.Vault;
            if (vault != null && !vault.IsThisModule)
            {
                return vault;
            }

            if (vault?.SettingsError != null)
            {
                throw vault.SettingsError;
            }

            _vault = vault?.Settings;
            storePath = entry.StorePath;
            return null;
        }

        private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);
    }

    /// <summary>
    /// Another module's vault in a lookup: asked through SecretManagement's Get-Secret -Vault. "Not
    /// found" is no answer; another failure is written as SecretManagement wrote it and the search
    /// goes on (as SecretManagement's own search does), or, for a job, stops it.
    /// </summary>
    internal sealed class ForeignVaultPlace : VaultPlace
    {
        private readonly SecretsCmdlet _cmdlet;
        private readonly bool _asPlainText;
        private readonly bool _failuresStop;

        public ForeignVaultPlace(SecretsCmdlet cmdlet, KnownVault vault, bool asPlainText, bool failuresStop)
            : base(vault.Name, vault.ModuleName)
        {
            _cmdlet = cmdlet;
            _asPlainText = asPlainText;
            _failuresStop = failuresStop;
        }

        public override ForeignSecret? Read(string name)
        {
            var command = _cmdlet.SecretManagement?.Command("Get-Secret");
            if (command == null)
            {
                return null;
            }

            var parameters = new Hashtable { ["Name"] = name, ["Vault"] = Name };
            if (_asPlainText)
            {
                parameters["AsPlainText"] = true;
            }

            _cmdlet.ForwardCommonParameters(parameters, "Verbose", "Debug");
            List<PSObject> output;
            List<ErrorRecord> errors;
            try
            {
                (output, errors) = SecretManagementModule.Capture(_cmdlet.RunScript, command, parameters);
            }
            catch (RuntimeException e)
            {
                output = new List<PSObject>();
                errors = new List<ErrorRecord> { e.ErrorRecord };
            }

            foreach (var error in errors)
            {
                if (error.FullyQualifiedErrorId.StartsWith("GetSecretNotFound", StringComparison.Ordinal))
                {
                    continue;
                }

                if (_failuresStop)
                {
                    throw new SecretsException("VaultReadFailed", FailureKind.InvalidOperation,
                        $"Vault '{Name}' ({ModuleName}) could not read '{name}': {error.ErrorDetails?.Message ?? error.Exception.Message}");
                }

                _cmdlet.WriteError(error);
            }

            var raw = output.Select(o => o.BaseObject).FirstOrDefault(o => o != null);
            if (raw == null)
            {
                return null;
            }

            return new ForeignSecret(raw, () => ValueConverter.ToSecretValue(raw, "Secret"));
        }
    }
}
