using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Secrets.Core.Platform
{
    /// <summary>
    /// Where the per-user files live (docs/FORMAT.md, "Local state"). Read from the environment on
    /// every call, so a script or a test can point Secrets elsewhere with SECRETS_HOME,
    /// SECRETS_IDENTITY and SECRETS_STORE.
    /// </summary>
    public static class SecretsPaths
    {
        public const string HomeVariable = "SECRETS_HOME";
        public const string IdentityVariable = "SECRETS_IDENTITY";
        public const string StoreVariable = "SECRETS_STORE";

        /// <summary>
        /// Set to 1 (or true), an identity without a passphrase is used even when other users have
        /// access to its file: for file systems whose permissions cannot be set (some mounted volumes).
        /// </summary>
        public const string IgnoreIdentityPermissionsVariable = "SECRETS_IGNORE_IDENTITY_PERMISSIONS";

        /// <summary>Whether <see cref="IgnoreIdentityPermissionsVariable"/> is set to 1 or true.</summary>
        public static bool IgnoreIdentityPermissions
        {
            get
            {
                var value = Environment.GetEnvironmentVariable(IgnoreIdentityPermissionsVariable)?.Trim();
                return value == "1" || string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
            }
        }

        /// <summary>The Secrets home folder.</summary>
        public static string Home
        {
            get
            {
                var overridden = Environment.GetEnvironmentVariable(HomeVariable);
                if (!string.IsNullOrEmpty(overridden))
                {
                    return Path.GetFullPath(overridden);
                }

                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                {
                    return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "Secrets");
                }

                var userHome = Environment.GetEnvironmentVariable("HOME");
                if (string.IsNullOrEmpty(userHome))
                {
                    userHome = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                }

                if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
                {
                    return Path.Combine(userHome, "Library", "Application Support", "Secrets");
                }

                var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
                return Path.IsPathRooted(xdg ?? string.Empty)
                    ? Path.Combine(xdg!, "secrets")
                    : Path.Combine(userHome, ".local", "share", "secrets");
            }
        }

        /// <summary>
        /// The identity used when none is named: <see cref="IdentityVariable"/> when set (an identity
        /// name such as 'work' names <c>identities/work.identity</c>; anything else is a path), else
        /// the identity named 'default'.
        /// </summary>
        public static string DefaultIdentityPath
        {
            get
            {
                var overridden = Environment.GetEnvironmentVariable(IdentityVariable);
                return !string.IsNullOrEmpty(overridden)
                    ? Identity.IdentityNames.Resolve(overridden!)
                    : Path.Combine(Home, "identities", Identity.IdentityNames.DefaultName + Identity.IdentityNames.Extension);
            }
        }

        /// <summary>The store used when none is named.</summary>
        public static string DefaultStorePath
        {
            get
            {
                var overridden = Environment.GetEnvironmentVariable(StoreVariable);
                return !string.IsNullOrEmpty(overridden)
                    ? Path.GetFullPath(overridden)
                    : Path.Combine(Home, "store");
            }
        }

        /// <summary>Per-store local state (pinned owners, versions seen).</summary>
        public static string StateDirectory => Path.Combine(Home, "state");

        /// <summary>The journals of running jobs: what each has written, so that what a killed job left can be erased.</summary>
        public static string JobJournalDirectory => Path.Combine(StateDirectory, "jobs");
    }
}
