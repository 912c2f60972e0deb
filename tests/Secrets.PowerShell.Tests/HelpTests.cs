using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Xml.Linq;
using Secrets.HelpGen;
using Xunit;

namespace Secrets.PowerShell.Tests
{
    /// <summary>
    /// The module's help: every cmdlet documented in docs/help, every parameter and no more, the
    /// committed MAML (src/Secrets/en-US) exactly what tools/Secrets.HelpGen makes of the markdown and
    /// the cmdlets as they are now, and Get-Help on the engine showing it. A new parameter without
    /// help, or help not regenerated after a change, fails here.
    /// </summary>
    public class HelpTests
    {
        private const string Regenerate = "Run: dotnet run --project tools/Secrets.HelpGen (see docs/help/README.md), and commit docs/help and src/Secrets/en-US.";

        private static string DocsDirectory => Path.Combine(PowerShellSession.RepoRoot, "docs", "help");

        private static string CommittedHelpDirectory => Path.Combine(PowerShellSession.RepoRoot, "src", "Secrets", "en-US");

        private static string StagedHelpDirectory => Path.Combine(Path.GetDirectoryName(PowerShellSession.ModuleManifest)!, "en-US");

        /// <summary>The exported cmdlets of the module imported in the session, as the engine describes them.</summary>
        private static List<CmdletInfo> ExportedCmdlets(PowerShellSession session)
        {
            var module = (PSModuleInfo)session.Invoke("Get-Module -Name Secrets").Single().BaseObject;
            return module.ExportedCmdlets.Values.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        }

        private static IReadOnlyList<CmdletMetadata> Metadata(PowerShellSession session)
        {
            var previous = Runspace.DefaultRunspace;
            Runspace.DefaultRunspace = session.Runspace;
            try
            {
                return ExportedCmdlets(session).Select(CmdletMetadata.From).ToList();
            }
            finally
            {
                Runspace.DefaultRunspace = previous;
            }
        }

        [Fact]
        public void EveryExportedCmdletHasHelpWithSynopsisDescriptionAndExamples()
        {
            using var session = new PowerShellSession();
            var cmdlets = ExportedCmdlets(session);
            Assert.True(cmdlets.Count >= 21, $"The module exports {cmdlets.Count} cmdlets.");
            var missing = new List<string>();
            foreach (var cmdlet in cmdlets)
            {
                var path = Path.Combine(DocsDirectory, cmdlet.Name + ".md");
                if (!File.Exists(path))
                {
                    missing.Add($"{cmdlet.Name}: no {path}");
                    continue;
                }

                var doc = HelpMarkdown.ParseCommand(path);
                if (doc.Synopsis.Trim().Length < 10)
                {
                    missing.Add($"{cmdlet.Name}: no synopsis");
                }

                if (doc.Description.Sum(b => b.Text.Length) < 40)
                {
                    missing.Add($"{cmdlet.Name}: no description");
                }

                if (doc.Examples.Count == 0 || doc.Examples.Any(e => e.Code.Trim().Length == 0 || e.Remarks.All(r => r.Text.Trim().Length == 0)))
                {
                    missing.Add($"{cmdlet.Name}: needs at least one example, each with code and an explanation");
                }

                if (!doc.Examples.Any(e => e.Code.Contains(cmdlet.Name, StringComparison.OrdinalIgnoreCase)))
                {
                    missing.Add($"{cmdlet.Name}: no example uses the cmdlet");
                }
            }

            Assert.True(missing.Count == 0, string.Join("\n", missing));
        }

        [Fact]
        public void EveryParameterIsDocumentedAndEveryDocumentedParameterExists()
        {
            using var session = new PowerShellSession();
            var problems = new List<string>();
            foreach (var cmdlet in ExportedCmdlets(session))
            {
                var path = Path.Combine(DocsDirectory, cmdlet.Name + ".md");
                if (!File.Exists(path))
                {
                    problems.Add($"{cmdlet.Name}: no help source");
                    continue;
                }

                var documented = HelpMarkdown.ParseCommand(path).Parameters.Select(p => p.Name).ToList();
                var actual = cmdlet.Parameters.Keys
                    .Where(p => !Cmdlet.CommonParameters.Contains(p) && !Cmdlet.OptionalCommonParameters.Contains(p)).ToList();
                foreach (var parameter in actual.Where(p => !documented.Contains(p, StringComparer.OrdinalIgnoreCase)))
                {
                    problems.Add($"{cmdlet.Name} -{parameter}: not documented in {path}");
                }

                foreach (var parameter in documented.Where(p => !cmdlet.Parameters.ContainsKey(p)))
                {
                    problems.Add($"{cmdlet.Name} -{parameter}: documented, but the cmdlet has no such parameter");
                }
            }

            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }

        [Fact]
        public void HelpSourcesAgreeWithTheCmdlets()
        {
            using var session = new PowerShellSession();
            var problems = HelpBuilder.Check(Metadata(session), HelpSources.Load(DocsDirectory));
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }

        [Fact]
        public void CommittedHelpIsWhatTheGeneratorProducesFromTheSourcesAndTheCmdlets()
        {
            using var session = new PowerShellSession();
            var expected = HelpBuilder.Build(Metadata(session), HelpSources.Load(DocsDirectory));
            Assert.Contains(HelpBuilder.MamlFileName, expected.Keys);
            Assert.Contains("about_Secrets.help.txt", expected.Keys);
            foreach (var pair in expected)
            {
                var path = Path.Combine(CommittedHelpDirectory, pair.Key);
                Assert.True(File.Exists(path), $"{path} is missing. {Regenerate}");
                var committed = File.ReadAllText(path).Replace("\r\n", "\n");
                Assert.True(committed == pair.Value, $"{path} is stale: it differs from what the generator makes of docs/help and the cmdlets{FirstDifference(committed, pair.Value)}. {Regenerate}");
            }

            var extra = Directory.GetFiles(CommittedHelpDirectory).Select(Path.GetFileName).Where(f => !expected.ContainsKey(f!)).ToList();
            Assert.True(extra.Count == 0, $"Files in {CommittedHelpDirectory} that the generator does not make: {string.Join(", ", extra)}. {Regenerate}");
        }

        [Fact]
        public void TheBuiltModuleShipsTheCommittedHelp()
        {
            foreach (var committed in Directory.GetFiles(CommittedHelpDirectory))
            {
                var staged = Path.Combine(StagedHelpDirectory, Path.GetFileName(committed));
                Assert.True(File.Exists(staged), $"{staged} is missing: the build stages src/Secrets/en-US into the module.");
                Assert.Equal(File.ReadAllText(committed), File.ReadAllText(staged));
            }
        }

        [Fact]
        public void CommittedMamlHasOneSyntaxPerParameterSetAndTheRealParameterAttributes()
        {
            using var session = new PowerShellSession();
            var maml = XDocument.Load(Path.Combine(CommittedHelpDirectory, HelpBuilder.MamlFileName));
            XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
            XNamespace mamlNs = "http://schemas.microsoft.com/maml/2004/10";
            var commands = maml.Root!.Elements(command + "command").ToDictionary(c => c.Element(command + "details")!.Element(command + "name")!.Value);
            foreach (var cmdlet in ExportedCmdlets(session))
            {
                Assert.True(commands.ContainsKey(cmdlet.Name), $"{cmdlet.Name} is not in the MAML help.");
                var items = commands[cmdlet.Name].Element(command + "syntax")!.Elements(command + "syntaxItem").ToList();
                Assert.Equal(cmdlet.ParameterSets.Count, items.Count);
                foreach (var set in cmdlet.ParameterSets)
                {
                    var expected = set.Parameters.Where(p => !Cmdlet.CommonParameters.Contains(p.Name)).Select(p => p.Name).OrderBy(n => n).ToList();
                    var match = items.Where(i => i.Elements(command + "parameter").Select(p => p.Element(mamlNs + "name")!.Value).OrderBy(n => n).SequenceEqual(expected)).ToList();
                    Assert.True(match.Count >= 1, $"{cmdlet.Name}: no syntax item for parameter set {set.Name} ({string.Join(", ", expected)}).");
                    foreach (var parameter in set.Parameters.Where(p => !Cmdlet.CommonParameters.Contains(p.Name)))
                    {
                        var element = match[0].Elements(command + "parameter").Single(p => p.Element(mamlNs + "name")!.Value == parameter.Name);
                        Assert.Equal(parameter.IsMandatory ? "true" : "false", element.Attribute("required")!.Value);
                        Assert.Equal(parameter.Position >= 0 ? parameter.Position.ToString() : "named", element.Attribute("position")!.Value);
                    }
                }
            }
        }

        [Fact]
        public void GetHelpFullShowsTheSynopsisTheParametersWithDescriptionsAndTheExamples()
        {
            using var session = new PowerShellSession();
            var sources = HelpSources.Load(DocsDirectory);
            foreach (var cmdlet in ExportedCmdlets(session))
            {
                var doc = sources.FindCommand(cmdlet.Name)!;
                var help = session.Invoke("Get-Help -Name $args[0] -Full", cmdlet.Name).Single();
                Assert.Contains("MamlCommandHelpInfo", help.TypeNames);
                Assert.Equal(doc.Synopsis, help.Properties["Synopsis"].Value?.ToString());

                // A cmdlet without parameters of its own (Get-SecretLookupOrder) has none to show.
                var parameters = (Property(help, "parameters", "parameter") as IEnumerable ?? Array.Empty<object>()).Cast<object>().Select(PSObject.AsPSObject).ToList();
                foreach (var documented in doc.Parameters)
                {
                    var shown = parameters.SingleOrDefault(p => string.Equals(p.Properties["name"].Value?.ToString(), documented.Name, StringComparison.Ordinal));
                    Assert.True(shown != null, $"Get-Help {cmdlet.Name} -Full does not show -{documented.Name}.");
                    var text = string.Join("\n", Texts(shown!.Properties["description"].Value));
                    Assert.Contains(documented.Description[0].ToPlainText(), text);
                }

                foreach (var parameter in cmdlet.Parameters.Keys.Where(p => !Cmdlet.CommonParameters.Contains(p)))
                {
                    Assert.True(parameters.Any(p => string.Equals(p.Properties["name"].Value?.ToString(), parameter, StringComparison.Ordinal)),
                        $"Get-Help {cmdlet.Name} -Full does not show -{parameter}.");
                }

                var examples = ((IEnumerable)Property(help, "examples", "example")!).Cast<object>().Select(PSObject.AsPSObject).ToList();
                Assert.Equal(doc.Examples.Count, examples.Count);
                for (int i = 0; i < examples.Count; i++)
                {
                    Assert.Equal(doc.Examples[i].Code, examples[i].Properties["code"].Value?.ToString());
                    Assert.Contains(doc.Examples[i].Title, examples[i].Properties["title"].Value?.ToString());
                    Assert.Contains(doc.Examples[i].Remarks.First(r => r.Kind != TextBlockKind.Code).ToPlainText(), string.Join("\n", Texts(examples[i].Properties["remarks"].Value)));
                }
            }
        }

        [Fact]
        public void GetHelpShowsSyntaxFromTheCmdletForEveryParameterSet()
        {
            using var session = new PowerShellSession();
            var help = session.Invoke("Get-Help -Name Set-Secret -Full").Single();
            var items = ((IEnumerable)Property(help, "syntax", "syntaxItem")!).Cast<object>().Select(PSObject.AsPSObject).ToList();
            var names = items.Select(i => string.Join(" ", ((IEnumerable)i.Properties["parameter"].Value).Cast<object>()
                .Select(p => PSObject.AsPSObject(p).Properties["name"].Value))).ToList();
            Assert.Equal(6, items.Count);
            Assert.Contains(names, n => n.StartsWith("Name Secret ", StringComparison.Ordinal));
            Assert.Contains(names, n => n.StartsWith("Name ", StringComparison.Ordinal) && n.Contains(" Interactive ", StringComparison.Ordinal) && !n.Contains(" Secret ", StringComparison.Ordinal));
            Assert.Contains(names, n => n.StartsWith("Name ", StringComparison.Ordinal) && n.Contains(" LiteralPath ", StringComparison.Ordinal)
                && n.Contains(" AsByteArray ", StringComparison.Ordinal) && !n.Contains(" Secret ", StringComparison.Ordinal));
            Assert.DoesNotContain(names, n => n.Contains(" SecureStringSecret ", StringComparison.Ordinal) && n.Contains(" AsByteArray ", StringComparison.Ordinal));
        }

        [Fact]
        public void GetHelpFindsTheAboutTopic()
        {
            using var session = new PowerShellSession();
            var topic = HelpMarkdown.ParseAbout(Path.Combine(DocsDirectory, "about_Secrets.md"));
            var help = session.Invoke("Get-Help -Name about_Secrets").Single();
            var text = help.BaseObject.ToString()!;
            Assert.Contains(topic.ShortDescription, text);
            Assert.Contains("SECRETS_IDENTITY", text);
            Assert.Equal(topic.ShortDescription, session.Invoke("(Get-Help -Name about_Secrets -Category HelpFile).Synopsis").Single().ToString());
        }

        [Fact]
        public void ChecksReportAnUndocumentedParameterAndAParameterTheCmdletLacks()
        {
            using var session = new PowerShellSession();
            var metadata = Metadata(session).Single(c => c.Name == "Get-Secret");
            var doc = HelpMarkdown.ParseCommand(Path.Combine(DocsDirectory, "Get-Secret.md"));
            Assert.Empty(HelpBuilder.CheckCommand(metadata, doc));

            doc.Parameters.RemoveAll(p => p.Name == "AsPlainText");
            doc.Parameters.Add(new ParameterDoc("NoSuchParameter", new[] { new TextBlock(TextBlockKind.Paragraph, "Nothing.") }, null, 1));
            var problems = HelpBuilder.CheckCommand(metadata, doc);
            Assert.Contains(problems, p => p.Contains("-AsPlainText is not documented", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Contains("-NoSuchParameter is documented but Get-Secret has no such parameter", StringComparison.Ordinal));
        }

        [Fact]
        public void ChecksReportADefaultValueTheCmdletDoesNotHave()
        {
            using var session = new PowerShellSession();
            var metadata = Metadata(session).Single(c => c.Name == "New-SecretStore");
            var doc = HelpMarkdown.ParseCommand(File.ReadAllText(Path.Combine(DocsDirectory, "New-SecretStore.md"))
                .Replace("Default value: 10", "Default value: 20", StringComparison.Ordinal), "New-SecretStore.md");
            Assert.Contains(HelpBuilder.CheckCommand(metadata, doc), p => p.Contains("-VersionsToKeep defaults to 10", StringComparison.Ordinal));
        }

        [Fact]
        public void StaleHelpDiffersFromTheGeneratedHelp()
        {
            using var session = new PowerShellSession();
            var metadata = Metadata(session);
            var sources = HelpSources.Load(DocsDirectory);
            var maml = HelpBuilder.Build(metadata, sources)[HelpBuilder.MamlFileName];
            var doc = sources.FindCommand("Get-Secret")!;
            doc.Examples.Add(new ExampleDoc("One more", "Get-Secret -Name x", new[] { new TextBlock(TextBlockKind.Paragraph, "Reads x.") }));
            Assert.NotEqual(maml, HelpBuilder.Build(metadata, sources)[HelpBuilder.MamlFileName]);
        }

        [Fact]
        public void MarkdownMistakesAreErrorsNamingTheLine()
        {
            var text = "# Get-Secret\n\n## Synopsis\n\nGets.\n\n## Descripton\n\nText.\n";
            var error = Assert.Throws<HelpSourceException>(() => HelpMarkdown.ParseCommand(text, "Get-Secret.md"));
            Assert.Contains("Get-Secret.md(7)", error.Message, StringComparison.Ordinal);
            Assert.Contains("unknown section '## Descripton'", error.Message, StringComparison.Ordinal);

            var noCode = "# Get-Secret\n\n## Synopsis\n\nGets.\n\n## Examples\n\n### Read\n\nNo code here.\n";
            Assert.Contains("starts with a ```powershell code block", Assert.Throws<HelpSourceException>(() => HelpMarkdown.ParseCommand(noCode, "Get-Secret.md")).Message, StringComparison.Ordinal);
        }

        private static object? Property(PSObject help, string outer, string inner)
        {
            var value = help.Properties[outer]?.Value;
            return value == null ? null : PSObject.AsPSObject(value).Properties[inner]?.Value switch
            {
                null => null,
                IEnumerable list and not string => list,
                var single => new[] { single },
            };
        }

        /// <summary>The Text of each paragraph of a MAML description or remarks object (one object or an array).</summary>
        private static IEnumerable<string> Texts(object? value)
        {
            var items = value is IEnumerable list && value is not string ? list.Cast<object?>() : new[] { value };
            return items.Where(i => i != null).Select(i => PSObject.AsPSObject(i!).Properties["Text"]?.Value?.ToString() ?? string.Empty);
        }

        private static string FirstDifference(string actual, string expected)
        {
            var a = actual.Split('\n');
            var e = expected.Split('\n');
            for (int i = 0; i < Math.Max(a.Length, e.Length); i++)
            {
                var left = i < a.Length ? a[i] : "(end of file)";
                var right = i < e.Length ? e[i] : "(end of file)";
                if (left != right)
                {
                    return $" (line {i + 1}: committed '{Shorten(left)}', generated '{Shorten(right)}')";
                }
            }

            return string.Empty;
        }

        private static string Shorten(string text) => text.Length <= 120 ? text.Trim() : text.Trim().Substring(0, 117) + "…";
    }
}
