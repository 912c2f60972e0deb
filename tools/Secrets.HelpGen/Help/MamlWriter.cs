using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;

namespace Secrets.HelpGen
{
    /// <summary>
    /// Writes the MAML help file that Get-Help reads for binary cmdlets (Secrets.dll-Help.xml).
    /// Syntax, parameter attributes and types come from <see cref="CmdletMetadata"/>; every
    /// sentence comes from the markdown (<see cref="CommandDoc"/>). The output is deterministic:
    /// the same inputs give the same bytes, LF line endings, no timestamps.
    /// </summary>
    public static class MamlWriter
    {
        private const string Maml = "http://schemas.microsoft.com/maml/2004/10";
        private const string Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private const string Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
        private const string MSHelp = "http://msdn.microsoft.com/mshelp";

        /// <summary>What PowerShell's own help says about -WhatIf and -Confirm, used when the markdown says nothing more.</summary>
        public static readonly IReadOnlyDictionary<string, string> RiskParameterText = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["WhatIf"] = "Shows what would happen if the cmdlet runs. The cmdlet is not run.",
            ["Confirm"] = "Prompts you for confirmation before running the cmdlet.",
        };

        public static string Write(IEnumerable<(CmdletMetadata Metadata, CommandDoc Doc)> commands)
        {
            var settings = new XmlWriterSettings
            {
                Indent = true,
                IndentChars = "  ",
                NewLineChars = "\n",
                NewLineHandling = NewLineHandling.Replace,
                OmitXmlDeclaration = true,
            };
            var text = new StringBuilder();
            text.Append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
            using (var xml = XmlWriter.Create(new StringWriter(text, CultureInfo.InvariantCulture), settings))
            {
                xml.WriteStartElement("helpItems", "http://msh");
                xml.WriteAttributeString("schema", "maml");
                foreach (var (metadata, doc) in commands.OrderBy(c => c.Metadata.Name, StringComparer.Ordinal))
                {
                    WriteCommand(xml, metadata, doc);
                }

                xml.WriteEndElement();
            }

            return text.Append('\n').ToString();
        }

        private static void WriteCommand(XmlWriter xml, CmdletMetadata metadata, CommandDoc doc)
        {
            xml.WriteStartElement("command", "command", Command);
            xml.WriteAttributeString("xmlns", "maml", null, Maml);
            xml.WriteAttributeString("xmlns", "command", null, Command);
            xml.WriteAttributeString("xmlns", "dev", null, Dev);
            xml.WriteAttributeString("xmlns", "MSHelp", null, MSHelp);

            xml.WriteStartElement("command", "details", Command);
            xml.WriteElementString("command", "name", Command, metadata.Name);
            xml.WriteElementString("command", "verb", Command, metadata.Verb);
            xml.WriteElementString("command", "noun", Command, metadata.Noun);
            WriteDescription(xml, new[] { doc.Synopsis });
            xml.WriteEndElement();

            WriteDescription(xml, doc.Description.Select(b => b.ToPlainText()));

            xml.WriteStartElement("command", "syntax", Command);
            foreach (var set in metadata.ParameterSets)
            {
                xml.WriteStartElement("command", "syntaxItem", Command);
                xml.WriteElementString("maml", "name", Maml, metadata.Name);
                foreach (var inSet in set.Parameters)
                {
                    var parameter = metadata.FindParameter(inSet.Name)!;
                    WriteParameter(xml, parameter, doc.FindParameter(parameter.Name), inSet.Mandatory, inSet.Position, PipelineText(new[] { inSet }), inSyntax: true);
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();

            xml.WriteStartElement("command", "parameters", Command);
            foreach (var parameter in ParameterOrder(metadata, doc))
            {
                var inSets = metadata.InSets(parameter.Name).ToList();
                var positions = inSets.Select(p => p.Position).Distinct().ToList();
                WriteParameter(xml, parameter, doc.FindParameter(parameter.Name), inSets.All(p => p.Mandatory),
                    positions.Count == 1 ? positions[0] : null, PipelineText(inSets), inSyntax: false);
            }

            xml.WriteEndElement();

            xml.WriteStartElement("command", "inputTypes", Command);
            foreach (var input in doc.Inputs)
            {
                xml.WriteStartElement("command", "inputType", Command);
                WriteType(xml, input.TypeName);
                WriteDescription(xml, input.Description.Select(b => b.ToPlainText()));
                xml.WriteEndElement();
            }

            xml.WriteEndElement();

            xml.WriteStartElement("command", "returnValues", Command);
            foreach (var output in doc.Outputs)
            {
                xml.WriteStartElement("command", "returnValue", Command);
                WriteType(xml, output.TypeName);
                WriteDescription(xml, output.Description.Select(b => b.ToPlainText()));
                xml.WriteEndElement();
            }

            xml.WriteEndElement();

            xml.WriteStartElement("maml", "alertSet", Maml);
            xml.WriteStartElement("maml", "alert", Maml);
            WriteParas(xml, doc.Notes.Select(b => b.ToPlainText()));
            xml.WriteEndElement();
            xml.WriteEndElement();

            xml.WriteStartElement("command", "examples", Command);
            int number = 0;
            foreach (var example in doc.Examples)
            {
                number++;
                xml.WriteStartElement("command", "example", Command);
                xml.WriteElementString("maml", "title", Maml, $"--------- Example {number}: {example.Title} ---------");
                xml.WriteElementString("dev", "code", Dev, example.Code);
                xml.WriteStartElement("dev", "remarks", Dev);
                WriteParas(xml, example.Remarks.Select(b => b.ToPlainText()));

                // An empty last paragraph: Get-Help then leaves a blank line before the next example.
                xml.WriteElementString("maml", "para", Maml, string.Empty);
                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            xml.WriteEndElement();

            xml.WriteStartElement("command", "relatedLinks", Command);
            foreach (var link in doc.Links)
            {
                xml.WriteStartElement("maml", "navigationLink", Maml);
                xml.WriteElementString("maml", "linkText", Maml, link.Text);
                xml.WriteElementString("maml", "uri", Maml, link.Uri);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        /// <summary>The order of the PARAMETERS section: as the markdown lists them, then -WhatIf and -Confirm.</summary>
        private static IEnumerable<ParameterMetadataInfo> ParameterOrder(CmdletMetadata metadata, CommandDoc doc)
        {
            var documented = doc.Parameters.Select(p => metadata.FindParameter(p.Name)).Where(p => p != null).Select(p => p!).ToList();
            return documented.Concat(metadata.Parameters.Where(p => !documented.Contains(p)).OrderBy(p => p.IsRiskParameter ? 1 : 0).ThenBy(p => p.Name == "WhatIf" ? 0 : 1));
        }

        private static void WriteParameter(XmlWriter xml, ParameterMetadataInfo parameter, ParameterDoc? doc, bool required, int? position, string pipeline, bool inSyntax)
        {
            xml.WriteStartElement("command", "parameter", Command);
            xml.WriteAttributeString("required", required ? "true" : "false");
            xml.WriteAttributeString("variableLength", parameter.Type.IsArray ? "true" : "false");
            xml.WriteAttributeString("globbing", parameter.SupportsWildcards ? "true" : "false");
            xml.WriteAttributeString("pipelineInput", pipeline);
            xml.WriteAttributeString("position", position?.ToString(CultureInfo.InvariantCulture) ?? "named");
            xml.WriteAttributeString("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases));
            xml.WriteElementString("maml", "name", Maml, parameter.Name);
            var description = doc != null ? doc.Description.Select(b => b.ToPlainText())
                : RiskParameterText.TryGetValue(parameter.Name, out var standard) ? new[] { standard }
                : Array.Empty<string>();
            WriteDescription(xml, description);
            if (parameter.ValidValues.Count > 0)
            {
                xml.WriteStartElement("command", "parameterValueGroup", Command);
                foreach (var value in parameter.ValidValues)
                {
                    xml.WriteStartElement("command", "parameterValue", Command);
                    xml.WriteAttributeString("required", "false");
                    xml.WriteAttributeString("command", "variableLength", Command, "false");
                    xml.WriteString(value);
                    xml.WriteEndElement();
                }

                xml.WriteEndElement();
            }

            if (!(parameter.IsSwitch && inSyntax))
            {
                xml.WriteStartElement("command", "parameterValue", Command);
                xml.WriteAttributeString("required", parameter.IsSwitch ? "false" : "true");
                xml.WriteAttributeString("variableLength", parameter.Type.IsArray ? "true" : "false");
                xml.WriteString(CmdletMetadata.ShortTypeName(parameter.Type));
                xml.WriteEndElement();
            }

            WriteType(xml, CmdletMetadata.FullTypeName(parameter.Type));
            xml.WriteElementString("dev", "defaultValue", Dev, doc?.DefaultValue ?? (parameter.IsSwitch ? "False" : "None"));
            xml.WriteEndElement();
        }

        private static string PipelineText(IReadOnlyCollection<SetParameter> inSets)
        {
            var kinds = new List<string>();
            if (inSets.Any(p => p.ByPropertyName))
            {
                kinds.Add("ByPropertyName");
            }

            if (inSets.Any(p => p.ByValue))
            {
                kinds.Add("ByValue");
            }

            return kinds.Count == 0 ? "False" : "True (" + string.Join(", ", kinds) + ")";
        }

        private static void WriteType(XmlWriter xml, string name)
        {
            xml.WriteStartElement("dev", "type", Dev);
            xml.WriteElementString("maml", "name", Maml, name);
            xml.WriteElementString("maml", "uri", Maml, string.Empty);
            xml.WriteEndElement();
        }

        private static void WriteDescription(XmlWriter xml, IEnumerable<string> paragraphs)
        {
            xml.WriteStartElement("maml", "description", Maml);
            WriteParas(xml, paragraphs);
            xml.WriteEndElement();
        }

        private static void WriteParas(XmlWriter xml, IEnumerable<string> paragraphs)
        {
            foreach (var paragraph in paragraphs)
            {
                xml.WriteElementString("maml", "para", Maml, paragraph);
            }
        }
    }
}
