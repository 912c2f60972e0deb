using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Secrets.Core.Errors;
using Secrets.Core.Interop;
using Secrets.Core.Providers;
using Secrets.Core.Values;

namespace Secrets.Fuzz.Targets
{
    /// <summary>
    /// The files providers read (<c>SecretProvider.Import</c>, <c>Detect</c>, <c>Export</c>,
    /// <c>PlanJob</c>, what Import-SecretProvider, Get-SecretProvider, Export-SecretProvider and
    /// Invoke-WithSecrets -Provider do with them). The first byte of the input chooses the file, the
    /// rest is its content: 'a' an AWS credentials file (-Path, every profile), 'c' an AWS config
    /// file (~/.aws/config, every profile), 'd' a Docker config.json, 'g' Google application
    /// default credentials, 'k' a kubeconfig, 'h' a Hugging Face token file, 'e' a .env file of a
    /// provider that reads variables (azure); any other byte chooses one of them. The files are
    /// written to a private folder (in /dev/shm where there is one).
    /// Contract: the import is refused with one of the provider's own errors naming the file, or
    /// gives the provider's keys, the required ones not empty, and the provider in the metadata;
    /// the secret made of them (as Import-SecretProvider makes it) plans a job and is written back
    /// (refused only by name, for a profile an INI file cannot hold), and what is written imports
    /// as the same keys (for an AWS credentials file given by -Path, without the region, which
    /// belongs to the config file). Detect never fails. Writing a fixed secret back into the file
    /// as it exists (AWS profile ci, a Docker login) gives a file that reads as that secret, the rest
    /// of the file as it was.
    /// </summary>
    internal static class ProviderFilesTarget
    {
        private const string Selectors = "acdgkhe";
        private const int MaxProfiles = 4;
        private const string SecretName = "fuzz/provider";

        public static void Check(byte[] input)
        {
            if (input.Length == 0)
            {
                return;
            }

            char selector = Selectors.IndexOf((char)input[0]) >= 0 ? (char)input[0] : Selectors[input[0] % Selectors.Length];
            var content = input.AsSpan(1).ToArray();
            var sandbox = Sandbox.Fresh();
            Expect.Trace($"file '{selector}', {content.Length} bytes");
            switch (selector)
            {
                case 'a':
                    AwsCredentials(sandbox, content);
                    break;
                case 'c':
                    AwsConfig(sandbox, content);
                    break;
                case 'd':
                    Docker(sandbox, content);
                    break;
                case 'g':
                    OneFile(sandbox, content, "gcp", "adc.json", "GOOGLE_APPLICATION_CREDENTIALS", "provider.type");
                    break;
                case 'k':
                    OneFile(sandbox, content, "kubeconfig", "config", "KUBECONFIG", "provider.context");
                    break;
                case 'h':
                    OneFile(sandbox, content, "huggingface", "token", "HF_TOKEN_PATH", null);
                    break;
                default:
                    OneFile(sandbox, content, "azure", "azure.env", null, null);
                    break;
            }
        }

        /// <summary>An AWS credentials file given by -Path: every profile it has (and default) imported, written back and imported again.</summary>
        private static void AwsCredentials(Sandbox sandbox, byte[] content)
        {
            var aws = SecretProviders.Find("aws");
            var path = sandbox.Input("credentials", content);
            Detect(aws, sandbox.Environment(("AWS_SHARED_CREDENTIALS_FILE", path)));
            var env = sandbox.Environment();
            foreach (var profile in Profiles(content))
            {
                var import = Import(aws, env, path, profile, new[] { path }, "NotText", "InvalidIniFile", "ProviderProfileNotFound", "ProviderSecretInvalid");
                if (import != null)
                {
                    Expect.That(Metadata(import, SecretProvider.ProfileKey) == (profile ?? "default"), "the import records another profile");
                    RoundTrip(aws, sandbox, env, import, sandbox.Output("credentials"), profile, withoutRegion: true);
                }
            }

            // Write-back over the file as it is: the profile ci replaced, the rest kept.
            var fixedKeys = new[] { Exchange.Pair(AwsProvider.AccessKeyId, "AKIAFUZZEXAMPLE"), Exchange.Pair(AwsProvider.SecretAccessKey, "fuzz/secret+key") };
            using var value = Value(fixedKeys);
            IReadOnlyList<ProviderFile> files;
            try
            {
                files = aws.Export(env, SecretName, value, Meta((SecretProvider.ProfileKey, "ci")), path, null);
            }
            catch (InvalidContentException e)
            {
                Expect.Refused(e, path, "NotText");
                return;
            }

            Expect.That(files.Count == 1 && files[0].Path == path, "a write-back with -Path writes another file");
            if (Parses(content))
            {
                var written = sandbox.Write(files[0]);
                var again = aws.Import(env, written, "ci");
                Exchange.SameEntries(fixedKeys, again.Entries, "the profile ci written back into the file and imported again");
            }
        }

        /// <summary>An AWS config file in ~/.aws: every profile it has (and default) imported, written back to another home and imported again.</summary>
        private static void AwsConfig(Sandbox sandbox, byte[] content)
        {
            var aws = SecretProviders.Find("aws");
            var path = sandbox.Input(Path.Combine("home", ".aws", "config"), content);
            var env = sandbox.Environment();
            Detect(aws, env);
            foreach (var profile in Profiles(content))
            {
                var import = Import(aws, env, null, profile, new[] { path, env.InHome(".aws", "credentials") },
                    "NotText", "InvalidIniFile", "ProviderProfileNotFound", "ProviderSecretInvalid");
                if (import != null)
                {
                    RoundTrip(aws, sandbox, env, import, null, profile, withoutRegion: false);
                }
            }

            // Write-back into the config as it is: the region of profile ci set, the rest kept.
            var fixedKeys = new[]
            {
                Exchange.Pair(AwsProvider.AccessKeyId, "AKIAFUZZEXAMPLE"), Exchange.Pair(AwsProvider.SecretAccessKey, "fuzz/secret+key"), Exchange.Pair(AwsProvider.Region, "eu-fuzz-1"),
            };
            using var value = Value(fixedKeys);
            IReadOnlyList<ProviderFile> files;
            try
            {
                files = aws.Export(env, SecretName, value, Meta((SecretProvider.ProfileKey, "ci")), null, null);
            }
            catch (InvalidContentException e)
            {
                Expect.Refused(e, path, "NotText");
                return;
            }

            Expect.That(files.Count == 2 && files[1].Path == path, "the write-back does not write the credentials and the config file");
            if (Parses(content))
            {
                foreach (var file in files)
                {
                    sandbox.Write(file);
                }

                var again = aws.Import(env, null, "ci");
                var keys = again.Entries.Where(e => e.Key != AwsProvider.Region).ToList();
                Exchange.SameEntries(fixedKeys.Take(2).ToList(), keys, "the profile ci written back and imported again");
                var region = again.Entries.FirstOrDefault(e => e.Key == AwsProvider.Region).Value;
                bool shadowed = IniFile.Parse(InteropFiles.ToText(content, "the config", null), "the config").Any(s => s.Name == "ci");
                Expect.That(shadowed || region == "eu-fuzz-1", "the region written back into the config is not read again");
            }
        }

        /// <summary>A Docker config.json: imported, written back and imported again; and a login written back into it.</summary>
        private static void Docker(Sandbox sandbox, byte[] content)
        {
            var docker = SecretProviders.Find("docker");
            var path = sandbox.Input("config.json", content);
            Detect(docker, sandbox.Environment(("DOCKER_CONFIG", Path.GetDirectoryName(path)!)));
            var env = sandbox.Environment();
            var import = Import(docker, env, path, null, new[] { path }, "NotText", "InvalidProviderFile", "ProviderNotConfigured");
            if (import != null)
            {
                var config = YamlTree.ParseSingle(import.Entries[0].Value) as YamlMapping;
                var registries = (config?["auths"] as YamlMapping)?.Entries.Select(e => e.Key.Value).ToList();
                Expect.That(registries != null && registries.Count > 0 && Metadata(import, "provider.registries") == string.Join(", ", registries),
                    "the imported config.json has no logins, or others than the metadata records");
                RoundTrip(docker, sandbox, env, import, sandbox.Output("config.json"), null, withoutRegion: false);
            }

            // Write-back over the file as it is: the login of fuzz.example replaced or added, the rest kept.
            const string ours = "{\"auths\":{\"fuzz.example\":{\"auth\":\"ZnV6ejpwYXNz\"}}}";
            using var value = Value(new[] { Exchange.Pair(DockerProvider.Key, ours) });
            IReadOnlyList<ProviderFile> files;
            try
            {
                files = docker.Export(env, SecretName, value, Meta(), path, null);
            }
            catch (InvalidContentException e)
            {
                Expect.Refused(e, path, "NotText", "InvalidProviderFile");
                return;
            }

            Expect.That(files.Count == 1 && files[0].Path == path, "a write-back with -Path writes another file");
            var before = (YamlMapping)YamlTree.ParseSingle(InteropFiles.ToText(content, "the file", null));
            YamlMapping after;
            try
            {
                after = YamlTree.ParseSingle(Encoding.UTF8.GetString(files[0].Content)) as YamlMapping
                    ?? throw new ContractViolation("the config.json written back is not an object");
            }
            catch (YamlTreeException e)
            {
                throw new ContractViolation("the config.json written back is not JSON: " + e.Message, e);
            }

            var expected = before.Entries.Select(e => e.Key.Value).ToList();
            if (!expected.Contains("auths"))
            {
                expected.Add("auths");
            }

            Expect.That(after.Entries.Select(e => e.Key.Value).SequenceEqual(expected), "the config.json written back has other settings");
            foreach (var entry in before.Entries.Where(e => e.Key.Value != "auths"))
            {
                Expect.That(JsonText.Write(after[entry.Key.Value]!) == JsonText.Write(entry.Value), $"the setting '{Exchange.Show(entry.Key.Value)}' of the config.json written back changed");
            }

            var theirs = (before["auths"] as YamlMapping)?.Entries.Where(e => e.Key.Value != "fuzz.example").ToList() ?? new List<KeyValuePair<YamlScalar, YamlNode>>();
            var auths = after["auths"] as YamlMapping;
            Expect.That(auths != null && auths.Entries.Select(e => e.Key.Value).SequenceEqual(theirs.Select(e => e.Key.Value).Concat(new[] { "fuzz.example" })),
                "the config.json written back has other logins");
            foreach (var login in theirs)
            {
                Expect.That(JsonText.Write(auths![login.Key.Value]!) == JsonText.Write(login.Value), $"the login of '{Exchange.Show(login.Key.Value)}' written back changed");
            }

            var again = docker.Import(env, sandbox.Write(files[0]), null);
            Expect.That(Metadata(again, "provider.registries")!.Split(", ").Contains("fuzz.example"), "the login written back is not imported again");
        }

        /// <summary>A provider that reads one file given by -Path (and by a variable, for Detect): imported, written back and imported again.</summary>
        private static void OneFile(Sandbox sandbox, byte[] content, string name, string fileName, string? variable, string? recorded)
        {
            var provider = SecretProviders.Find(name);
            var path = sandbox.Input(fileName, content);
            Detect(provider, variable == null ? sandbox.Environment() : sandbox.Environment((variable, path)));
            var env = sandbox.Environment();
            var import = Import(provider, env, path, null, new[] { path }, "NotText", "InvalidProviderFile", "InvalidEnvFile", "ProviderNotConfigured");
            if (import == null)
            {
                return;
            }

            if (recorded != null && provider is WholeFileProvider)
            {
                var text = import.Entries[0].Value;
                Expect.That(import.Entries.Count == 1 && text == InteropFiles.ToText(content, "the file", null), "the imported file is not the file's text");
                Expect.That(HasUtf16Bom(content) || Encoding.UTF8.GetBytes(text).SequenceEqual(content.Skip(HasBom(content) ? 3 : 0)), "the imported file is not the file byte for byte");
                var root = (YamlMapping)YamlTree.ParseSingle(text);
                var expected = root.Text(recorded == "provider.type" ? "type" : "current-context");
                Expect.That(Metadata(import, recorded) == expected, $"the import records another {recorded}");
            }

            RoundTrip(provider, sandbox, env, import, sandbox.Output(fileName), null, withoutRegion: false);
        }

        /// <summary>
        /// The import's keys as a secret (as Import-SecretProvider stores it), a job planned with it,
        /// written back to another file or home, and imported again: the same keys.
        /// </summary>
        private static void RoundTrip(SecretProvider provider, Sandbox sandbox, ProviderEnvironment env, ProviderImport import, string? output, string? profile, bool withoutRegion)
        {
            var metadata = import.Metadata.ToDictionary(m => m.Key, m => m.Value);
            SecretValue value;
            try
            {
                value = FlatValues.ToSecretValue(import.Entries.ConvertAll(e => new FlatEntry(e.Key, e.Value, 0)), "the import", null);
            }
            catch (InvalidContentException e) when (e.ErrorId == "InvalidValues")
            {
                Expect.That(!Exchange.Storable(import.Entries), "imported keys a secret can hold were refused: " + e.Message);
                return;
            }

            using (value)
            {
                // An AWS profile is written as an INI section: a name or value an INI file cannot hold is refused by name.
                var profileName = profile ?? "default";
                bool writable = provider.Name != "aws"
                    || (Writable(profileName) && import.Entries.All(e => e.Value.IndexOfAny(new[] { '\n', '\r' }) < 0 && e.Value.Trim() == e.Value));
                ProviderJob job;
                try
                {
                    job = provider.PlanJob(SecretName, value, metadata);
                }
                catch (InvalidContentException e) when (e.ErrorId == "ValueNotExportable")
                {
                    Expect.That(!writable, "a job refused the imported secret: " + e.Message);
                    return;
                }

                Expect.That(writable, $"a job wrote the profile '{Exchange.Show(profileName)}' or a value that an INI file cannot hold");
                Expect.That(job.Masked.All(m => m != null), "a job masks a null value");

                var target = output == null ? sandbox.OtherHome() : env;
                var files = provider.Export(target, SecretName, value, metadata, output, null);
                foreach (var file in files)
                {
                    sandbox.Write(file);
                }

                var again = provider.Import(target, output, profile);
                var expected = import.Entries.Where(e => !withoutRegion || e.Key != AwsProvider.Region).ToList();
                Exchange.SameEntries(expected, again.Entries, $"the {provider.Name} credentials written back and imported again");
                var rewritten = provider.Export(target, SecretName, value, metadata, output, null);
                Expect.That(rewritten.Count == files.Count && rewritten.Zip(files, (a, b) => a.Path == b.Path && a.Content.SequenceEqual(b.Content)).All(same => same),
                    "written back again over what it wrote, the files change");
            }
        }

        /// <summary>Import from the file, checked: one of the provider's refusals naming a file it read, or its keys.</summary>
        private static ProviderImport? Import(SecretProvider provider, ProviderEnvironment env, string? path, string? profile, string[] files, params string[] errorIds)
        {
            ProviderImport import;
            try
            {
                import = provider.Import(env, path, profile);
            }
            catch (SecretsException e)
            {
                Expect.Trace($"refused ({e.ErrorId}): {e.Message}");
                Expect.That(errorIds.Contains(e.ErrorId), $"the {provider.Name} import refused the file as {e.ErrorId}: {e.Message}");
                Expect.That(e.FilePath != null && files.Contains(e.FilePath), $"the {e.ErrorId} error names '{e.FilePath}', not a file the import read");
                Expect.That(e.Message.Contains(e.FilePath!) || e.Message.Contains(env.Display(e.FilePath!)), $"the message of the {e.ErrorId} error does not name the file: {e.Message}");
                return null;
            }

            Expect.Trace($"imported: {string.Join(", ", import.Entries.Select(e => e.Key))}");
            var keys = import.Entries.Select(e => e.Key).ToList();
            Expect.That(keys.Distinct(StringComparer.OrdinalIgnoreCase).Count() == keys.Count, "a key imported twice");
            Expect.That(keys.All(k => provider.Keys.Contains(k) || provider.OptionalKeys.Contains(k)), "a key the provider does not have was imported");
            foreach (var key in provider.Keys)
            {
                Expect.That(import.Entries.Any(e => e.Key == key && e.Value.Length > 0), $"the {provider.Name} import has no value for '{key}', which the provider needs");
            }

            Expect.That(Metadata(import, SecretProvider.ProviderKey) == provider.Name && Metadata(import, SecretProvider.SourceKey) == "file",
                "the import does not record the provider, or that it read a file");
            return import;
        }

        private static void Detect(SecretProvider provider, ProviderEnvironment env)
        {
            var status = provider.Detect(env);
            Expect.Trace($"detect: {status.Configured} {status.Source} {status.Problem}");
            Expect.That(!status.Configured || status.Problem == null, "a provider detected as configured with a problem");
        }

        /// <summary>The profiles to import: default, and the sections of the file when it parses as INI.</summary>
        private static List<string?> Profiles(byte[] content)
        {
            var profiles = new List<string?> { null };
            try
            {
                var text = InteropFiles.ToText(content, "the file", null);
                profiles.AddRange(IniFile.Parse(text, "the file").Where(s => s.Name != null).Select(s => s.Name).Take(MaxProfiles));
            }
            catch (InvalidContentException)
            {
            }

            return profiles;
        }

        private static bool Parses(byte[] content)
        {
            try
            {
                IniFile.Parse(InteropFiles.ToText(content, "the file", null), "the file");
                return true;
            }
            catch (InvalidContentException)
            {
                return false;
            }
        }

        /// <summary>A profile name an INI section header holds as it is.</summary>
        private static bool Writable(string section) => section.Length > 0 && section.Trim() == section && section.IndexOfAny(new[] { '[', ']', '\n', '\r' }) < 0;

        private static string? Metadata(ProviderImport import, string key) => import.Metadata.Where(m => m.Key == key).Select(m => m.Value as string).FirstOrDefault();

        private static SecretValue Value(IEnumerable<KeyValuePair<string, string>> entries) =>
            SecretValue.FromEntries(entries.Select(e => new SecretEntry(e.Key, SecretValue.FromString(e.Value))).ToList());

        private static Dictionary<string, object> Meta(params (string Key, string Value)[] entries) => entries.ToDictionary(e => e.Key, e => (object)e.Value);

        private static bool HasBom(byte[] content) => content.Length >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF;

        private static bool HasUtf16Bom(byte[] content) => content.Length >= 2 && ((content[0] == 0xFF && content[1] == 0xFE) || (content[0] == 0xFE && content[1] == 0xFF));

        /// <summary>A private folder of this process: the input files, a home, and another home to write back to.</summary>
        private sealed class Sandbox
        {
            private static readonly string Root = CreateRoot();

            private Sandbox()
            {
            }

            public static Sandbox Fresh()
            {
                if (Directory.Exists(Root))
                {
                    Directory.Delete(Root, recursive: true);
                }

                Directory.CreateDirectory(Path.Combine(Root, "home"));
                Directory.CreateDirectory(Path.Combine(Root, "in"));
                return new Sandbox();
            }

            public ProviderEnvironment Environment(params (string Name, string Value)[] variables) =>
                new ProviderEnvironment(Path.Combine(Root, "home"), variables.ToDictionary(v => v.Name, v => v.Value), isWindows: false);

            /// <summary>Another home, empty, to write back to.</summary>
            public ProviderEnvironment OtherHome()
            {
                var home = Path.Combine(Root, "home2");
                Directory.CreateDirectory(home);
                return new ProviderEnvironment(home, new Dictionary<string, string>(), isWindows: false);
            }

            /// <summary>Writes an input file (relative to the sandbox's 'in' folder, or 'home/…' in the home) and returns its path.</summary>
            public string Input(string name, byte[] content)
            {
                var path = name.StartsWith("home", StringComparison.Ordinal) ? Path.Combine(Root, name) : Path.Combine(Root, "in", name);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, content);
                return path;
            }

            /// <summary>A path to write back to, which does not exist yet.</summary>
            public string Output(string name)
            {
                var folder = Path.Combine(Root, "out");
                Directory.CreateDirectory(folder);
                return Path.Combine(folder, name);
            }

            public string Write(ProviderFile file)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(file.Path)!);
                File.WriteAllBytes(file.Path, file.Content);
                return file.Path;
            }

            private static string CreateRoot()
            {
                var parent = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
                const string prefix = "secrets-fuzz-providers-";
                foreach (var stale in Directory.EnumerateDirectories(parent, prefix + "*"))
                {
                    if (int.TryParse(Path.GetFileName(stale).Substring(prefix.Length), out var pid) && !Alive(pid))
                    {
                        try
                        {
                            Directory.Delete(stale, recursive: true);
                        }
                        catch (IOException)
                        {
                        }
                        catch (UnauthorizedAccessException)
                        {
                        }
                    }
                }

                var root = Path.Combine(parent, prefix + System.Environment.ProcessId);
                AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                {
                    try
                    {
                        Directory.Delete(root, recursive: true);
                    }
                    catch (IOException)
                    {
                    }
                };
                return root;
            }

            private static bool Alive(int pid)
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    return !process.HasExited;
                }
                catch (ArgumentException)
                {
                    return false;
                }
            }
        }
    }
}
