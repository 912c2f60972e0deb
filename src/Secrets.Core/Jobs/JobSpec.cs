using System;
using System.Collections.Generic;

namespace Secrets.Core.Jobs
{
    /// <summary>
    /// What a job gets: environment variables, files, directories and rendered templates, each
    /// naming a secret (or one key of it). Paths that are bare file names (no directory part) go in
    /// the job's private folder; other relative paths are relative to <see cref="BaseDirectory"/>.
    /// </summary>
    public sealed class JobSpec
    {
        public const string DefaultPrivateDirectoryVariable = "SECRETS_DIR";

        /// <summary>Variable name → reference.</summary>
        public List<KeyValuePair<string, string>> Environment { get; } = new List<KeyValuePair<string, string>>();

        /// <summary>File path → reference; the value is written to the file.</summary>
        public List<KeyValuePair<string, string>> Files { get; } = new List<KeyValuePair<string, string>>();

        /// <summary>Folder path → reference to a hashtable or credential secret; one file per key.</summary>
        public List<KeyValuePair<string, string>> Directories { get; } = new List<KeyValuePair<string, string>>();

        /// <summary>
        /// Folders that get every readable secret a filter accepts, one entry per secret (see
        /// <see cref="SecretFolderMount"/>).
        /// </summary>
        public List<SecretFolderMount> SecretFolders { get; } = new List<SecretFolderMount>();

        /// <summary>Output path → template path; <c>{{name}}</c> and <c>{{name.key}}</c> are replaced.</summary>
        public List<KeyValuePair<string, string>> Templates { get; } = new List<KeyValuePair<string, string>>();

        /// <summary>
        /// Provider name → name of a secret of that provider: the job gets the variables and files
        /// the provider's tools read (see <see cref="Providers.SecretProvider.PlanJob"/>).
        /// </summary>
        public List<KeyValuePair<string, string>> Providers { get; } = new List<KeyValuePair<string, string>>();

        /// <summary>Expose every readable secret as environment variables (see <see cref="EnvironmentNames"/>).</summary>
        public bool AllSecrets { get; set; }

        /// <summary>With <see cref="AllSecrets"/>: which canonical names to take (null: all).</summary>
        public Func<string, bool>? AllSecretsFilter { get; set; }

        /// <summary>
        /// With <see cref="AllSecrets"/>: the prefix of every variable name, never empty (see
        /// <see cref="EnvironmentNames.PrefixProblem"/>).
        /// </summary>
        public string AllSecretsPrefix { get; set; } = EnvironmentNames.DefaultPrefix;

        /// <summary>The folder relative paths are resolved against.</summary>
        public string BaseDirectory { get; set; } = System.IO.Directory.GetCurrentDirectory();

        /// <summary>The variable that tells the job where its private folder is.</summary>
        public string PrivateDirectoryVariable { get; set; } = DefaultPrivateDirectoryVariable;

        /// <summary>Where the job's journal goes (see <see cref="JobJournal"/>).</summary>
        public string JournalDirectory { get; set; } = Platform.SecretsPaths.JobJournalDirectory;

        /// <summary>Whether the job's output is masked.</summary>
        public bool Mask { get; set; } = true;

        /// <summary>What must exist before the job starts; what a relaxed level lets through is skipped with a warning.</summary>
        public JobValidation Validation { get; set; } = JobValidation.Strict;
    }

    /// <summary>
    /// A folder that gets every secret the caller can read whose canonical name <see cref="Matches"/>
    /// accepts, in the manner of a secrets volume: one entry per secret, named after it with each
    /// <c>/</c> replaced by <c>.</c> (which no secret name contains, so every secret gets an entry
    /// of its own). A string, SecureString or byte array secret is a file holding its value; a
    /// hashtable or credential secret is a folder with one file per key.
    /// </summary>
    public sealed class SecretFolderMount
    {
        public SecretFolderMount(string path, string pattern, Func<string, bool> matches)
        {
            Path = path ?? throw new ArgumentNullException(nameof(path));
            Pattern = pattern ?? throw new ArgumentNullException(nameof(pattern));
            Matches = matches ?? throw new ArgumentNullException(nameof(matches));
        }

        /// <summary>The folder, as <see cref="JobSpec.Files"/> paths are given.</summary>
        public string Path { get; }

        /// <summary>The filter as the user wrote it, for messages ('*', 'prod/*').</summary>
        public string Pattern { get; }

        /// <summary>Which canonical (lowercase) secret names the folder takes.</summary>
        public Func<string, bool> Matches { get; }

        /// <summary>The name of the entry for a secret: its name with '/' replaced by '.'.</summary>
        public static string EntryName(string secretName) => (secretName ?? throw new ArgumentNullException(nameof(secretName))).Replace('/', '.');

        public override string ToString() => $"SecretFolderMount({Path} <- {Pattern})";
    }
}
