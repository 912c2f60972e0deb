using System;
using System.Linq;
using System.Text;

namespace Secrets.Core.Jobs
{
    /// <summary>
    /// How -AllSecrets names variables: the prefix, then the secret name upper-cased with every
    /// character other than A–Z and 0–9 replaced by '_' (so 'prod/db-password' with the prefix
    /// SECRET_ is SECRET_PROD_DB_PASSWORD). A hashtable secret gives one variable per key (NAME_KEY,
    /// the key mapped the same way); a credential gives NAME_USERNAME and NAME_PASSWORD.
    /// </summary>
    /// <remarks>
    /// Secret names and hashtable keys are chosen by anyone with write access to a secret, so the
    /// names derived from them are never bare: every one starts with the caller's prefix, which
    /// must be a word of its own ending in '_' (<see cref="PrefixProblem"/>). A name that programs
    /// read (AWS_ENDPOINT_URL, HTTPS_PROXY, GIT_DIR…) can then only be set by the caller naming it
    /// with -Environment. No list of such variables can be complete; the prefix makes completeness
    /// unnecessary. The list below only refuses prefixes that are themselves a namespace programs
    /// read (AWS_, GIT_, NODE_…), where the prefix would hand the choice back to the secret's writer.
    /// </remarks>
    public static class EnvironmentNames
    {
        /// <summary>The prefix -AllSecrets uses when the caller gives none.</summary>
        public const string DefaultPrefix = "SECRET_";

        /// <summary>
        /// Variables with a '_' that programs read to decide what to run, load, trust or connect to.
        /// (A derived name always holds the prefix's closing '_', so it can never be PATH, HOME,
        /// KUBECONFIG or any other name without one.)
        /// </summary>
        private static readonly string[] ProgramVariables =
        {
            "HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "ALL_PROXY", "NO_PROXY", "REQUESTS_CA_BUNDLE", "GCONV_PATH", "RES_OPTIONS",
            "PROMPT_COMMAND",
        };

        /// <summary>Namespaces of variables that programs read (every variable starting with one).</summary>
        private static readonly string[] ProgramNamespaces =
        {
            "LD_", "DYLD_", "LC_", "MALLOC_", "GLIBC_", "BASH_", "GIT_", "SSH_", "SSL_", "OPENSSL_", "GNUTLS_", "NSS_", "CURL_", "XDG_",
            "AWS_", "AZURE_", "ARM_", "GOOGLE_", "CLOUDSDK_", "KUBECTL_", "HELM_", "DOCKER_", "TF_", "VAULT_", "CONSUL_", "NOMAD_",
            "GH_", "GITHUB_", "GITLAB_", "DOTNET_", "COREHOST_", "CORECLR_", "COR_", "COMPLUS_", "MSBUILD", "NUGET_", "POWERSHELL_",
            "SECRETS_", "NODE_", "NPM_CONFIG_", "YARN_", "PYTHON", "PIP_", "PIPENV_", "POETRY_", "CONDA_", "VIRTUAL_ENV", "PERL",
            "RUBY", "GEM_", "BUNDLE_", "JAVA_", "_JAVA_", "JDK_", "MAVEN_", "GRADLE_", "CARGO_", "RUST", "MYSQL_", "SYSTEMD_", "DBUS_",
        };

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

        /// <summary>
        /// Why <paramref name="prefix"/> cannot be the -AllSecrets prefix, or null. A prefix is a word
        /// of its own: letters, digits and '_', starting with a letter and ending with '_' (so that a
        /// derived name never runs into the prefix, as APP + DATA would into APPDATA); and it is not a
        /// namespace that programs read, nor the start of a variable they read.
        /// </summary>
        public static string? PrefixProblem(string? prefix)
        {
            if (string.IsNullOrEmpty(prefix))
            {
                return "-AllSecrets needs a -Prefix (by default " + DefaultPrefix + "): every variable it names after a secret starts with it, "
                    + "because a secret's name and keys are chosen by whoever may write the secret and could otherwise name a variable "
                    + "that programs read (AWS_ENDPOINT_URL, HTTPS_PROXY, GIT_DIR…). Give a variable without prefix with -Environment @{ NAME = 'secret' }";
            }

            if (prefix!.Length < 2 || !IsAsciiLetter(prefix[0]) || prefix[prefix.Length - 1] != '_'
                || prefix.Any(c => !IsAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '_'))
            {
                return $"the -Prefix '{prefix}' must be letters, digits and '_', start with a letter and end with '_' (such as APP_ or {DefaultPrefix})";
            }

            var upper = prefix.ToUpperInvariant();
            var used = ProgramVariables.Concat(ProgramNamespaces).FirstOrDefault(v => v.StartsWith(upper, StringComparison.Ordinal))
                ?? ProgramNamespaces.FirstOrDefault(n => upper.StartsWith(n, StringComparison.Ordinal));
            if (used != null)
            {
                var example = Array.Exists(ProgramNamespaces, n => n == used) ? used + "…" : used;
                return $"the -Prefix '{prefix}' is used by programs ({example}): a secret's name or key would choose which of their variables is set. "
                    + $"Choose a prefix of your own, such as APP_ or {DefaultPrefix}, and name any variable programs read with -Environment";
            }

            return null;
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

        private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

        private static void Append(StringBuilder builder, string text)
        {
            foreach (char c in text)
            {
                builder.Append((c >= 'a' && c <= 'z') ? (char)(c - 32) : (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_');
            }
        }
    }
}
