using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Secrets.Core.Interop
{
    /// <summary>One <c>key = value</c> of an INI section; <see cref="Nested"/> holds the indented settings under a key with no value.</summary>
    public sealed class IniEntry
    {
        internal IniEntry(string key, string value, int line)
        {
            Key = key;
            Value = value;
            Line = line;
        }

        public string Key { get; }

        /// <summary>The text (secret), trimmed.</summary>
        public string Value { get; }

        public int Line { get; }

        /// <summary>Indented <c>key = value</c> lines under this key (AWS's <c>s3 =</c> blocks); empty when there are none.</summary>
        public List<FlatEntry> Nested { get; } = new List<FlatEntry>();

        public override string ToString() => $"{Key} (line {Line})";
    }

    /// <summary>A section of an INI file; <see cref="Name"/> is null for the keys before the first header.</summary>
    public sealed class IniSection
    {
        internal IniSection(string? name, int line)
        {
            Name = name;
            Line = line;
        }

        public string? Name { get; }

        public int Line { get; }

        public List<IniEntry> Entries { get; } = new List<IniEntry>();

        /// <summary>The entry of a key, compared case-insensitively, or null.</summary>
        public IniEntry? Find(string key) => Entries.FirstOrDefault(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase));

        public override string ToString() => Name == null ? "(no section)" : $"[{Name}]";
    }

    /// <summary>
    /// INI files as the AWS tools and Python's configparser write them (~/.aws/credentials,
    /// ~/.aws/config): <c>[section]</c> headers, <c>key = value</c> (or <c>key: value</c>) lines,
    /// whole-line comments starting with <c>#</c> or <c>;</c>, values taken as written (trimmed,
    /// no quotes, no inline comments), and indented lines under a key with no value as that key's
    /// nested settings.
    /// </summary>
    public static class IniFile
    {
        /// <summary>The sections of the text; throws <see cref="InvalidContentException"/> (id InvalidIniFile).</summary>
        public static IReadOnlyList<IniSection> Parse(string text, string source, string? filePath = null)
        {
            var lines = SplitLines(text);
            var sections = new List<IniSection>();
            IniSection? current = null;
            IniEntry? last = null;
            for (int i = 0; i < lines.Count; i++)
            {
                int number = i + 1;
                var raw = lines[i];
                var trimmed = raw.Trim();
                if (trimmed.Length == 0 || trimmed[0] == '#' || trimmed[0] == ';')
                {
                    continue;
                }

                bool indented = raw[0] == ' ' || raw[0] == '\t';
                if (trimmed[0] == '[' && !indented)
                {
                    if (trimmed[trimmed.Length - 1] != ']')
                    {
                        throw Invalid(source, number, "a section header starts with '[' but does not end with ']'.", filePath);
                    }

                    var name = trimmed.Substring(1, trimmed.Length - 2).Trim();
                    if (name.Length == 0)
                    {
                        throw Invalid(source, number, "the section header '[]' has no name.", filePath);
                    }

                    var earlier = sections.FirstOrDefault(s => s.Name == name);
                    if (earlier != null)
                    {
                        throw Invalid(source, number, $"the section [{name}] appears twice (also on line {earlier.Line}). Merge them into one.", filePath);
                    }

                    current = new IniSection(name, number);
                    sections.Add(current);
                    last = null;
                    continue;
                }

                int separator = Separator(trimmed);
                if (indented && last != null)
                {
                    if (last.Value.Length > 0 || separator <= 0)
                    {
                        throw Invalid(source, number,
                            $"this indented line continues the value of '{last.Key}' (line {last.Line}); values here are single lines. Put the value on one line.", filePath);
                    }

                    var nestedKey = trimmed.Substring(0, separator).Trim();
                    last.Nested.Add(new FlatEntry(nestedKey, trimmed.Substring(separator + 1).Trim(), number));
                    continue;
                }

                if (separator <= 0)
                {
                    throw Invalid(source, number, "expected 'key = value', a [section] header or a comment. Put a '#' in front of the line if it is a comment.", filePath);
                }

                if (current == null)
                {
                    current = new IniSection(null, number);
                    sections.Add(current);
                }

                var key = trimmed.Substring(0, separator).Trim();
                var existing = current.Find(key);
                if (existing != null)
                {
                    throw Invalid(source, number, existing.Key == key
                        ? $"the key '{key}' appears twice in {current} (also on line {existing.Line}). Keep one of them."
                        : $"the keys '{existing.Key}' (line {existing.Line}) and '{key}' of {current} differ only in case; the keys of a secret are case-insensitive. Keep one of them.", filePath);
                }

                last = new IniEntry(key, trimmed.Substring(separator + 1).Trim(), number);
                current.Entries.Add(last);
            }

            return sections;
        }

        /// <summary>
        /// The section to import: the one named (<c>[name]</c>, or <c>[profile name]</c> as in
        /// ~/.aws/config), or the only one. Throws <see cref="InvalidContentException"/> naming the
        /// sections when the choice is not clear.
        /// </summary>
        public static IniSection Select(IReadOnlyList<IniSection> sections, string? name, string source, string? filePath = null)
        {
            if (sections.Count == 0)
            {
                throw new InvalidContentException("InvalidIniFile", source, 0, "there is no 'key = value' line in it.", filePath);
            }

            if (name != null)
            {
                var found = Find(sections, name);
                if (found == null)
                {
                    throw new InvalidContentException("IniSectionNotFound", source, 0,
                        $"there is no section [{name}]. Its sections are {List(sections)}.", filePath);
                }

                return found;
            }

            if (sections.Count > 1)
            {
                throw new InvalidContentException("IniSectionNotFound", source, 0,
                    $"it has the sections {List(sections)}; a secret holds one. Choose one with -Section.", filePath);
            }

            return sections[0];
        }

        /// <summary>The section named <c>[name]</c>, or else <c>[profile name]</c>; null if neither exists.</summary>
        public static IniSection? Find(IReadOnlyList<IniSection> sections, string name) =>
            sections.FirstOrDefault(s => s.Name == name) ?? sections.FirstOrDefault(s => s.Name == "profile " + name);

        /// <summary>
        /// The entries of a section as flat entries. A key with nested settings is refused, naming
        /// it and its nested keys and saying how to flatten them.
        /// </summary>
        public static IReadOnlyList<FlatEntry> Flatten(IniSection section, string source, string? filePath = null)
        {
            var entries = new List<FlatEntry>();
            foreach (var entry in section.Entries)
            {
                if (entry.Nested.Count > 0)
                {
                    var example = entry.Key + "." + entry.Nested[0].Key;
                    throw new InvalidContentException("NestedValue", source, entry.Line,
                        $"the key '{entry.Key}' of {section} holds nested settings ({string.Join(", ", entry.Nested.Select(n => n.Key))}); a secret holds one text per key. "
                        + $"Flatten them into keys of the section, such as '{example} = …', or remove them from the file you import.", filePath);
                }

                entries.Add(new FlatEntry(entry.Key, entry.Value, entry.Line));
            }

            return entries;
        }

        /// <summary>
        /// One section as INI text. Throws <see cref="InvalidContentException"/> (id
        /// ValueNotExportable) for a key or value an INI file cannot hold as it is.
        /// </summary>
        public static string WriteSection(string? section, IEnumerable<KeyValuePair<string, string>> entries, string secretName)
        {
            var builder = new StringBuilder();
            if (section != null)
            {
                CheckSectionName(section, secretName);
                builder.Append('[').Append(section).Append("]\n");
            }

            foreach (var entry in entries)
            {
                builder.Append(Line(entry.Key, entry.Value, secretName)).Append('\n');
            }

            return builder.ToString();
        }

        /// <summary>
        /// The text with one section changed: with <paramref name="replaceSection"/>, the section's
        /// lines are replaced by the entries; otherwise only the given keys are set (replaced where
        /// they are, added at the end of the section), the other lines kept. A missing section is
        /// added at the end. Everything outside the section is kept as it is.
        /// </summary>
        public static string SetSection(string text, string section, IReadOnlyList<KeyValuePair<string, string>> entries, bool replaceSection, string secretName)
        {
            CheckSectionName(section, secretName);
            var lines = SplitLines(text);
            int header = lines.FindIndex(l => IsHeader(l, section));
            var newLines = entries.Select(e => Line(e.Key, e.Value, secretName)).ToList();
            if (header < 0)
            {
                while (lines.Count > 0 && lines[lines.Count - 1].Trim().Length == 0)
                {
                    lines.RemoveAt(lines.Count - 1);
                }

                if (lines.Count > 0)
                {
                    lines.Add(string.Empty);
                }

                lines.Add("[" + section + "]");
                lines.AddRange(newLines);
                return Join(lines);
            }

            int end = header + 1;
            while (end < lines.Count && !IsAnyHeader(lines[end]))
            {
                end++;
            }

            // The section's content ends at its last setting: blank lines and comments after it
            // belong to what follows (a comment above the next section describes that section).
            int contentEnd = end;
            while (contentEnd > header + 1 && IsBlankOrComment(lines[contentEnd - 1]))
            {
                contentEnd--;
            }

            if (replaceSection)
            {
                lines.RemoveRange(header + 1, contentEnd - header - 1);
                lines.InsertRange(header + 1, newLines);
                return Join(lines);
            }

            for (int k = 0; k < entries.Count; k++)
            {
                int at = -1;
                for (int i = header + 1; i < contentEnd; i++)
                {
                    var trimmed = lines[i].Trim();
                    int separator = Separator(trimmed);
                    if (lines[i].Length > 0 && lines[i][0] != ' ' && lines[i][0] != '\t' && separator > 0
                        && string.Equals(trimmed.Substring(0, separator).Trim(), entries[k].Key, StringComparison.OrdinalIgnoreCase))
                    {
                        at = i;
                        break;
                    }
                }

                if (at >= 0)
                {
                    lines[at] = newLines[k];
                }
                else
                {
                    lines.Insert(contentEnd, newLines[k]);
                    contentEnd++;
                }
            }

            return Join(lines);
        }

        private static string Line(string key, string value, string secretName)
        {
            if (key.Length == 0 || key.Trim() != key || key.IndexOfAny(new[] { '=', ':', '[', ']', '\n', '\r' }) >= 0 || key[0] == '#' || key[0] == ';')
            {
                throw new InvalidContentException("ValueNotExportable", $"secret '{secretName}'", 0,
                    $"the key '{key}' cannot be an INI key (no '=', ':', brackets or line breaks, no spaces around it, not starting with '#' or ';'). Rename the key, or export with -Format Json or -Format Yaml.");
            }

            if (value.IndexOf('\n') >= 0 || value.IndexOf('\r') >= 0 || value.Trim() != value)
            {
                throw new InvalidContentException("ValueNotExportable", $"secret '{secretName}'", 0,
                    $"the value of key '{key}' has a line break or spaces at its start or end, which an INI file does not keep. Export it with -Format Env, Json or Yaml.");
            }

            return key + " = " + value;
        }

        private static void CheckSectionName(string section, string secretName)
        {
            if (section.Length == 0 || section.Trim() != section || section.IndexOfAny(new[] { '[', ']', '\n', '\r' }) >= 0)
            {
                throw new InvalidContentException("ValueNotExportable", $"secret '{secretName}'", 0,
                    $"'{section}' cannot be the name of an INI section (no brackets or line breaks, no spaces around it).");
            }
        }

        private static bool IsBlankOrComment(string line)
        {
            var trimmed = line.Trim();
            return trimmed.Length == 0 || trimmed[0] == '#' || trimmed[0] == ';';
        }

        private static int Separator(string trimmed)
        {
            int equals = trimmed.IndexOf('=');
            int colon = trimmed.IndexOf(':');
            return equals < 0 ? colon : colon < 0 ? equals : Math.Min(equals, colon);
        }

        private static bool IsAnyHeader(string line)
        {
            var trimmed = line.Trim();
            return line.Length > 0 && line[0] != ' ' && line[0] != '\t' && trimmed.Length > 1 && trimmed[0] == '[' && trimmed[trimmed.Length - 1] == ']';
        }

        private static bool IsHeader(string line, string section) =>
            IsAnyHeader(line) && line.Trim().Substring(1, line.Trim().Length - 2).Trim() == section;

        private static List<string> SplitLines(string text)
        {
            if (text.Length > 0 && text[0] == '\uFEFF')
            {
                text = text.Substring(1);
            }

            var lines = text.Replace("\r\n", "\n").Split('\n').ToList();
            if (lines.Count > 0 && lines[lines.Count - 1].Length == 0)
            {
                lines.RemoveAt(lines.Count - 1);
            }

            return lines;
        }

        private static string Join(List<string> lines) => string.Join("\n", lines) + "\n";

        private static string List(IReadOnlyList<IniSection> sections) => string.Join(", ", sections.Select(s => s.ToString()));

        private static InvalidContentException Invalid(string source, int line, string problem, string? filePath) =>
            new InvalidContentException("InvalidIniFile", source, line, problem, filePath);
    }
}
