using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Values;

namespace Secrets.Core.Interop
{
    /// <summary>A Kubernetes Secret: its name, namespace, type, labels and data (bytes, which are secret).</summary>
    public sealed class KubernetesSecret : IDisposable
    {
        public KubernetesSecret(string? name, string type)
        {
            Name = name;
            Type = type;
        }

        /// <summary>metadata.name; null when the manifest has none.</summary>
        public string? Name { get; set; }

        public string? Namespace { get; set; }

        /// <summary>The type (Opaque when the manifest gives none).</summary>
        public string Type { get; set; }

        public List<KeyValuePair<string, string>> Labels { get; } = new List<KeyValuePair<string, string>>();

        public bool? Immutable { get; set; }

        /// <summary>The keys and their bytes, in order (data, then stringData).</summary>
        public List<KeyValuePair<string, byte[]>> Data { get; } = new List<KeyValuePair<string, byte[]>>();

        /// <summary>The line of the manifest it was read from (0 when it was not read).</summary>
        public int Line { get; set; }

        /// <summary>Says which secret this is in messages: "Secret 'web-tls' (line 12)".</summary>
        public string Describe() => (Name == null ? "a Secret without metadata.name" : $"Secret '{Name}'") + (Line > 0 ? $" (line {Line})" : string.Empty);

        public void Dispose()
        {
            foreach (var pair in Data)
            {
                Sensitive.Zero(pair.Value);
            }
        }

        public override string ToString() => $"KubernetesSecret({Name}, {Type}, {Data.Count} keys)";
    }

    /// <summary>
    /// Kubernetes Secret manifests in and out (docs/FORMATS.md): one Secret, a <c>List</c> or
    /// <c>SecretList</c> of them, or several YAML documents; <c>data</c> is base64, <c>stringData</c>
    /// text, and a key in both takes the <c>stringData</c> text, as the API server does. The type,
    /// name, namespace and labels become the secret's metadata; annotations are left out (kubectl's
    /// last-applied-configuration annotation holds the whole Secret, values included, and metadata
    /// is not encrypted).
    /// </summary>
    public static class KubernetesManifest
    {
        public const string TypeKey = "kubernetes.type";
        public const string NameKey = "kubernetes.name";
        public const string NamespaceKey = "kubernetes.namespace";
        public const string LabelsKey = "kubernetes.labels";
        public const string ImmutableKey = "kubernetes.immutable";

        public const string Opaque = "Opaque";
        public const string Tls = "kubernetes.io/tls";
        public const string DockerConfigJson = "kubernetes.io/dockerconfigjson";
        public const string DockerCfg = "kubernetes.io/dockercfg";
        public const string BasicAuth = "kubernetes.io/basic-auth";
        public const string SshAuth = "kubernetes.io/ssh-auth";

        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);
        // \z, not $: '$' also matches before a last line break.
        private static readonly Regex DataKey = new Regex("^[-._a-zA-Z0-9]+\\z", RegexOptions.CultureInvariant);
        private static readonly Regex DnsSubdomain = new Regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\z", RegexOptions.CultureInvariant);

        /// <summary>Whether a document is a Kubernetes object (it has apiVersion and kind).</summary>
        public static bool Looks(YamlMapping mapping) => mapping.Text("apiVersion") != null && mapping.Text("kind") != null;

        /// <summary>Whether text is a Kubernetes Secret manifest (or a list of them): for telling formats apart.</summary>
        public static bool LooksLikeSecrets(string text)
        {
            try
            {
                return YamlTree.Parse(text).OfType<YamlMapping>().Any(m => Looks(m) && (m.Text("kind") == "Secret" || m.Text("kind") == "List" || m.Text("kind") == "SecretList"));
            }
            catch (YamlTreeException)
            {
                return false;
            }
        }

        /// <summary>
        /// The Secrets of a manifest. Objects of other kinds are skipped and described in
        /// <paramref name="skipped"/>. Throws <see cref="InvalidContentException"/> (id
        /// InvalidKubernetesManifest) naming the line, the Secret and the key.
        /// </summary>
        public static List<KubernetesSecret> Parse(string text, string source, string? filePath, List<string> skipped)
        {
            IReadOnlyList<YamlNode?> documents;
            try
            {
                documents = YamlTree.Parse(text);
            }
            catch (YamlTreeException e)
            {
                throw Invalid(source, e.Line, $"it is not valid YAML or JSON: {e.Problem}.", filePath);
            }

            var secrets = new List<KubernetesSecret>();
            try
            {
                for (int d = 0; d < documents.Count; d++)
                {
                    var document = documents[d];
                    if (document == null)
                    {
                        continue;
                    }

                    if (!(document is YamlMapping mapping) || !Looks(mapping))
                    {
                        throw Invalid(source, document.Line, $"document {d + 1} is not a Kubernetes object (it needs apiVersion and kind).", filePath);
                    }

                    var kind = mapping.Text("kind");
                    if (kind == "List" || kind == "SecretList")
                    {
                        if (!(mapping["items"] is YamlSequence items))
                        {
                            if (mapping["items"] is YamlScalar empty && empty.IsNull)
                            {
                                continue;
                            }

                            throw Invalid(source, mapping.Line, $"the {kind} has no 'items' list.", filePath);
                        }

                        foreach (var item in items.Items)
                        {
                            if (!(item is YamlMapping itemMapping) || !Looks(itemMapping))
                            {
                                throw Invalid(source, item.Line, $"an item of the {kind} is not a Kubernetes object (it needs apiVersion and kind).", filePath);
                            }

                            Add(itemMapping, source, filePath, secrets, skipped);
                        }
                    }
                    else
                    {
                        Add(mapping, source, filePath, secrets, skipped);
                    }
                }

                if (secrets.Count == 0)
                {
                    throw Invalid(source, 0, skipped.Count == 0 ? "it holds no Kubernetes Secret." : $"it holds no Kubernetes Secret, only {string.Join("; ", skipped)}.", filePath);
                }

                return secrets;
            }
            catch
            {
                foreach (var secret in secrets)
                {
                    secret.Dispose();
                }

                throw;
            }
        }

        private static void Add(YamlMapping mapping, string source, string? filePath, List<KubernetesSecret> secrets, List<string> skipped)
        {
            var kind = mapping.Text("kind");
            if (kind != "Secret")
            {
                var other = (mapping["metadata"] as YamlMapping)?.Text("name");
                skipped.Add($"a {kind}{(other == null ? string.Empty : $" named '{other}'")} (line {mapping.Line})");
                return;
            }

            var secret = Read(mapping, source, filePath);
            var twin = secrets.FirstOrDefault(s => s.Name != null && s.Name == secret.Name && s.Namespace == secret.Namespace);
            if (twin != null)
            {
                secret.Dispose();
                throw Invalid(source, mapping.Line, $"the Secret '{twin.Name}' appears twice (also on line {twin.Line}).", filePath);
            }

            secrets.Add(secret);
        }

        private static KubernetesSecret Read(YamlMapping mapping, string source, string? filePath)
        {
            var apiVersion = mapping.Text("apiVersion");
            var metadata = mapping["metadata"] as YamlMapping;
            var name = metadata?.Text("name");
            var secret = new KubernetesSecret(name, mapping.Text("type") ?? Opaque) { Line = mapping.Line, Namespace = metadata?.Text("namespace") };
            try
            {
                if (apiVersion != "v1")
                {
                    throw Invalid(source, mapping.Line, $"{secret.Describe()} has apiVersion '{apiVersion}'; a Secret is apiVersion v1.", filePath);
                }

                if (mapping["type"] != null && !(mapping["type"] is YamlScalar typeScalar && !typeScalar.IsNull))
                {
                    throw Invalid(source, mapping["type"]!.Line, $"the type of {secret.Describe()} is not text.", filePath);
                }

                if (metadata?["labels"] is YamlMapping labels)
                {
                    foreach (var label in labels.Entries)
                    {
                        if (!(label.Value is YamlScalar value) || value.IsNull)
                        {
                            throw Invalid(source, label.Key.Line, $"the label '{label.Key.Value}' of {secret.Describe()} has no text value.", filePath);
                        }

                        secret.Labels.Add(new KeyValuePair<string, string>(label.Key.Value, value.Value));
                    }
                }

                if (mapping["immutable"] is YamlScalar immutable && !immutable.IsNull)
                {
                    secret.Immutable = immutable.Value == "true" ? true : immutable.Value == "false" ? false
                        : throw Invalid(source, immutable.Line, $"'immutable' of {secret.Describe()} is neither true nor false.", filePath);
                }

                ReadData(secret, mapping, "data", source, filePath);
                ReadData(secret, mapping, "stringData", source, filePath);
                var problem = TypeProblem(secret);
                if (problem != null)
                {
                    throw Invalid(source, mapping.Line, $"{secret.Describe()} {problem}", filePath);
                }

                return secret;
            }
            catch
            {
                secret.Dispose();
                throw;
            }
        }

        private static void ReadData(KubernetesSecret secret, YamlMapping mapping, string field, string source, string? filePath)
        {
            var node = mapping[field];
            if (node == null || (node is YamlScalar empty && empty.IsNull))
            {
                return;
            }

            if (!(node is YamlMapping data))
            {
                throw Invalid(source, node.Line, $"'{field}' of {secret.Describe()} is {node.Kind}; it must be a mapping of keys to values.", filePath);
            }

            foreach (var entry in data.Entries)
            {
                var key = entry.Key.Value;
                if (key.Length > 253 || !DataKey.IsMatch(key))
                {
                    throw Invalid(source, entry.Key.Line,
                        $"the key '{key}' in '{field}' of {secret.Describe()} is not a valid Secret key (letters, digits, '-', '_' and '.', at most 253 characters).", filePath);
                }

                if (!(entry.Value is YamlScalar scalar))
                {
                    throw Invalid(source, entry.Value.Line,
                        $"the value of '{key}' in '{field}' of {secret.Describe()} is {entry.Value.Kind}; Secret values are text. Put it in quotes as one text.", filePath);
                }

                byte[] bytes;
                if (field == "data")
                {
                    try
                    {
                        bytes = scalar.IsNull ? Array.Empty<byte>() : Convert.FromBase64String(scalar.Value);
                    }
                    catch (FormatException)
                    {
                        throw Invalid(source, entry.Value.Line,
                            $"the value of '{key}' in 'data' of {secret.Describe()} is not valid base64. Encode it (data holds base64), or move the key to stringData, which holds text.", filePath);
                    }
                }
                else
                {
                    if (scalar.IsNull)
                    {
                        throw Invalid(source, entry.Value.Line, $"the value of '{key}' in stringData of {secret.Describe()} is empty (null). Write \"\" for empty text.", filePath);
                    }

                    bytes = StrictUtf8.GetBytes(scalar.Value);
                }

                int existing = secret.Data.FindIndex(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase));
                if (existing >= 0)
                {
                    if (field == "stringData" && secret.Data[existing].Key == key)
                    {
                        // stringData takes precedence over data, as in the API server.
                        Sensitive.Zero(secret.Data[existing].Value);
                        secret.Data[existing] = new KeyValuePair<string, byte[]>(key, bytes);
                        continue;
                    }

                    Sensitive.Zero(bytes);
                    throw Invalid(source, entry.Key.Line, secret.Data[existing].Key == key
                        ? $"the key '{key}' appears twice in {secret.Describe()}."
                        : $"the keys '{secret.Data[existing].Key}' and '{key}' of {secret.Describe()} differ only in case; the keys of a secret are case-insensitive, so it cannot hold both. Rename one.", filePath);
                }

                secret.Data.Add(new KeyValuePair<string, byte[]>(key, bytes));
            }
        }

        /// <summary>What is missing for the Secret's type, as the API server checks it; null when nothing is.</summary>
        public static string? TypeProblem(KubernetesSecret secret)
        {
            bool Has(string key) => secret.Data.Any(p => p.Key == key);
            switch (secret.Type)
            {
                case Tls:
                    return Has("tls.crt") && Has("tls.key") ? null : $"is of type {Tls}, which needs the keys 'tls.crt' and 'tls.key' (it has {Keys(secret)}).";
                case BasicAuth:
                    return Has("username") || Has("password") ? null : $"is of type {BasicAuth}, which needs the key 'username' or 'password' (it has {Keys(secret)}).";
                case SshAuth:
                    return Has("ssh-privatekey") ? null : $"is of type {SshAuth}, which needs the key 'ssh-privatekey' (it has {Keys(secret)}).";
                case DockerCfg:
                    return Has(".dockercfg") ? null : $"is of type {DockerCfg}, which needs the key '.dockercfg' (it has {Keys(secret)}).";
                case DockerConfigJson:
                    var config = secret.Data.FirstOrDefault(p => p.Key == ".dockerconfigjson").Value;
                    if (config == null)
                    {
                        return $"is of type {DockerConfigJson}, which needs the key '.dockerconfigjson' (it has {Keys(secret)}).";
                    }

                    try
                    {
                        var root = YamlTree.ParseSingle(StrictUtf8.GetString(config));
                        return root is YamlMapping m && m["auths"] is YamlMapping ? null : $"is of type {DockerConfigJson}, and its '.dockerconfigjson' is not a Docker config (a JSON object with 'auths').";
                    }
                    catch (Exception e) when (e is YamlTreeException || e is DecoderFallbackException)
                    {
                        return $"is of type {DockerConfigJson}, and its '.dockerconfigjson' is not valid JSON.";
                    }

                default:
                    return null;
            }
        }

        private static string Keys(KubernetesSecret secret) =>
            secret.Data.Count == 0 ? "no keys" : "the keys " + string.Join(", ", secret.Data.Select(p => "'" + p.Key + "'"));

        /// <summary>
        /// The secret's value: a hashtable with one entry per key, a String when its bytes are UTF-8
        /// text a String can hold, a ByteArray otherwise, so that the bytes come back exactly.
        /// </summary>
        public static SecretValue ToSecretValue(KubernetesSecret secret)
        {
            var entries = new List<SecretEntry>();
            try
            {
                foreach (var pair in secret.Data)
                {
                    SecretValue value;
                    try
                    {
                        value = SecretValue.FromUtf8(SecretType.String, pair.Value);
                    }
                    catch (ArgumentException)
                    {
                        value = SecretValue.FromBytes(pair.Value);
                    }

                    entries.Add(new SecretEntry(pair.Key, value));
                }

                return SecretValue.FromEntries(entries);
            }
            catch
            {
                foreach (var entry in entries)
                {
                    entry.Value.Dispose();
                }

                throw;
            }
        }

        /// <summary>The metadata that keeps what the manifest said of the secret: its type, name, namespace, labels.</summary>
        public static List<KeyValuePair<string, object>> ToMetadata(KubernetesSecret secret)
        {
            var metadata = new List<KeyValuePair<string, object>>
            {
                new KeyValuePair<string, object>(TypeKey, secret.Type),
            };
            if (secret.Name != null)
            {
                metadata.Add(new KeyValuePair<string, object>(NameKey, secret.Name));
            }

            if (secret.Namespace != null)
            {
                metadata.Add(new KeyValuePair<string, object>(NamespaceKey, secret.Namespace));
            }

            if (secret.Labels.Count > 0)
            {
                metadata.Add(new KeyValuePair<string, object>(LabelsKey, JsonText.WriteCompactObject(secret.Labels)));
            }

            if (secret.Immutable != null)
            {
                metadata.Add(new KeyValuePair<string, object>(ImmutableKey, secret.Immutable.Value));
            }

            return metadata;
        }

        /// <summary>
        /// A store secret as a Kubernetes Secret: a hashtable's keys, a credential as
        /// kubernetes.io/basic-auth (username, password), a single value as one key named after the
        /// last segment of the secret's name. The type, name, namespace and labels come from the
        /// metadata Import-Secret recorded; the name otherwise from the secret's name.
        /// </summary>
        public static KubernetesSecret FromSecretValue(string secretName, SecretValue value, IReadOnlyDictionary<string, object> metadata, string? namespaceOverride)
        {
            var source = $"secret '{secretName}'";
            string? Text(string key) => metadata.TryGetValue(key, out var v) ? v as string : null;
            var type = Text(TypeKey) ?? (value.Type == SecretType.PSCredential ? BasicAuth : Opaque);
            var name = Text(NameKey) ?? FlatValues.LastSegment(secretName).ToLowerInvariant().Replace('_', '-');
            if (name.Length > 253 || !DnsSubdomain.IsMatch(name))
            {
                throw new InvalidContentException("ValueNotExportable", source, 0,
                    $"'{name}' is not a valid Kubernetes name (lower-case letters, digits, '-' and '.'). Give the Secret a name in the metadata: "
                    + $"Set-SecretInfo -Name '{secretName}' -Metadata @{{ '{NameKey}' = 'my-secret' }} (with the secret's other metadata).");
            }

            var secret = new KubernetesSecret(name, type) { Namespace = namespaceOverride ?? Text(NamespaceKey) };
            try
            {
                if (metadata.TryGetValue(ImmutableKey, out var immutable) && immutable is bool flag)
                {
                    secret.Immutable = flag;
                }

                var labels = Text(LabelsKey);
                if (labels != null)
                {
                    try
                    {
                        if (YamlTree.ParseSingle(labels) is YamlMapping mapping)
                        {
                            foreach (var label in mapping.Entries)
                            {
                                if (label.Value is YamlScalar scalar && !scalar.IsNull)
                                {
                                    secret.Labels.Add(new KeyValuePair<string, string>(label.Key.Value, scalar.Value));
                                }
                            }
                        }
                    }
                    catch (YamlTreeException)
                    {
                        throw new InvalidContentException("ValueNotExportable", source, 0,
                            $"its metadata '{LabelsKey}' is not a JSON object of label names to values. Fix it with Set-SecretInfo.");
                    }
                }

                switch (value.Type)
                {
                    case SecretType.Hashtable:
                        foreach (var entry in value.Entries)
                        {
                            if (entry.Value.Type == SecretType.PSCredential)
                            {
                                throw new InvalidContentException("ValueNotExportable", source, 0,
                                    $"the key '{entry.Key}' holds a PSCredential. Store its user name and password as two keys of their own to export them.");
                            }

                            AddKey(secret, entry.Key, entry.Value.GetBytes(), source);
                        }

                        break;
                    case SecretType.PSCredential:
                        AddKey(secret, "username", StrictUtf8.GetBytes(value.UserName!), source);
                        AddKey(secret, "password", value.GetBytes(), source);
                        break;
                    default:
                        AddKey(secret, FlatValues.LastSegment(secretName), value.GetBytes(), source);
                        break;
                }

                var problem = TypeProblem(secret);
                if (problem != null)
                {
                    throw new InvalidContentException("ValueNotExportable", source, 0,
                        $"the Kubernetes Secret it would make {problem} Change the keys, or the type in its metadata ('{TypeKey}').");
                }

                return secret;
            }
            catch
            {
                secret.Dispose();
                throw;
            }
        }

        private static void AddKey(KubernetesSecret secret, string key, byte[] bytes, string source)
        {
            if (key.Length > 253 || !DataKey.IsMatch(key))
            {
                Sensitive.Zero(bytes);
                throw new InvalidContentException("ValueNotExportable", source, 0,
                    $"the key '{key}' is not a valid Kubernetes Secret key (letters, digits, '-', '_' and '.'). Rename the key.");
            }

            secret.Data.Add(new KeyValuePair<string, byte[]>(key, bytes));
        }

        /// <summary>The Secrets as YAML for <c>kubectl apply -f -</c>: one document each, separated by <c>---</c>; every value in data, base64.</summary>
        public static string Write(IEnumerable<KubernetesSecret> secrets)
        {
            var documents = new List<string>();
            foreach (var secret in secrets)
            {
                var yaml = new YamlText();
                yaml.StartMapping();
                yaml.Key("apiVersion");
                yaml.Text("v1");
                yaml.Key("kind");
                yaml.Text("Secret");
                yaml.Key("metadata");
                yaml.StartMapping();
                yaml.Key("name");
                yaml.Text(secret.Name!);
                if (secret.Namespace != null)
                {
                    yaml.Key("namespace");
                    yaml.Text(secret.Namespace);
                }

                if (secret.Labels.Count > 0)
                {
                    yaml.Key("labels");
                    yaml.StartMapping();
                    foreach (var label in secret.Labels)
                    {
                        yaml.Key(label.Key);
                        yaml.Text(label.Value);
                    }

                    yaml.EndMapping();
                }

                yaml.EndMapping();
                yaml.Key("type");
                yaml.Text(secret.Type);
                if (secret.Immutable != null)
                {
                    yaml.Key("immutable");
                    yaml.Literal(secret.Immutable.Value ? "true" : "false");
                }

                yaml.Key("data");
                yaml.StartMapping();
                foreach (var pair in secret.Data)
                {
                    yaml.Key(pair.Key);
                    yaml.Text(Convert.ToBase64String(pair.Value));
                }

                yaml.EndMapping();
                yaml.EndMapping();
                documents.Add(yaml.Finish());
            }

            return string.Join("---\n", documents);
        }

        /// <summary>
        /// A kubernetes.io/tls Secret of a certificate chain and its private key, as
        /// <c>kubectl create secret tls</c> makes it; the texts are checked to be PEM, the key to be
        /// unencrypted and to belong to the first certificate. Throws <see cref="InvalidContentException"/>.
        /// </summary>
        public static KubernetesSecret NewTls(byte[] certificate, string certificateSource, string? certificatePath, byte[] key, string keySource, string? keyPath)
        {
            var certificateText = Text(certificate, certificateSource, certificatePath);
            var keyText = Text(key, keySource, keyPath);
            var certificates = Pem.ReadCertificates(certificateText, certificateSource, certificatePath);
            var privateKey = Pem.ReadPrivateKey(keyText, keySource, keyPath);
            if (Pem.Matches(certificates[0], privateKey) == false)
            {
                throw new InvalidContentException("TlsKeyMismatch", keySource, 0,
                    $"the private key does not belong to the first certificate of {certificateSource}. Give the key of that certificate (or put the server's certificate first in the chain).", keyPath);
            }

            var secret = new KubernetesSecret(null, Tls);
            secret.Data.Add(new KeyValuePair<string, byte[]>("tls.crt", (byte[])certificate.Clone()));
            secret.Data.Add(new KeyValuePair<string, byte[]>("tls.key", (byte[])key.Clone()));
            return secret;
        }

        /// <summary>
        /// A kubernetes.io/dockerconfigjson Secret for one registry, as
        /// <c>kubectl create secret docker-registry</c> makes it: <c>.dockerconfigjson</c> holds
        /// <c>{"auths":{server:{username, password, email, auth}}}</c>, auth being base64 of user:password.
        /// </summary>
        public static KubernetesSecret NewDockerRegistry(string server, string userName, byte[] passwordUtf8, string? email)
        {
            if (string.IsNullOrWhiteSpace(server) || server.Any(char.IsWhiteSpace))
            {
                throw new InvalidInputException("InvalidDockerRegistry", "Server", "The registry server is empty or has spaces; give a host such as 'ghcr.io' or 'registry.example.com:5000'.");
            }

            if (string.IsNullOrEmpty(userName) || userName.IndexOf(':') >= 0)
            {
                throw new InvalidInputException("InvalidDockerRegistry", "Credential",
                    "The registry user name is empty or contains ':', which a Docker 'auth' (user:password in base64) cannot hold. Give the user name the registry knows.");
            }

            var password = StrictUtf8.GetString(passwordUtf8);
            var entry = new List<KeyValuePair<string, string>>
            {
                new KeyValuePair<string, string>("username", userName),
                new KeyValuePair<string, string>("password", password),
            };
            if (!string.IsNullOrEmpty(email))
            {
                entry.Add(new KeyValuePair<string, string>("email", email!));
            }

            entry.Add(new KeyValuePair<string, string>("auth", Convert.ToBase64String(StrictUtf8.GetBytes(userName + ":" + password))));
            var json = "{\"auths\":{" + JsonText.Quote(server) + ":" + JsonText.WriteCompactObject(entry) + "}}";
            var secret = new KubernetesSecret(null, DockerConfigJson);
            secret.Data.Add(new KeyValuePair<string, byte[]>(".dockerconfigjson", StrictUtf8.GetBytes(json)));
            return secret;
        }

        private static string Text(byte[] bytes, string source, string? filePath)
        {
            try
            {
                return StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw new InvalidContentException("InvalidPem", source, 0, "it is not text; give the PEM form (openssl x509 -inform der -in cert.der -out cert.pem).", filePath);
            }
        }

        private static InvalidContentException Invalid(string source, int line, string problem, string? filePath) =>
            new InvalidContentException("InvalidKubernetesManifest", source, line, problem, filePath);
    }
}
