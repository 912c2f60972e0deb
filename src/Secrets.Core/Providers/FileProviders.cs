using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Secrets.Core.Errors;
using Secrets.Core.Interop;
using Secrets.Core.Values;

namespace Secrets.Core.Providers
{
    /// <summary>
    /// A provider whose tools keep their credentials in one file, stored whole under one key
    /// (Google's application default credentials, a kubeconfig): the file's text comes back byte
    /// for byte, and a job gets it as a file named by the variables the tools read.
    /// </summary>
    public abstract class WholeFileProvider : SecretProvider
    {
        /// <summary>The key that holds the file's text.</summary>
        protected abstract string Key { get; }

        /// <summary>The file's name in the job's folder.</summary>
        protected abstract string JobFileName { get; }

        /// <summary>Where the file is read from and written back to when -Path is not given.</summary>
        protected abstract string DefaultFile(ProviderEnvironment environment);

        /// <summary>Checks the text is such a file and adds what to record of it; throws <see cref="InvalidContentException"/>.</summary>
        protected abstract void Inspect(YamlNode root, string source, string path, ProviderImport import);

        /// <summary>The values inside the file to mask in a job's output.</summary>
        protected abstract IEnumerable<string> SecretsIn(YamlNode root);

        public override IReadOnlyList<string> Keys => new[] { Key };

        public override IReadOnlyList<string> JobFiles => new[] { JobFileName };

        public override IReadOnlyList<string> DefaultFiles(ProviderEnvironment environment) => new[] { DefaultFile(environment) };

        public override ProviderStatus Detect(ProviderEnvironment environment)
        {
            var file = DefaultFile(environment);
            if (!File.Exists(file))
            {
                return new ProviderStatus(false, null);
            }

            try
            {
                var import = new ProviderImport();
                Inspect(Parse(Read(file), InteropFiles.Describe(file), file), InteropFiles.Describe(file), file, import);
                return new ProviderStatus(true, environment.Display(file));
            }
            catch (SecretsException e)
            {
                return new ProviderStatus(false, environment.Display(file), e.Message);
            }
        }

        public override ProviderImport Import(ProviderEnvironment environment, string? path, string? profile)
        {
            NoProfile(profile);
            var file = path ?? DefaultFile(environment);
            if (path == null && !File.Exists(file))
            {
                throw NotConfigured($"there is no {environment.Display(file)}");
            }

            var text = Read(file);
            var source = InteropFiles.Describe(file);
            var import = NewImport(environment.Display(file), fromFile: true);
            Inspect(Parse(text, source, file), source, file, import);
            if (text.Length > SecretValue.MaxTextLength)
            {
                throw new InvalidContentException("InvalidProviderFile", source, 0,
                    $"it is {Errors.MessageText.Count(text.Length)} characters long; a secret's text is at most {Errors.MessageText.Count(SecretValue.MaxTextLength)}.", file);
            }

            import.Entries.Add(new KeyValuePair<string, string>(Key, text));
            return import;
        }

        public override IReadOnlyList<ProviderFile> Export(ProviderEnvironment environment, string secretName, SecretValue value, IReadOnlyDictionary<string, object> metadata, string? path, string? profile)
        {
            NoProfile(profile);
            var text = TextKeys(secretName, value)[Key];
            return new[] { new ProviderFile(path ?? DefaultFile(environment), Utf8(text)) };
        }

        public override ProviderJob PlanJob(string secretName, SecretValue value, IReadOnlyDictionary<string, object> metadata)
        {
            var text = TextKeys(secretName, value)[Key];
            var job = new ProviderJob();
            job.Files.Add(new KeyValuePair<string, byte[]>(JobFileName, Utf8(text)));
            foreach (var variable in JobVariables)
            {
                job.PathVariables.Add((variable, JobFileName, "{0}"));
            }

            job.Masked.AddRange(SecretsIn(Parse(text, $"the key '{Key}' of secret '{secretName}'", null)));
            return job;
        }

        private YamlNode Parse(string text, string source, string? path)
        {
            try
            {
                return YamlTree.ParseSingle(text);
            }
            catch (YamlTreeException e)
            {
                throw new InvalidContentException("InvalidProviderFile", source, e.Line, $"it is not a {Name} credentials file: {e.Problem}.", path);
            }
        }

        /// <summary>Every scalar under one of the keys, anywhere in the tree (iteratively).</summary>
        protected static IEnumerable<string> ValuesOf(YamlNode root, ICollection<string> keys)
        {
            var pending = new Stack<YamlNode>();
            pending.Push(root);
            while (pending.Count > 0)
            {
                switch (pending.Pop())
                {
                    case YamlMapping mapping:
                        foreach (var entry in mapping.Entries)
                        {
                            if (keys.Contains(entry.Key.Value) && entry.Value is YamlScalar scalar && !scalar.IsNull)
                            {
                                yield return scalar.Value;
                            }
                            else
                            {
                                pending.Push(entry.Value);
                            }
                        }

                        break;
                    case YamlSequence sequence:
                        foreach (var item in sequence.Items)
                        {
                            pending.Push(item);
                        }

                        break;
                }
            }
        }
    }

    /// <summary>Google Cloud application default credentials (a user's, or a service account key).</summary>
    public sealed class GcpProvider : WholeFileProvider
    {
        private static readonly string[] SecretFields = { "private_key", "private_key_id", "client_secret", "refresh_token" };

        public override string Name => "gcp";

        public override string Description => "Google Cloud application default credentials (a JSON file)";

        protected override string Key => "credentials.json";

        protected override string JobFileName => "application_default_credentials.json";

        public override IReadOnlyList<string> Variables { get; } = new[] { "GOOGLE_APPLICATION_CREDENTIALS", "CLOUDSDK_CONFIG" };

        public override IReadOnlyList<string> JobVariables { get; } = new[] { "GOOGLE_APPLICATION_CREDENTIALS", "CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE" };

        protected override string DefaultFile(ProviderEnvironment environment)
        {
            var named = environment.Variable("GOOGLE_APPLICATION_CREDENTIALS");
            if (named != null)
            {
                return named;
            }

            var folder = environment.Variable("CLOUDSDK_CONFIG")
                ?? (environment.IsWindows && environment.Variable("APPDATA") != null
                    ? Path.Combine(environment.Variable("APPDATA")!, "gcloud")
                    : environment.InHome(".config", "gcloud"));
            return Path.Combine(folder, "application_default_credentials.json");
        }

        protected override void Inspect(YamlNode root, string source, string path, ProviderImport import)
        {
            var type = (root as YamlMapping)?.Text("type");
            if (type == null)
            {
                throw new InvalidContentException("InvalidProviderFile", source, root.Line,
                    "it is not a Google credentials file (a JSON object with a 'type', such as authorized_user or service_account).", path);
            }

            import.Metadata.Add(new KeyValuePair<string, object>("provider.type", type));
        }

        protected override IEnumerable<string> SecretsIn(YamlNode root) => ValuesOf(root, SecretFields);
    }

    /// <summary>A kubeconfig: clusters, users and contexts, tokens and client keys included.</summary>
    public sealed class KubeconfigProvider : WholeFileProvider
    {
        private static readonly string[] SecretFields = { "token", "client-key-data", "password", "id-token", "refresh-token", "client-secret", "access-token" };

        public override string Name => "kubeconfig";

        public override string Description => "Kubernetes clusters, users and contexts (a kubeconfig file)";

        protected override string Key => "config";

        protected override string JobFileName => "config";

        public override IReadOnlyList<string> Variables { get; } = new[] { "KUBECONFIG" };

        public override IReadOnlyList<string> JobVariables { get; } = new[] { "KUBECONFIG" };

        protected override string DefaultFile(ProviderEnvironment environment)
        {
            var list = environment.Variable("KUBECONFIG");
            var first = list?.Split(new[] { environment.IsWindows ? ';' : ':' }, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return first ?? environment.InHome(".kube", "config");
        }

        public override ProviderImport Import(ProviderEnvironment environment, string? path, string? profile)
        {
            var import = base.Import(environment, path, profile);
            var list = environment.Variable("KUBECONFIG");
            if (path == null && list != null && list.Split(new[] { environment.IsWindows ? ';' : ':' }, StringSplitOptions.RemoveEmptyEntries).Length > 1)
            {
                import.Warnings.Add($"KUBECONFIG names several files; only the first, '{DefaultFile(environment)}', was imported. Import the others with -Path.");
            }

            return import;
        }

        protected override void Inspect(YamlNode root, string source, string path, ProviderImport import)
        {
            var mapping = root as YamlMapping;
            if (mapping == null || (mapping.Text("kind") != "Config" && mapping["clusters"] == null && mapping["contexts"] == null && mapping["users"] == null))
            {
                throw new InvalidContentException("InvalidProviderFile", source, root.Line,
                    "it is not a kubeconfig (a YAML mapping with clusters, users and contexts).", path);
            }

            var context = mapping.Text("current-context");
            if (context != null)
            {
                import.Metadata.Add(new KeyValuePair<string, object>("provider.context", context));
            }
        }

        protected override IEnumerable<string> SecretsIn(YamlNode root) => ValuesOf(root, SecretFields);
    }

    /// <summary>Docker registry logins: the auths of ~/.docker/config.json (not those a credential helper keeps).</summary>
    public sealed class DockerProvider : SecretProvider
    {
        public const string Key = "config.json";
        private static readonly string[] Fields = { "auth", "username", "password", "email", "identitytoken", "registrytoken" };

        public override string Name => "docker";

        public override string Description => "Docker registry logins (the auths of ~/.docker/config.json)";

        public override IReadOnlyList<string> Keys { get; } = new[] { Key };

        public override IReadOnlyList<string> Variables { get; } = new[] { "DOCKER_CONFIG" };

        public override IReadOnlyList<string> JobVariables { get; } = new[] { "DOCKER_CONFIG" };

        public override IReadOnlyList<string> JobFiles { get; } = new[] { "config.json" };

        public override IReadOnlyList<string> DefaultFiles(ProviderEnvironment environment) => new[] { DefaultFile(environment) };

        private static string DefaultFile(ProviderEnvironment environment) =>
            Path.Combine(environment.Variable("DOCKER_CONFIG") ?? environment.InHome(".docker"), "config.json");

        public override ProviderStatus Detect(ProviderEnvironment environment)
        {
            var file = DefaultFile(environment);
            if (!File.Exists(file))
            {
                return new ProviderStatus(false, null);
            }

            try
            {
                var registries = Logins(Parse(Read(file), InteropFiles.Describe(file), file), InteropFiles.Describe(file), file).Select(l => l.Key).ToList();
                return new ProviderStatus(true, $"{environment.Display(file)} ({string.Join(", ", registries)})");
            }
            catch (SecretsException e)
            {
                return new ProviderStatus(false, environment.Display(file), e.Message);
            }
        }

        public override ProviderImport Import(ProviderEnvironment environment, string? path, string? profile)
        {
            NoProfile(profile);
            var file = path ?? DefaultFile(environment);
            if (path == null && !File.Exists(file))
            {
                throw NotConfigured($"there is no {environment.Display(file)}");
            }

            var source = InteropFiles.Describe(file);
            var logins = Logins(Parse(Read(file), source, file), source, file);
            var import = NewImport($"{environment.Display(file)} ({string.Join(", ", logins.Select(l => l.Key))})", fromFile: true);
            import.Metadata.Add(new KeyValuePair<string, object>("provider.registries", string.Join(", ", logins.Select(l => l.Key))));
            import.Entries.Add(new KeyValuePair<string, string>(Key, Minimal(logins)));
            return import;
        }

        public override IReadOnlyList<ProviderFile> Export(ProviderEnvironment environment, string secretName, SecretValue value, IReadOnlyDictionary<string, object> metadata, string? path, string? profile)
        {
            NoProfile(profile);
            var file = path ?? DefaultFile(environment);
            var ours = (YamlMapping)ParseSecret(secretName, value);
            if (!File.Exists(file))
            {
                return new[] { new ProviderFile(file, Utf8(JsonText.Write(ours))) };
            }

            // Merge into the existing file, as docker login does: our registries replace theirs, the rest stays.
            var existing = Parse(Read(file), InteropFiles.Describe(file), file) as YamlMapping
                ?? throw new InvalidContentException("InvalidProviderFile", InteropFiles.Describe(file), 0, "it is not a JSON object. Move it away, or give -Path.", file);
            var ourAuths = (YamlMapping)ours["auths"]!;
            var auths = new YamlMapping(0);
            if (existing["auths"] is YamlMapping theirs)
            {
                foreach (var entry in theirs.Entries)
                {
                    if (ourAuths[entry.Key.Value] != null)
                    {
                        continue;
                    }

                    // A login kept as it is must be one Docker (and Import-SecretProvider) can read.
                    if (!(entry.Value is YamlMapping))
                    {
                        throw new InvalidContentException("InvalidProviderFile", InteropFiles.Describe(file), entry.Value.Line,
                            $"the login for '{entry.Key.Value}' is not a JSON object, and writing into the file would keep it. Correct or remove that login, or give -Path.", file);
                    }

                    auths.Add(entry.Key, entry.Value);
                }
            }

            foreach (var entry in ourAuths.Entries)
            {
                auths.Add(entry.Key, entry.Value);
            }

            var merged = new YamlMapping(0);
            bool placed = false;
            foreach (var entry in existing.Entries)
            {
                if (entry.Key.Value == "auths")
                {
                    merged.Add(entry.Key, auths);
                    placed = true;
                }
                else
                {
                    merged.Add(entry.Key, entry.Value);
                }
            }

            if (!placed)
            {
                merged.Add(new YamlScalar("auths", false, 0), auths);
            }

            return new[] { new ProviderFile(file, Utf8(JsonText.Write(merged))) };
        }

        public override ProviderJob PlanJob(string secretName, SecretValue value, IReadOnlyDictionary<string, object> metadata)
        {
            var root = ParseSecret(secretName, value);
            var job = new ProviderJob();
            job.Files.Add(new KeyValuePair<string, byte[]>("config.json", Utf8(JsonText.Write(root))));
            job.PathVariables.Add(("DOCKER_CONFIG", string.Empty, "{0}"));
            foreach (var login in ((YamlMapping)root)["auths"] is YamlMapping auths ? auths.Entries : new List<KeyValuePair<YamlScalar, YamlNode>>())
            {
                if (!(login.Value is YamlMapping fields))
                {
                    continue;
                }

                foreach (var field in new[] { "auth", "password", "identitytoken", "registrytoken" })
                {
                    var text = fields.Text(field);
                    if (text != null)
                    {
                        job.Masked.Add(text);
                    }
                }

                var password = DecodedPassword(fields.Text("auth"));
                if (password != null)
                {
                    job.Masked.Add(password);
                }
            }

            return job;
        }

        private YamlNode ParseSecret(string secretName, SecretValue value)
        {
            var text = TextKeys(secretName, value)[Key];
            var source = $"the key '{Key}' of secret '{secretName}'";
            var root = Parse(text, source, null);
            if (!(root is YamlMapping mapping) || !(mapping["auths"] is YamlMapping))
            {
                throw new InvalidContentException("ProviderSecretInvalid", source, 0, "it is not a Docker config (a JSON object with 'auths').");
            }

            return root;
        }

        /// <summary>The registries that have credentials in the file; throws when none has.</summary>
        private List<KeyValuePair<string, List<KeyValuePair<string, string>>>> Logins(YamlNode root, string source, string path)
        {
            var mapping = root as YamlMapping
                ?? throw new InvalidContentException("InvalidProviderFile", source, root.Line, "it is not a Docker config (a JSON object with 'auths').", path);
            var logins = new List<KeyValuePair<string, List<KeyValuePair<string, string>>>>();
            if (mapping["auths"] is YamlMapping auths)
            {
                foreach (var entry in auths.Entries)
                {
                    if (!(entry.Value is YamlMapping fields))
                    {
                        throw new InvalidContentException("InvalidProviderFile", source, entry.Value.Line, $"the login for '{entry.Key.Value}' is not a JSON object.", path);
                    }

                    var kept = Fields.Select(f => new KeyValuePair<string, string>(f, fields.Text(f)!)).Where(p => p.Value != null).ToList();
                    if (kept.Any(p => p.Key == "auth" || p.Key == "password" || p.Key == "identitytoken" || p.Key == "registrytoken"))
                    {
                        logins.Add(new KeyValuePair<string, List<KeyValuePair<string, string>>>(entry.Key.Value, kept));
                    }
                }
            }

            if (logins.Count == 0)
            {
                var helper = mapping.Text("credsStore") ?? (mapping["credHelpers"] is YamlMapping helpers && helpers.Entries.Count > 0 ? "credHelpers" : null);
                throw new InvalidContentException("ProviderNotConfigured", source, 0, helper != null
                    ? $"its logins are kept by the credential helper '{helper}', not in the file, so there is nothing to import. "
                        + "Make a registry secret instead: Import-Secret -Name regcred -Server <registry> -Credential (Get-Credential)."
                    : "it holds no registry login ('auths' is empty). Log in with docker login first.", path);
            }

            return logins;
        }

        /// <summary>A config.json holding the logins only, indented.</summary>
        private static string Minimal(List<KeyValuePair<string, List<KeyValuePair<string, string>>>> logins)
        {
            var builder = new StringBuilder("{\n  \"auths\": {");
            for (int i = 0; i < logins.Count; i++)
            {
                builder.Append(i == 0 ? "\n    " : ",\n    ");
                JsonText.AppendString(builder, logins[i].Key);
                builder.Append(": ").Append(JsonText.WriteCompactObject(logins[i].Value));
            }

            return builder.Append("\n  }\n}\n").ToString();
        }

        private static string? DecodedPassword(string? auth)
        {
            if (auth == null)
            {
                return null;
            }

            try
            {
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
                int colon = text.IndexOf(':');
                return colon < 0 ? null : text.Substring(colon + 1);
            }
            catch (FormatException)
            {
                return null;
            }
        }

        private YamlNode Parse(string text, string source, string? path)
        {
            try
            {
                return YamlTree.ParseSingle(text);
            }
            catch (YamlTreeException e)
            {
                throw new InvalidContentException("InvalidProviderFile", source, e.Line, $"it is not valid JSON: {e.Problem}. Move it away, or give -Path.", path);
            }
        }
    }

    /// <summary>An SSH key pair: a private key and, when there is one, its public key next to it.</summary>
    public sealed class SshProvider : SecretProvider
    {
        public const string PrivateKey = "private_key";
        public const string PublicKey = "public_key";
        public const string FileKey = "provider.file";
        private static readonly string[] Candidates = { "id_ed25519", "id_ecdsa", "id_rsa" };

        public override string Name => "ssh";

        public override string Description => "An SSH key pair (~/.ssh/id_ed25519 and id_ed25519.pub)";

        public override IReadOnlyList<string> Keys { get; } = new[] { PrivateKey };

        public override IReadOnlyList<string> OptionalKeys { get; } = new[] { PublicKey };

        public override IReadOnlyList<string> Variables { get; } = Array.Empty<string>();

        public override IReadOnlyList<string> JobVariables { get; } = new[] { "GIT_SSH_COMMAND" };

        public override IReadOnlyList<string> JobFiles { get; } = new[] { "id_ed25519 (the key's own file name)", "id_ed25519.pub" };

        public override IReadOnlyList<string> DefaultFiles(ProviderEnvironment environment) =>
            Candidates.Select(c => environment.InHome(".ssh", c)).ToList();

        public override ProviderStatus Detect(ProviderEnvironment environment)
        {
            var found = DefaultFiles(environment).Where(File.Exists).Select(environment.Display).ToList();
            return found.Count > 0 ? new ProviderStatus(true, string.Join(", ", found)) : new ProviderStatus(false, null);
        }

        public override ProviderImport Import(ProviderEnvironment environment, string? path, string? profile)
        {
            NoProfile(profile);
            var file = path ?? DefaultFiles(environment).FirstOrDefault(File.Exists)
                ?? throw NotConfigured($"there is none of {string.Join(", ", DefaultFiles(environment).Select(environment.Display))}");
            var text = Read(file);
            if (!IsPrivateKey(text))
            {
                throw new InvalidContentException("InvalidProviderFile", InteropFiles.Describe(file), 0,
                    "it is not a private key (-----BEGIN OPENSSH PRIVATE KEY----- or another PEM private key). Give the private key, not the .pub file.", file);
            }

            var import = NewImport(environment.Display(file), fromFile: true);
            import.Metadata.Add(new KeyValuePair<string, object>(FileKey, Path.GetFileName(file)));
            import.Entries.Add(new KeyValuePair<string, string>(PrivateKey, text));
            if (File.Exists(file + ".pub"))
            {
                import.Entries.Add(new KeyValuePair<string, string>(PublicKey, Read(file + ".pub")));
                import.Source += " and " + environment.Display(file + ".pub");
            }

            return import;
        }

        public override IReadOnlyList<ProviderFile> Export(ProviderEnvironment environment, string secretName, SecretValue value, IReadOnlyDictionary<string, object> metadata, string? path, string? profile)
        {
            NoProfile(profile);
            var keys = TextKeys(secretName, value);
            var file = path ?? environment.InHome(".ssh", FileName(metadata, secretName));
            var files = new List<ProviderFile> { new ProviderFile(file, Utf8(keys[PrivateKey])) };
            if (keys.TryGetValue(PublicKey, out var publicKey) && publicKey.Length > 0)
            {
                files.Add(new ProviderFile(file + ".pub", Utf8(publicKey), InteropFiles.PublicRead));
            }

            return files;
        }

        public override ProviderJob PlanJob(string secretName, SecretValue value, IReadOnlyDictionary<string, object> metadata)
        {
            var keys = TextKeys(secretName, value);
            var name = FileName(metadata, secretName);
            var job = new ProviderJob();
            job.Files.Add(new KeyValuePair<string, byte[]>(name, Utf8(keys[PrivateKey])));
            if (keys.TryGetValue(PublicKey, out var publicKey) && publicKey.Length > 0)
            {
                job.Files.Add(new KeyValuePair<string, byte[]>(name + ".pub", Utf8(publicKey)));
            }

            job.PathVariables.Add(("GIT_SSH_COMMAND", name, "ssh -i '{0}' -o IdentitiesOnly=yes"));
            job.Masked.Add(keys[PrivateKey]);
            return job;
        }

        private static bool IsPrivateKey(string text) =>
            text.IndexOf("-----BEGIN ", StringComparison.Ordinal) >= 0 && text.IndexOf("PRIVATE KEY-----", StringComparison.Ordinal) >= 0;

        /// <summary>The key's file name as imported (id_ed25519), when it is a plain file name.</summary>
        private static string FileName(IReadOnlyDictionary<string, object> metadata, string secretName)
        {
            var name = MetadataText(metadata, FileKey) ?? "id_ed25519";
            if (name.Length == 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.IndexOf('/') >= 0 || name.IndexOf('\\') >= 0 || name.StartsWith(".", StringComparison.Ordinal) || name.IndexOf('\'') >= 0)
            {
                throw new InvalidContentException("ProviderSecretInvalid", $"secret '{secretName}'", 0,
                    $"its metadata '{FileKey}' is not a plain file name. Fix it with Set-SecretInfo.");
            }

            return name;
        }
    }
}
