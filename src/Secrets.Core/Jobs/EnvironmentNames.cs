using System;
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

        /// <summary>
        /// Variables that change what programs run or load (shells, dynamic linkers, language
        /// runtimes, git, ssh). -AllSecrets never sets them: a secret's name or a hashtable key,
        /// which anyone with write access to the secret chooses, must not become code execution in
        /// the job. -Environment, where the job's author names each variable, may.
        /// </summary>
        private static readonly string[] ProgramChanging =
        {
            "PATH", "PATHEXT", "BASH_ENV", "ENV", "PROMPT_COMMAND", "PS4", "IFS", "SHELLOPTS", "BASHOPTS", "CDPATH",
            "NODE_OPTIONS", "NODE_PATH", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "CLASSPATH",
            "PYTHONSTARTUP", "PYTHONPATH", "PYTHONHOME", "PYTHONINSPECT", "PERL5OPT", "PERL5LIB", "PERLLIB", "RUBYOPT", "RUBYLIB",
            "GIT_SSH", "GIT_SSH_COMMAND", "GIT_ASKPASS", "GIT_EXEC_PATH", "GIT_PROXY_COMMAND", "GIT_EXTERNAL_DIFF",
            "GIT_EDITOR", "GIT_PAGER", "GIT_TEMPLATE_DIR", "SSH_ASKPASS", "EDITOR", "VISUAL", "PAGER", "BROWSER",
            "COMSPEC", "PSMODULEPATH", "HOME", "USERPROFILE", "TMPDIR", "TEMP", "TMP", "SHELL",
        };

        private static readonly string[] ProgramChangingPrefixes =
        {
            "LD_", "DYLD_", "GIT_CONFIG", "DOTNET_", "COREHOST_", "CORECLR_", "COR_", "COMPLUS_", "MSBUILD", "NUGET_",
        };

        /// <summary>Whether -AllSecrets must not set this variable (see <see cref="ProgramChanging"/>).</summary>
        public static bool ChangesHowProgramsRun(string name)
        {
            var upper = name.ToUpperInvariant();
            return Array.IndexOf(ProgramChanging, upper) >= 0 || Array.Exists(ProgramChangingPrefixes, p => upper.StartsWith(p, StringComparison.Ordinal));
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
