using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Platform;

namespace Secrets.Core.Identity
{
    /// <summary>
    /// Named identities in the Secrets home (docs/FORMAT.md, "Local state"): the identity named
    /// <c>work</c> is the file <c>identities/work.identity</c>; <c>default</c> is the one used when
    /// none is chosen. Replaced identities are kept, retired, in <c>identities/retired/</c>.
    /// </summary>
    public static class IdentityNames
    {
        /// <summary>The identity used when none is chosen.</summary>
        public const string DefaultName = "default";

        /// <summary>The extension of identity files.</summary>
        public const string Extension = ".identity";

        /// <summary>The longest identity name.</summary>
        public const int MaxLength = 64;

        private static readonly string[] DeviceNames =
        {
            "con", "prn", "aux", "nul",
            "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
            "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
        };

        /// <summary>The folder of the named identities.</summary>
        public static string Directory => Path.Combine(SecretsPaths.Home, "identities");

        /// <summary>The folder where replaced identities are kept.</summary>
        public static string RetiredDirectory => Path.Combine(Directory, "retired");

        /// <summary>
        /// Whether <paramref name="text"/> is an identity name: 1 to 64 letters, digits, '_' and '-',
        /// not a name Windows reserves for a device. Names are case-insensitive.
        /// </summary>
        public static bool IsName(string? text)
        {
            if (string.IsNullOrEmpty(text) || text!.Length > MaxLength)
            {
                return false;
            }

            foreach (char c in text)
            {
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
                {
                    return false;
                }
            }

            return !DeviceNames.Contains(text.ToLowerInvariant());
        }

        /// <summary>Throws InvalidIdentityName unless <paramref name="name"/> is an identity name; returns its canonical (lowercase) form.</summary>
        public static string Canonical(string name)
        {
            if (!IsName(name))
            {
                throw new InvalidInputException("InvalidIdentityName", "Name",
                    $"'{Shorten(name)}' is not an identity name: use 1 to {MaxLength} letters, digits, '_' and '-' (such as 'work'), or give a file with -Path.");
            }

            return name.ToLowerInvariant();
        }

        /// <summary>The file of the named identity in the Secrets home.</summary>
        public static string PathOf(string name) => Path.Combine(Directory, Canonical(name) + Extension);

        /// <summary>
        /// The identity file that a name or a path stands for: a value that is an identity name
        /// (<see cref="IsName"/>) names an identity of the Secrets home; anything else is a path.
        /// </summary>
        public static string Resolve(string nameOrPath)
        {
            if (nameOrPath == null)
            {
                throw new ArgumentNullException(nameof(nameOrPath));
            }

            return IsName(nameOrPath) ? PathOf(nameOrPath) : Path.GetFullPath(nameOrPath);
        }

        /// <summary>The name of the identity at <paramref name="path"/> when it is a named identity of the home, else null.</summary>
        public static string? NameOf(string path)
        {
            if (string.IsNullOrEmpty(path))
            {
                return null;
            }

            string full;
            try
            {
                full = Path.GetFullPath(path);
            }
            catch (ArgumentException)
            {
                return null;
            }

            var file = Path.GetFileName(full);
            if (!file.EndsWith(Extension, StringComparison.Ordinal) || !SamePath(Path.GetDirectoryName(full), Directory))
            {
                return null;
            }

            var name = file.Substring(0, file.Length - Extension.Length);
            return IsName(name) && name == name.ToLowerInvariant() ? name : null;
        }

        /// <summary>A short label for the identity at <paramref name="path"/>: its name, or its file name.</summary>
        public static string LabelOf(string path) => NameOf(path) ?? Path.GetFileNameWithoutExtension(path);

        /// <summary>The named identities of the home (their files), sorted by name.</summary>
        public static IReadOnlyList<string> List()
        {
            var result = new List<string>();
            if (!System.IO.Directory.Exists(Directory))
            {
                return result;
            }

            foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*" + Extension))
            {
                if (NameOf(file) != null)
                {
                    result.Add(Path.GetFullPath(file));
                }
            }

            result.Sort(StringComparer.Ordinal);
            return result;
        }

        /// <summary>The retired identities of the home (their files), oldest first.</summary>
        public static IReadOnlyList<string> ListRetired()
        {
            var result = new List<string>();
            if (!System.IO.Directory.Exists(RetiredDirectory))
            {
                return result;
            }

            foreach (var file in System.IO.Directory.EnumerateFiles(RetiredDirectory, "*" + Extension))
            {
                result.Add(Path.GetFullPath(file));
            }

            result.Sort(StringComparer.Ordinal);
            return result;
        }

        /// <summary>
        /// Keeps the identity file at <paramref name="path"/> as a retired identity: moves it, with its
        /// owner-only permissions, to <c>identities/retired/&lt;name&gt;-&lt;UTC time&gt;.identity</c> and
        /// returns the new path. Nothing is deleted.
        /// </summary>
        public static string Retire(string path)
        {
            path = Path.GetFullPath(path);
            var label = LabelOf(path);
            if (!IsName(label))
            {
                label = "identity";
            }

            FilePermissions.CreateOwnerOnlyDirectory(Directory);
            FilePermissions.CreateOwnerOnlyDirectory(RetiredDirectory);
            var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            for (int attempt = 0; ; attempt++)
            {
                var target = Path.Combine(RetiredDirectory, label.ToLowerInvariant() + "-" + stamp + (attempt == 0 ? string.Empty : "-" + attempt.ToString(CultureInfo.InvariantCulture)) + Extension);
                if (File.Exists(target))
                {
                    continue;
                }

                try
                {
                    File.Move(path, target);
                    return target;
                }
                catch (IOException) when (File.Exists(target) && attempt < 100)
                {
                    // Retired at the same second by another process: take the next name.
                }
            }
        }

        private static readonly System.Text.RegularExpressions.Regex RetiredFile =
            new System.Text.RegularExpressions.Regex(@"^(?<name>[a-z0-9_-]+)-(?<at>[0-9]{8}T[0-9]{6}Z)(-[0-9]+)?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>When a retired identity was retired (from its file name), or null.</summary>
        public static DateTime? RetiredAt(string retiredPath)
        {
            var match = RetiredFile.Match(Path.GetFileNameWithoutExtension(retiredPath));
            return match.Success && DateTime.TryParseExact(match.Groups["at"].Value, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTime?)null;
        }

        /// <summary>The name a retired identity had (the part of its file name before the time), or null.</summary>
        public static string? RetiredName(string retiredPath)
        {
            var match = RetiredFile.Match(Path.GetFileNameWithoutExtension(retiredPath));
            return match.Success ? match.Groups["name"].Value : null;
        }

        private static bool SamePath(string? a, string b)
        {
            if (a == null)
            {
                return false;
            }

            var comparison = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux)
                ? StringComparison.Ordinal
                : StringComparison.OrdinalIgnoreCase;
            return string.Equals(Path.GetFullPath(a).TrimEnd(Path.DirectorySeparatorChar), Path.GetFullPath(b).TrimEnd(Path.DirectorySeparatorChar), comparison);
        }

        private static string Shorten(string? text) =>
            text == null ? string.Empty : text.Length <= 40 ? text : text.Substring(0, 40) + "…";
    }
}
