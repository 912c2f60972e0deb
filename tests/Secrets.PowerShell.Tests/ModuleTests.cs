using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace Secrets.PowerShell.Tests
{
    /// <summary>The module as imported: exported commands, declared output types and their views.</summary>
    public class ModuleTests
    {
        private static readonly string[] BuiltInOutputTypes =
        {
            "System.Void", "System.String", "System.Security.SecureString", "System.Management.Automation.PSCredential",
            "System.Byte[]", "System.Collections.Hashtable", "System.Boolean",

            // Invoke-WithSecrets passes on whatever the job writes.
            "System.Object",
        };

        [Fact]
        public void ExportsExactlyTheManifestCmdlets()
        {
            using var session = new PowerShellSession();
            var manifestAst = System.Management.Automation.Language.Parser.ParseFile(PowerShellSession.ModuleManifest, out _, out var parseErrors);
            Assert.Empty(parseErrors);
            var manifest = (Hashtable)((System.Management.Automation.Language.HashtableAst)manifestAst.Find(a => a is System.Management.Automation.Language.HashtableAst, false)!).SafeGetValue();
            var declared = ((object[])manifest["CmdletsToExport"]!).Cast<string>().OrderBy(n => n, StringComparer.Ordinal).ToList();

            var exported = session.Invoke("Get-Command -Module Secrets | ForEach-Object { $_.Name }")
                .Select(o => (string)o.BaseObject).OrderBy(n => n, StringComparer.Ordinal).ToList();

            Assert.Equal(declared, exported);
            var types = session.Invoke("Get-Command -Module Secrets | ForEach-Object { $_.CommandType.ToString() }").Select(o => (string)o.BaseObject).Distinct();
            Assert.Equal(new[] { "Cmdlet" }, types);
        }

        [Fact]
        public void EveryCmdletHasAnOnlineHelpPageThatExistsInTheRepository()
        {
            using var session = new PowerShellSession();
            // What Get-Help -Online opens: (Get-Command <name>).HelpUri.
            var commands = session.Invoke("Get-Command -Module Secrets | ForEach-Object { $_.Name + ' ' + $_.HelpUri }").Select(o => ((string)o.BaseObject).Split(' ')).ToList();
            Assert.NotEmpty(commands);
            foreach (var command in commands)
            {
                var name = command[0];
                var uri = new Uri(command[1]);
                Assert.Equal("https", uri.Scheme);
                Assert.EndsWith("/docs/help/" + name + ".md", uri.AbsolutePath, StringComparison.Ordinal);
                Assert.True(File.Exists(Path.Combine(PowerShellSession.RepoRoot, "docs", "help", name + ".md")), $"{name}'s HelpUri names a page the repository does not have.");
            }
        }

        [Fact]
        public void TheStagedManifestPassesTestModuleManifest()
        {
            using var session = new PowerShellSession();
            var result = session.Run("Test-ModuleManifest -Path $args[0]", PowerShellSession.ModuleManifest);
            Assert.True(result.Errors.Count == 0, string.Join("; ", result.Errors.Select(e => e.ToString())));
            var module = (PSModuleInfo)Assert.Single(result.Output).BaseObject;
            Assert.Equal("Secrets", module.Name);
        }

        [Fact]
        public void TheSourceManifestNamesOnlyFilesNextToItButTheBuiltAssembly()
        {
            // src/Secrets/Secrets.psd1 is what the build stages; static analysis of the repository
            // reads it there, so every file it names but the compiled Secrets.dll must exist there.
            var source = Path.Combine(PowerShellSession.RepoRoot, "src", "Secrets", "Secrets.psd1");
            Assert.False(File.Exists(Path.Combine(PowerShellSession.RepoRoot, "Secrets.psd1")), "A second manifest at the repository root would not be the one the build stages.");
            var ast = System.Management.Automation.Language.Parser.ParseFile(source, out _, out var errors);
            Assert.Empty(errors);
            var manifest = (Hashtable)((System.Management.Automation.Language.HashtableAst)ast.Find(a => a is System.Management.Automation.Language.HashtableAst, false)!).SafeGetValue();
            Assert.Equal("Secrets.dll", manifest["RootModule"]);
            var named = new[] { "FormatsToProcess", "NestedModules", "TypesToProcess", "ScriptsToProcess", "FileList" }
                .Where(manifest.ContainsKey)
                .SelectMany(key => manifest[key] is object[] items ? items.Cast<string>() : new[] { (string)manifest[key]! })
                .ToList();
            Assert.NotEmpty(named);
            foreach (var file in named)
            {
                Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(source)!, file)), $"Secrets.psd1 names '{file}', which is not next to it.");
            }
        }

        [Fact]
        public void EveryCmdletDeclaresOutputTypesAndEachSecretsTypeHasAView()
        {
            using var session = new PowerShellSession();
            var views = ViewsByType();
            var commands = session.Invoke("Get-Command -Module Secrets").Select(o => (CmdletInfo)o.BaseObject).ToList();
            Assert.NotEmpty(commands);
            foreach (var command in commands)
            {
                var declared = command.ImplementingType.GetCustomAttributes(typeof(OutputTypeAttribute), inherit: false)
                    .Cast<OutputTypeAttribute>().SelectMany(a => a.Type).Select(t => t.Name).ToList();
                Assert.True(declared.Count > 0, $"{command.Name} has no [OutputType].");
                foreach (var type in declared)
                {
                    if (BuiltInOutputTypes.Contains(type))
                    {
                        continue;
                    }

                    Assert.StartsWith("Secrets.", type);
                    Assert.True(views.Contains(type), $"{command.Name} outputs {type}, which has no view in Secrets.format.ps1xml.");
                }
            }
        }

        [Fact]
        public void GetSecretInfoShowsItsTableAndNeverTheValue()
        {
            const string value = "ModuleTests-do-not-show-7c1e";
            var host = new ScriptedHost();
            using var session = PowerShellSession.WithIdentity(host);
            session.Invoke("Set-Secret -Name 'prod/api' -Secret $args[0] -Metadata @{ owner = 'ops'; rotateDays = 90 }", value);
            session.Invoke("Set-Secret -Name 'prod/pair' -Secret @{ user = 'app'; password = $args[0] }", value);
            host.Transcript.Clear();

            session.Invoke("Get-SecretInfo | Out-Default");

            var text = host.Transcript.ToString();
            Assert.Matches(new Regex(@"^Name\s+Store\s+Type\s+Access\s+Version\s+Modified\s+ModifiedBy\s+Metadata\s*$", RegexOptions.Multiline), text);
            Assert.Matches(new Regex(@"^prod/api\s+personal\s+String\s+Manage\s+1\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+tester\s+owner=ops; rotateDays=90\s*$", RegexOptions.Multiline), text);
            Assert.Contains("prod/pair", text);
            Assert.DoesNotContain(value, text);

            var info = session.Invoke("Get-SecretInfo");
            foreach (var property in info.SelectMany(o => o.Properties))
            {
                Assert.DoesNotContain(value, Convert.ToString(property.Value) ?? string.Empty);
            }
        }

        [Fact]
        public void IdentityAndStoreObjectsUseTheirViews()
        {
            var host = new ScriptedHost();
            using var session = PowerShellSession.WithIdentity(host);
            var team = Path.Combine(session.Home, "team");
            host.Transcript.Clear();

            session.Invoke("Get-SecretIdentity | Out-Default");
            var identity = host.Transcript.ToString();
            Assert.Matches(new Regex(@"^Name\s+: default\s*$", RegexOptions.Multiline), identity);
            Assert.Matches(new Regex(@"^DisplayName\s+: tester\s*$", RegexOptions.Multiline), identity);
            Assert.Matches(new Regex(@"^InUse\s+: True\s*$", RegexOptions.Multiline), identity);
            Assert.DoesNotMatch(new Regex(@"^RetiredAt", RegexOptions.Multiline), identity);
            Assert.Matches(new Regex(@"^Fingerprint\s+: [0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}\s*$", RegexOptions.Multiline), identity);
            Assert.Matches(new Regex(@"^Recipient\s+: secrets1", RegexOptions.Multiline), identity);
            Assert.Matches(new Regex(@"^IsLocked\s+: False\s*$", RegexOptions.Multiline), identity);

            host.Transcript.Clear();
            session.Invoke("New-SecretStore -Path $args[0] | Out-Default", team);
            Assert.Matches(new Regex(@"^Name\s+Path\s+Owner\s+OwnerFingerprint\s+VersionsToKeep\s+Members\s+IsDefault\s*$", RegexOptions.Multiline), host.Transcript.ToString());
        }

        /// <summary>The type names selected by the views of Secrets.format.ps1xml as built into the module.</summary>
        private static System.Collections.Generic.HashSet<string> ViewsByType()
        {
            var document = XDocument.Load(Path.Combine(PowerShellSession.ModuleFolder, "Secrets.format.ps1xml"));
            return document.Descendants("View").Elements("ViewSelectedBy").Elements("TypeName").Select(e => e.Value.Trim()).ToHashSet();
        }
    }
}
