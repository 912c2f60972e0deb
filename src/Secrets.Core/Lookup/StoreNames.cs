using System;

namespace Secrets.Core.Lookup
{
    /// <summary>
    /// The short names stores are registered under (docs/FORMAT.md, "Registered stores"): 1 to 64
    /// letters, digits, '-' and '_', starting with a letter or a digit, compared without regard to
    /// case. A name never contains a path separator, a dot, a colon or '~', so a -Store value is
    /// read as a name only when it could be one, and <c>./team</c> always means the folder.
    /// </summary>
    public static class StoreNames
    {
        /// <summary>The name of the personal store, which is always registered.</summary>
        public const string Personal = "personal";

        public const int MaxLength = 64;

        public const string AllowedDescription = "1 to 64 letters, digits, '-' and '_', starting with a letter or a digit (for example 'team' or 'ci-prod')";

        /// <summary>Names are compared without regard to case.</summary>
        public static readonly StringComparer Comparer = StringComparer.OrdinalIgnoreCase;

        /// <summary>Why <paramref name="name"/> is not a valid store name (a sentence), or null when it is.</summary>
        public static string? Validate(string? name)
        {
            if (string.IsNullOrEmpty(name))
            {
                return "A store name must not be empty. Allowed: " + AllowedDescription + ".";
            }

            if (name!.Length > MaxLength)
            {
                return $"The store name '{name.Substring(0, 32)}…' is {name.Length} characters long; at most {MaxLength} are allowed.";
            }

            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                bool letterOrDigit = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                if (!letterOrDigit && (i == 0 || (c != '-' && c != '_')))
                {
                    var what = c < 0x20 || c == 0x7f ? $"the control character U+{(int)c:X4}" : $"'{c}'";
                    var where = i == 0 ? $"starts with {what}" : $"contains {what} at position {i + 1}";
                    return $"The store name '{Printable(name)}' {where}. Allowed: " + AllowedDescription + ".";
                }
            }

            return null;
        }

        /// <summary>Whether <paramref name="name"/> is a valid store name.</summary>
        public static bool IsValid(string? name) => Validate(name) == null;

        /// <summary>Whether <paramref name="name"/> names the personal store.</summary>
        public static bool IsPersonal(string? name) => Comparer.Equals(name ?? string.Empty, Personal);

        private static string Printable(string text)
        {
            var builder = new System.Text.StringBuilder(text.Length);
            foreach (char c in text)
            {
                builder.Append(c < 0x20 || c == 0x7f ? '?' : c);
            }

            return builder.ToString();
        }
    }
}
