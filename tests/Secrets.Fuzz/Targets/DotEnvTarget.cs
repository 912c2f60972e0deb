using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Secrets.Core.Interop;
using Secrets.Core.Values;

namespace Secrets.Fuzz.Targets
{
    /// <summary>
    /// .env files (<c>DotEnv.Parse</c>, and <c>SecretExchange.Read</c> as Import-Secret reads one),
    /// on the input as Import-Secret reads a file. Contract: refused with InvalidEnvFile (or NotText)
    /// naming the file, or read as entries whose names are variable names, unique ignoring case,
    /// on increasing lines; the import is the hashtable of exactly those entries (refused only when
    /// there is none, or for what no secret holds); written by the exporter (<c>DotEnv.Write</c>, which
    /// refuses by name a key that is not a portable variable name) and read again, the same entries,
    /// and the same text when written again.
    /// </summary>
    internal static class DotEnvTarget
    {
        public const string Path = "/fuzz/project/.env";
        private static readonly Regex Name = new Regex("^[A-Za-z_][A-Za-z0-9_.-]*\\z", RegexOptions.CultureInvariant);
        private static readonly Regex Portable = new Regex("^[A-Za-z_][A-Za-z0-9_]*\\z", RegexOptions.CultureInvariant);

        public static void Check(byte[] input)
        {
            var text = Exchange.Text(input, Path);
            if (text == null)
            {
                return;
            }

            Exchange.Detect(text, Path);
            IReadOnlyList<FlatEntry> entries;
            try
            {
                entries = DotEnv.Parse(text, InteropFiles.Describe(Path), Path);
            }
            catch (InvalidContentException e)
            {
                Expect.Refused(e, Path, "InvalidEnvFile");
                var again = Exchange.Import(text, ExchangeFormat.Env, Path, null, new List<string>(), "InvalidEnvFile");
                Expect.That(again == null, "Import-Secret read a .env file that DotEnv.Parse refuses");
                return;
            }

            Expect.Trace($"read {entries.Count} entries");
            int lines = text.Replace("\r\n", "\n").Split('\n').Length;
            for (int i = 0; i < entries.Count; i++)
            {
                Expect.That(Name.IsMatch(entries[i].Key), $"the name '{Exchange.Show(entries[i].Key)}' read is not a variable name");
                Expect.That(entries[i].Value != null, "a null value read");
                Expect.That(entries[i].Line >= 1 && entries[i].Line <= lines && (i == 0 || entries[i].Line > entries[i - 1].Line),
                    $"entry {i + 1} on line {entries[i].Line}, after line {(i == 0 ? 0 : entries[i - 1].Line)}, of {lines}");
            }

            Expect.That(entries.Select(e => e.Key).Distinct(StringComparer.OrdinalIgnoreCase).Count() == entries.Count, "a name read twice");

            var pairs = Exchange.Pairs(entries);
            var imported = Exchange.Import(text, ExchangeFormat.Env, Path, null, new List<string>(), "InvalidEnvFile", "InvalidValues");
            try
            {
                if (imported == null)
                {
                    Expect.That(entries.Count == 0 || !Exchange.Storable(pairs), "Import-Secret refused a .env file whose entries a secret can hold");
                }
                else
                {
                    Expect.That(entries.Count > 0, "Import-Secret read a .env file without entries");
                    var secret = Exchange.One(imported, entries, "the import");
                    RoundTrip(secret.Value, pairs);
                }
            }
            finally
            {
                Exchange.Dispose(imported);
            }

            // The writer on its own, with the entries whose names it can write.
            var portable = pairs.Where(p => Portable.IsMatch(p.Key)).ToList();
            var written = DotEnv.Write(portable, "fuzz/env");
            Exchange.SameEntries(portable, Exchange.Pairs(DotEnv.Parse(written, "the written text")), "the entries written by DotEnv.Write and read again");
        }

        /// <summary>Export-Secret -Format Env of the imported secret, read again.</summary>
        private static void RoundTrip(SecretValue value, List<KeyValuePair<string, string>> pairs)
        {
            var item = new[] { new ExportItem("fuzz/env", value, new Dictionary<string, object>()) };
            var notPortable = pairs.FirstOrDefault(p => !Portable.IsMatch(p.Key)).Key;
            string written;
            try
            {
                written = SecretExchange.Write(ExchangeFormat.Env, item, null, null);
            }
            catch (InvalidContentException e) when (e.ErrorId == "ValueNotExportable")
            {
                Expect.Trace("not exportable: " + e.Message);
                Expect.That(notPortable != null && e.Message.Contains($"'{notPortable}'"),
                    "the export refused a secret whose keys are all variable names, or without naming the key: " + e.Message);
                return;
            }

            Expect.That(notPortable == null, $"the export wrote the key '{Exchange.Show(notPortable ?? string.Empty)}', which is not a portable variable name");
            IReadOnlyList<FlatEntry> again;
            try
            {
                again = DotEnv.Parse(written, "the exported text");
            }
            catch (InvalidContentException e)
            {
                throw new ContractViolation("the exported .env text is refused: " + e.Message, e);
            }

            Exchange.SameEntries(pairs, Exchange.Pairs(again), "the exported .env read again");
            var reimported = SecretExchange.Read(written, ExchangeFormat.Env, "the exported text", null, null, new List<string>());
            try
            {
                var rewritten = SecretExchange.Write(ExchangeFormat.Env, new[] { new ExportItem("fuzz/env", reimported[0].Value, new Dictionary<string, object>()) }, null, null);
                Expect.That(rewritten == written, "the exported .env, imported and exported again, is another text");
            }
            finally
            {
                Exchange.Dispose(reimported);
            }
        }
    }
}
