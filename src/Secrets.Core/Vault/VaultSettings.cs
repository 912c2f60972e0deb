using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Platform;

namespace Secrets.Core.Vault
{
    /// <summary>
    /// The parameters of a store registered as a SecretManagement vault (the registration's
    /// -VaultParameters, docs/VAULT.md): which store, which identity, how long an unlock lasts.
    /// Keys are case-insensitive; an unknown key is an error, so a misspelt key can never send
    /// secrets to the default store instead of the intended one.
    /// </summary>
    public sealed class VaultSettings
    {
        /// <summary>The store folder (a full path, or one starting with ~). Default: the personal default store.</summary>
        public const string StoreKey = "Store";

        /// <summary>The identity file (a full path, or one starting with ~). Default: the default identity.</summary>
        public const string IdentityKey = "Identity";

        /// <summary>How long Unlock-SecretVault and passphrase prompts keep the identity unlocked: seconds, or a time span such as '01:00:00'.</summary>
        public const string UnlockTimeoutKey = "UnlockTimeout";

        /// <summary>Reserved by SecretManagement: whether the caller asked for verbose output.</summary>
        public const string VerboseKey = "Verbose";

        /// <summary>The longest unlock a vault can ask for.</summary>
        public static readonly TimeSpan MaxUnlockTimeout = TimeSpan.FromDays(1);

        private static readonly string[] Known = { StoreKey, IdentityKey, UnlockTimeoutKey, VerboseKey };

        private VaultSettings(string vaultName, string? storePath, string? identityPath, TimeSpan unlockTimeout, bool verbose)
        {
            VaultName = vaultName;
            StorePath = storePath;
            IdentityPath = identityPath;
            UnlockTimeout = unlockTimeout;
            Verbose = verbose;
        }

        /// <summary>The vault's registered name.</summary>
        public string VaultName { get; }

        /// <summary>The store folder (full path), or null for the personal default store.</summary>
        public string? StorePath { get; }

        /// <summary>The identity file (full path), or null for the default identity.</summary>
        public string? IdentityPath { get; }

        /// <summary>How long an unlock through this vault lasts.</summary>
        public TimeSpan UnlockTimeout { get; }

        /// <summary>Whether SecretManagement's caller asked for verbose output.</summary>
        public bool Verbose { get; }

        /// <summary>The store folder in effect (the default store is read from the environment on every call).</summary>
        public string EffectiveStorePath => StorePath ?? SecretsPaths.DefaultStorePath;

        /// <summary>The identity file in effect.</summary>
        public string EffectiveIdentityPath => IdentityPath ?? SecretsPaths.DefaultIdentityPath;

        /// <summary>Whether the vault uses the personal default store (created by the first write).</summary>
        public bool UsesDefaultStore => StorePath == null;

        /// <summary>The keys a vault understands, for messages.</summary>
        public static string KnownKeys => string.Join(", ", Known.Take(3));

        /// <summary>
        /// Reads a vault's parameters. Values must already be plain .NET objects (strings, numbers,
        /// booleans, TimeSpan). Throws <see cref="InvalidInputException"/> naming the vault and the key;
        /// messages never repeat a value given for an unknown key.
        /// </summary>
        public static VaultSettings Parse(string vaultName, IEnumerable<KeyValuePair<string, object?>>? parameters)
        {
            if (string.IsNullOrEmpty(vaultName))
            {
                throw new ArgumentException("A vault has a name.", nameof(vaultName));
            }

            string? store = null;
            string? identity = null;
            var timeout = IdentitySession.DefaultTimeout;
            bool verbose = false;
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in parameters ?? Enumerable.Empty<KeyValuePair<string, object?>>())
            {
                var key = pair.Key ?? string.Empty;
                var known = Known.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
                if (known == null)
                {
                    throw Invalid("VaultParameterUnknown", vaultName,
                        $"Vault '{vaultName}' has the parameter '{key}', which Secrets does not know. The vault parameters are {KnownKeys}.");
                }

                if (!seen.Add(known))
                {
                    throw Invalid("VaultParameterInvalid", vaultName, $"Vault '{vaultName}' gives the parameter '{known}' more than once.");
                }

                switch (known)
                {
                    case StoreKey:
                        store = ParsePath(vaultName, known, pair.Value);
                        break;
                    case IdentityKey:
                        identity = ParsePath(vaultName, known, pair.Value);
                        break;
                    case UnlockTimeoutKey:
                        timeout = ParseTimeout(vaultName, pair.Value);
                        break;
                    default:
                        verbose = pair.Value is bool b && b;
                        break;
                }
            }

            return new VaultSettings(vaultName, store, identity, timeout, verbose);
        }

        public override string ToString() =>
            $"vault '{VaultName}' (store '{StorePath ?? "default"}', identity '{IdentityPath ?? "default"}')";

        private static string? ParsePath(string vaultName, string key, object? value)
        {
            if (value == null || (value is string empty && empty.Trim().Length == 0))
            {
                // Given but empty: the default, as if the key were absent.
                return null;
            }

            if (!(value is string text))
            {
                throw Invalid("VaultParameterInvalid", vaultName,
                    $"Vault '{vaultName}': the parameter '{key}' is a {value.GetType().FullName}; it must be a path (a string).");
            }

            text = text.Trim();
            if (text == "~" || text.StartsWith("~/", StringComparison.Ordinal) || text.StartsWith("~\\", StringComparison.Ordinal))
            {
                var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                if (string.IsNullOrEmpty(home))
                {
                    throw Invalid("VaultParameterInvalid", vaultName,
                        $"Vault '{vaultName}': the parameter '{key}' starts with '~', but this account has no home folder. Give a full path.");
                }

                text = text.Length <= 2 ? home : Path.Combine(home, text.Substring(2));
            }

            if (text.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || !Path.IsPathRooted(text))
            {
                throw Invalid("VaultParameterInvalid", vaultName,
                    $"Vault '{vaultName}': the parameter '{key}' ('{text}') is not a full path. Register the vault with a full path, or one starting with '~'.");
            }

            try
            {
                return Path.GetFullPath(text);
            }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException)
            {
                throw Invalid("VaultParameterInvalid", vaultName, $"Vault '{vaultName}': the parameter '{key}' ('{text}') is not a valid path: {e.Message}");
            }
        }

        private static TimeSpan ParseTimeout(string vaultName, object? value)
        {
            TimeSpan? timeout = value switch
            {
                TimeSpan span => span,
                int seconds => TimeSpan.FromSeconds(seconds),
                long seconds when seconds <= int.MaxValue && seconds >= int.MinValue => TimeSpan.FromSeconds(seconds),
                double seconds when !double.IsNaN(seconds) && !double.IsInfinity(seconds) && Math.Abs(seconds) < int.MaxValue => TimeSpan.FromSeconds(seconds),
                string text when int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) => TimeSpan.FromSeconds(seconds),
                string text when TimeSpan.TryParse(text.Trim(), CultureInfo.InvariantCulture, out var span) => span,
                _ => null,
            };

            if (timeout == null || timeout.Value <= TimeSpan.Zero || timeout.Value > MaxUnlockTimeout)
            {
                throw Invalid("VaultParameterInvalid", vaultName,
                    $"Vault '{vaultName}': the parameter '{UnlockTimeoutKey}' must be a number of seconds or a time span such as '00:30:00', more than zero and at most {MaxUnlockTimeout.TotalHours:0} hours.");
            }

            return timeout.Value;
        }

        private static InvalidInputException Invalid(string errorId, string vaultName, string message) =>
            new InvalidInputException(errorId, "VaultParameters", message)
            {
                RecommendedAction = $"Register the vault again with valid parameters: Register-SecretVault -Name '{vaultName}' -ModuleName Secrets -VaultParameters @{{ {StoreKey} = '<store folder>'; {IdentityKey} = '<identity file>' }} -AllowClobber",
            };
    }
}
