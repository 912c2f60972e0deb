using System;
using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Interop;
using Secrets.Core.Values;

namespace Secrets.Fuzz.Targets
{
    /// <summary>
    /// INI files (<c>IniFile.Parse</c>, and <c>SecretExchange.Read</c> of each section as
    /// Import-Secret -Section reads it), on the input as Import-Secret reads a file. Contract:
    /// refused with InvalidIniFile (or NotText) naming the file, or read as sections of unique,
    /// trimmed names whose keys are unique ignoring case; each section imports as the hashtable of
    /// exactly its keys (refused as NestedValue when a key has nested settings, as InvalidIniFile
    /// when it has no key, as IniSectionNotFound when the choice is not clear, or for what no secret
    /// holds), recording the section; exported (<c>IniFile.WriteSection</c>, which refuses by name
    /// what an INI file cannot hold) and read again, the same section and entries, and the same
    /// text when written again. <c>IniFile.SetSection</c> (what a provider's write-back does to an
    /// existing file) gives a file that parses, with the section replaced or its keys set and
    /// everything else as it was.
    /// </summary>
    internal static class IniTarget
    {
        public const string Path = "/fuzz/project/settings.ini";
        private const int MaxSections = 8;
        private static readonly char[] KeyForbidden = { '=', ':', '[', ']', '\n', '\r' };
        private static readonly char[] SectionForbidden = { '[', ']', '\n', '\r' };

        public static void Check(byte[] input)
        {
            var text = Exchange.Text(input, Path);
            if (text == null)
            {
                return;
            }

            Exchange.Detect(text, Path);
            IReadOnlyList<IniSection> sections;
            try
            {
                sections = IniFile.Parse(text, InteropFiles.Describe(Path), Path);
            }
            catch (InvalidContentException e)
            {
                Expect.Refused(e, Path, "InvalidIniFile");
                Expect.That(Exchange.Import(text, ExchangeFormat.Ini, Path, null, new List<string>(), "InvalidIniFile") == null,
                    "Import-Secret read an INI file that IniFile.Parse refuses");
                return;
            }

            Expect.Trace($"read {sections.Count} sections");
            CheckSections(sections, "the sections read");
            if (sections.Count == 0)
            {
                Expect.That(Exchange.Import(text, ExchangeFormat.Ini, Path, null, new List<string>(), "InvalidIniFile") == null, "a secret imported from an INI file without keys");
                return;
            }

            if (sections.Count > 1)
            {
                Expect.That(Exchange.Import(text, ExchangeFormat.Ini, Path, null, new List<string>(), "IniSectionNotFound") == null,
                    "a secret imported without -Section from an INI file of several sections");
            }

            Expect.That(Exchange.Import(text, ExchangeFormat.Ini, Path, "no such section \u0001", new List<string>(), "IniSectionNotFound") == null,
                "a secret imported from a section that is not in the file");
            foreach (var section in sections.Take(MaxSections))
            {
                if (section.Name == null && sections.Count > 1)
                {
                    continue;
                }

                ImportSection(text, section);
            }

            SetSection(text, sections, "ci", replace: true);
            SetSection(text, sections, sections.Last().Name ?? "default", replace: false);
        }

        private static void CheckSections(IReadOnlyList<IniSection> sections, string what)
        {
            Expect.That(sections.Count(s => s.Name == null) <= 1 && (sections.Count == 0 || sections.Skip(1).All(s => s.Name != null)),
                $"{what}: keys outside a section other than before the first header");
            Expect.That(sections.Select(s => s.Name).Distinct().Count() == sections.Count, $"{what}: a section read twice");
            foreach (var section in sections)
            {
                Expect.That(section.Name == null || (section.Name.Length > 0 && section.Name.Trim() == section.Name), $"{what}: an empty or untrimmed section name");
                Expect.That(section.Entries.Select(e => e.Key).Distinct(StringComparer.OrdinalIgnoreCase).Count() == section.Entries.Count, $"{what}: a key read twice in {section}");
                foreach (var entry in section.Entries)
                {
                    Expect.That(entry.Key.Length > 0 && entry.Key.Trim() == entry.Key && entry.Value.Trim() == entry.Value, $"{what}: an empty or untrimmed key or value in {section}");
                    Expect.That(entry.Nested.Count == 0 || entry.Value.Length == 0, $"{what}: a key with a value and nested settings");
                }
            }
        }

        private static void ImportSection(string text, IniSection section)
        {
            var what = $"the import of {section}";
            var imported = Exchange.Import(text, ExchangeFormat.Ini, Path, section.Name, new List<string>(), "NestedValue", "InvalidIniFile", "InvalidValues");
            try
            {
                var pairs = section.Entries.Select(e => Exchange.Pair(e.Key, e.Value)).ToList();
                bool nested = section.Entries.Any(e => e.Nested.Count > 0);
                if (imported == null)
                {
                    Expect.That(nested || pairs.Count == 0 || !Exchange.Storable(pairs), $"{what} was refused, though a secret can hold its keys");
                    return;
                }

                Expect.That(!nested && pairs.Count > 0, $"{what} was read, though it has nested settings or no key");
                var secret = Exchange.One(imported, IniFile.Flatten(section, "the section"), what);
                var recorded = secret.Metadata.Where(m => m.Key == SecretExchange.IniSectionKey).Select(m => m.Value as string).ToList();
                Expect.That(section.Name == null ? recorded.Count == 0 : recorded.Count == 1 && recorded[0] == section.Name, $"{what} records another section");
                RoundTrip(secret, section.Name, pairs);
            }
            finally
            {
                Exchange.Dispose(imported);
            }
        }

        /// <summary>Export-Secret -Format Ini of the imported secret, read again.</summary>
        private static void RoundTrip(ImportedSecret secret, string? sectionName, List<KeyValuePair<string, string>> pairs)
        {
            var metadata = secret.Metadata.ToDictionary(m => m.Key, m => m.Value);
            var name = sectionName ?? "default";
            bool writable = Writable(name) && pairs.All(p => Writable(p.Key, p.Value));
            string written;
            try
            {
                written = SecretExchange.Write(ExchangeFormat.Ini, new[] { new ExportItem("fuzz/ini", secret.Value, metadata) }, null, null);
            }
            catch (InvalidContentException e) when (e.ErrorId == "ValueNotExportable")
            {
                Expect.Trace("not exportable: " + e.Message);
                Expect.That(!writable, "the export refused a section that an INI file can hold: " + e.Message);
                return;
            }

            Expect.That(writable, "the export wrote a section name, key or value that an INI file does not hold as it is");
            IReadOnlyList<IniSection> again;
            try
            {
                again = IniFile.Parse(written, "the exported text");
            }
            catch (InvalidContentException e)
            {
                throw new ContractViolation("the exported INI text is refused: " + e.Message, e);
            }

            Expect.That(again.Count == 1 && again[0].Name == name, "the exported INI text does not hold the one section exported");
            Expect.That(again[0].Entries.All(e => e.Nested.Count == 0), "the exported INI text has nested settings");
            Exchange.SameEntries(pairs, again[0].Entries.Select(e => Exchange.Pair(e.Key, e.Value)).ToList(), "the exported section read again");
            var reimported = SecretExchange.Read(written, ExchangeFormat.Ini, "the exported text", null, null, new List<string>());
            try
            {
                var rewritten = SecretExchange.Write(ExchangeFormat.Ini,
                    new[] { new ExportItem("fuzz/ini", reimported[0].Value, reimported[0].Metadata.ToDictionary(m => m.Key, m => m.Value)) }, null, null);
                Expect.That(rewritten == written, "the exported INI text, imported and exported again, is another text");
            }
            finally
            {
                Exchange.Dispose(reimported);
            }
        }

        /// <summary>
        /// <c>IniFile.SetSection</c> on the text with fixed keys: the result parses; the section holds
        /// exactly those keys (replaced) or those keys set and its others kept; the other sections are
        /// as they were.
        /// </summary>
        private static void SetSection(string text, IReadOnlyList<IniSection> sections, string name, bool replace)
        {
            if (!Writable(name))
            {
                return;
            }

            var set = new List<KeyValuePair<string, string>> { Exchange.Pair("aws_access_key_id", "AKIAFUZZ"), Exchange.Pair("Region", "eu-fuzz-1") };
            var edited = IniFile.SetSection(text, name, set, replace, "fuzz/ini");
            IReadOnlyList<IniSection> after;
            try
            {
                after = IniFile.Parse(edited, "the edited text");
            }
            catch (InvalidContentException e)
            {
                throw new ContractViolation($"the text with the section [{Exchange.Show(name)}] {(replace ? "replaced" : "set")} is refused: " + e.Message, e);
            }

            CheckSections(after, "the edited text");
            var what = $"the text with the section [{Exchange.Show(name)}] {(replace ? "replaced" : "set")}";
            var before = sections.FirstOrDefault(s => s.Name == name);
            var section = after.FirstOrDefault(s => s.Name == name);
            Expect.That(section != null, $"{what} has no such section");
            var expected = new List<KeyValuePair<string, string>>();
            if (!replace && before != null)
            {
                foreach (var entry in before.Entries)
                {
                    var replacement = set.FirstOrDefault(p => string.Equals(p.Key, entry.Key, StringComparison.OrdinalIgnoreCase));
                    expected.Add(replacement.Key != null ? replacement : Exchange.Pair(entry.Key, entry.Value));
                }
            }

            expected.AddRange(set.Where(p => !expected.Any(e => string.Equals(e.Key, p.Key, StringComparison.OrdinalIgnoreCase))));
            Exchange.SameEntries(expected, section!.Entries.Select(e => Exchange.Pair(e.Key, e.Value)).ToList(), what + ": its keys");
            if (!replace && before != null)
            {
                foreach (var entry in before.Entries.Where(e => !set.Any(p => string.Equals(p.Key, e.Key, StringComparison.OrdinalIgnoreCase))))
                {
                    Expect.That(SameNested(entry, section.Find(entry.Key)!), $"{what}: the nested settings of '{Exchange.Show(entry.Key)}' changed");
                }
            }

            var others = sections.Where(s => s.Name != name).ToList();
            var othersAfter = after.Where(s => s.Name != name).ToList();
            Expect.That(others.Select(s => s.Name).SequenceEqual(othersAfter.Select(s => s.Name)), $"{what}: the other sections changed");
            for (int i = 0; i < others.Count; i++)
            {
                Exchange.SameEntries(others[i].Entries.Select(e => Exchange.Pair(e.Key, e.Value)).ToList(),
                    othersAfter[i].Entries.Select(e => Exchange.Pair(e.Key, e.Value)).ToList(), $"{what}: {others[i]}");
                Expect.That(others[i].Entries.Zip(othersAfter[i].Entries, SameNested).All(same => same), $"{what}: the nested settings of {others[i]} changed");
            }
        }

        private static bool SameNested(IniEntry a, IniEntry b) =>
            a.Nested.Select(n => (n.Key, n.Value)).SequenceEqual(b.Nested.Select(n => (n.Key, n.Value)));

        /// <summary>A section name the writer takes: no brackets or line breaks, no spaces around it.</summary>
        private static bool Writable(string section) => section.Length > 0 && section.Trim() == section && section.IndexOfAny(SectionForbidden) < 0;

        /// <summary>A key and value the writer takes, as FORMATS.md says.</summary>
        private static bool Writable(string key, string value) =>
            key.Length > 0 && key.Trim() == key && key.IndexOfAny(KeyForbidden) < 0 && key[0] != '#' && key[0] != ';'
            && value.IndexOf('\n') < 0 && value.IndexOf('\r') < 0 && value.Trim() == value;
    }
}
