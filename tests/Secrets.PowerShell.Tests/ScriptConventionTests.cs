using System;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using Xunit;

namespace Secrets.PowerShell.Tests
{
    /// <summary>
    /// What script analysis checks in the repository's own scripts, checked here on their syntax
    /// trees: state-changing functions support ShouldProcess or say why not, and no script writes
    /// progress with Write-Host.
    /// </summary>
    public class ScriptConventionTests
    {
        private static readonly string[] StateChangingVerbs = { "New", "Set", "Remove", "Start", "Stop", "Restart", "Reset", "Update" };

        public static TheoryData<string> Scripts()
        {
            var data = new TheoryData<string>();
            foreach (var file in new[] { "build.ps1", "src/Secrets/Secrets.Extension/Secrets.Extension.psm1", "tests/Invoke-SecretsPester.ps1", "tests/Secrets.TestHelpers.psm1" })
            {
                data.Add(file);
            }

            return data;
        }

        private static ScriptBlockAst Parse(string relative)
        {
            var ast = Parser.ParseFile(Path.Combine(PowerShellSession.RepoRoot, relative), out _, out var errors);
            Assert.True(errors.Length == 0, relative + ": " + string.Join("; ", errors.Select(e => e.Message)));
            return ast;
        }

        [Theory]
        [MemberData(nameof(Scripts))]
        public void StateChangingFunctionsSupportShouldProcessOrSayWhyNot(string relative)
        {
            var functions = Parse(relative).FindAll(a => a is FunctionDefinitionAst, true).Cast<FunctionDefinitionAst>();
            foreach (var function in functions.Where(f => StateChangingVerbs.Contains(f.Name.Split('-')[0], StringComparer.OrdinalIgnoreCase)))
            {
                var attributes = function.Body.ParamBlock?.Attributes ?? (System.Collections.Generic.IReadOnlyCollection<AttributeAst>)Array.Empty<AttributeAst>();
                var supports = attributes.Any(a => a.TypeName.Name == "CmdletBinding" && a.NamedArguments.Any(n => n.ArgumentName == "SupportsShouldProcess"));
                var suppression = attributes.FirstOrDefault(a => a.TypeName.Name.EndsWith("SuppressMessageAttribute", StringComparison.Ordinal) &&
                    a.PositionalArguments.FirstOrDefault() is StringConstantExpressionAst rule && rule.Value == "PSUseShouldProcessForStateChangingFunctions");
                var justified = suppression != null && suppression.NamedArguments.Any(n => n.ArgumentName == "Justification" &&
                    n.Argument is StringConstantExpressionAst text && text.Value.Length > 20);
                Assert.True(supports || justified, $"{relative}: {function.Name} changes state but neither supports ShouldProcess nor justifies a suppression.");
            }
        }

        [Theory]
        [MemberData(nameof(Scripts))]
        public void NoScriptWritesWithWriteHost(string relative)
        {
            var calls = Parse(relative).FindAll(a => a is CommandAst c && string.Equals(c.GetCommandName(), "Write-Host", StringComparison.OrdinalIgnoreCase), true);
            Assert.Empty(calls.Select(c => $"{relative}:{c.Extent.StartLineNumber}"));
        }
    }
}
