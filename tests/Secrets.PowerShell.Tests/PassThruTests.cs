using System.Linq;
using System.Management.Automation;
using Xunit;

namespace Secrets.PowerShell.Tests
{
    /// <summary>
    /// What -PassThru writes is the object the matching Get- command shows, property by property:
    /// a user who pipes it on, or looks at it, sees nothing missing.
    /// </summary>
    public class PassThruTests
    {
        // Each case: a command with -PassThru, then the Get- command that shows the same thing.
        // $store is a shared store owned by the session's identity, with bob as a member.
        private const string Setup = @"
$ErrorActionPreference = 'Stop'
$store = [IO.Path]::Combine($args[0], 'team')
$null = New-SecretIdentity -DisplayName owner -NoPassword
$bob = (New-SecretIdentity -DisplayName bob -NoPassword -Path ([IO.Path]::Combine($args[0], 'bob.identity'))).Recipient
$null = New-SecretStore -Path $store
$null = Add-SecretStoreMember -Store $store -Name bob -Recipient $bob
Set-Secret -Store $store -Name existing -Secret 'value-existing' -Metadata @{ team = 'ops' }
";

        [Theory]
        [InlineData("Set-Secret -Store $store -Name api -Secret 'value-one' -Metadata @{ a = 1 } -PassThru", "Get-SecretInfo -Store $store -Name api")]
        [InlineData("New-Secret -Store $store -Name fresh -Value 'value-new' -PassThru", "Get-SecretInfo -Store $store -Name fresh")]
        [InlineData("Set-SecretInfo -Store $store -Name existing -Metadata @{ team = 'dev' } -PassThru", "Get-SecretInfo -Store $store -Name existing")]
        [InlineData("Set-SecretStore -Path $store -VersionsToKeep 4 -PassThru", "Get-SecretStore -Path $store")]
        [InlineData("Set-SecretStoreMember -Store $store -Name bob -Role Admin -PassThru", "Get-SecretStoreMember -Store $store -Name bob")]
        [InlineData("Grant-SecretAccess -Store $store -Name existing -Member bob -Access Read -PassThru", "Get-SecretAccess -Store $store -Name existing | Where-Object Member -eq bob")]
        public void PassThruWritesWhatGetShows(string passThru, string get)
        {
            using var session = new PowerShellSession();
            var written = session.Invoke(Setup + passThru, session.Home);
            var shown = session.Invoke(Setup.Split('\n')[2] + "\n" + get, session.Home);
            var one = Assert.Single(written);
            var other = Assert.Single(shown);
            Assert.Equal(other.BaseObject.GetType(), one.BaseObject.GetType());
            Assert.Equal(Describe(other), Describe(one));
        }

        [Fact]
        public void UnlockPassThruWritesWhatGetSecretIdentityShows()
        {
            using var session = new PowerShellSession();
            session.WriteQuickPassphraseIdentity("a long enough passphrase");
            var written = Assert.Single(session.Invoke("Unlock-SecretIdentity -Password ([System.Net.NetworkCredential]::new('', $args[0]).SecurePassword) -Timeout 600 -PassThru", "a long enough passphrase"));
            var shown = Assert.Single(session.Invoke("Get-SecretIdentity"));
            Assert.Equal(Describe(shown), Describe(written));
        }

        private static string[] Describe(PSObject item) =>
            item.Properties.Where(p => p.IsGettable).Select(p => $"{p.Name}={Text(p.Value)}").ToArray();

        private static string Text(object? value) => value switch
        {
            null => "(null)",
            System.Collections.IDictionary d => "{" + string.Join(",", d.Keys.Cast<object>().Select(k => $"{k}:{d[k]}").OrderBy(x => x)) + "}",
            System.Collections.IEnumerable e when value is not string => "[" + string.Join(",", e.Cast<object>()) + "]",
            _ => value.ToString() ?? string.Empty,
        };
    }
}
