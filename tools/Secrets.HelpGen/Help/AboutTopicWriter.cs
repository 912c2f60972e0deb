using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Secrets.HelpGen
{
    /// <summary>
    /// Writes a conceptual topic as the plain text Get-Help shows (about_*.help.txt): headings in
    /// capitals, text indented and wrapped at 80 columns. The short description is the fifth line,
    /// where Get-Help takes a topic's synopsis from.
    /// </summary>
    public static class AboutTopicWriter
    {
        public const int Width = 80;

        public static string Write(AboutDoc doc)
        {
            var lines = new List<string>
            {
                "TOPIC",
                "    " + doc.Name,
                string.Empty,
                "SHORT DESCRIPTION",
                "    " + doc.ShortDescription,
            };
            foreach (var (level, title, blocks) in doc.Sections)
            {
                lines.Add(string.Empty);
                if (level == 2)
                {
                    lines.Add(title.ToUpperInvariant());
                }
                else
                {
                    lines.Add("  " + title);
                }

                foreach (var block in blocks)
                {
                    switch (block.Kind)
                    {
                        case TextBlockKind.Code:
                            lines.Add(string.Empty);
                            lines.AddRange(block.Text.Split('\n').Select(l => l.Length == 0 ? l : "        " + l));
                            break;
                        case TextBlockKind.ListItem:
                            var marker = block.Marker + " ";
                            if (lines[lines.Count - 1].Length > 0 && !FollowsListItem(blocks, block))
                            {
                                lines.Add(string.Empty);
                            }

                            lines.AddRange(TextWrap.Wrap(marker + block.Text, Width, 4, 4 + marker.Length));
                            break;
                        default:
                            lines.Add(string.Empty);
                            lines.AddRange(TextWrap.Wrap(block.Text, Width, 4, 4));
                            break;
                    }
                }
            }

            var text = new StringBuilder();
            foreach (var line in lines)
            {
                text.Append(line).Append('\n');
            }

            return text.ToString();
        }

        /// <summary>Whether the block follows another item of the same list (no blank line between items).</summary>
        private static bool FollowsListItem(List<TextBlock> blocks, TextBlock block)
        {
            int index = blocks.IndexOf(block);
            return index > 0 && blocks[index - 1].Kind == TextBlockKind.ListItem;
        }
    }
}
