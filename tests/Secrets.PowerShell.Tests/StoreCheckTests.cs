using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace Secrets.PowerShell.Tests
{
    /// <summary>Test-SecretStore and Repair-SecretStore on the engine, and an unfinished rotation as Get-SecretAccess shows it.</summary>
    public class StoreCheckTests
    {
        [Fact]
        public void TestReportsRepairFixesAndWhatIfChangesNothing()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("$s = $args[0]; New-SecretStore -Path $s -VersionsToKeep 2 | Out-Null; 1..4 | ForEach-Object { Set-Secret -Store $s -Name app/key -Secret \"value-$_\" }", Path.Combine(session.Home, "s"));
            var folder = Path.Combine(session.Home, "s", "secrets", "app.key");
            var temp = Path.Combine(folder, ".leftover.tmp");
            File.WriteAllText(temp, "ciphertext only");
            var planted = Path.Combine(folder, "v1.secret");
            File.Copy(Path.Combine(folder, "v4.secret"), planted);

            var found = session.Invoke("Test-SecretStore -Path $args[0]", Path.Combine(session.Home, "s"));
            Assert.Equal(new[] { "NotInHistory", "TemporaryFile" }, found.Select(f => (string)f.Properties["Kind"].Value).OrderBy(k => k));
            Assert.All(found, f => Assert.Equal("app/key", f.Properties["Secret"].Value));
            Assert.Equal(false, session.Invoke("Test-SecretStore -Path $args[0] -Quiet", Path.Combine(session.Home, "s")).Single().BaseObject);

            var whatIf = session.Invoke("Repair-SecretStore -Path $args[0] -WhatIf", Path.Combine(session.Home, "s"));
            Assert.Equal(2, whatIf.Count);
            Assert.All(whatIf, f => Assert.Equal(false, f.Properties["Repaired"].Value));
            Assert.True(File.Exists(temp) && File.Exists(planted));

            var repaired = session.Invoke("Repair-SecretStore -Path $args[0]", Path.Combine(session.Home, "s"));
            Assert.All(repaired, f => Assert.Equal(true, f.Properties["Repaired"].Value));
            Assert.False(File.Exists(temp) || File.Exists(planted));
            Assert.Equal(true, session.Invoke("Test-SecretStore -Path $args[0] -Quiet", Path.Combine(session.Home, "s")).Single().BaseObject);
            Assert.Equal("value-4", session.Invoke("Get-Secret -Store $args[0] -Name app/key -AsPlainText", Path.Combine(session.Home, "s")).Single().BaseObject);
        }

        [Fact]
        public void AnInterruptedRevocationIsShownByGetSecretAccessAndFinishedByTheRepair()
        {
            using var session = new PowerShellSession();
            var team = Path.Combine(session.Home, "team");
            var bobIdentity = Path.Combine(session.Home, "bob.identity");
            var output = session.Run(PowerShellSession.CorePrelude + @"
$ErrorActionPreference = 'Stop'
$null = New-SecretIdentity -DisplayName alice -NoPassword
$bob = (New-SecretIdentity -DisplayName bob -NoPassword -Path $args[1]).Recipient
$null = New-SecretStore -Path $args[0]
$null = Add-SecretStoreMember -Store $args[0] -Name bob -Recipient $bob
Set-Secret -Store $args[0] -Name prod/db -Secret 'db-value'
Grant-SecretAccess -Store $args[0] -Name prod/db -Member bob -Access Read

# The revocation is recorded, and the process stops before the new version is in place.
$store = (Get-CoreType 'Secrets.Core.Store.SecretStore')::Open($args[0])
$alice = (Get-CoreType 'Secrets.Core.Identity.IdentityFile')::Load((Get-SecretIdentity).Path).Unlock($null)
$injector = $store.GetType().GetProperty('FaultInjector', [Reflection.BindingFlags]'Instance,NonPublic')
$crash = [Management.Automation.LanguagePrimitives]::ConvertTo({ param($step) if ($step.ToString() -eq 'TempFileWritten') { throw 'stopped' } }, $injector.PropertyType)
$injector.SetValue($store, $crash)
try { $store.Revoke('prod/db', 'bob', $alice) } catch { }

$before = Get-SecretAccess -Store $args[0] -Name prod/db -WarningVariable w -WarningAction SilentlyContinue | Where-Object Member -eq bob
'{0}:{1}:{2}' -f $before.Member, $before.Access, $before.RotationPending
$w -join ' '
(Repair-SecretStore -Store $args[0] | ForEach-Object { '{0}:{1}' -f $_.Kind, $_.Repaired }) -join ','
@(Get-SecretAccess -Store $args[0] -Name prod/db -WarningVariable w2 | Where-Object Member -eq bob).Count
$w2.Count
$env:SECRETS_IDENTITY = $args[1]
try { Get-Secret -Store $args[0] -Name prod/db -AsPlainText } catch { $_.FullyQualifiedErrorId }
", team, bobIdentity);
            Assert.Empty(output.Errors);
            var lines = output.Output.Select(o => o?.ToString()).ToList();
            Assert.Equal("bob:None:True", lines[0]);
            Assert.Contains("'bob' can still read the newest version of 'prod/db'", lines[1]);
            Assert.Contains("Repair-SecretStore", lines[1]);
            Assert.Equal("RotationPending:True", lines[2]);
            Assert.Equal("0", lines[3]);
            Assert.Equal("0", lines[4]);
            Assert.Equal("NotARecipient,Secrets.Commands.GetSecretCommand", lines[5]);
        }
    }
}
