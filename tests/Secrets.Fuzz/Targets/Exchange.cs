using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Secrets.Core.Interop;
using Secrets.Core.Values;

namespace Secrets.Fuzz.Targets
{
    /// <summary>What the targets of the exchange formats (Import-Secret, Export-Secret) share.</summary>
    internal static class Exchange
    {
        /// <summary>
        /// The input as Import-Secret reads a file (<c>InteropFiles.ToText</c>: UTF-8, or UTF-16 with
        /// a byte order mark), or null when it is refused as not text, which is checked to name the file.
        /// </summary>
        public static string? Text(byte[] input, string path)
        {
            try
            {
                return InteropFiles.ToText(input, InteropFiles.Describe(path), path);
            }
            catch (InvalidContentException e)
            {
                Expect.Refused(e, path, "NotText");
                return null;
            }
        }

        /// <summary>
        /// Telling the format of text without a telling name (what -Content does): a format, or
        /// FormatUnknown naming the file.
        /// </summary>
        public static void Detect(string text, string path)
        {
            try
            {
                var format = SecretExchange.Detect(text, InteropFiles.Describe(path), path);
                Expect.That(Enum.IsDefined(typeof(ExchangeFormat), format), $"detected as {format}");
            }
            catch (InvalidContentException e)
            {
                Expect.Refused(e, path, "FormatUnknown");
            }
        }

        /// <summary>
        /// The secrets <c>SecretExchange.Read</c> makes of the text (what Import-Secret stores), or
        /// null when it refuses it with one of <paramref name="errorIds"/>, naming the file.
        /// </summary>
        public static List<ImportedSecret>? Import(string text, ExchangeFormat format, string path, string? section, List<string> skipped, params string[] errorIds)
        {
            try
            {
                return SecretExchange.Read(text, format, InteropFiles.Describe(path), path, section, skipped);
            }
            catch (InvalidContentException e)
            {
                Expect.Refused(e, path, errorIds);
                return null;
            }
        }

        /// <summary>The one secret of a flat format's import, checked to be the hashtable of exactly these entries.</summary>
        public static ImportedSecret One(List<ImportedSecret> imported, IReadOnlyList<FlatEntry> entries, string what)
        {
            Expect.That(imported.Count == 1, $"{what}: {imported.Count} secrets imported from a flat file");
            var secret = imported[0];
            Expect.That(secret.Name == null, $"{what}: a flat file gave its secret a name");
            Expect.That(secret.Value.Type == SecretType.Hashtable, $"{what}: the secret is a {secret.Value.Type}, not a hashtable");
            SameEntries(entries.Select(e => Pair(e.Key, e.Value)).ToList(), TextEntries(secret.Value), what + ": the secret's keys and values are not those read");
            return secret;
        }

        /// <summary>
        /// Whether a hashtable secret can hold these keys and texts: at most 1,000 keys, each of at
        /// most 256 bytes, each text of at most 65,536 characters (what an import may refuse them for).
        /// </summary>
        public static bool Storable(IEnumerable<KeyValuePair<string, string>> entries)
        {
            var list = entries.ToList();
            return list.Count <= SecretValue.MaxEntries
                && list.All(e => e.Value.Length <= SecretValue.MaxTextLength && Encoding.UTF8.GetByteCount(e.Key) <= SecretValue.MaxKeyBytes);
        }

        /// <summary>The keys and texts of a hashtable secret whose values are all text.</summary>
        public static List<KeyValuePair<string, string>> TextEntries(SecretValue value)
        {
            Expect.That(value.Type == SecretType.Hashtable, $"a {value.Type} where a hashtable was expected");
            Expect.That(value.Entries.All(e => e.Value.Type == SecretType.String), "a key of an imported flat file is not a String");
            return value.Entries.Select(e => Pair(e.Key, e.Value.GetText())).ToList();
        }

        /// <summary>The same keys with the same texts, in the same order.</summary>
        public static void SameEntries(IReadOnlyList<KeyValuePair<string, string>> expected, IReadOnlyList<KeyValuePair<string, string>> actual, string what)
        {
            Expect.That(expected.Count == actual.Count, $"{what}: {expected.Count} keys expected, {actual.Count} given");
            for (int i = 0; i < expected.Count; i++)
            {
                Expect.That(expected[i].Key == actual[i].Key, $"{what}: key {i + 1} is '{Show(actual[i].Key)}', not '{Show(expected[i].Key)}'");
                Expect.That(expected[i].Value == actual[i].Value, $"{what}: the value of '{Show(expected[i].Key)}' differs ({expected[i].Value.Length} characters expected, {actual[i].Value.Length} given)");
            }
        }

        public static List<KeyValuePair<string, string>> Pairs(IEnumerable<FlatEntry> entries) => entries.Select(e => Pair(e.Key, e.Value)).ToList();

        public static KeyValuePair<string, string> Pair(string key, string value) => new KeyValuePair<string, string>(key, value);

        /// <summary>A key for a message, its control characters escaped.</summary>
        public static string Show(string text)
        {
            var builder = new StringBuilder();
            foreach (char c in text.Length > 80 ? text.Substring(0, 80) + "…" : text)
            {
                if (char.IsControl(c) || char.IsSurrogate(c) || c == '\u2028' || c == '\u2029')
                {
                    builder.Append("\\u").Append(((int)c).ToString("x4"));
                }
                else
                {
                    builder.Append(c);
                }
            }

            return builder.ToString();
        }

        /// <summary>Disposes every secret imported.</summary>
        public static void Dispose(IEnumerable<ImportedSecret>? imported)
        {
            foreach (var secret in imported ?? Enumerable.Empty<ImportedSecret>())
            {
                secret.Dispose();
            }
        }
    }
}
