using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace Secrets.HelpGen
{
    /// <summary>The help sources in docs/help: one Verb-Noun.md per cmdlet and about_*.md topics.</summary>
    public sealed class HelpSources
    {
        private HelpSources(IReadOnlyList<CommandDoc> commands, IReadOnlyList<AboutDoc> topics)
        {
            Commands = commands;
            Topics = topics;
        }

        public IReadOnlyList<CommandDoc> Commands { get; }
        public IReadOnlyList<AboutDoc> Topics { get; }

        public CommandDoc? FindCommand(string name) =>
            Commands.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

        /// <summary>Reads every *.md file of the folder except README.md. Throws <see cref="HelpSourceException"/> at the first malformed file.</summary>
        public static HelpSources Load(string directory)
        {
            var commands = new List<CommandDoc>();
            var topics = new List<AboutDoc>();
            foreach (var path in Directory.GetFiles(directory, "*.md").OrderBy(p => p, StringComparer.Ordinal))
            {
                var name = Path.GetFileNameWithoutExtension(path);
                if (string.Equals(name, "README", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (name.StartsWith("about_", StringComparison.OrdinalIgnoreCase))
                {
                    topics.Add(HelpMarkdown.ParseAbout(path));
                }
                else
                {
                    commands.Add(HelpMarkdown.ParseCommand(path));
                }
            }

            return new HelpSources(commands, topics);
        }
    }

    /// <summary>
    /// Checks the markdown against the cmdlets' real metadata and produces the help files. One
    /// implementation for the generator (tools/Secrets.HelpGen) and the tests, so the tests can
    /// tell whether the committed help is what the sources and the cmdlets give today.
    /// </summary>
    public static class HelpBuilder
    {
        public const string MamlFileName = "Secrets.dll-Help.xml";

        /// <summary>Everything wrong between the sources and the cmdlets; empty when help can be built.</summary>
        public static IReadOnlyList<string> Check(IReadOnlyList<CmdletMetadata> commands, HelpSources sources)
        {
            var problems = new List<string>();
            foreach (var command in commands)
            {
                var doc = sources.FindCommand(command.Name);
                if (doc == null)
                {
                    problems.Add($"{command.Name}: no help source; write docs/help/{command.Name}.md (see docs/help/README.md).");
                    continue;
                }

                problems.AddRange(CheckCommand(command, doc).Select(p => $"{Path.GetFileName(doc.Path)}: {p}"));
            }

            foreach (var doc in sources.Commands.Where(d => !commands.Any(c => string.Equals(c.Name, d.Name, StringComparison.OrdinalIgnoreCase))))
            {
                problems.Add($"{Path.GetFileName(doc.Path)}: the module exports no cmdlet '{doc.Name}'.");
            }

            return problems;
        }

        public static IReadOnlyList<string> CheckCommand(CmdletMetadata command, CommandDoc doc)
        {
            var problems = new List<string>();
            if (!string.Equals(doc.Name, command.Name, StringComparison.Ordinal))
            {
                problems.Add($"the title '{doc.Name}' is not spelled as the cmdlet: '{command.Name}'.");
            }

            if (string.IsNullOrWhiteSpace(doc.Synopsis))
            {
                problems.Add("no synopsis ('## Synopsis').");
            }

            if (doc.Description.Count == 0)
            {
                problems.Add("no description ('## Description').");
            }

            if (doc.Examples.Count == 0)
            {
                problems.Add("no example ('## Examples' with at least one '### Example title').");
            }

            if (doc.Inputs.Count == 0)
            {
                problems.Add("no '## Inputs' (write '### None' when nothing comes from the pipeline).");
            }

            foreach (var parameter in command.DocumentedParameters)
            {
                if (doc.FindParameter(parameter.Name) == null)
                {
                    problems.Add($"parameter -{parameter.Name} is not documented (add '### -{parameter.Name}' under '## Parameters').");
                }
            }

            foreach (var documented in doc.Parameters)
            {
                var parameter = command.FindParameter(documented.Name);
                if (parameter == null)
                {
                    problems.Add($"line {documented.Line}: -{documented.Name} is documented but {command.Name} has no such parameter.");
                }
                else if (!string.Equals(parameter.Name, documented.Name, StringComparison.Ordinal))
                {
                    problems.Add($"line {documented.Line}: -{documented.Name} is spelled -{parameter.Name} by the cmdlet.");
                }
            }

            foreach (var duplicate in doc.Parameters.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            {
                problems.Add($"-{duplicate.Key} is documented {duplicate.Count()} times.");
            }

            var outputNames = doc.Outputs.Select(o => o.TypeName).ToList();
            if (command.OutputTypes.Count == 0)
            {
                if (outputNames.Count != 1 || outputNames[0] != "None")
                {
                    problems.Add("the cmdlet declares no output type: '## Outputs' has exactly '### None'.");
                }
            }
            else
            {
                foreach (var type in command.OutputTypes.Select(CmdletMetadata.FullTypeName))
                {
                    if (!outputNames.Contains(type, StringComparer.Ordinal))
                    {
                        problems.Add($"output type {type} ([OutputType]) is not under '## Outputs' (add '### {type}').");
                    }
                }

                foreach (var name in outputNames.Where(n => !command.OutputTypes.Select(CmdletMetadata.FullTypeName).Contains(n, StringComparer.Ordinal)))
                {
                    problems.Add($"'### {name}' under '## Outputs' is not an [OutputType] of the cmdlet.");
                }
            }

            problems.AddRange(CheckDefaults(command, doc));
            return problems;
        }

        /// <summary>
        /// Every optional parameter with an initial value in the cmdlet (VersionsToKeep = 10,
        /// Timeout = 00:15:00…) must say it in a "Default value:" line that contains that value,
        /// so help cannot go on promising a default the code changed.
        /// </summary>
        private static IEnumerable<string> CheckDefaults(CmdletMetadata command, CommandDoc doc)
        {
            var instance = TryCreate(command.ImplementingType);
            if (instance == null)
            {
                yield break;
            }

            try
            {
                foreach (var parameter in command.DocumentedParameters.Where(p => !p.IsSwitch))
                {
                    var documented = doc.FindParameter(parameter.Name);
                    var property = command.ImplementingType.GetProperty(parameter.Name);
                    if (documented == null || property == null || command.InSets(parameter.Name).All(p => p.Mandatory))
                    {
                        continue;
                    }

                    var value = property.GetValue(instance);
                    var text = value == null ? null : Convert.ToString(value, CultureInfo.InvariantCulture);
                    if (string.IsNullOrEmpty(text))
                    {
                        continue;
                    }

                    if (documented.DefaultValue == null)
                    {
                        yield return $"line {documented.Line}: -{parameter.Name} is {text} when not given; say so in a '{HelpMarkdown.DefaultValuePrefix} {text}' line.";
                    }
                    else if (documented.DefaultValue.IndexOf(text, StringComparison.OrdinalIgnoreCase) < 0)
                    {
                        yield return $"line {documented.Line}: -{parameter.Name} defaults to {text}, but its '{HelpMarkdown.DefaultValuePrefix}' line says '{documented.DefaultValue}'.";
                    }
                }
            }
            finally
            {
                (instance as IDisposable)?.Dispose();
            }
        }

        private static object? TryCreate(Type type)
        {
            try
            {
                return Activator.CreateInstance(type);
            }
            catch (Exception e) when (e is MissingMethodException || e is System.Reflection.TargetInvocationException || e is MemberAccessException)
            {
                return null;
            }
        }

        /// <summary>The help files, by file name (for the module's en-US folder). Throws when <see cref="Check"/> finds problems.</summary>
        public static IReadOnlyDictionary<string, string> Build(IReadOnlyList<CmdletMetadata> commands, HelpSources sources)
        {
            var problems = Check(commands, sources);
            if (problems.Count > 0)
            {
                throw new InvalidOperationException("The help sources do not match the cmdlets:\n  " + string.Join("\n  ", problems));
            }

            var files = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                [MamlFileName] = MamlWriter.Write(commands.Select(c => (c, sources.FindCommand(c.Name)!))),
            };
            foreach (var topic in sources.Topics)
            {
                files[topic.Name + ".help.txt"] = AboutTopicWriter.Write(topic);
            }

            return files;
        }

        /// <summary>The exported cmdlets of an imported module, as help sees them.</summary>
        public static IReadOnlyList<CmdletMetadata> ReadModule(PSModuleInfo module) =>
            module.ExportedCmdlets.Values.OrderBy(c => c.Name, StringComparer.Ordinal).Select(CmdletMetadata.From).ToList();
    }
}
