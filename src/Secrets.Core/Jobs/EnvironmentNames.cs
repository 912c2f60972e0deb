using System.Text;

namespace Secrets.Core.Jobs
{
    /// <summary>
    /// How -AllSecrets names variables: the prefix, then the secret name upper-cased with every
    /// character other than A–Z and 0–9 replaced by '_' (so 'prod/db-password' is
    /// PROD_DB_PASSWORD). A hashtable secret gives one variable per key (NAME_KEY, the key mapped
    /// the same way); a credential gives NAME_USERNAME and NAME_PASSWORD.
    /// </summary>
    public static class EnvironmentNames
    {
        public static string For(string prefix, string secretName, string? key = null)
        {
            var builder = new StringBuilder(prefix);
            Append(builder, secretName);
            if (key != null)
            {
                builder.Append('_');
                Append(builder, key);
            }

            return builder.ToString();
        }

        /// <summary>Why a variable name cannot be used, or null.</summary>
        public static string? Validate(string name)
        {
            if (string.IsNullOrEmpty(name))
            {
                return "an environment variable name is empty";
            }

            foreach (char c in name)
            {
                if (c == '=' || c == '\0' || char.IsControl(c) || char.IsWhiteSpace(c))
                {
                    return $"the environment variable name '{name}' contains '=', a space or a control character";
                }
            }

            return null;
        }

        private static void Append(StringBuilder builder, string text)
        {
            foreach (char c in text)
            {
                builder.Append((c >= 'a' && c <= 'z') ? (char)(c - 32) : (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_');
            }
        }
    }
}
