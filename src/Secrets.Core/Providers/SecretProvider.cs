using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Secrets.Core.Errors;
using Secrets.Core.Interop;
using Secrets.Core.Values;

namespace Secrets.Core.Providers
{
    /// <summary>
    /// Where providers look: the user's home folder and the environment variables. Tests give their
    /// own; everything else uses <see cref="Current"/>, which reads them on every call, so that
    /// setting HOME (on Windows USERPROFILE) points every provider at another home.
    /// </summary>
    public sealed class ProviderEnvironment
    {
        private readonly IReadOnlyDictionary<string, string>? _variables;

        public ProviderEnvironment(string home, IReadOnlyDictionary<string, string>? variables = null, bool? isWindows = null)
        {
            Home = Path.GetFullPath(home ?? throw new ArgumentNullException(nameof(home)));
            _variables = variables;
            IsWindows = isWindows ?? RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        }

        /// <summary>The process's home (HOME, on Windows USERPROFILE) and environment.</summary>
        public static ProviderEnvironment Current => new ProviderEnvironment(HomeFolder());

        public string Home { get; }

        public bool IsWindows { get; }

        /// <summary>The user's home folder: HOME (USERPROFILE on Windows), else the profile folder .NET knows.</summary>
        public static string HomeFolder()
        {
            var variable = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "USERPROFILE" : "HOME";
            var home = Environment.GetEnvironmentVariable(variable);
            return string.IsNullOrEmpty(home) ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) : home!;
        }

        /// <summary>A variable's value; null when it is not set or empty.</summary>
        public string? Variable(string name)
        {
            string? value;
            if (_variables != null)
            {
                _variables.TryGetValue(name, out value);
            }
            else
            {
                value = Environment.GetEnvironmentVariable(name);
            }

            return string.IsNullOrEmpty(value) ? null : value;
        }

        /// <summary>A path in the home folder.</summary>
        public string InHome(params string[] parts) => Path.Combine(new[] { Home }.Concat(parts).ToArray());

        /// <summary>A path as shown to the user: ~/… when it is in the home folder.</summary>
        public string Display(string path)
        {
            var full = Path.GetFullPath(path);
            var home = Home.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            return full.StartsWith(home, IsWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)
                ? "~" + Path.DirectorySeparatorChar + full.Substring(home.Length)
                : full;
        }
    }

    /// <summary>Whether a provider is set up on this machine, and where.</summary>
    public sealed class ProviderStatus
    {
        public ProviderStatus(bool configured, string? source, string? problem = null)
        {
            Configured = configured;
            Source = source;
            Problem = problem;
        }

        public bool Configured { get; }

        /// <summary>Where it was found ("~/.aws/credentials (default, ci)", "AWS_ACCESS_KEY_ID"); null when not.</summary>
        public string? Source { get; }

        /// <summary>Why a file that is there cannot be used; null when there is nothing to say.</summary>
        public string? Problem { get; }
    }

    /// <summary>What an import read: the keys and texts (secret), the metadata to record and where they came from.</summary>
    public sealed class ProviderImport
    {
        public List<KeyValuePair<string, string>> Entries { get; } = new List<KeyValuePair<string, string>>();

        public List<KeyValuePair<string, object>> Metadata { get; } = new List<KeyValuePair<string, object>>();

        /// <summary>Where the values came from, for messages: a file (and section) or variable names.</summary>
        public string Source { get; set; } = string.Empty;

        /// <summary>Things the user should know (a KUBECONFIG of several files, of which one was read).</summary>
        public List<string> Warnings { get; } = new List<string>();

        public override string ToString() => $"ProviderImport({Entries.Count} keys from {Source})";
    }

    /// <summary>A file an export writes: its path, content (secret) and Unix mode.</summary>
    public sealed class ProviderFile
    {
        public ProviderFile(string path, byte[] content, int unixMode = InteropFiles.OwnerOnly)
        {
            Path = path;
            Content = content;
            UnixMode = unixMode;
        }

        public string Path { get; }

        public byte[] Content { get; }

        public int UnixMode { get; }

        public override string ToString() => Path;
    }

    /// <summary>A variable a job gets from a provider; <see cref="Secret"/> values are masked in the job's output.</summary>
    public sealed class ProviderVariable
    {
        public ProviderVariable(string name, string value, bool secret)
        {
            Name = name;
            Value = value;
            Secret = secret;
        }

        public string Name { get; }

        public string Value { get; }

        public bool Secret { get; }

        public override string ToString() => Name;
    }

    /// <summary>
    /// What a job gets from a provider: variables, files in the provider's folder of the job's
    /// private folder, variables that hold the path of such a file, variables removed from the
    /// job's environment, and further values to mask.
    /// </summary>
    public sealed class ProviderJob
    {
        public List<ProviderVariable> Variables { get; } = new List<ProviderVariable>();

        /// <summary>File name (in the provider's folder) → content.</summary>
        public List<KeyValuePair<string, byte[]>> Files { get; } = new List<KeyValuePair<string, byte[]>>();

        /// <summary>Variable → the path it holds, relative to the provider's folder ("" for the folder), in a format ({0} is the full path).</summary>
        public List<(string Variable, string RelativePath, string Format)> PathVariables { get; } = new List<(string, string, string)>();

        /// <summary>Variables the job must not inherit (a session token of other keys).</summary>
        public List<string> Unset { get; } = new List<string>();

        /// <summary>Values masked in the output besides the secret variables (a private key in a file).</summary>
        public List<string> Masked { get; } = new List<string>();

        public override string ToString() => $"ProviderJob({Variables.Count} variables, {Files.Count} files)";
    }

    /// <summary>
    /// A built-in provider (docs/PROVIDERS.md): where its tools keep credentials, the keys of the
    /// secret it makes, and the variables and files its tools read in a job.
    /// </summary>
    public abstract class SecretProvider
    {
        /// <summary>The metadata keys a provider import records.</summary>
        public const string ProviderKey = "provider";
        public const string ProfileKey = "provider.profile";
        public const string SourceKey = "provider.source";

        public abstract string Name { get; }

        /// <summary>One line: what it holds.</summary>
        public abstract string Description { get; }

        /// <summary>The keys every secret of this provider has.</summary>
        public abstract IReadOnlyList<string> Keys { get; }

        /// <summary>Keys a secret may have besides <see cref="Keys"/>.</summary>
        public virtual IReadOnlyList<string> OptionalKeys => Array.Empty<string>();

        /// <summary>The variables an import reads (and the provider's tools read).</summary>
        public abstract IReadOnlyList<string> Variables { get; }

        /// <summary>The variables a job gets.</summary>
        public abstract IReadOnlyList<string> JobVariables { get; }

        /// <summary>The files a job gets, in the provider's folder of the job's private folder.</summary>
        public virtual IReadOnlyList<string> JobFiles => Array.Empty<string>();

        /// <summary>Whether -Profile chooses among several sets of credentials in the files.</summary>
        public virtual bool HasProfiles => false;

        /// <summary>The files an import reads by default (variables that name files applied); empty when it reads variables only.</summary>
        public abstract IReadOnlyList<string> DefaultFiles(ProviderEnvironment environment);

        public abstract ProviderStatus Detect(ProviderEnvironment environment);

        /// <summary>Reads the credentials from <paramref name="path"/>, or from where the provider's tools keep them.</summary>
        public abstract ProviderImport Import(ProviderEnvironment environment, string? path, string? profile);

        /// <summary>The files that give the provider's tools the secret's credentials (existing files merged where the tools keep several).</summary>
        public abstract IReadOnlyList<ProviderFile> Export(ProviderEnvironment environment, string secretName, SecretValue value, IReadOnlyDictionary<string, object> metadata, string? path, string? profile);

        /// <summary>What a job gets from the secret.</summary>
        public abstract ProviderJob PlanJob(string secretName, SecretValue value, IReadOnlyDictionary<string, object> metadata);

        public override string ToString() => Name;

        /// <summary>Refuses -Profile for a provider without profiles.</summary>
        protected void NoProfile(string? profile)
        {
            if (profile != null)
            {
                throw new InvalidInputException("ProfileNotSupported", "Profile", $"-Profile chooses an AWS profile; the {Name} provider has no profiles. Leave it out.");
            }
        }

        /// <summary>The metadata every import records: the provider, and where it read from.</summary>
        protected ProviderImport NewImport(string source, bool fromFile)
        {
            var import = new ProviderImport { Source = source };
            import.Metadata.Add(new KeyValuePair<string, object>(ProviderKey, Name));
            import.Metadata.Add(new KeyValuePair<string, object>(SourceKey, fromFile ? "file" : "environment"));
            return import;
        }

        /// <summary>
        /// The text keys of a hashtable secret, with <see cref="Keys"/> present; throws
        /// <see cref="InvalidContentException"/> (ProviderSecretInvalid) naming the secret and what is missing.
        /// </summary>
        protected Dictionary<string, string> TextKeys(string secretName, SecretValue value)
        {
            var source = $"secret '{secretName}'";
            if (value.Type != SecretType.Hashtable)
            {
                throw new InvalidContentException("ProviderSecretInvalid", source, 0,
                    $"it is a {value.Type}; the {Name} provider needs a hashtable with the keys {string.Join(", ", Keys)}. Make it with Import-SecretProvider {Name}.");
            }

            var keys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in value.Entries)
            {
                if (entry.Value.Type == SecretType.String || entry.Value.Type == SecretType.SecureString)
                {
                    keys[entry.Key] = entry.Value.GetText();
                }
            }

            var missing = Keys.Where(k => !keys.ContainsKey(k) || keys[k].Length == 0).ToList();
            if (missing.Count > 0)
            {
                throw new InvalidContentException("ProviderSecretInvalid", source, 0,
                    $"the {Name} provider needs the text key{(missing.Count > 1 ? "s" : string.Empty)} {string.Join(", ", missing.Select(k => "'" + k + "'"))}, which it does not have "
                    + $"(its keys: {string.Join(", ", value.Entries.Select(e => e.Key))}). Make it with Import-SecretProvider {Name}, or add the key with Set-Secret.");
            }

            return keys;
        }

        /// <summary>A file's text, or a <see cref="SecretsException"/> naming it.</summary>
        protected static string Read(string path) => InteropFiles.ReadText(path);

        /// <summary>The text of a file that may not exist: empty when it does not.</summary>
        protected static string ReadIfExists(string path) => File.Exists(path) ? InteropFiles.ReadText(path) : string.Empty;

        /// <summary>A metadata text value, or null.</summary>
        protected static string? MetadataText(IReadOnlyDictionary<string, object> metadata, string key) =>
            metadata.TryGetValue(key, out var value) ? value as string : null;

        /// <summary>The error for credentials that are nowhere to be found.</summary>
        protected SecretsException NotConfigured(string where) =>
            new SecretsException("ProviderNotConfigured", FailureKind.NotFound, $"No {Name} credentials were found: {where}.")
            {
                RecommendedAction = $"Set the provider up with its own tools first, or give -Path. Get-SecretProvider -Name {Name} shows where it looks.",
            };

        protected static byte[] Utf8(string text) => new System.Text.UTF8Encoding(false).GetBytes(text);
    }
}
