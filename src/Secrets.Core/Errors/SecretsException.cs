using System;

namespace Secrets.Core.Errors
{
    /// <summary>The class of a failure, as the format specification names them.</summary>
    public enum FailureKind
    {
        NotFound,
        AlreadyExists,
        InvalidArgument,
        InvalidData,
        Security,
        Authentication,
        Permission,
        Busy,
        Unsupported,
        InvalidOperation,
    }

    /// <summary>
    /// Base of every failure the core reports. <see cref="ErrorId"/> is stable and becomes the
    /// PowerShell FullyQualifiedErrorId. Messages never contain secret values.
    /// </summary>
    public class SecretsException : Exception
    {
        public SecretsException(string errorId, FailureKind kind, string message, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Kind = kind;
        }

        /// <summary>Stable PascalCase identifier of the failure.</summary>
        public string ErrorId { get; }

        /// <summary>The failure class.</summary>
        public FailureKind Kind { get; }

        /// <summary>The file the failure is about, when there is one.</summary>
        public string? FilePath { get; set; }

        /// <summary>What the user can do about it, when the core knows.</summary>
        public string? RecommendedAction { get; set; }
    }

    public sealed class SecretNotFoundException : SecretsException
    {
        public SecretNotFoundException(string name, string storePath)
            : base("SecretNotFound", FailureKind.NotFound, $"No secret named '{name}' in the store at '{storePath}'.")
        {
            Name = name;
            RecommendedAction = "Run Get-SecretInfo to list the secrets in the store.";
        }

        /// <summary>Not found in any of the places searched (their descriptions: "store 'team'", "vault 'SecretStore'").</summary>
        public SecretNotFoundException(string name, System.Collections.Generic.IReadOnlyList<string> places)
            : base("SecretNotFound", FailureKind.NotFound, places.Count == 0
                ? $"No secret named '{name}': your lookup order has no store or vault to search."
                : $"No secret named '{name}' in {JoinOr(places)}.")
        {
            Name = name;
            Places = places;
            RecommendedAction = places.Count == 0
                ? "Run Get-SecretLookupOrder to see it, and Set-SecretLookupOrder to name stores and vaults to search."
                : places.Count == 1
                    ? "Run Get-SecretInfo with -Store or -Vault to list what is there."
                    : "Run Get-SecretInfo to list the secrets of every store and vault searched (Get-SecretLookupOrder shows the order).";
        }

        public SecretNotFoundException(string name, int version, string available)
            : base("SecretVersionNotFound", FailureKind.NotFound,
                   $"Secret '{name}' has no version {version}. Versions kept: {available}.")
        {
            Name = name;
        }

        public string Name { get; }

        /// <summary>The places searched when there were several or a named one (their descriptions); null for one store.</summary>
        public System.Collections.Generic.IReadOnlyList<string>? Places { get; }

        private static string JoinOr(System.Collections.Generic.IReadOnlyList<string> items) =>
            items.Count == 1 ? items[0] : string.Join(", ", System.Linq.Enumerable.Take(items, items.Count - 1)) + " or " + items[items.Count - 1];
    }

    public sealed class SecretExistsException : SecretsException
    {
        public SecretExistsException(string name, int version)
            : base("SecretAlreadyExists", FailureKind.AlreadyExists,
                   $"A secret named '{name}' already exists (version {version}).")
        {
            RecommendedAction = "Use Set-Secret to write a new version, or choose another name.";
        }
    }

    /// <summary>A file is malformed, truncated, tampered with or fails to decrypt.</summary>
    public sealed class InvalidFileException : SecretsException
    {
        public InvalidFileException(string errorId, string path, string problem, Exception? inner = null)
            : base(errorId, FailureKind.InvalidData, $"The file '{path}' is invalid: {problem}", inner)
        {
            FilePath = path;
            Problem = problem;
        }

        /// <summary>Which rule the file broke.</summary>
        public string Problem { get; }
    }

    /// <summary>A file carries a valid signature by someone not allowed to write it, or replays old state.</summary>
    public sealed class SecurityViolationException : SecretsException
    {
        public SecurityViolationException(string errorId, string path, string message)
            : base(errorId, FailureKind.Security, message)
        {
            FilePath = path;
        }
    }

    public sealed class WrongPassphraseException : SecretsException
    {
        public WrongPassphraseException(string identityPath)
            : base("WrongPassphrase", FailureKind.Authentication,
                   $"The passphrase does not unlock the identity '{identityPath}'.")
        {
            FilePath = identityPath;
        }
    }

    public sealed class IdentityLockedException : SecretsException
    {
        public IdentityLockedException(string identityPath)
            : base("IdentityLocked", FailureKind.Authentication,
                   $"The identity '{identityPath}' is locked.")
        {
            FilePath = identityPath;
            RecommendedAction = "Run: Unlock-SecretIdentity -Password $password  (a SecureString), then try again.";
        }
    }

    /// <summary>An identity without a passphrase whose file others can read or change: it is not used.</summary>
    public sealed class UnprotectedIdentityFileException : SecretsException
    {
        public UnprotectedIdentityFileException(string identityPath, string mode, string ignoreVariable)
            : base("IdentityFileUnprotected", FailureKind.Security,
                   $"The identity '{identityPath}' holds its private keys without a passphrase, and its file has mode {mode}: "
                   + "other users can read or change it, so it is not used (as ssh refuses an unprotected private key file). "
                   + "Anyone who read it can read every secret it can read.")
        {
            FilePath = identityPath;
            Mode = mode;
            RecommendedAction = $"Run: chmod 600 '{identityPath}'  (and consider whether to replace the identity). "
                + $"Where permissions cannot be set, such as on some mounted volumes, set ${"env:"}{ignoreVariable} = '1' to use it anyway.";
        }

        /// <summary>The file's permission bits, written as chmod takes them (0644).</summary>
        public string Mode { get; }
    }

    public sealed class IdentityNotFoundException : SecretsException
    {
        public IdentityNotFoundException(string identityPath)
            : base("IdentityNotFound", FailureKind.NotFound, $"There is no identity at '{identityPath}'.")
        {
            FilePath = identityPath;
            RecommendedAction = "Run: New-SecretIdentity  (or New-SecretIdentity -NoPassword for unattended automation).";
        }
    }

    public sealed class NotARecipientException : SecretsException
    {
        public NotARecipientException(string name, string path, string fingerprint)
            : base("NotARecipient", FailureKind.Permission,
                   $"Secret '{name}' is not encrypted to your identity ({fingerprint}).")
        {
            FilePath = path;
            RecommendedAction = "Ask the store owner to grant you access.";
        }

        /// <summary>Not encrypted to the identity in use, but to another identity of the same Secrets home.</summary>
        public NotARecipientException(string name, string path, string fingerprint, string otherName, string otherFingerprint)
            : base("NotARecipient", FailureKind.Permission,
                   $"Secret '{name}' is not encrypted to the identity in use ({fingerprint}), but to your identity '{otherName}' ({otherFingerprint}).")
        {
            FilePath = path;
            RecommendedAction = $"Use that identity: $env:SECRETS_IDENTITY = '{otherName}'.";
        }
    }

    /// <summary>
    /// A version is not encrypted to the identity in use but to a retired identity of the same
    /// Secrets home (one that was replaced), whose keys are not at hand: it has a passphrase and is locked.
    /// </summary>
    public sealed class RetiredIdentityLockedException : SecretsException
    {
        public RetiredIdentityLockedException(string name, string path, string fingerprint, string retiredPath, string retiredFingerprint)
            : base("RetiredIdentityLocked", FailureKind.Permission,
                   $"Secret '{name}' is not encrypted to the identity in use ({fingerprint}), but to your retired identity ({retiredFingerprint}), kept at '{retiredPath}', which is locked.")
        {
            FilePath = path;
            RetiredPath = retiredPath;
            RecommendedAction = $"Unlock the retired identity, then try again: Unlock-SecretIdentity -Path '{retiredPath.Replace("'", "''")}'.";
        }

        /// <summary>The retired identity's file.</summary>
        public string RetiredPath { get; }
    }

    public sealed class StoreNotFoundException : SecretsException
    {
        public StoreNotFoundException(string path)
            : base("StoreNotFound", FailureKind.NotFound, $"There is no store at '{path}' (no store.manifest).")
        {
            FilePath = path;
            RecommendedAction = $"Run: New-SecretStore -Path '{path}'";
        }
    }

    public sealed class StoreBusyException : SecretsException
    {
        public StoreBusyException(string path, TimeSpan waited)
            : base("StoreBusy", FailureKind.Busy,
                   $"Another process has held the lock on the store at '{path}' for more than {waited.TotalSeconds:0} seconds.")
        {
            FilePath = path;
            RecommendedAction = "Try again when the other write has finished. A lock left by a killed process is released by the operating system.";
        }
    }

    public sealed class UnsupportedFormatException : SecretsException
    {
        public UnsupportedFormatException(string path, string what)
            : base("UnsupportedFormat", FailureKind.Unsupported, $"The file '{path}' uses {what}, which this version of Secrets does not support.")
        {
            FilePath = path;
            RecommendedAction = "Update the Secrets module.";
        }
    }

    /// <summary>Bad input from the caller (name, value, metadata). Carries the parameter name.</summary>
    public sealed class InvalidInputException : SecretsException
    {
        public InvalidInputException(string errorId, string parameterName, string message)
            : base(errorId, FailureKind.InvalidArgument, message)
        {
            ParameterName = parameterName;
        }

        public string ParameterName { get; }
    }
}
