using System;
using Secrets.Core.Errors;

namespace Secrets.Core.Names
{
    /// <summary>
    /// A validated secret name: segments of A–Z a–z 0–9 _ - (1–64 characters) joined by '/', at
    /// most 128 characters. Case-insensitive, case-preserving. See docs/FORMAT.md, "Secret names".
    /// </summary>
    public sealed class SecretName : IEquatable<SecretName>
    {
        public const int MaxLength = 128;
        public const int MaxSegmentLength = 64;
        public const string AllowedDescription = "letters A-Z and a-z, digits 0-9, '_' and '-', with '/' between path segments (for example 'prod/db/password')";

        private static readonly string[] ReservedDeviceNames =
        {
            "con", "prn", "aux", "nul",
            "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
            "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
        };

        private SecretName(string value)
        {
            Value = value;
            Canonical = value.ToLowerInvariant();
            Folder = ToFolder(Canonical);
        }

        private SecretName(string canonical, string folder)
        {
            Value = canonical;
            Canonical = canonical;
            Folder = folder;
        }

        /// <summary>The name as written.</summary>
        public string Value { get; }

        /// <summary>The name with ASCII letters lowercased: what identifies the secret.</summary>
        public string Canonical { get; }

        /// <summary>The folder of the secret inside the store's <c>secrets</c> folder.</summary>
        public string Folder { get; }

        /// <summary>Validates; throws <see cref="InvalidInputException"/> (id InvalidSecretName) saying what is wrong.</summary>
        public static SecretName Parse(string name)
        {
            var problem = Validate(name);
            if (problem != null)
            {
                throw new InvalidInputException("InvalidSecretName", "Name", problem);
            }

            return new SecretName(name);
        }

        public static bool TryParse(string? name, out SecretName? result)
        {
            if (name != null && Validate(name) == null)
            {
                result = new SecretName(name);
                return true;
            }

            result = null;
            return false;
        }

        /// <summary>Returns why the name is not valid, or null when it is.</summary>
        public static string? Validate(string? name)
        {
            if (string.IsNullOrEmpty(name))
            {
                return "A secret name must not be empty. Allowed: " + AllowedDescription + ".";
            }

            if (name!.Length > MaxLength)
            {
                return $"The secret name '{name.Substring(0, 32)}…' is {name.Length} characters long; at most {MaxLength} are allowed.";
            }

            int segmentStart = 0;
            for (int i = 0; i <= name.Length; i++)
            {
                if (i == name.Length || name[i] == '/')
                {
                    int length = i - segmentStart;
                    if (length == 0)
                    {
                        string where = i == 0 ? "starts with '/'" : i == name.Length ? "ends with '/'" : $"has an empty segment ('//') at position {i + 1}";
                        return $"The secret name '{name}' {where}. Allowed: " + AllowedDescription + ".";
                    }

                    if (length > MaxSegmentLength)
                    {
                        return $"The secret name '{name}' has a segment of {length} characters; at most {MaxSegmentLength} are allowed between '/'.";
                    }

                    segmentStart = i + 1;
                    continue;
                }

                char c = name[i];
                if (!IsNameChar(c))
                {
                    return $"The secret name '{Printable(name)}' contains {Describe(c)} at position {i + 1}. Allowed: " + AllowedDescription + ".";
                }
            }

            return null;
        }

        /// <summary>The canonical name a secret folder holds, or null if the folder name is not one Secrets writes.</summary>
        public static string? CanonicalFromFolder(string folder) => FromFolder(folder)?.Canonical;

        /// <summary>
        /// The name a secret folder holds, from a folder name validated when it was read from the store
        /// and kept since (a store's snapshot): not validated again.
        /// </summary>
        internal static SecretName OfKeptFolder(string folder)
        {
            var body = folder.StartsWith("~", StringComparison.Ordinal) ? folder.Substring(1) : folder;
            return new SecretName(body.Replace('.', '/'), folder);
        }

        /// <summary>The (canonical) name of the secret a folder holds, or null if the folder name is not one Secrets writes.</summary>
        public static SecretName? FromFolder(string folder)
        {
            if (folder == null)
            {
                throw new ArgumentNullException(nameof(folder));
            }

            var body = folder.StartsWith("~", StringComparison.Ordinal) ? folder.Substring(1) : folder;
            var canonical = body.Replace('.', '/');
            if (Validate(canonical) != null || canonical != canonical.ToLowerInvariant() || ToFolder(canonical) != folder)
            {
                return null;
            }

            return new SecretName(canonical, folder);
        }

        public bool Equals(SecretName? other) => other != null && other.Canonical == Canonical;

        public override bool Equals(object? obj) => Equals(obj as SecretName);

        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Canonical);

        public override string ToString() => Value;

        private static string ToFolder(string canonical)
        {
            int slash = canonical.IndexOf('/');
            var first = slash < 0 ? canonical : canonical.Substring(0, slash);
            var folder = canonical.Replace('/', '.');
            return Array.IndexOf(ReservedDeviceNames, first) >= 0 ? "~" + folder : folder;
        }

        private static bool IsNameChar(char c) =>
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';

        private static string Describe(char c)
        {
            switch (c)
            {
                case ' ': return "a space";
                case '.': return "'.' (reserved: 'name.key' addresses one key of a hashtable secret)";
                case '\\': return "'\\' (use '/' between segments)";
                default:
                    return char.IsControl(c) || char.IsWhiteSpace(c) ? $"the character U+{(int)c:X4}" : $"'{c}'";
            }
        }

        private static string Printable(string name)
        {
            var chars = name.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                if (char.IsControl(chars[i]))
                {
                    chars[i] = '?';
                }
            }

            return new string(chars);
        }
    }
}
