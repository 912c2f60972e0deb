using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Secrets.Internal;
using Xunit;

namespace Secrets.PowerShell.Tests
{
    /// <summary>
    /// What can be checked here of Windows PowerShell 5.1 (the Desktop edition, on .NET Framework):
    /// the module's assemblies ask for nothing beyond .NET Standard 2.0 and PowerShell Standard 5.1,
    /// its scripts use no syntax newer than 5.1, and the dependency loader takes the .NET Framework
    /// path when it runs there.
    /// </summary>
    public class WindowsPowerShellTests
    {
        // What Windows PowerShell 5.1 provides (netstandard through the .NET Framework's facade,
        // System.Management.Automation 3.0 as PowerShell Standard 5.1 references it) and what the
        // module ships itself.
        private static readonly (string Name, Version? Version)[] Allowed =
        {
            ("netstandard", new Version(2, 0, 0, 0)),
            ("System.Management.Automation", new Version(3, 0, 0, 0)),
            ("Secrets.Core", null),
            ("BouncyCastle.Cryptography", null),
            ("YamlDotNet", null),
        };

        public static TheoryData<string> ModuleAssemblies()
        {
            var data = new TheoryData<string>();
            foreach (var file in Directory.GetFiles(PowerShellSession.ModuleFolder, "*.dll", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(PowerShellSession.ModuleFolder, file));
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(ModuleAssemblies))]
        public void EveryAssemblyTargetsNetStandard20AndReferencesOnlyWhatWindowsPowerShellHasOrTheModuleShips(string relative)
        {
            using var stream = File.OpenRead(Path.Combine(PowerShellSession.ModuleFolder, relative));
            using var pe = new PEReader(stream);
            var reader = pe.GetMetadataReader();
            Assert.Equal(".NETStandard,Version=v2.0", TargetFramework(reader));

            var shipped = Directory.GetFiles(Path.Combine(PowerShellSession.ModuleFolder, "dependencies"), "*.dll").Select(Path.GetFileNameWithoutExtension).ToHashSet();
            foreach (var handle in reader.AssemblyReferences)
            {
                var reference = reader.GetAssemblyReference(handle);
                var name = reader.GetString(reference.Name);
                var allowed = Allowed.FirstOrDefault(a => a.Name == name);
                Assert.True(allowed.Name != null, $"{relative} references {name} {reference.Version}, which Windows PowerShell 5.1 does not have.");
                if (allowed.Version != null)
                {
                    Assert.True(reference.Version <= allowed.Version, $"{relative} references {name} {reference.Version}; Windows PowerShell 5.1 has {allowed.Version}.");
                }
                else
                {
                    Assert.Contains(name, shipped);
                }
            }
        }

        [Fact]
        public void TheManifestAndTheExtensionAreForWindowsPowerShell51Too()
        {
            var ast = Parser.ParseFile(PowerShellSession.ModuleManifest, out _, out var errors);
            Assert.Empty(errors);
            var manifest = (Hashtable)((HashtableAst)ast.Find(a => a is HashtableAst, false)!).SafeGetValue();
            Assert.Equal(new[] { "Desktop", "Core" }, ((object[])manifest["CompatiblePSEditions"]!).Cast<string>());
            Assert.Equal("5.1", manifest["PowerShellVersion"]);
            Assert.False(manifest.ContainsKey("DotNetFrameworkVersion") || manifest.ContainsKey("RequiredAssemblies"), "The manifest asks for a framework or assemblies of its own.");

            // The extension runs on Windows PowerShell too: no syntax it lacks (?:, ??, ?., && and ||).
            foreach (var script in Directory.GetFiles(PowerShellSession.ModuleFolder, "*.ps*1", SearchOption.AllDirectories))
            {
                var tree = Parser.ParseFile(script, out var tokens, out var parseErrors);
                Assert.Empty(parseErrors);
                Assert.Empty(tree.FindAll(a => a is TernaryExpressionAst || a is PipelineChainAst ||
                    (a is BinaryExpressionAst b && b.Operator == TokenKind.QuestionQuestion) ||
                    (a is AssignmentStatementAst s && s.Operator == TokenKind.QuestionQuestionEquals), true)
                    .Select(a => $"{Path.GetFileName(script)}:{a.Extent.StartLineNumber}"));
                Assert.DoesNotContain(tokens, t => t.Kind == TokenKind.QuestionDot || t.Kind == TokenKind.QuestionLBracket);
                Assert.DoesNotContain("#requires -PSEdition Core", File.ReadAllText(script), StringComparison.OrdinalIgnoreCase);
            }
        }

        [Theory]
        [InlineData(".NET Framework 4.8.9290.0", false, "FromFolder")]   // Windows PowerShell 5.1 (Desktop)
        [InlineData(".NET Framework 4.8.9290.0", true, "FromFolder")]
        [InlineData(".NET 10.0.1", true, "PrivateLoadContext")]          // PowerShell 7 (Core)
        [InlineData(".NET 10.0.1", false, "FromFolder")]
        public void TheLoaderTakesTheFrameworkPathOnTheDesktopEdition(string framework, bool hasLoadContexts, string expected)
        {
            Assert.Equal(expected, DependencyPolicy.Choose(framework, hasLoadContexts).ToString());
        }

        [Fact]
        public void OnTheDesktopEditionTheLoaderAnswersForWhatTheModuleShipsAndOnlyToTheModule()
        {
            var desktop = DependencyPolicy.Choose(".NET Framework 4.8.9290.0", hasLoadContexts: false);
            Assert.True(DependencyPolicy.Answers(desktop, "Secrets.Core", "Secrets"));
            Assert.True(DependencyPolicy.Answers(desktop, "BouncyCastle.Cryptography", "Secrets.Core"));
            Assert.True(DependencyPolicy.Answers(desktop, "YamlDotNet", "Secrets.Core"));
            Assert.True(DependencyPolicy.Answers(desktop, "BouncyCastle.Cryptography", null));
            Assert.False(DependencyPolicy.Answers(desktop, "BouncyCastle.Cryptography", "SomeOtherModule"));
            Assert.False(DependencyPolicy.Answers(desktop, "Newtonsoft.Json", "Secrets.Core"));

            // On PowerShell 7 the dependencies are in the private context and never reach the handler.
            var core = DependencyPolicy.Choose(".NET 10.0.1", hasLoadContexts: true);
            Assert.True(DependencyPolicy.Answers(core, "Secrets.Core", "Secrets"));
            Assert.False(DependencyPolicy.Answers(core, "BouncyCastle.Cryptography", "Secrets.Core"));
        }

        [Fact]
        public void EveryShippedDependencyIsKnownToTheLoader()
        {
            var shipped = Directory.GetFiles(Path.Combine(PowerShellSession.ModuleFolder, "dependencies"), "*.dll")
                .Select(Path.GetFileNameWithoutExtension).Where(n => n != DependencyPolicy.Core).OrderBy(n => n, StringComparer.Ordinal);
            Assert.Equal(DependencyPolicy.Shipped.OrderBy(n => n, StringComparer.Ordinal), shipped);
        }

        private static string? TargetFramework(MetadataReader reader)
        {
            foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
            {
                var attribute = reader.GetCustomAttribute(handle);
                if (attribute.Constructor.Kind != HandleKind.MemberReference)
                {
                    continue;
                }

                var constructor = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
                var type = reader.GetTypeReference((TypeReferenceHandle)constructor.Parent);
                if (reader.GetString(type.Name) == "TargetFrameworkAttribute")
                {
                    var value = reader.GetBlobReader(attribute.Value);
                    value.ReadUInt16(); // prolog
                    return value.ReadSerializedString();
                }
            }

            return null;
        }
    }
}
