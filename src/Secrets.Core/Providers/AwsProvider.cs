using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Interop;
using Secrets.Core.Values;

namespace Secrets.Core.Providers
{
    /// <summary>
    /// Amazon Web Services access keys: a profile of ~/.aws/credentials (and its region in
    /// ~/.aws/config), or the AWS_* variables. A job gets the variables and a credentials and a
    /// config file, as the AWS CLI and SDKs read them.
    /// </summary>
    public sealed class AwsProvider : SecretProvider
    {
        public const string AccessKeyId = "aws_access_key_id";
        public const string SecretAccessKey = "aws_secret_access_key";
        public const string SessionToken = "aws_session_token";
        public const string Region = "region";

        public override string Name => "aws";

        public override string Description => "Amazon Web Services access keys (a profile of ~/.aws/credentials, or the AWS_* variables)";

        public override IReadOnlyList<string> Keys { get; } = new[] { AccessKeyId, SecretAccessKey };

        public override IReadOnlyList<string> OptionalKeys { get; } = new[] { SessionToken, Region };

        public override IReadOnlyList<string> Variables { get; } = new[]
        {
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
            "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE",
        };

        public override IReadOnlyList<string> JobVariables { get; } = new[]
        {
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
            "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE",
        };

        public override IReadOnlyList<string> JobFiles { get; } = new[] { "credentials", "config" };

        public override bool HasProfiles => true;

        public override IReadOnlyList<string> DefaultFiles(ProviderEnvironment environment) =>
            new[] { CredentialsFile(environment), ConfigFile(environment) };

        private static string CredentialsFile(ProviderEnvironment environment) =>
            environment.Variable("AWS_SHARED_CREDENTIALS_FILE") ?? environment.InHome(".aws", "credentials");

        private static string ConfigFile(ProviderEnvironment environment) =>
            environment.Variable("AWS_CONFIG_FILE") ?? environment.InHome(".aws", "config");

        public override ProviderStatus Detect(ProviderEnvironment environment)
        {
            if (environment.Variable("AWS_ACCESS_KEY_ID") != null && environment.Variable("AWS_SECRET_ACCESS_KEY") != null)
            {
                return new ProviderStatus(true, "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY");
            }

            var profiles = new List<string>();
            var found = new List<string>();
            try
            {
                foreach (var file in new[] { CredentialsFile(environment), ConfigFile(environment) })
                {
                    if (!File.Exists(file))
                    {
                        continue;
                    }

                    var withKeys = IniFile.Parse(Read(file), InteropFiles.Describe(file), file)
                        .Where(s => s.Name != null && s.Find(AccessKeyId) != null)
                        .Select(s => ProfileName(s.Name!))
                        .Where(p => !profiles.Contains(p))
                        .ToList();
                    if (withKeys.Count > 0)
                    {
                        profiles.AddRange(withKeys);
                        found.Add($"{environment.Display(file)} ({string.Join(", ", withKeys)})");
                    }
                }
            }
            catch (SecretsException e)
            {
                return new ProviderStatus(false, null, e.Message);
            }

            return found.Count > 0 ? new ProviderStatus(true, string.Join("; ", found)) : new ProviderStatus(false, null);
        }

        /// <summary>A profile's name from a section's: [profile ci] in ~/.aws/config is the profile ci.</summary>
        private static string ProfileName(string section) => section.StartsWith("profile ", StringComparison.Ordinal) ? section.Substring(8).Trim() : section;

        public override ProviderImport Import(ProviderEnvironment environment, string? path, string? profile)
        {
            if (path == null && profile == null && environment.Variable("AWS_ACCESS_KEY_ID") != null && environment.Variable("AWS_SECRET_ACCESS_KEY") != null)
            {
                var fromVariables = NewImport("the variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", fromFile: false);
                fromVariables.Entries.Add(Pair(AccessKeyId, environment.Variable("AWS_ACCESS_KEY_ID")!));
                fromVariables.Entries.Add(Pair(SecretAccessKey, environment.Variable("AWS_SECRET_ACCESS_KEY")!));
                AddIfSet(fromVariables, SessionToken, environment.Variable("AWS_SESSION_TOKEN"));
                AddIfSet(fromVariables, Region, environment.Variable("AWS_REGION") ?? environment.Variable("AWS_DEFAULT_REGION"));
                return fromVariables;
            }

            var name = profile ?? (path == null ? environment.Variable("AWS_PROFILE") : null) ?? "default";
            var credentialsPath = path ?? CredentialsFile(environment);
            var configPath = path == null ? ConfigFile(environment) : null;
            bool credentialsExist = File.Exists(credentialsPath);
            if (path != null && !credentialsExist)
            {
                throw new SecretsException("FileNotFound", FailureKind.NotFound, $"The file '{credentialsPath}' does not exist.") { FilePath = credentialsPath };
            }

            if (!credentialsExist && (configPath == null || !File.Exists(configPath)))
            {
                throw NotConfigured($"there is no {environment.Display(credentialsPath)} nor {environment.Display(configPath!)}, and AWS_ACCESS_KEY_ID is not set");
            }

            IniSection? credentials = null;
            IReadOnlyList<IniSection> credentialSections = Array.Empty<IniSection>();
            if (credentialsExist)
            {
                credentialSections = IniFile.Parse(Read(credentialsPath), InteropFiles.Describe(credentialsPath), credentialsPath);
                credentials = IniFile.Find(credentialSections, name);
            }

            IniSection? config = null;
            IReadOnlyList<IniSection> configSections = Array.Empty<IniSection>();
            if (configPath != null && File.Exists(configPath))
            {
                configSections = IniFile.Parse(Read(configPath), InteropFiles.Describe(configPath), configPath);
                config = name == "default" ? configSections.FirstOrDefault(s => s.Name == "default") : IniFile.Find(configSections, name);
            }

            if (credentials == null && config == null)
            {
                var known = credentialSections.Concat(configSections).Where(s => s.Name != null).Select(s => ProfileName(s.Name!)).Distinct().ToList();
                throw new SecretsException("ProviderProfileNotFound", FailureKind.NotFound,
                    $"There is no AWS profile '{name}' in {environment.Display(credentialsPath)}{(configPath == null ? string.Empty : " or " + environment.Display(configPath))}"
                    + (known.Count == 0 ? "." : $"; its profiles are {string.Join(", ", known)}."))
                {
                    FilePath = credentialsPath,
                    RecommendedAction = "Give one of them with -Profile.",
                };
            }

            var keysFrom = credentials?.Find(AccessKeyId) != null ? credentials : config?.Find(AccessKeyId) != null ? config : null;
            if (keysFrom == null)
            {
                // The profile is there without keys: the config file says how it gets them.
                var shown = config ?? credentials!;
                var shownPath = shown == config ? configPath! : credentialsPath;
                bool Indirect(IniSection? s) => s != null && (s.Find("role_arn") != null || s.Find("credential_process") != null
                    || s.Entries.Any(e => e.Key.StartsWith("sso_", StringComparison.OrdinalIgnoreCase)));
                var hint = Indirect(credentials) || Indirect(config)
                    ? $" It gets its keys from a role, SSO or a process: get keys for it with 'aws configure export-credentials --profile {name} --format env' and import those."
                    : " Add its keys with 'aws configure --profile " + name + "'.";
                throw new InvalidContentException("ProviderSecretInvalid", InteropFiles.Describe(shownPath), shown.Line,
                    $"the profile {shown} has no {AccessKeyId}.{hint}", shownPath);
            }

            var keysPath = keysFrom == credentials ? credentialsPath : configPath!;
            var entry = keysFrom.Find(SecretAccessKey);
            if (entry == null || entry.Value.Length == 0)
            {
                throw new InvalidContentException("ProviderSecretInvalid", InteropFiles.Describe(keysPath), keysFrom.Line,
                    $"the profile {keysFrom} has {AccessKeyId} but no {SecretAccessKey}. Add it with 'aws configure --profile {name}'.", keysPath);
            }

            var import = NewImport($"{environment.Display(keysPath)} {keysFrom}", fromFile: true);
            import.Metadata.Add(new KeyValuePair<string, object>(ProfileKey, name));
            import.Entries.Add(Pair(AccessKeyId, keysFrom.Find(AccessKeyId)!.Value));
            import.Entries.Add(Pair(SecretAccessKey, keysFrom.Find(SecretAccessKey)!.Value));
            AddIfSet(import, SessionToken, keysFrom.Find(SessionToken)?.Value);
            AddIfSet(import, Region, config?.Find(Region)?.Value ?? credentials?.Find(Region)?.Value);
            return import;
        }

        public override IReadOnlyList<ProviderFile> Export(ProviderEnvironment environment, string secretName, SecretValue value, IReadOnlyDictionary<string, object> metadata, string? path, string? profile)
        {
            var keys = TextKeys(secretName, value);
            var name = profile ?? MetadataText(metadata, ProfileKey) ?? "default";
            var files = new List<ProviderFile>();
            var credentialsPath = path ?? CredentialsFile(environment);
            var credentials = IniFile.SetSection(ReadIfExists(credentialsPath), name, CredentialLines(keys), replaceSection: true, secretName);
            files.Add(new ProviderFile(credentialsPath, Utf8(credentials)));
            if (path == null && keys.TryGetValue(Region, out var region) && region.Length > 0)
            {
                var configPath = ConfigFile(environment);
                var config = IniFile.SetSection(ReadIfExists(configPath), ConfigSection(name), new[] { Pair(Region, region) }, replaceSection: false, secretName);
                files.Add(new ProviderFile(configPath, Utf8(config)));
            }

            return files;
        }

        public override ProviderJob PlanJob(string secretName, SecretValue value, IReadOnlyDictionary<string, object> metadata)
        {
            var keys = TextKeys(secretName, value);
            var name = MetadataText(metadata, ProfileKey) ?? "default";
            var job = new ProviderJob();
            job.Files.Add(new KeyValuePair<string, byte[]>("credentials", Utf8(IniFile.WriteSection(name, CredentialLines(keys), secretName))));
            keys.TryGetValue(Region, out var region);
            var regionLines = string.IsNullOrEmpty(region) ? Array.Empty<KeyValuePair<string, string>>() : new[] { Pair(Region, region!) };
            job.Files.Add(new KeyValuePair<string, byte[]>("config", Utf8(IniFile.WriteSection(ConfigSection(name), regionLines, secretName))));
            job.PathVariables.Add(("AWS_SHARED_CREDENTIALS_FILE", "credentials", "{0}"));
            job.PathVariables.Add(("AWS_CONFIG_FILE", "config", "{0}"));
            job.Variables.Add(new ProviderVariable("AWS_PROFILE", name, secret: false));
            job.Variables.Add(new ProviderVariable("AWS_ACCESS_KEY_ID", keys[AccessKeyId], secret: true));
            job.Variables.Add(new ProviderVariable("AWS_SECRET_ACCESS_KEY", keys[SecretAccessKey], secret: true));
            if (keys.TryGetValue(SessionToken, out var token) && token.Length > 0)
            {
                job.Variables.Add(new ProviderVariable("AWS_SESSION_TOKEN", token, secret: true));
            }
            else
            {
                // A token in the session belongs to other keys: the job must not pair it with these.
                job.Unset.Add("AWS_SESSION_TOKEN");
            }

            job.Unset.Add("AWS_SECURITY_TOKEN");
            if (!string.IsNullOrEmpty(region))
            {
                job.Variables.Add(new ProviderVariable("AWS_REGION", region!, secret: false));
                job.Variables.Add(new ProviderVariable("AWS_DEFAULT_REGION", region!, secret: false));
            }

            return job;
        }

        private static string ConfigSection(string profile) => profile == "default" ? "default" : "profile " + profile;

        private static List<KeyValuePair<string, string>> CredentialLines(Dictionary<string, string> keys)
        {
            var lines = new List<KeyValuePair<string, string>> { Pair(AccessKeyId, keys[AccessKeyId]), Pair(SecretAccessKey, keys[SecretAccessKey]) };
            if (keys.TryGetValue(SessionToken, out var token) && token.Length > 0)
            {
                lines.Add(Pair(SessionToken, token));
            }

            return lines;
        }

        private static KeyValuePair<string, string> Pair(string key, string value) => new KeyValuePair<string, string>(key, value);

        private static void AddIfSet(ProviderImport import, string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                import.Entries.Add(Pair(key, value!));
            }
        }
    }
}
