using System;
using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Interop;
using Secrets.Core.Values;

namespace Secrets.Fuzz.Targets
{
    /// <summary>
    /// Flat JSON and YAML files (<c>FlatValues.ParseStructured</c>, and <c>SecretExchange.Read</c>
    /// as Import-Secret reads a .json or .yaml file), on the input as Import-Secret reads a file: as
    /// JSON when it starts with '{', as YAML otherwise (the format only changes the words of the
    /// messages). Contract: refused with InvalidValues or NestedValue (or NotText) naming the file,
    /// or read as non-empty keys, unique ignoring case; the import is the hashtable of exactly those
    /// keys (refused only when there is none, or for what no secret holds); exported as JSON and as
    /// YAML and read again, the same keys and texts, and the same text when written again. Telling
    /// the format of the text (-Content) gives a format or FormatUnknown.
    /// </summary>
    internal static class FlatValuesTarget
    {
        public const string JsonPath = "/fuzz/project/settings.json";
        public const string YamlPath = "/fuzz/project/settings.yaml";

        public static void Check(byte[] input)
        {
            bool json = input.Length > 0 && input[0] == (byte)'{';
            var path = json ? JsonPath : YamlPath;
            var format = json ? ExchangeFormat.Json : ExchangeFormat.Yaml;
            var text = Exchange.Text(input, path);
            if (text == null)
            {
                return;
            }

            Exchange.Detect(text, path);
            IReadOnlyList<FlatEntry> entries;
            try
            {
                entries = FlatValues.ParseStructured(text, json ? "JSON" : "YAML", InteropFiles.Describe(path), path);
            }
            catch (InvalidContentException e)
            {
                Expect.Refused(e, path, "InvalidValues", "NestedValue");
                Expect.That(Exchange.Import(text, format, path, null, new List<string>(), "InvalidValues", "NestedValue") == null,
                    "Import-Secret read a file that FlatValues.ParseStructured refuses");
                return;
            }

            Expect.Trace($"read {entries.Count} keys");
            Expect.That(entries.All(e => e.Key.Length > 0 && e.Value != null), "an empty key or a null value read");
            Expect.That(entries.Select(e => e.Key).Distinct(StringComparer.OrdinalIgnoreCase).Count() == entries.Count, "a key read twice");
            var pairs = Exchange.Pairs(entries);
            var imported = Exchange.Import(text, format, path, null, new List<string>(), "InvalidValues");
            try
            {
                if (imported == null)
                {
                    Expect.That(entries.Count == 0 || !Exchange.Storable(pairs), "Import-Secret refused a file whose keys a secret can hold");
                    return;
                }

                Expect.That(entries.Count > 0, "Import-Secret read a file without keys");
                var secret = Exchange.One(imported, entries, "the import");
                RoundTrip(secret.Value, pairs, ExchangeFormat.Json);
                RoundTrip(secret.Value, pairs, ExchangeFormat.Yaml);
            }
            finally
            {
                Exchange.Dispose(imported);
            }
        }

        /// <summary>Export-Secret -Format Json or Yaml of the imported secret, read again.</summary>
        private static void RoundTrip(SecretValue value, List<KeyValuePair<string, string>> pairs, ExchangeFormat format)
        {
            var what = $"the exported {format}";
            var written = SecretExchange.Write(format, new[] { new ExportItem("fuzz/values", value, new Dictionary<string, object>()) }, null, null);
            IReadOnlyList<FlatEntry> again;
            try
            {
                again = FlatValues.ParseStructured(written, format.ToString(), "the exported text");
            }
            catch (InvalidContentException e)
            {
                throw new ContractViolation($"{what} is refused: " + e.Message, e);
            }

            Exchange.SameEntries(pairs, Exchange.Pairs(again), what + " read again");
            var reimported = SecretExchange.Read(written, format, "the exported text", null, null, new List<string>());
            try
            {
                var rewritten = SecretExchange.Write(format, new[] { new ExportItem("fuzz/values", reimported[0].Value, new Dictionary<string, object>()) }, null, null);
                Expect.That(rewritten == written, what + ", imported and exported again, is another text");
            }
            finally
            {
                Exchange.Dispose(reimported);
            }
        }
    }
}
