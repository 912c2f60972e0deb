using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace Secrets.HelpGen
{
    /// <summary>A block of help text: a paragraph, a list item or a code block.</summary>
    public sealed class TextBlock
    {
        public TextBlock(TextBlockKind kind, string text, string marker = "")
        {
            Kind = kind;
            Text = text;
            Marker = marker;
        }

        public TextBlockKind Kind { get; }

        /// <summary>Paragraph and list item: one line of plain text. Code: the lines, joined by LF.</summary>
        public string Text { get; }

        /// <summary>List items: "-" or "1." and so on.</summary>
        public string Marker { get; }

        /// <summary>The block as one plain-text paragraph (what a MAML para holds).</summary>
        public string ToPlainText() => Kind switch
        {
            TextBlockKind.ListItem => Marker + " " + Text,
            TextBlockKind.Code => string.Join("\n", Text.Split('\n').Select(l => l.Length == 0 ? l : "    " + l)),
            _ => Text,
        };
    }

    public enum TextBlockKind
    {
        Paragraph,
        ListItem,
        Code,
    }

    /// <summary>A "### heading" and the blocks under it (a parameter, an example, an input or output type).</summary>
    public sealed class HelpSubsection
    {
        public HelpSubsection(string title, int line)
        {
            Title = title;
            Line = line;
        }

        public string Title { get; }

        /// <summary>The line of the heading in the markdown file (1-based), for messages.</summary>
        public int Line { get; }

        public List<TextBlock> Blocks { get; } = new List<TextBlock>();
    }

    /// <summary>A parameter's help: its description and, when the markdown gives one, its default value.</summary>
    public sealed class ParameterDoc
    {
        public ParameterDoc(string name, IReadOnlyList<TextBlock> description, string? defaultValue, int line)
        {
            Name = name;
            Description = description;
            DefaultValue = defaultValue;
            Line = line;
        }

        public string Name { get; }
        public IReadOnlyList<TextBlock> Description { get; }
        public string? DefaultValue { get; }
        public int Line { get; }
    }

    public sealed class ExampleDoc
    {
        public ExampleDoc(string title, string code, IReadOnlyList<TextBlock> remarks)
        {
            Title = title;
            Code = code;
            Remarks = remarks;
        }

        public string Title { get; }
        public string Code { get; }
        public IReadOnlyList<TextBlock> Remarks { get; }
    }

    /// <summary>An input or output type and what it means.</summary>
    public sealed class TypeDoc
    {
        public TypeDoc(string typeName, IReadOnlyList<TextBlock> description)
        {
            TypeName = typeName;
            Description = description;
        }

        public string TypeName { get; }
        public IReadOnlyList<TextBlock> Description { get; }
    }

    public sealed class LinkDoc
    {
        public LinkDoc(string text, string uri)
        {
            Text = text;
            Uri = uri;
        }

        public string Text { get; }

        /// <summary>An absolute address, or empty for a link to another help topic.</summary>
        public string Uri { get; }
    }

    /// <summary>One cmdlet's help as written in docs/help/Verb-Noun.md (see docs/help/README.md).</summary>
    public sealed class CommandDoc
    {
        public CommandDoc(string name, string path)
        {
            Name = name;
            Path = path;
        }

        public string Name { get; }
        public string Path { get; }
        public string Synopsis { get; set; } = string.Empty;
        public List<TextBlock> Description { get; } = new List<TextBlock>();
        public List<ParameterDoc> Parameters { get; } = new List<ParameterDoc>();
        public List<ExampleDoc> Examples { get; } = new List<ExampleDoc>();
        public List<TypeDoc> Inputs { get; } = new List<TypeDoc>();
        public List<TypeDoc> Outputs { get; } = new List<TypeDoc>();
        public List<TextBlock> Notes { get; } = new List<TextBlock>();
        public List<LinkDoc> Links { get; } = new List<LinkDoc>();

        public ParameterDoc? FindParameter(string name) =>
            Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A conceptual topic (about_*.md): its title, short description and sections.</summary>
    public sealed class AboutDoc
    {
        public AboutDoc(string name, string path)
        {
            Name = name;
            Path = path;
        }

        public string Name { get; }
        public string Path { get; }
        public string ShortDescription { get; set; } = string.Empty;

        /// <summary>The sections after the short description, in order: level 2 (##) or 3 (###), title, blocks.</summary>
        public List<(int Level, string Title, List<TextBlock> Blocks)> Sections { get; } = new List<(int, string, List<TextBlock>)>();
    }

    /// <summary>A mistake in a help source file, with the file and line.</summary>
    public sealed class HelpSourceException : Exception
    {
        public HelpSourceException(string path, int line, string message)
            : base($"{path}({line}): {message}")
        {
        }
    }

    /// <summary>
    /// Reads the help sources: a small, strict subset of markdown (headings, paragraphs, lists,
    /// fenced code). docs/help/README.md describes the structure; anything else is an error that
    /// names the file and line, so a typo in a heading never silently drops text.
    /// </summary>
    public static class HelpMarkdown
    {
        public const string DefaultValuePrefix = "Default value:";

        private static readonly string[] CommandSections = { "Synopsis", "Description", "Parameters", "Examples", "Inputs", "Outputs", "Notes", "Related links" };
        private static readonly Regex Link = new Regex(@"\[([^\]]+)\]\(([^)\s]*)\)", RegexOptions.CultureInvariant);
        private static readonly Regex Strong = new Regex(@"\*\*([^*]+)\*\*", RegexOptions.CultureInvariant);
        private static readonly Regex OrderedItem = new Regex(@"^(\d+\.)\s+(.*)$", RegexOptions.CultureInvariant);

        public static CommandDoc ParseCommand(string path) => ParseCommand(File.ReadAllText(path), path);

        public static CommandDoc ParseCommand(string text, string path)
        {
            var lines = SplitLines(text);
            var (title, titleLine) = ReadTitle(lines, path);
            var doc = new CommandDoc(title, path);
            var seen = new List<string>();
            foreach (var (section, line, body) in SplitSections(lines, 2, titleLine + 1, path))
            {
                var known = CommandSections.FirstOrDefault(s => string.Equals(s, section, StringComparison.Ordinal));
                if (known == null)
                {
                    throw new HelpSourceException(path, line, $"unknown section '## {section}'; the sections are, in this order: {string.Join(", ", CommandSections.Select(s => "'## " + s + "'"))}.");
                }

                if (seen.Contains(known))
                {
                    throw new HelpSourceException(path, line, $"the section '## {known}' appears twice.");
                }

                if (seen.Count > 0 && Array.IndexOf(CommandSections, known) < Array.IndexOf(CommandSections, seen[seen.Count - 1]))
                {
                    throw new HelpSourceException(path, line, $"the section '## {known}' must come before '## {seen[seen.Count - 1]}'.");
                }

                seen.Add(known);
                switch (known)
                {
                    case "Synopsis":
                        var synopsis = ParseBlocks(body, path);
                        if (synopsis.Count != 1 || synopsis[0].Kind != TextBlockKind.Paragraph)
                        {
                            throw new HelpSourceException(path, line, "the synopsis is one paragraph.");
                        }

                        doc.Synopsis = synopsis[0].Text;
                        break;
                    case "Description":
                        doc.Description.AddRange(ParseBlocks(body, path));
                        break;
                    case "Notes":
                        doc.Notes.AddRange(ParseBlocks(body, path));
                        break;
                    case "Parameters":
                        foreach (var sub in ParseSubsections(body, path))
                        {
                            doc.Parameters.Add(ToParameter(sub, path));
                        }

                        break;
                    case "Examples":
                        foreach (var sub in ParseSubsections(body, path))
                        {
                            doc.Examples.Add(ToExample(sub, path));
                        }

                        break;
                    case "Inputs":
                        doc.Inputs.AddRange(ParseSubsections(body, path).Select(s => new TypeDoc(s.Title, s.Blocks)));
                        break;
                    case "Outputs":
                        doc.Outputs.AddRange(ParseSubsections(body, path).Select(s => new TypeDoc(s.Title, s.Blocks)));
                        break;
                    case "Related links":
                        doc.Links.AddRange(ParseLinks(body, path));
                        break;
                }
            }

            return doc;
        }

        public static AboutDoc ParseAbout(string path) => ParseAbout(File.ReadAllText(path), path);

        public static AboutDoc ParseAbout(string text, string path)
        {
            var lines = SplitLines(text);
            var (title, titleLine) = ReadTitle(lines, path);
            var doc = new AboutDoc(title, path);
            bool first = true;
            foreach (var (section, line, body) in SplitSections(lines, 2, titleLine + 1, path))
            {
                if (first)
                {
                    first = false;
                    var shortDescription = ParseBlocks(body, path);
                    if (section != "Short description" || shortDescription.Count != 1 || shortDescription[0].Kind != TextBlockKind.Paragraph)
                    {
                        throw new HelpSourceException(path, line, "an about topic starts with '## Short description' and one paragraph.");
                    }

                    doc.ShortDescription = shortDescription[0].Text;
                    continue;
                }

                var subsections = SplitSections(body, 3, 0, path).ToList();
                var intro = subsections.Count == 0 ? body : body.Where(l => l.Number < subsections[0].Line).ToList();
                doc.Sections.Add((2, section, ParseBlocks(intro, path)));
                foreach (var (subTitle, _, subBody) in subsections)
                {
                    doc.Sections.Add((3, subTitle, ParseBlocks(subBody, path)));
                }
            }

            if (first)
            {
                throw new HelpSourceException(path, titleLine, "an about topic starts with '## Short description' and one paragraph.");
            }

            return doc;
        }

        /// <summary>Plain text for a markdown line: links become "text (address)" (just "text" for links to other topics), bold markers go.</summary>
        public static string Inline(string text)
        {
            text = Link.Replace(text, m => IsTopicLink(m.Groups[2].Value) ? m.Groups[1].Value : $"{m.Groups[1].Value} ({m.Groups[2].Value})");
            return Strong.Replace(text, "$1");
        }

        private static bool IsTopicLink(string uri) =>
            uri.Length == 0 || (!uri.Contains("://", StringComparison.Ordinal) && uri.EndsWith(".md", StringComparison.OrdinalIgnoreCase));

        private readonly struct SourceLine
        {
            public SourceLine(int number, string text)
            {
                Number = number;
                Text = text;
            }

            public int Number { get; }
            public string Text { get; }
        }

        private static List<SourceLine> SplitLines(string text) =>
            text.Replace("\r\n", "\n").Split('\n').Select((t, i) => new SourceLine(i + 1, t.TrimEnd())).ToList();

        private static (string Title, int Line) ReadTitle(List<SourceLine> lines, string path)
        {
            var first = lines.FirstOrDefault(l => l.Text.Length > 0);
            if (first.Text == null || !first.Text.StartsWith("# ", StringComparison.Ordinal))
            {
                throw new HelpSourceException(path, first.Text == null ? 1 : first.Number, "the file starts with '# <command or topic name>'.");
            }

            var title = first.Text.Substring(2).Trim();
            var expected = Path.GetFileNameWithoutExtension(path);
            if (!string.Equals(title, expected, StringComparison.Ordinal))
            {
                throw new HelpSourceException(path, first.Number, $"the title '{title}' differs from the file name '{expected}'.");
            }

            return (title, first.Number);
        }

        /// <summary>Splits at headings of the given level; text before the first one must be blank.</summary>
        private static IEnumerable<(string Title, int Line, List<SourceLine> Body)> SplitSections(List<SourceLine> lines, int level, int fromLine, string path)
        {
            var marker = new string('#', level) + " ";
            string? title = null;
            int titleLine = 0;
            var body = new List<SourceLine>();
            bool inCode = false;
            foreach (var line in lines.Where(l => l.Number >= fromLine))
            {
                if (line.Text.TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    inCode = !inCode;
                }

                if (!inCode && line.Text.StartsWith("#", StringComparison.Ordinal))
                {
                    int hashes = line.Text.TakeWhile(c => c == '#').Count();
                    if (hashes < level || hashes > 3 || !line.Text.StartsWith(new string('#', hashes) + " ", StringComparison.Ordinal))
                    {
                        throw new HelpSourceException(path, line.Number, $"unexpected heading '{line.Text}'.");
                    }

                    if (hashes == level)
                    {
                        if (title != null)
                        {
                            yield return (title, titleLine, body);
                        }

                        title = line.Text.Substring(marker.Length).Trim();
                        titleLine = line.Number;
                        body = new List<SourceLine>();
                        continue;
                    }
                }

                if (title == null)
                {
                    if (line.Text.Length > 0 && level == 2)
                    {
                        throw new HelpSourceException(path, line.Number, "text before the first '## ' section.");
                    }

                    continue;
                }

                body.Add(line);
            }

            if (inCode)
            {
                throw new HelpSourceException(path, lines.Count, "a code block is not closed with ```.");
            }

            if (title != null)
            {
                yield return (title, titleLine, body);
            }
        }

        private static List<HelpSubsection> ParseSubsections(List<SourceLine> body, string path)
        {
            var result = new List<HelpSubsection>();
            var subsections = SplitSections(body, 3, 0, path).ToList();
            var intro = subsections.Count == 0 ? body : body.Where(l => l.Number < subsections[0].Line).ToList();
            var stray = intro.FirstOrDefault(l => l.Text.Length > 0);
            if (stray.Text != null)
            {
                throw new HelpSourceException(path, stray.Number, "text before the first '### ' heading of the section.");
            }

            foreach (var (title, line, lines) in subsections)
            {
                var sub = new HelpSubsection(title, line);
                sub.Blocks.AddRange(ParseBlocks(lines, path));
                result.Add(sub);
            }

            return result;
        }

        private static ParameterDoc ToParameter(HelpSubsection sub, string path)
        {
            if (!sub.Title.StartsWith("-", StringComparison.Ordinal) || sub.Title.Length < 2 || sub.Title.Skip(1).Any(c => !char.IsLetterOrDigit(c)))
            {
                throw new HelpSourceException(path, sub.Line, $"a parameter heading is '### -Name', not '### {sub.Title}'.");
            }

            string? defaultValue = null;
            var description = new List<TextBlock>();
            foreach (var block in sub.Blocks)
            {
                if (block.Kind == TextBlockKind.Paragraph && block.Text.StartsWith(DefaultValuePrefix, StringComparison.Ordinal))
                {
                    if (defaultValue != null)
                    {
                        throw new HelpSourceException(path, sub.Line, $"parameter {sub.Title} has two '{DefaultValuePrefix}' lines.");
                    }

                    defaultValue = block.Text.Substring(DefaultValuePrefix.Length).Trim();
                    continue;
                }

                description.Add(block);
            }

            if (description.Count == 0)
            {
                throw new HelpSourceException(path, sub.Line, $"parameter {sub.Title} has no description.");
            }

            return new ParameterDoc(sub.Title.Substring(1), description, defaultValue, sub.Line);
        }

        private static ExampleDoc ToExample(HelpSubsection sub, string path)
        {
            int codeIndex = sub.Blocks.FindIndex(b => b.Kind == TextBlockKind.Code);
            if (codeIndex != 0)
            {
                throw new HelpSourceException(path, sub.Line, $"example '{sub.Title}' starts with a ```powershell code block.");
            }

            var remarks = sub.Blocks.Skip(1).ToList();
            if (!remarks.Any(b => b.Kind != TextBlockKind.Code))
            {
                throw new HelpSourceException(path, sub.Line, $"example '{sub.Title}' has no explanation after its code.");
            }

            return new ExampleDoc(sub.Title, sub.Blocks[0].Text, remarks);
        }

        private static List<LinkDoc> ParseLinks(List<SourceLine> body, string path)
        {
            var links = new List<LinkDoc>();
            foreach (var block in ParseBlocks(body, path))
            {
                if (block.Kind != TextBlockKind.ListItem || block.Marker != "-")
                {
                    throw new HelpSourceException(path, body.FirstOrDefault().Number, "related links are a list: '- [Name](Name.md)' or '- [Text](https://…)'.");
                }

                var match = Link.Match(block.Text);
                if (match.Success && match.Index == 0 && match.Length == block.Text.Length)
                {
                    var uri = match.Groups[2].Value;
                    links.Add(new LinkDoc(match.Groups[1].Value, IsTopicLink(uri) ? string.Empty : uri));
                }
                else
                {
                    links.Add(new LinkDoc(Inline(block.Text), string.Empty));
                }
            }

            return links;
        }

        /// <summary>Paragraphs (lines joined), list items ("- ", "1. ", continued by indented lines) and fenced code blocks.</summary>
        private static List<TextBlock> ParseBlocks(List<SourceLine> lines, string path)
        {
            var blocks = new List<TextBlock>();
            var paragraph = new List<string>();
            string? itemMarker = null;
            List<string>? code = null;

            void Flush()
            {
                if (paragraph.Count > 0)
                {
                    var text = Inline(string.Join(" ", paragraph));
                    blocks.Add(itemMarker == null ? new TextBlock(TextBlockKind.Paragraph, text) : new TextBlock(TextBlockKind.ListItem, text, itemMarker));
                }

                paragraph.Clear();
                itemMarker = null;
            }

            foreach (var line in lines)
            {
                var text = line.Text;
                if (code != null)
                {
                    if (text.Trim() == "```")
                    {
                        blocks.Add(new TextBlock(TextBlockKind.Code, string.Join("\n", code)));
                        code = null;
                    }
                    else
                    {
                        code.Add(text);
                    }

                    continue;
                }

                if (text.StartsWith("```", StringComparison.Ordinal))
                {
                    Flush();
                    code = new List<string>();
                    continue;
                }

                if (text.Length == 0)
                {
                    Flush();
                    continue;
                }

                if (text.StartsWith("#", StringComparison.Ordinal))
                {
                    throw new HelpSourceException(path, line.Number, $"unexpected heading '{text}'.");
                }

                var ordered = OrderedItem.Match(text);
                if (text.StartsWith("- ", StringComparison.Ordinal) || ordered.Success)
                {
                    Flush();
                    itemMarker = ordered.Success ? ordered.Groups[1].Value : "-";
                    paragraph.Add(ordered.Success ? ordered.Groups[2].Value.Trim() : text.Substring(2).Trim());
                    continue;
                }

                if (text.StartsWith(" ", StringComparison.Ordinal) && itemMarker == null && paragraph.Count == 0)
                {
                    throw new HelpSourceException(path, line.Number, "indented text outside a list; use a ``` code block for code.");
                }

                paragraph.Add(text.Trim());
            }

            if (code != null)
            {
                throw new HelpSourceException(path, lines.Count > 0 ? lines[lines.Count - 1].Number : 0, "a code block is not closed with ```.");
            }

            Flush();
            return blocks;
        }
    }

    /// <summary>Helpers for the plain-text about topic.</summary>
    public static class TextWrap
    {
        /// <summary>Wraps a paragraph to <paramref name="width"/> columns: first line at <paramref name="indent"/>, the rest at <paramref name="hanging"/>.</summary>
        public static IEnumerable<string> Wrap(string text, int width, int indent, int hanging)
        {
            var line = new StringBuilder(new string(' ', indent));
            bool empty = true;
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!empty && line.Length + 1 + word.Length > width)
                {
                    yield return line.ToString();
                    line.Clear().Append(' ', hanging);
                    empty = true;
                }

                if (!empty)
                {
                    line.Append(' ');
                }

                line.Append(word);
                empty = false;
            }

            if (!empty)
            {
                yield return line.ToString();
            }
        }
    }
}
