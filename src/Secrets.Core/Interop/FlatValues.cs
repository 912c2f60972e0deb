using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Secrets.Core.Errors;
using Secrets.Core.Values;

namespace Secrets.Core.Interop
{
    /// <summary>
    /// Flat files (a .env file, a JSON object, a YAML mapping, an INI section) to and from hashtable
    /// secrets: one text per key. Messages name the file, the line and the key, never a value.
    /// </summary>
    public static class FlatValues
    {
        /// <summary>
        /// The keys of a JSON object or a YAML mapping of keys to text. Nested values are refused,
        /// naming the key and the keys it holds, and saying how to flatten them. Throws
        /// <see cref="InvalidContentException"/> (id InvalidValues or NestedValue).
        /// </summary>
        public static IReadOnlyList<FlatEntry> ParseStructured(string text, string format, string source, string? filePath = null)
        {
            IReadOnlyList<YamlNode?> documents;
            try
            {
                documents = YamlTree.Parse(text);
            }
            catch (YamlTreeException e)
            {
                throw new InvalidContentException("InvalidValues", source, e.Line, $"it is not valid {format}: {e.Problem}.", filePath);
            }

            var roots = documents.Where(d => d != null).ToList();
            if (roots.Count != 1)
            {
                throw new InvalidContentException("InvalidValues", source, roots.Count > 1 ? roots[1]!.Line : 0,
                    roots.Count == 0 ? $"it holds no {format} object." : $"it holds {roots.Count} documents; give one {format} object of keys to text.", filePath);
            }

            if (!(roots[0] is YamlMapping mapping))
            {
                throw new InvalidContentException("InvalidValues", source, roots[0]!.Line,
                    $"it is {roots[0]!.Kind}, not an object of keys to text.", filePath);
            }

            if (KubernetesManifest.Looks(mapping))
            {
                throw new InvalidContentException("InvalidValues", source, mapping.Line,
                    $"it is a Kubernetes manifest (kind: {mapping.Text("kind")}), not a flat object of keys to text. Import it with -Format Kubernetes.", filePath);
            }

            var entries = new List<FlatEntry>();
            var seen = new Dictionary<string, FlatEntry>(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in mapping.Entries)
            {
                var key = pair.Key.Value;
                if (key.Length == 0)
                {
                    throw new InvalidContentException("InvalidValues", source, pair.Key.Line, "a key is empty; every key must be a non-empty text.", filePath);
                }

                switch (pair.Value)
                {
                    case YamlMapping nested:
                        var example = nested.Entries.Count > 0 ? $"'{key}.{nested.Entries[0].Key.Value}'" : $"'{key}.<name>'";
                        throw new InvalidContentException("NestedValue", source, pair.Value.Line,
                            $"the value of '{key}' is a mapping (keys {string.Join(", ", nested.Entries.Select(e => "'" + e.Key.Value + "'"))}); a secret holds one text per key. "
                            + $"Flatten it: make each of its keys a key of its own, such as {example}, or store it as one text in quotes.", filePath);
                    case YamlSequence list:
                        throw new InvalidContentException("NestedValue", source, pair.Value.Line,
                            $"the value of '{key}' is a list of {list.Items.Count} items; a secret holds one text per key. "
                            + $"Flatten it: make each item a key of its own ('{key}.0', '{key}.1', …), or store the list as one text in quotes.", filePath);
                    case YamlScalar scalar when scalar.IsNull:
                        throw new InvalidContentException("InvalidValues", source, pair.Value.Line,
                            $"the value of '{key}' is empty (null). Give it a value, in quotes (\"\") for empty text, or remove the key.", filePath);
                    case YamlScalar scalar:
                        if (seen.TryGetValue(key, out var earlier))
                        {
                            throw new InvalidContentException("InvalidValues", source, pair.Key.Line,
                                $"the keys '{earlier.Key}' (line {earlier.Line}) and '{key}' differ only in case; the keys of a secret are case-insensitive. Keep one of them.", filePath);
                        }

                        var entry = new FlatEntry(key, scalar.Value, pair.Key.Line);
                        seen[key] = entry;
                        entries.Add(entry);
                        break;
                }
            }

            return entries;
        }

        /// <summary>
        /// A hashtable secret of the entries, each a String. Throws <see cref="InvalidContentException"/>
        /// (id InvalidValues) for too many keys, a key too long or a text too long, naming it.
        /// </summary>
        public static SecretValue ToSecretValue(IReadOnlyList<FlatEntry> entries, string source, string? filePath = null)
        {
            if (entries.Count > SecretValue.MaxEntries)
            {
                throw new InvalidContentException("InvalidValues", source, entries[SecretValue.MaxEntries].Line,
                    $"it has {MessageText.Count(entries.Count)} keys; a hashtable secret holds at most {MessageText.Count(SecretValue.MaxEntries)}. Split it into several secrets.", filePath);
            }

            var result = new List<SecretEntry>(entries.Count);
            try
            {
                foreach (var entry in entries)
                {
                    var what = $"the value of '{entry.Key}'";
                    SecretValue value;
                    try
                    {
                        SecretValue.CheckTextLength(entry.Value.Length, what);
                        value = SecretValue.FromString(entry.Value);
                    }
                    catch (EncoderFallbackException)
                    {
                        throw new InvalidContentException("InvalidValues", source, entry.Line, $"{what} is not valid text: it has an unpaired UTF-16 surrogate character.", filePath);
                    }
                    catch (ArgumentException e)
                    {
                        throw new InvalidContentException("InvalidValues", source, entry.Line, FirstLine(e), filePath);
                    }

                    try
                    {
                        result.Add(new SecretEntry(entry.Key, value));
                    }
                    catch (ArgumentException e)
                    {
                        value.Dispose();
                        throw new InvalidContentException("InvalidValues", source, entry.Line, FirstLine(e), filePath);
                    }
                }

                return SecretValue.FromEntries(result);
            }
            catch
            {
                foreach (var entry in result)
                {
                    entry.Value.Dispose();
                }

                throw;
            }
        }

        /// <summary>
        /// The keys and texts a flat file of <paramref name="format"/> would hold for a secret: a
        /// hashtable's text keys, a credential's UserName and Password, or one key named after the
        /// last segment of the secret's name for a single text. Byte arrays and credentials inside a
        /// hashtable are refused (<see cref="InvalidContentException"/>, id ValueNotExportable), naming the key.
        /// </summary>
        public static List<KeyValuePair<string, string>> ToTextEntries(SecretValue value, string secretName, string format)
        {
            var source = $"secret '{secretName}'";
            var entries = new List<KeyValuePair<string, string>>();
            switch (value.Type)
            {
                case SecretType.Hashtable:
                    foreach (var entry in value.Entries)
                    {
                        switch (entry.Value.Type)
                        {
                            case SecretType.ByteArray:
                                throw new InvalidContentException("ValueNotExportable", source, 0,
                                    $"the key '{entry.Key}' holds bytes, and a {format} file holds text. Export it with -Format Kubernetes (which keeps bytes as base64), or store the key as text.");
                            case SecretType.PSCredential:
                                throw new InvalidContentException("ValueNotExportable", source, 0,
                                    $"the key '{entry.Key}' holds a PSCredential. Store its user name and password as two keys of their own to export them.");
                            default:
                                entries.Add(new KeyValuePair<string, string>(entry.Key, entry.Value.GetText()));
                                break;
                        }
                    }

                    break;
                case SecretType.PSCredential:
                    entries.Add(new KeyValuePair<string, string>("UserName", value.UserName!));
                    entries.Add(new KeyValuePair<string, string>("Password", value.GetText()));
                    break;
                case SecretType.ByteArray:
                    throw new InvalidContentException("ValueNotExportable", source, 0,
                        $"it holds bytes, and a {format} file holds text. Export it with -Format Kubernetes (which keeps bytes as base64).");
                default:
                    entries.Add(new KeyValuePair<string, string>(LastSegment(secretName), value.GetText()));
                    break;
            }

            return entries;
        }

        /// <summary>The last segment of a secret name: the key a single value gets in a file of keys.</summary>
        public static string LastSegment(string secretName)
        {
            int slash = secretName.LastIndexOf('/');
            return slash < 0 ? secretName : secretName.Substring(slash + 1);
        }

        /// <summary>An argument exception's message without the parameter name .NET appends.</summary>
        public static string FirstLine(ArgumentException e)
        {
            var message = e.Message.Split('\n')[0].Trim();
            var suffix = $" (Parameter '{e.ParamName}')";
            return e.ParamName != null && message.EndsWith(suffix, StringComparison.Ordinal) ? message.Substring(0, message.Length - suffix.Length) : message;
        }
    }
}
