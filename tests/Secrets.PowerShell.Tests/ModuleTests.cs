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
            "System.Byte[]", "System.Collections.Hashtable",

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
            Assert.Matches(new Regex(@"^Name\s+Type\s+Access\s+Version\s+Modified\s+ModifiedBy\s+Metadata\s*$", RegexOptions.Multiline), text);
            Assert.Matches(new Regex(@"^prod/api\s+String\s+Manage\s+1\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+tester\s+owner=ops; rotateDays=90\s*$", RegexOptions.Multiline), text);
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
            Assert.Matches(new Regex(@"^Name\s+: tester\s*$", RegexOptions.Multiline), identity);
            Assert.Matches(new Regex(@"^Fingerprint\s+: [0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}\s*$", RegexOptions.Multiline), identity);
            Assert.Matches(new Regex(@"^Recipient\s+: secrets1", RegexOptions.Multiline), identity);
            Assert.Matches(new Regex(@"^IsLocked\s+: False\s*$", RegexOptions.Multiline), identity);

            host.Transcript.Clear();
            session.Invoke("New-SecretStore -Path $args[0] | Out-Default", team);
            Assert.Matches(new Regex(@"^Path\s+Owner\s+OwnerFingerprint\s+VersionsToKeep\s+Members\s+IsDefault\s*$", RegexOptions.Multiline), host.Transcript.ToString());
        }

        /// <summary>The type names selected by the views of Secrets.format.ps1xml as built into the module.</summary>
        private static System.Collections.Generic.HashSet<string> ViewsByType()
        {
            var document = XDocument.Load(Path.Combine(PowerShellSession.ModuleFolder, "Secrets.format.ps1xml"));
            return document.Descendants("View").Elements("ViewSelectedBy").Elements("TypeName").Select(e => e.Value.Trim()).ToHashSet();
        }
    }
}
