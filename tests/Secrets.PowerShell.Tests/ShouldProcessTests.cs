using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;
using static Secrets.PowerShell.Tests.GetSecretTests;

namespace Secrets.PowerShell.Tests
{
    /// <summary>-WhatIf changes nothing; -Confirm and ConfirmImpact prompt through the host.</summary>
    public class ShouldProcessTests
    {
        [Fact]
        public void WhatIfChangesNothing()
        {
            var host = new ScriptedHost();
            using var session = PowerShellSession.WithIdentity(host);

            // Before the first write there is no store; -WhatIf must not create it.
            Assert.Empty(session.Invoke("Set-Secret -Name 'new' -Secret 'v' -WhatIf"));
            Assert.False(Directory.Exists(session.StorePath));

            session.Invoke("Set-Secret -Name 'db' -Secret 'v1' -Metadata @{ owner = 'ops' }");
            var before = Snapshot(session.Home);
            host.Transcript.Clear();

            Assert.Empty(session.Invoke("Set-Secret -Name 'db' -Secret 'v2' -WhatIf -PassThru"));
            Assert.Empty(session.Invoke("New-Secret -Name 'other' -Value 'v' -WhatIf -PassThru"));
            Assert.Empty(session.Invoke("Set-SecretInfo -Name 'db' -Metadata @{ owner = 'dev' } -WhatIf -PassThru"));
            Assert.Empty(session.Invoke("Remove-Secret -Name 'db' -WhatIf"));
            Assert.Empty(session.Invoke("'db' | Remove-Secret -WhatIf"));
            var team = Path.Combine(session.Home, "team");
            Assert.Empty(session.Invoke("New-SecretStore -Path $args[0] -WhatIf", team));
            Assert.Empty(session.Invoke("Set-SecretStore -VersionsToKeep 1 -WhatIf"));

            Assert.Equal(before, Snapshot(session.Home));
            Assert.False(Directory.Exists(team));
            Assert.Equal("v1", Single(session.Invoke("Get-Secret -Name 'db' -AsPlainText")));

            var said = host.Transcript.ToString();
            Assert.Contains("What if: Performing the operation \"Write a new version of secret\" on target \"'db' (String)", said);
            Assert.Contains("What if: Performing the operation \"Create secret\" on target \"'other' (String)", said);
            Assert.Contains("What if: Performing the operation \"Remove\" on target \"secret 'db' (String, 1 version)", said);
            Assert.Contains("What if: Performing the operation \"Set 1 metadata entries\" on target \"secret 'db'", said);
            Assert.Contains($"What if: Performing the operation \"Create secret store\" on target \"{team}\"", said);
            Assert.DoesNotContain("v2", said);
        }

        [Fact]
        public void RemoveSecretHasHighConfirmImpact()
        {
            using var session = new PowerShellSession();
            var command = (CmdletInfo)Assert.Single(session.Invoke("Get-Command Remove-Secret")).BaseObject;
            var attribute = (CmdletAttribute)command.ImplementingType.GetCustomAttributes(typeof(CmdletAttribute), false).Single();
            Assert.True(attribute.SupportsShouldProcess);
            Assert.Equal(ConfirmImpact.High, attribute.ConfirmImpact);
            Assert.True(command.Parameters.ContainsKey("Confirm"));
            Assert.True(command.Parameters.ContainsKey("WhatIf"));

            foreach (var name in new[] { "New-Secret", "Set-Secret", "Set-SecretInfo", "Rename-Secret", "New-SecretStore", "Set-SecretStore", "New-SecretIdentity" })
            {
                var other = (CmdletInfo)Assert.Single(session.Invoke("Get-Command $args[0]", name)).BaseObject;
                Assert.True(other.Parameters.ContainsKey("WhatIf"), $"{name} has no -WhatIf.");
            }
        }

        [Fact]
        public void RemoveSecretAsksFirstByDefault()
        {
            var host = new ScriptedHost();
            using var session = PowerShellSession.WithIdentity(host);
            session.Invoke("'a', 'b' | ForEach-Object { Set-Secret -Name $_ -Secret 'v' }");

            host.Choose("No");
            session.Invoke("Remove-Secret -Name 'a'");
            Assert.Contains(host.Questions, q => q.StartsWith("choice: Confirm |", StringComparison.Ordinal) && q.Contains("secret 'a' (String, 1 version)"));
            Assert.Equal(2, session.Invoke("Get-SecretInfo").Count);

            host.Choose("Yes").Choose("No");
            session.Invoke("'a', 'b' | Remove-Secret");
            Assert.Equal(new[] { "b" }, session.Invoke("Get-SecretInfo").Select(o => (string)o.Properties["Name"].Value));

            // -Confirm:$false removes without asking; writes do not ask unless -Confirm is given.
            host.Questions.Clear();
            session.Invoke("Remove-Secret -Name 'b' -Confirm:$false; Set-Secret -Name 'c' -Secret 'v'");
            Assert.Empty(host.Questions);
            Assert.Empty(host.Answers);

            host.Choose("No");
            session.Invoke("Set-Secret -Name 'c' -Secret 'v2' -Confirm");
            Assert.Equal("v", Single(session.Invoke("Get-Secret -Name 'c' -AsPlainText")));
        }

        [Fact]
        public void RemoveSecretWithoutConfirmationCannotRunWhereNobodyCanAnswer()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'a' -Secret 'v'");

            var error = session.Throws("Remove-Secret -Name 'a'");
            // The engine's own answer when ShouldProcess needs a user and there is none.
            Assert.Equal("HostFunctionNotImplemented,Secrets.Commands.RemoveSecretCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.NotImplemented, error.CategoryInfo.Category);
            Assert.Single(session.Invoke("Get-SecretInfo"));
        }

        private static string Snapshot(string folder) =>
            string.Join("\n", Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => Path.GetFileName(f) != ".lock")
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => f + " " + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))));
    }
}
