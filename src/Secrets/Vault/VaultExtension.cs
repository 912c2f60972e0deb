using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.ComponentModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Security;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Secrets.Core.Vault;
using Secrets.Internal;
using Secrets.Core.Names;

namespace Secrets.Vault
{
    /// <summary>
    /// The SecretManagement vault: what the functions of the nested module Secrets.Extension do.
    /// SecretManagement calls those functions in its own runspace (same process, the caller's
    /// host), module-qualified, with the parameters it documents; each function passes them here
    /// with its $PSCmdlet.
    /// <para>
    /// Every failure is written as a non-terminating error record: SecretManagement passes such
    /// records on to its caller as they are (id, message, advice), whereas it hides an exception
    /// behind "Unable to get secret X from vault Y". Messages name the vault, the store and the
    /// identity, never a value.
    /// </para>
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class VaultExtension
    {
        /// <summary>
        /// Get-Secret: the value, of the type it was stored as; nothing at all when there is no such
        /// secret. <c>name.key</c> gives one key of a hashtable or credential secret, as this
        /// module's Get-Secret does.
        /// </summary>
        public static void GetSecret(PSCmdlet cmdlet, string? name, string? vaultName, IDictionary? additionalParameters)
        {
            Run(cmdlet, vaultName, additionalParameters, name, call =>
            {
                if (!Core.Jobs.SecretReference.TryParse(name, out var reference, out _) || reference!.Text != name)
                {
                    call.Verbose($"'{name}' is not a valid secret name, so there is no such secret.");
                    return;
                }

                var store = call.OpenStore(createDefault: false);
                if (store == null)
                {
                    call.Verbose($"the store at '{call.Settings.EffectiveStorePath}' does not exist yet, so there is no secret '{reference.Name.Value}'.");
                    return;
                }

                try
                {
                    store.GetInfo(reference.Name.Value);
                }
                catch (SecretNotFoundException)
                {
                    call.Verbose($"no secret '{reference.Name.Value}' in the store at '{store.Path}'.");
                    return;
                }

                using var value = reference.Read(store, call.Identity, null, out var record);
                var what = reference.Key == null ? $"secret '{record.Name}'" : $"key '{reference.Key}' of secret '{record.Name}'";
                call.Verbose($"read {what} version {record.Version} ({value.Type}) from the store at '{store.Path}'.");
                cmdlet.WriteObject(ValueConverter.ToStoredTypeOutput(value));
            });
        }

        /// <summary>Set-Secret: a new version. Metadata replaces the old metadata; none (or empty) keeps it.</summary>
        public static void SetSecret(PSCmdlet cmdlet, string? name, object? secret, string? vaultName, IDictionary? additionalParameters, Hashtable? metadata)
        {
            Run(cmdlet, vaultName, additionalParameters, name, call =>
            {
                var secretName = SecretName.Parse(name ?? string.Empty);
                var newMetadata = metadata == null || metadata.Count == 0 ? null : InputConversion.ToMetadata(metadata);
                using var value = ValueConverter.ToSecretValue(secret, "Secret");
                var store = call.OpenStore(createDefault: true)!;
                var record = store.Write(secretName.Value, value, newMetadata, call.Identity, WriteMode.CreateOrUpdate);
                call.Verbose($"wrote secret '{record.Name}' version {record.Version} ({record.Type}) to the store at '{store.Path}'.");
            });
        }

        /// <summary>Remove-Secret: removes the secret and every kept version.</summary>
        public static void RemoveSecret(PSCmdlet cmdlet, string? name, string? vaultName, IDictionary? additionalParameters)
        {
            Run(cmdlet, vaultName, additionalParameters, name, call =>
            {
                var store = call.OpenStore(createDefault: false)
                    ?? throw new SecretNotFoundException(name ?? string.Empty, call.Settings.EffectiveStorePath);
                // As Secrets\Remove-Secret does: the store removes a secret whose newest file is damaged or forged too.
                var removed = store.Remove(name ?? string.Empty, call.Identity);
                call.Verbose($"removed secret '{removed.Name}' from the store at '{store.Path}'.");
            });
        }

        /// <summary>Get-SecretInfo: one SecretInformation per secret whose name matches the filter (wildcards, any case).</summary>
        public static void GetSecretInfo(PSCmdlet cmdlet, string? filter, string? vaultName, IDictionary? additionalParameters)
        {
            Run(cmdlet, vaultName, additionalParameters, filter, call =>
            {
                var informationType = SecretInformationFactory.FindType()
                    ?? throw new SecretsException("SecretManagementNotLoaded", FailureKind.InvalidOperation,
                        $"{SecretInformationFactory.TypeName} is not loaded: this command is called by SecretManagement.")
                    {
                        RecommendedAction = $"Run Get-SecretInfo -Vault '{call.Settings.VaultName}' with SecretManagement imported, or Secrets\\Get-SecretInfo.",
                    };

                var pattern = Pattern(string.IsNullOrEmpty(filter) ? "*" : filter!);
                if (pattern == null)
                {
                    call.Verbose($"'{filter}' is not a valid wildcard pattern; no secret name matches it.");
                    return;
                }

                var store = call.OpenStore(createDefault: false);
                if (store == null)
                {
                    call.Verbose($"the store at '{call.Settings.EffectiveStorePath}' does not exist yet; it holds no secrets.");
                    return;
                }

                // The vault's identity sees what it can read, as Secrets\Get-SecretInfo shows it.
                var viewer = File.Exists(call.Settings.EffectiveIdentityPath) ? IdentityFile.ReadRecipient(call.Settings.EffectiveIdentityPath) : null;
                var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                var query = NameQuery.Of(string.IsNullOrEmpty(filter) ? "*" : filter!);
                foreach (var listed in store.ListFor(viewer, query.Prefix, pattern.IsMatch, query.Exact))
                {
                    if (listed.Error != null)
                    {
                        cmdlet.WriteError(call.ToErrorRecord(listed.Error, listed.CanonicalName));
                        continue;
                    }

                    var record = listed.Record!;
                    if (seen.Add(record.Name))
                    {
                        cmdlet.WriteObject(SecretInformationFactory.Create(informationType, record.Name, record.Type.ToString(),
                            call.Settings.VaultName, MetadataOf(record)));
                    }
                }

                call.Verbose($"listed {seen.Count} secret(s) matching '{filter}' in the store at '{store.Path}'.");
            });
        }

        /// <summary>Set-SecretInfo: replaces the secret's metadata (an empty table removes it) with a new version.</summary>
        public static void SetSecretInfo(PSCmdlet cmdlet, string? name, Hashtable? metadata, string? vaultName, IDictionary? additionalParameters)
        {
            Run(cmdlet, vaultName, additionalParameters, name, call =>
            {
                var newMetadata = InputConversion.ToMetadata(metadata ?? new Hashtable());
                var store = call.OpenStore(createDefault: false)
                    ?? throw new SecretNotFoundException(name ?? string.Empty, call.Settings.EffectiveStorePath);
                var info = store.GetInfo(name ?? string.Empty);
                var record = store.SetMetadata(info.Name, newMetadata, call.Identity);
                call.Verbose($"wrote {newMetadata.Count} metadata entries of secret '{record.Name}' as version {record.Version}.");
            });
        }

        /// <summary>
        /// Test-SecretVault: exactly one bool. Each problem (parameters, identity, store) is explained
        /// on the error stream; a locked identity is not a problem, it gets a warning naming the unlock command.
        /// </summary>
        public static void TestSecretVault(PSCmdlet cmdlet, string? vaultName, IDictionary? additionalParameters)
        {
            var name = NameOf(vaultName);
            bool ok;
            try
            {
                var settings = VaultSettings.Parse(name, VaultParameters.From(additionalParameters));
                ok = Test(new VaultCall(cmdlet, settings));
            }
            catch (SecretsException e)
            {
                cmdlet.WriteError(VaultCall.ToErrorRecord(e, name, name));
                ok = false;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                cmdlet.WriteError(ErrorMapping.FromIo(e, "VaultTestFailed", name));
                ok = false;
            }
            catch (Exception e) when (IsUnexpected(e))
            {
                cmdlet.WriteError(Unexpected(e, name, name));
                ok = false;
            }

            cmdlet.WriteObject(ok);
        }

        /// <summary>Unlock-SecretVault: unlocks the vault's identity in this process for the vault's UnlockTimeout (default 15 minutes).</summary>
        public static void UnlockSecretVault(PSCmdlet cmdlet, SecureString? password, string? vaultName, IDictionary? additionalParameters)
        {
            Run(cmdlet, vaultName, additionalParameters, vaultName, call =>
            {
                var path = call.Settings.EffectiveIdentityPath;
                if (!File.Exists(path))
                {
                    throw IdentityAccess.NotFound(path, call.Settings.VaultName);
                }

                var file = IdentityFile.Load(path);
                if (file.Protection == IdentityProtection.None)
                {
                    file.ClearKeyMaterial();
                    file.CheckPermissions();
                    call.Verbose($"the identity '{path}' has no passphrase; it is always available.");
                    return;
                }

                if (password == null || password.Length == 0)
                {
                    throw new InvalidInputException("PasswordRequired", "Password", $"Give the passphrase of the identity '{path}' with -Password.");
                }

                var passphrase = SecureText.ToUtf8(password);
                try
                {
                    using var unlocked = file.Unlock(passphrase);
                    var outcome = IdentitySession.Remember(unlocked, call.Settings.UnlockTimeout, IdentitySession.PreferredScope);
                    call.Verbose($"identity '{file.Name}' ({file.Recipient.Fingerprint}) unlocked until {outcome.Expires.ToLocalTime():T}, {IdentityAccess.DescribeScope(outcome)}.");
                }
                finally
                {
                    Sensitive.Zero(passphrase);
                }
            });
        }

        /// <summary>Unregister-SecretVault: nothing to clean up. The store and the identity stay where they are.</summary>
        public static void UnregisterSecretVault(PSCmdlet cmdlet, string? vaultName, IDictionary? additionalParameters)
        {
            cmdlet.WriteVerbose($"Vault '{NameOf(vaultName)}': unregistered. Its store and identity are kept; nothing was deleted.");
        }

        private static bool Test(VaultCall call)
        {
            var cmdlet = call.Cmdlet;
            var settings = call.Settings;
            bool ok = true;
            Recipient? recipient = null;
            var identityPath = settings.EffectiveIdentityPath;
            if (!File.Exists(identityPath))
            {
                cmdlet.WriteError(call.ToErrorRecord(IdentityAccess.NotFound(identityPath, settings.VaultName), identityPath));
                ok = false;
            }
            else
            {
                try
                {
                    var identity = IdentityFile.Load(identityPath);
                    identity.ClearKeyMaterial();
                    recipient = identity.Recipient;
                    call.Verbose($"identity '{identity.Name}' ({identity.Recipient.Fingerprint}) at '{identity.Path}'.");
                    if (identity.Protection == IdentityProtection.Passphrase)
                    {
                        var until = IdentitySession.ExpiresAt(identity.Path);
                        if (until == null)
                        {
                            cmdlet.WriteWarning($"Vault '{settings.VaultName}': the identity '{identity.Path}' is locked. "
                                + IdentityAccess.UnlockAdvice(identity.Path, settings.VaultName));
                        }
                        else
                        {
                            call.Verbose($"the identity is unlocked until {until.Value.ToLocalTime():T}.");
                        }
                    }
                }
                catch (SecretsException e)
                {
                    cmdlet.WriteError(call.ToErrorRecord(e, identityPath));
                    ok = false;
                }
            }

            var storePath = settings.EffectiveStorePath;
            if (settings.UsesDefaultStore && !SecretStore.Exists(storePath))
            {
                call.Verbose($"the personal store at '{storePath}' does not exist yet; the first Set-Secret creates it.");
            }
            else
            {
                try
                {
                    var store = SecretStore.Open(storePath);
                    call.Verbose($"store at '{store.Path}', owned by '{store.Manifest.OwnerName}' ({store.Manifest.Owner.Fingerprint}).");
                    if (recipient != null)
                    {
                        var member = store.GetMembers().FirstOrDefault(m => m.Recipient.Equals(recipient));
                        if (member == null)
                        {
                            cmdlet.WriteError(call.ToErrorRecord(new SecretsException("NotAMember", FailureKind.Permission,
                                $"The identity '{identityPath}' ({recipient.Fingerprint}) is not a member of the store at '{store.Path}': it can neither read nor write there.")
                            {
                                RecommendedAction = $"Ask the store's owner ({store.Manifest.OwnerName}) to run Add-SecretStoreMember with the recipient string from Get-SecretIdentity -Path '{identityPath}'.",
                            }, storePath));
                            ok = false;
                        }
                        else
                        {
                            call.Verbose($"the identity is the store's {member.Role.ToString().ToLowerInvariant()} '{member.Name}'.");
                        }
                    }
                }
                catch (SecretsException e)
                {
                    cmdlet.WriteError(call.ToErrorRecord(e, storePath));
                    ok = false;
                }
            }

            return ok;
        }

        private static void Run(PSCmdlet cmdlet, string? vaultName, IDictionary? additionalParameters, object? target, Action<VaultCall> action)
        {
            var name = NameOf(vaultName);
            try
            {
                var settings = VaultSettings.Parse(name, VaultParameters.From(additionalParameters));
                using var call = new VaultCall(cmdlet, settings);
                try
                {
                    action(call);
                }
                catch (SecretsException e)
                {
                    cmdlet.WriteError(call.ToErrorRecord(e, target ?? name));
                }
            }
            catch (SecretsException e)
            {
                cmdlet.WriteError(VaultCall.ToErrorRecord(e, target ?? name, name));
            }
            catch (IOException e)
            {
                cmdlet.WriteError(ErrorMapping.FromIo(e, "StoreIOError", target ?? name));
            }
            catch (UnauthorizedAccessException e)
            {
                cmdlet.WriteError(ErrorMapping.FromIo(e, "StoreAccessDenied", target ?? name));
            }
            catch (Exception e) when (IsUnexpected(e))
            {
                cmdlet.WriteError(Unexpected(e, target ?? name, name));
            }
        }

        private static string NameOf(string? vaultName) => string.IsNullOrEmpty(vaultName) ? SecretsCmdlet.ThisModule : vaultName!;

        /// <summary>The filter as a wildcard pattern, or null when it is not one (SecretManagement passes plain names as filters too).</summary>
        private static WildcardPattern? Pattern(string filter)
        {
            var pattern = new WildcardPattern(filter, WildcardOptions.IgnoreCase);
            try
            {
                pattern.IsMatch(string.Empty);
                return pattern;
            }
            catch (WildcardPatternException)
            {
                return null;
            }
        }

        /// <summary>
        /// Whether an exception is one no vault command should let SecretManagement wrap: anything
        /// but the engine's own flow control (stopping, -ErrorAction Stop) and fatal runtime failures.
        /// </summary>
        private static bool IsUnexpected(Exception e) =>
            !(e is RuntimeException) && !(e is OutOfMemoryException) && !(e is StackOverflowException) && !(e is System.Threading.ThreadAbortException);

        private static ErrorRecord Unexpected(Exception e, object? target, string vaultName) =>
            new ErrorRecord(e, "VaultCommandFailed", ErrorCategory.NotSpecified, target)
            {
                ErrorDetails = new ErrorDetails($"Vault '{vaultName}': {e.GetType().Name}: {e.Message}"),
            };

        /// <summary>
        /// A secret's metadata as SecretManagement shows it (times local, keys case-insensitive). A
        /// listing's records are shared while the store log stays the same (their metadata frozen), and
        /// so is what is made of them here: read-only, as SecretManagement's objects hold it.
        /// </summary>
        private static ReadOnlyDictionary<string, object> MetadataOf(SecretRecord record) =>
            record.Metadata.IsFrozen ? SharedMetadata.GetValue(record, MakeMetadata) : MakeMetadata(record);

        private static readonly ConditionalWeakTable<SecretRecord, ReadOnlyDictionary<string, object>> SharedMetadata =
            new ConditionalWeakTable<SecretRecord, ReadOnlyDictionary<string, object>>();

        private static ReadOnlyDictionary<string, object> MakeMetadata(SecretRecord record)
        {
            var table = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in record.Metadata)
            {
                table[entry.Key] = entry.Value is DateTime d ? d.ToLocalTime() : entry.Value;
            }

            return new ReadOnlyDictionary<string, object>(table);
        }
    }

    /// <summary>One call of a vault command: its settings, its store, and its identity (unlocked on first use, zeroed at the end).</summary>
    internal sealed class VaultCall : IDisposable
    {
        private UnlockedIdentity? _identity;

        public VaultCall(PSCmdlet cmdlet, VaultSettings settings)
        {
            Cmdlet = cmdlet;
            Settings = settings;
        }

        public PSCmdlet Cmdlet { get; }

        public VaultSettings Settings { get; }

        /// <summary>The vault's identity: cached unlock, no passphrase, or a prompt when the caller's session is interactive.</summary>
        public UnlockedIdentity Identity => _identity ??=
            IdentityAccess.Acquire(Cmdlet, Settings.EffectiveIdentityPath, Settings.UnlockTimeout, Settings.VaultName, null);

        /// <summary>An error record for a core failure, its message prefixed with the vault's name.</summary>
        public static ErrorRecord ToErrorRecord(SecretsException exception, object? target, string vaultName)
        {
            var record = ErrorMapping.ToErrorRecord(exception, target);
            var message = record.ErrorDetails?.Message ?? exception.Message;
            if (!message.StartsWith("Vault '", StringComparison.Ordinal))
            {
                // The recommended action is already in the message (ErrorMapping), shown once.
                record.ErrorDetails = new ErrorDetails($"Vault '{vaultName}': {message}");
            }

            return record;
        }

        public ErrorRecord ToErrorRecord(SecretsException exception, object? target) => ToErrorRecord(exception, target, Settings.VaultName);

        /// <summary>
        /// The vault's store. A store named in the vault parameters must exist; the personal default
        /// store is created by the first write and is null before (nothing to read).
        /// </summary>
        public SecretStore? OpenStore(bool createDefault)
        {
            var path = Settings.EffectiveStorePath;
            if (SecretStore.Exists(path))
            {
                return SecretStore.Open(path);
            }

            if (!Settings.UsesDefaultStore)
            {
                throw new StoreNotFoundException(path);
            }

            if (!createDefault)
            {
                return null;
            }

            Verbose($"creating the personal store at '{path}'.");
            try
            {
                return SecretStore.Create(path, Identity);
            }
            catch (SecretsException e) when (e.ErrorId == "StoreExists")
            {
                return SecretStore.Open(path);
            }
        }

        public void Verbose(string message) => Cmdlet.WriteVerbose($"Vault '{Settings.VaultName}': {message}");

        public void Dispose()
        {
            _identity?.Dispose();
            _identity = null;
        }
    }
}
