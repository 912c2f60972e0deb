using System.IO;
using System.Linq;
using Xunit;

namespace Secrets.PowerShell.Tests
{
    /// <summary>Tab completion of secret names through TabExpansion2, as the console's Tab key asks for it.</summary>
    public class CompletionTests
    {
        [Theory]
        [InlineData("Get-Secret -Name pr")]
        [InlineData("Get-Secret pr")]
        [InlineData("Get-Secret -Name 'pr")]
        [InlineData("Get-Secret -Name PR")]
        [InlineData("Set-Secret -Name pr")]
        [InlineData("Remove-Secret -Name pr")]
        [InlineData("Rename-Secret -Name pr")]
        [InlineData("Rename-Secret pr")]
        [InlineData("Set-SecretInfo -Name pr")]
        [InlineData("Get-SecretInfo -Name pr")]
        public void CompletesNamesFromTheDefaultStore(string input)
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("'prod/web', 'Prod/DB', 'dev/db', 'production' | ForEach-Object { Set-Secret -Name $_ -Secret 'completion-value' }");

            var matches = Complete(session, input);

            Assert.Equal(new[] { "Prod/DB", "prod/web", "production" }, matches.Select(m => m.Text.Trim('\'')));
            Assert.All(matches, m => Assert.DoesNotContain("completion-value", m.ToolTip));
            Assert.Contains("String, version 1", matches[0].ToolTip);
        }

        [Fact]
        public void CompletesNamesFromTheStoreGivenWithStore()
        {
            using var session = PowerShellSession.WithIdentity();
            var team = Path.Combine(session.Home, "team");
            session.Invoke("Set-Secret -Name 'prod/personal' -Secret 'v'");
            session.Invoke("$null = New-SecretStore -Path $args[0]; Set-Secret -Store $args[0] -Name 'prod/team' -Secret 'v'", team);

            Assert.Equal(new[] { "prod/team" }, Complete(session, $"Get-Secret -Store '{team}' -Name pr").Select(m => m.Text));
            Assert.Equal(new[] { "prod/personal" }, Complete(session, "Get-Secret -Name pr").Select(m => m.Text));
        }

        [Fact]
        public void RelativeStoreIsResolvedFromTheCurrentLocation()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("$null = $ExecutionContext.SessionState.Path.SetLocation($args[0])", session.Home);
            session.Invoke("$null = New-SecretStore -Path 'team'; Set-Secret -Store 'team' -Name 'prod/team' -Secret 'v'");

            Assert.Equal(new[] { "prod/team" }, Complete(session, "Get-Secret -Store ./team -Name pr").Select(m => m.Text));
            Assert.Equal(new[] { "prod/team" }, Complete(session, "Get-SecretInfo -Store team -Name pr").Select(m => m.Text));
        }

        [Fact]
        public void CompletesMemberNamesFromTheStoreGivenWithStore()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("$null = $ExecutionContext.SessionState.Path.SetLocation($args[0])", session.Home);
            var bob = session.Invoke("(New-SecretIdentity -DisplayName bob -NoPassword -Path ./bob.identity).Recipient")[0].BaseObject;
            var bea = session.Invoke("(New-SecretIdentity -DisplayName bea -NoPassword -Path ./bea.identity).Recipient")[0].BaseObject;
            session.Invoke("$null = New-SecretStore -Path team; $null = Add-SecretStoreMember -Store team -Name 'bob' -Recipient $args[0]; $null = Add-SecretStoreMember -Store team -Name 'bea trice' -Recipient $args[1]", bob, bea);

            Assert.Equal(new[] { "'bea trice'", "bob" }, Complete(session, "Grant-SecretAccess -Store ./team -Name x -Member b").Select(m => m.Text));
            Assert.Equal(new[] { "bob" }, Complete(session, "Remove-SecretStoreMember -Store team -Name bo").Select(m => m.Text));
        }

        [Fact]
        public void CompletesNothingWithoutAStoreAndNeverFails()
        {
            using var session = PowerShellSession.WithIdentity();
            Assert.Empty(Complete(session, "Get-Secret -Name pr"));
            Assert.Empty(Complete(session, $"Get-Secret -Store '{Path.Combine(session.Home, "missing")}' -Name pr"));
            Assert.Empty(Complete(session, "Get-Secret -Store 'env:' -Name pr"));
        }

        internal static System.Collections.Generic.List<(string Text, string ToolTip)> Complete(PowerShellSession session, string input) =>
            session.Invoke("(TabExpansion2 -inputScript $args[0] -cursorColumn $args[0].Length).CompletionMatches", input)
                .Select(o => ((string)o.Properties["CompletionText"].Value, (string)o.Properties["ToolTip"].Value))
                .ToList();
    }
}
