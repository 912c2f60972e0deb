using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Values;

namespace Secrets.Core.Interop
{
    /// <summary>The file formats secrets are imported from and exported to (docs/FORMATS.md).</summary>
    public enum ExchangeFormat
    {
        /// <summary>A .env file: NAME=value lines.</summary>
        Env,

        /// <summary>A JSON object of keys to text.</summary>
        Json,

        /// <summary>A YAML mapping of keys to text.</summary>
        Yaml,

        /// <summary>One section of an INI file (~/.aws/credentials).</summary>
        Ini,

        /// <summary>Kubernetes Secret manifests (YAML or JSON).</summary>
        Kubernetes,
    }

    /// <summary>A secret read from a file: the name the file gives it (Kubernetes), its value and the metadata to record.</summary>
    public sealed class ImportedSecret : IDisposable
    {
        public ImportedSecret(string? name, SecretValue value, IReadOnlyList<KeyValuePair<string, object>> metadata, string description)
        {
            Name = name;
            Value = value;
            Metadata = metadata;
            Description = description;
        }

        /// <summary>The name in the file (a Kubernetes Secret's metadata.name); null for flat files.</summary>
        public string? Name { get; }

        public SecretValue Value { get; }

        /// <summary>Metadata describing where the value came from (the Kubernetes type and labels, the INI section).</summary>
        public IReadOnlyList<KeyValuePair<string, object>> Metadata { get; }

        /// <summary>For messages: "Secret 'web-tls' (line 3)", "section [default]".</summary>
        public string Description { get; }

        public void Dispose() => Value.Dispose();

        public override string ToString() => $"ImportedSecret({Description})";
    }

    /// <summary>A secret to export: its name, value and metadata.</summary>
    public sealed class ExportItem
    {
        public ExportItem(string name, SecretValue value, IReadOnlyDictionary<string, object> metadata)
        {
            Name = name;
            Value = value;
            Metadata = metadata;
        }

        public string Name { get; }

        public SecretValue Value { get; }

        public IReadOnlyDictionary<string, object> Metadata { get; }

        public override string ToString() => $"ExportItem({Name})";
    }

    /// <summary>Reading and writing secrets in the <see cref="ExchangeFormat"/>s.</summary>
    public static class SecretExchange
    {
        /// <summary>The metadata key that records the INI section a secret was imported from.</summary>
        public const string IniSectionKey = "ini.section";

        /// <summary>
        /// The format a file name implies: .env (and .env.*, *.env) Env; .json Json; .yaml and .yml
        /// Yaml; .ini, .cfg and the AWS files credentials and config in a .aws folder Ini; null otherwise.
        /// Json and Yaml files holding Kubernetes Secrets are told apart by <see cref="Refine"/>.
        /// </summary>
        public static ExchangeFormat? FromFileName(string path)
        {
            var name = Path.GetFileName(path).ToLowerInvariant();
            var folder = Path.GetFileName(Path.GetDirectoryName(path) ?? string.Empty).ToLowerInvariant();
            var extension = Path.GetExtension(name);
            if (name == ".env" || name.StartsWith(".env.", StringComparison.Ordinal) || extension == ".env")
            {
                return ExchangeFormat.Env;
            }

            switch (extension)
            {
                case ".json":
                    return ExchangeFormat.Json;
                case ".yaml":
                case ".yml":
                    return ExchangeFormat.Yaml;
                case ".ini":
                case ".cfg":
                    return ExchangeFormat.Ini;
            }

            return folder == ".aws" && (name == "credentials" || name == "config") ? ExchangeFormat.Ini : (ExchangeFormat?)null;
        }

        /// <summary>Json or Yaml text that holds Kubernetes Secrets is Kubernetes; any other format stays as it is.</summary>
        public static ExchangeFormat Refine(ExchangeFormat format, string text) =>
            (format == ExchangeFormat.Json || format == ExchangeFormat.Yaml) && KubernetesManifest.LooksLikeSecrets(text) ? ExchangeFormat.Kubernetes : format;

        /// <summary>
        /// The format of text whose name says nothing: INI when its first line is a [section]
        /// header, Kubernetes when it holds Secret manifests, Yaml when it is a mapping (JSON
        /// included), Env when its first line is NAME=value. Throws <see cref="InvalidContentException"/>
        /// (FormatUnknown) otherwise.
        /// </summary>
        public static ExchangeFormat Detect(string text, string source, string? filePath)
        {
            var first = text.Replace("\r\n", "\n").Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && l[0] != '#' && l[0] != ';');
            if (first != null && first.Length > 2 && first[0] == '[' && first[first.Length - 1] == ']' && first.IndexOf(',') < 0 && first.IndexOf('"') < 0)
            {
                return ExchangeFormat.Ini;
            }

            try
            {
                var documents = YamlTree.Parse(text);
                if (documents.OfType<YamlMapping>().Any())
                {
                    return KubernetesManifest.LooksLikeSecrets(text) ? ExchangeFormat.Kubernetes : ExchangeFormat.Yaml;
                }
            }
            catch (YamlTreeException)
            {
            }

            if (first != null && System.Text.RegularExpressions.Regex.IsMatch(first, "^(export\\s+)?[A-Za-z_][A-Za-z0-9_.-]*\\s*="))
            {
                return ExchangeFormat.Env;
            }

            throw new InvalidContentException("FormatUnknown", source, 0,
                "its format cannot be told from its name or its content. Give -Format Env, Json, Yaml, Ini or Kubernetes.", filePath);
        }

        /// <summary>
        /// The secrets the text holds: one for flat formats (Ini: the section named by
        /// <paramref name="section"/>, or the only one), one per Secret for Kubernetes (objects of
        /// other kinds are described in <paramref name="skipped"/>). Throws <see cref="InvalidContentException"/>.
        /// </summary>
        public static List<ImportedSecret> Read(string text, ExchangeFormat format, string source, string? filePath, string? section, List<string> skipped)
        {
            if (text.Length > YamlTree.MaxTextLength)
            {
                throw new InvalidContentException("InvalidValues", source, 0,
                    $"it is {MessageText.Count(text.Length)} characters long; at most {MessageText.Count(YamlTree.MaxTextLength)} are read.", filePath);
            }

            if (section != null && format != ExchangeFormat.Ini)
            {
                throw new InvalidInputException("SectionNotApplicable", "Section", $"-Section chooses a section of an INI file; {source} is read as {format}.");
            }

            switch (format)
            {
                case ExchangeFormat.Env:
                    var variables = NotEmpty(DotEnv.Parse(text, source, filePath), "InvalidEnvFile", "it holds no NAME=value line", source, filePath);
                    return One(FlatValues.ToSecretValue(variables, source, filePath), Array.Empty<KeyValuePair<string, object>>(), source);
                case ExchangeFormat.Json:
                case ExchangeFormat.Yaml:
                    var entries = NotEmpty(FlatValues.ParseStructured(text, format == ExchangeFormat.Json ? "JSON" : "YAML", source, filePath), "InvalidValues", "it holds no key", source, filePath);
                    return One(FlatValues.ToSecretValue(entries, source, filePath), Array.Empty<KeyValuePair<string, object>>(), source);
                case ExchangeFormat.Ini:
                    var chosen = IniFile.Select(IniFile.Parse(text, source, filePath), section, source, filePath);
                    var metadata = chosen.Name == null ? Array.Empty<KeyValuePair<string, object>>() : new[] { new KeyValuePair<string, object>(IniSectionKey, chosen.Name) };
                    var settings = NotEmpty(IniFile.Flatten(chosen, source, filePath), "InvalidIniFile", $"its section {chosen} holds no 'key = value' line", source, filePath);
                    return One(FlatValues.ToSecretValue(settings, source, filePath), metadata, $"{chosen} of {source}");
                case ExchangeFormat.Kubernetes:
                    return ImportKubernetes(KubernetesManifest.Parse(text, source, filePath, skipped), source, filePath);
                default:
                    throw new ArgumentOutOfRangeException(nameof(format));
            }
        }

        /// <summary>
        /// The secrets of the Secrets read (disposed here), or InvalidKubernetesManifest naming the
        /// Secret that has more keys than a hashtable secret holds.
        /// </summary>
        private static List<ImportedSecret> ImportKubernetes(List<KubernetesSecret> secrets, string source, string? filePath)
        {
            var result = new List<ImportedSecret>();
            try
            {
                var tooMany = secrets.FirstOrDefault(s => s.Data.Count > SecretValue.MaxEntries);
                if (tooMany != null)
                {
                    throw new InvalidContentException("InvalidKubernetesManifest", source, tooMany.Line,
                        $"{tooMany.Describe()} has {MessageText.Count(tooMany.Data.Count)} keys; a hashtable secret holds at most {MessageText.Count(SecretValue.MaxEntries)}. Split it into several Secrets.", filePath);
                }

                foreach (var secret in secrets)
                {
                    result.Add(new ImportedSecret(secret.Name, KubernetesManifest.ToSecretValue(secret), KubernetesManifest.ToMetadata(secret), secret.Describe()));
                }

                return result;
            }
            catch
            {
                foreach (var imported in result)
                {
                    imported.Dispose();
                }

                throw;
            }
            finally
            {
                foreach (var secret in secrets)
                {
                    secret.Dispose();
                }
            }
        }

        /// <summary>
        /// The text of the secrets in a format. Only Kubernetes takes several (one document each);
        /// the flat formats take one. Throws <see cref="InvalidContentException"/> (id ValueNotExportable)
        /// naming the secret and the key that the format cannot hold.
        /// </summary>
        public static string Write(ExchangeFormat format, IReadOnlyList<ExportItem> items, string? section, string? kubernetesNamespace)
        {
            if (items.Count == 0)
            {
                throw new ArgumentException("Nothing to export.", nameof(items));
            }

            if (format != ExchangeFormat.Kubernetes && items.Count > 1)
            {
                throw new InvalidInputException("ExportNeedsOneSecret", "Name",
                    $"A {format} file holds one secret, and {items.Count} were given ({string.Join(", ", items.Select(i => "'" + i.Name + "'"))}). Export them one at a time, or as -Format Kubernetes.");
            }

            if (section != null && format != ExchangeFormat.Ini)
            {
                throw new InvalidInputException("SectionNotApplicable", "Section", $"-Section names the section of an INI file; this export is {format}.");
            }

            if (kubernetesNamespace != null && format != ExchangeFormat.Kubernetes)
            {
                throw new InvalidInputException("NamespaceNotApplicable", "Namespace", $"-Namespace applies to Kubernetes manifests; this export is {format}.");
            }

            var item = items[0];
            switch (format)
            {
                case ExchangeFormat.Env:
                    return DotEnv.Write(FlatValues.ToTextEntries(item.Value, item.Name, ".env"), item.Name);
                case ExchangeFormat.Json:
                    return JsonText.WriteFlatObject(FlatValues.ToTextEntries(item.Value, item.Name, "JSON"));
                case ExchangeFormat.Yaml:
                    return YamlText.WriteFlatMapping(FlatValues.ToTextEntries(item.Value, item.Name, "YAML"));
                case ExchangeFormat.Ini:
                    var name = section ?? (item.Metadata.TryGetValue(IniSectionKey, out var recorded) ? recorded as string : null) ?? "default";
                    return IniFile.WriteSection(name, FlatValues.ToTextEntries(item.Value, item.Name, "INI"), item.Name);
                case ExchangeFormat.Kubernetes:
                    var secrets = new List<KubernetesSecret>();
                    try
                    {
                        foreach (var each in items)
                        {
                            secrets.Add(KubernetesManifest.FromSecretValue(each.Name, each.Value, each.Metadata, kubernetesNamespace));
                        }

                        var twins = secrets.GroupBy(s => (s.Namespace, s.Name)).FirstOrDefault(g => g.Count() > 1);
                        if (twins != null)
                        {
                            throw new InvalidInputException("ExportNameClash", "Name",
                                $"Two of the secrets would be the Kubernetes Secret '{twins.Key.Name}'{(twins.Key.Namespace == null ? string.Empty : " in namespace '" + twins.Key.Namespace + "'")}. "
                                + $"Give one of them another name in its metadata ('{KubernetesManifest.NameKey}').");
                        }

                        return KubernetesManifest.Write(secrets);
                    }
                    finally
                    {
                        foreach (var secret in secrets)
                        {
                            secret.Dispose();
                        }
                    }

                default:
                    throw new ArgumentOutOfRangeException(nameof(format));
            }
        }

        private static IReadOnlyList<FlatEntry> NotEmpty(IReadOnlyList<FlatEntry> entries, string errorId, string problem, string source, string? filePath) =>
            entries.Count > 0 ? entries : throw new InvalidContentException(errorId, source, 0, problem + ", so there is nothing to import.", filePath);

        private static List<ImportedSecret> One(SecretValue value, IReadOnlyList<KeyValuePair<string, object>> metadata, string description) =>
            new List<ImportedSecret> { new ImportedSecret(null, value, metadata, description) };
    }
}
