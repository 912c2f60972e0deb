using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security;
using Xunit;

namespace Secrets.PowerShell.Tests
{
    /// <summary>
    /// Named stores, the lookup order, SecretManagement's vaults in the same search, and secret URIs
    /// (docs/VAULT.md, "The lookup order" and "Secret URIs"): two stores of this module and, where a
    /// test needs one, a vault of another module behind a stand-in for SecretManagement that keeps
    /// its secrets in memory and answers as SecretManagement does (not found is a GetSecretNotFound
    /// error). Our cmdlets are called module-qualified, since the stand-in's functions would
    /// otherwise win over any cmdlet.
    /// </summary>
    public class LookupTests
    {
        private const string StandIn = @"
$global:SmCalls = [System.Collections.Generic.List[object]]::new()
$global:SmVaults = [ordered]@{}
$null = New-Module -Name Microsoft.PowerShell.SecretManagement -ScriptBlock {
    function Record([string] $command, $bound) {
        $copy = @{}
        foreach ($key in $bound.Keys) { $copy[$key] = $bound[$key] }
        $global:SmCalls.Add([pscustomobject]@{ Command = $command; Parameters = $copy })
    }
    function Get-SecretVault {
        [CmdletBinding()]
        param([Parameter(Position = 0)] [string[]] $Name)
        $names = if ($Name) { $Name } else { @($global:SmVaults.Keys) }
        foreach ($n in $names) {
            $v = $global:SmVaults[$n]
            if ($null -eq $v) { continue }
            [pscustomobject]@{ Name = $n; ModuleName = $v.ModuleName; ModulePath = '/modules/' + $v.ModuleName; Description = ''; VaultParameters = $v.VaultParameters; IsDefault = [bool] $v.IsDefault }
        }
    }
    function Get-Secret {
        [CmdletBinding()]
        param([Parameter(Position = 0, Mandatory)] [string] $Name, [Parameter(Position = 1)] [string] $Vault, [switch] $AsPlainText)
        Record 'Get-Secret' $PSBoundParameters
        $value = $global:SmVaults[$Vault].Secrets[$Name]
        if ($null -eq $value) {
            $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
                [System.Management.Automation.ItemNotFoundException]::new(""The secret $Name was not found.""), 'GetSecretNotFound', 'ObjectNotFound', $Name))
            return
        }
        if ($value -is [string] -and -not $AsPlainText) { [System.Net.NetworkCredential]::new('', $value).SecurePassword } else { $value }
    }
    function Set-Secret {
        [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'SecureStringParameterSet')]
        param(
            [Parameter(Position = 0, Mandatory)] [string] $Name,
            [Parameter(Position = 1, Mandatory, ParameterSetName = 'ObjectParameterSet')] [object] $Secret,
            [Parameter(Position = 1, Mandatory, ParameterSetName = 'SecureStringParameterSet')] [securestring] $SecureStringSecret,
            [Parameter(Position = 2)] [string] $Vault,
            [Parameter(Position = 3)] [hashtable] $Metadata,
            [switch] $NoClobber)
        Record 'Set-Secret' $PSBoundParameters
        $value = if ($SecureStringSecret) { [System.Net.NetworkCredential]::new('', $SecureStringSecret).Password } elseif ($Secret -is [securestring]) { [System.Net.NetworkCredential]::new('', $Secret).Password } else { $Secret }
        $global:SmVaults[$Vault].Secrets[$Name] = $value
    }
    function Remove-Secret {
        [CmdletBinding(SupportsShouldProcess)]
        param([Parameter(Position = 0, Mandatory)] [string] $Name, [Parameter(Position = 1, Mandatory)] [string] $Vault)
        Record 'Remove-Secret' $PSBoundParameters
        $global:SmVaults[$Vault].Secrets.Remove($Name)
    }
    function Get-SecretInfo {
        [CmdletBinding()]
        param([Parameter(Position = 0)] [string] $Name, [Parameter(Position = 1)] [string] $Vault)
        Record 'Get-SecretInfo' $PSBoundParameters
        $pattern = if ($Name) { $Name } else { '*' }
        $vaults = if ($Vault) { @($Vault) } else { @($global:SmVaults.Keys) }
        foreach ($v in $vaults) {
            $keys = [string[]] @($global:SmVaults[$v].Secrets.Keys)
            [Array]::Sort($keys, [StringComparer]::OrdinalIgnoreCase)
            foreach ($key in $keys) {
                if ($key -like $pattern) { [pscustomobject]@{ Name = $key; Type = 'String'; VaultName = $v; Metadata = @{} } }
            }
        }
    }
    function Set-SecretInfo {
        [CmdletBinding(SupportsShouldProcess)]
        param([Parameter(Position = 0, Mandatory)] [string] $Name, [Parameter(Position = 1, Mandatory)] [hashtable] $Metadata, [Parameter(Position = 2)] [string] $Vault)
        Record 'Set-SecretInfo' $PSBoundParameters
    }
} | Import-Module
";

        /// <summary>
        /// A session with a default identity, the personal store and a store registered as 'team',
        /// each with a secret 'shared' (different values) and one of its own.
        /// </summary>
        private static PowerShellSession TwoStores(out string team)
        {
            var session = PowerShellSession.WithIdentity();
            team = Path.Combine(session.Home, "team-store");
            session.Invoke("$null = Secrets\\New-SecretStore -Path $args[0] -Name team", team);
            session.Invoke("Secrets\\Set-Secret -Name shared -Secret 'personal-value' -Store personal; Secrets\\Set-Secret -Name mine -Secret 'mine-value' -Store personal");
            session.Invoke("Secrets\\Set-Secret -Name shared -Secret 'team-value' -Store team; Secrets\\Set-Secret -Name teamonly -Secret 'teamonly-value' -Store team");
            session.Invoke("Secrets\\Set-Secret -Name db -Secret @{ user = 'app'; password = 'team-db-pw' } -Store team");
            return session;
        }

        /// <summary>
        /// <see cref="TwoStores"/> and the stand-in with the vault 'other' of another module, which
        /// has 'shared', 'fromvault' and the hashtable 'api'. <paramref name="isDefault"/>: whether
        /// it is SecretManagement's default vault.
        /// </summary>
        private static PowerShellSession WithVault(out string team, bool isDefault)
        {
            var session = TwoStores(out team);
            session.Invoke(StandIn);
            session.Invoke("$global:SmVaults['other'] = @{ ModuleName = 'TestVault'; IsDefault = $args[0]; VaultParameters = @{}; Secrets = @{ shared = 'vault-value'; fromvault = 'only-in-vault'; api = @{ key = 'vault-api-key'; region = 'eu' } } }",
                isDefault);
            return session;
        }

        private static string Plain(PowerShellSession session, string script, params object[] arguments) =>
            (string)session.Invoke(script, arguments).Single().BaseObject;

        private static object? Base(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

        [Fact]
        public void StoresAreRegisteredListedAndUnregisteredByName()
        {
            using var session = TwoStores(out var team);
            var stores = session.Invoke("Secrets\\Get-SecretStore");
            Assert.Equal(new[] { "personal", "team" }, stores.Select(s => (string)s.Properties["Name"].Value));
            Assert.Equal(Path.GetFullPath(team), (string)stores[1].Properties["Path"].Value);

            // -Store takes the name or the folder, and the same store answers.
            Assert.Equal("team-value", Plain(session, "Secrets\\Get-Secret -Name shared -Store team -AsPlainText"));
            Assert.Equal("team-value", Plain(session, "Secrets\\Get-Secret -Name shared -Store $args[0] -AsPlainText", team));

            // The personal store is always there, and cannot be unregistered or taken.
            Assert.Equal("StoreNameReserved", session.Throws("Secrets\\Unregister-SecretStore -Name personal").FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal("StoreNameReserved", session.Throws("Secrets\\Register-SecretStore -Name personal -Path $args[0]", team).FullyQualifiedErrorId.Split(',')[0]);
            var taken = session.Throws("Secrets\\Register-SecretStore -Name team -Path $args[0]", session.StorePath);
            Assert.Equal("StoreAlreadyRegistered", taken.FullyQualifiedErrorId.Split(',')[0]);

            session.Invoke("Secrets\\Unregister-SecretStore -Name team -Confirm:$false");
            Assert.Equal(new[] { "personal" }, session.Invoke("Secrets\\Get-SecretStore").Select(s => (string)s.Properties["Name"].Value));
            var gone = session.Throws("Secrets\\Get-Secret -Name 'secret://team/shared'");
            Assert.Equal("StoreNameNotFound", gone.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Contains("No store or vault is named 'team'", gone.Exception.Message);
            Assert.True(File.Exists(Path.Combine(team, "store.manifest")), "Unregistering never touches the store folder.");

            // Registered again by folder: the same secrets.
            session.Invoke("Secrets\\Register-SecretStore -Name team -Path $args[0]", team);
            Assert.Equal("team-value", Plain(session, "Secrets\\Get-Secret -Name 'secret://team/shared' -AsPlainText"));
        }

        [Fact]
        public void ThePersonalStoreComesFirstAndShadowsTheTeamStoreUntilTheOrderChanges()
        {
            using var session = TwoStores(out _);
            Assert.Equal(new[] { "personal", "team" }, session.Invoke("Secrets\\Get-SecretLookupOrder").Select(e => (string)e.Properties["Name"].Value));
            Assert.Equal("personal-value", Plain(session, "Secrets\\Get-Secret -Name shared -AsPlainText"));
            Assert.Equal("teamonly-value", Plain(session, "Secrets\\Get-Secret -Name teamonly -AsPlainText"));
            Assert.Equal("team-db-pw", Plain(session, "Secrets\\Get-Secret -Name db.password -AsPlainText"));

            // Get-SecretInfo shows every copy, where it is, and which one is shadowed.
            var infos = session.Invoke("Secrets\\Get-SecretInfo -Name shared");
            Assert.Equal(new[] { "personal:False", "team:True" }, infos.Select(i => $"{i.Properties["StoreName"].Value}:{i.Properties["Shadowed"].Value}"));

            // The other order: the team's copy is read, and writes go to the team store.
            session.Invoke("Secrets\\Set-SecretLookupOrder -Name team, personal");
            Assert.Equal("team-value", Plain(session, "Secrets\\Get-Secret -Name shared -AsPlainText"));
            Assert.Equal(new[] { "team:False", "personal:True" },
                session.Invoke("Secrets\\Get-SecretInfo -Name shared").Select(i => $"{i.Properties["StoreName"].Value}:{i.Properties["Shadowed"].Value}"));
            session.Invoke("Secrets\\Set-Secret -Name written -Secret 'w'");
            Assert.Equal("team", session.Invoke("Secrets\\Get-SecretInfo -Name written").Single().Properties["StoreName"].Value);
            Assert.Empty(session.Invoke("Secrets\\Get-SecretInfo -Name written -Store personal"));

            // -Store and URIs still name one store whatever the order.
            Assert.Equal("personal-value", Plain(session, "Secrets\\Get-Secret -Name shared -Store personal -AsPlainText"));
            Assert.Equal("personal-value", Plain(session, "Secrets\\Get-Secret -Name 'secret://personal/shared' -AsPlainText"));

            // Remove-Secret without -Store acts on the first place, as Set-Secret writes there.
            session.Invoke("Secrets\\Remove-Secret -Name shared -Confirm:$false");
            Assert.Equal("personal-value", Plain(session, "Secrets\\Get-Secret -Name shared -AsPlainText"));

            session.Invoke("Secrets\\Set-SecretLookupOrder -Default");
            Assert.Equal(new[] { "personal", "team" }, session.Invoke("Secrets\\Get-SecretLookupOrder").Select(e => (string)e.Properties["Name"].Value));
        }

        [Fact]
        public void ANewSecretThatAnotherStoreAlsoHasIsWarnedAbout()
        {
            using var session = TwoStores(out _);
            var result = session.Run("Secrets\\Set-Secret -Name teamonly -Secret 'now-personal'");
            Assert.Contains(result.Warnings, w => w.Contains("Secret 'teamonly' is also in store 'team'", StringComparison.Ordinal));
            Assert.Equal("now-personal", Plain(session, "Secrets\\Get-Secret -Name teamonly -AsPlainText"));
        }

        [Fact]
        public void UnknownNamesInTheOrderAreRefused()
        {
            using var session = TwoStores(out _);
            var error = session.Throws("Secrets\\Set-SecretLookupOrder -Name team, nosuch");
            Assert.Equal("LookupNameNotFound", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Contains("'nosuch' is neither a registered store nor a SecretManagement vault", error.Exception.Message);
            Assert.Contains("'personal', 'team'", error.Exception.Message);
        }

        [Fact]
        public void SecretManagementsDefaultVaultIsSearchedFirstAndWrittenTo()
        {
            // As SecretManagement's own Get-Secret: its default vault first.
            using var session = WithVault(out _, isDefault: true);
            Assert.Equal(new[] { "other", "personal", "team" }, session.Invoke("Secrets\\Get-SecretLookupOrder").Select(e => (string)e.Properties["Name"].Value));
            Assert.Equal("only-in-vault", Plain(session, "Secrets\\Get-Secret -Name fromvault -AsPlainText"));
            Assert.Equal("vault-value", Plain(session, "Secrets\\Get-Secret -Name shared -AsPlainText"));
            var secure = session.Invoke("Secrets\\Get-Secret -Name fromvault").Single().BaseObject;
            Assert.Equal("only-in-vault", new NetworkCredential(string.Empty, Assert.IsType<SecureString>(secure)).Password);

            // Get-SecretInfo lists every vault and store, with VaultName for the vault's secrets.
            var infos = session.Invoke("Secrets\\Get-SecretInfo -Name shared");
            Assert.Equal(new[] { "other:False", ":True", ":True" }, infos.Select(i => $"{i.Properties["VaultName"]?.Value}:{i.Properties["Shadowed"].Value}"));

            // Set-Secret without -Vault or -Store writes where SecretManagement's would: its default vault.
            session.Invoke("Secrets\\Set-Secret -Name newone -Secret 'to-the-vault'");
            Assert.Equal("to-the-vault", Plain(session, "$global:SmVaults['other'].Secrets['newone']"));
            Assert.Empty(session.Invoke("Secrets\\Get-SecretInfo -Name newone -Store personal"));
            session.Invoke("Secrets\\Remove-Secret -Name newone");
            Assert.False((bool)session.Invoke("$global:SmVaults['other'].Secrets.ContainsKey('newone')").Single().BaseObject);

            // -Store and -Vault still name one place.
            Assert.Equal("personal-value", Plain(session, "Secrets\\Get-Secret -Name shared -Store personal -AsPlainText"));
            Assert.Equal("vault-value", Plain(session, "Secrets\\Get-Secret -Name shared -Vault other -AsPlainText"));
        }

        [Fact]
        public void AnotherVaultComesAfterTheStoresAndAnswersWhatTheyLack()
        {
            using var session = WithVault(out _, isDefault: false);
            Assert.Equal(new[] { "personal", "team", "other" }, session.Invoke("Secrets\\Get-SecretLookupOrder").Select(e => (string)e.Properties["Name"].Value));
            Assert.Equal("personal-value", Plain(session, "Secrets\\Get-Secret -Name shared -AsPlainText"));
            Assert.Equal("only-in-vault", Plain(session, "Secrets\\Get-Secret -Name fromvault -AsPlainText"));

            // The vault was asked only for what the stores did not have.
            var asked = session.Invoke("$global:SmCalls | Where-Object Command -eq 'Get-Secret' | ForEach-Object { $_.Parameters['Name'] }").Select(o => o.ToString());
            Assert.Equal(new[] { "fromvault" }, asked);

            // A name nowhere: one error that names every place searched.
            var error = session.Throws("Secrets\\Get-Secret -Name nowhere");
            Assert.Equal("SecretNotFound", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Contains("No secret named 'nowhere' in store 'personal', store 'team' or vault 'other'", error.Exception.Message);

            // The vault named first in the user's order.
            session.Invoke("Secrets\\Set-SecretLookupOrder -Name other, team");
            Assert.Equal("vault-value", Plain(session, "Secrets\\Get-Secret -Name shared -AsPlainText"));
            Assert.Equal(new[] { "other", "team" }, session.Invoke("Secrets\\Get-SecretLookupOrder").Select(e => (string)e.Properties["Name"].Value));
        }

        [Fact]
        public void UrisNameAStoreOrAVaultWithOrWithoutAKey()
        {
            using var session = WithVault(out _, isDefault: false);
            Assert.Equal("team-value", Plain(session, "Secrets\\Get-Secret -Name 'secret://team/shared' -AsPlainText"));
            Assert.Equal("team-db-pw", Plain(session, "Secrets\\Get-Secret -Name 'secret://team/db#password' -AsPlainText"));
            Assert.Equal("team-db-pw", Plain(session, "Secrets\\Get-Secret -Name 'SECRET://team/db#PASSWORD' -AsPlainText"));
            Assert.Equal("vault-value", Plain(session, "Secrets\\Get-Secret -Name 'secret://other/shared' -AsPlainText"));
            Assert.Equal("vault-api-key", Plain(session, "Secrets\\Get-Secret -Name 'secret://other/api#key' -AsPlainText"));
            var whole = session.Invoke("Secrets\\Get-Secret -Name 'secret://team/db' -AsPlainText").Single().BaseObject;
            Assert.Equal("app", Assert.IsType<Hashtable>(whole)["user"]);

            // Written through a URI: that store.
            session.Invoke("Secrets\\Set-Secret -Name 'secret://team/viauri' -Secret 'u'");
            Assert.Equal("u", Plain(session, "Secrets\\Get-Secret -Name viauri -Store team -AsPlainText"));

            // A missing key names the keys there are; a URI and -Store that disagree are refused.
            var noKey = session.Throws("Secrets\\Get-Secret -Name 'secret://team/db#nope'");
            Assert.Contains("nope", noKey.Exception.Message);
            Assert.Contains("password", noKey.Exception.Message);
            var differ = session.Throws("Secrets\\Get-Secret -Name 'secret://team/shared' -Store personal");
            Assert.Equal("UriAndStoreDiffer", differ.FullyQualifiedErrorId.Split(',')[0]);
        }

        [Fact]
        public void RenameExportAndAccessCommandsTakeAUriThatNamesAStore()
        {
            using var session = WithVault(out _, isDefault: false);
            var exported = Plain(session, "Secrets\\Export-Secret -Name 'secret://team/db' -Format Json");
            Assert.Contains("team-db-pw", exported);
            Assert.NotEmpty(session.Invoke("Secrets\\Get-SecretAccess -Name 'secret://team/db'"));

            session.Invoke("Secrets\\Rename-Secret -Name 'secret://team/teamonly' -NewName renamed -Confirm:$false");
            Assert.Equal("teamonly-value", Plain(session, "Secrets\\Get-Secret -Name 'secret://team/renamed' -AsPlainText"));
            Assert.Equal("personal-value", Plain(session, "Secrets\\Get-Secret -Name 'secret://personal/shared' -AsPlainText"));

            // Whole secrets of a Secrets store only: no key, no other module's vault, no other -Store.
            Assert.Equal("InvalidSecretUri", session.Throws("Secrets\\Export-Secret -Name 'secret://team/db#password' -Format Json").FullyQualifiedErrorId.Split(',')[0]);
            var foreign = session.Throws("Secrets\\Rename-Secret -Name 'secret://other/shared' -NewName x");
            Assert.Equal("UriNamesAnotherModulesVault", foreign.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Contains("works on Secrets stores only", foreign.Exception.Message);
            Assert.Equal("UriAndStoreDiffer", session.Throws("Secrets\\Get-SecretAccess -Name 'secret://team/db' -Store personal").FullyQualifiedErrorId.Split(',')[0]);
        }

        [Theory]
        [InlineData("secret:team/db", "starts with 'secret:' but not 'secret://'")]
        [InlineData("secret://", "names no store or vault")]
        [InlineData("secret:///db", "names no store or vault")]
        [InlineData("secret://team", "names the store or vault 'team' but no secret")]
        [InlineData("secret://team/", "names no secret after 'secret://team/'")]
        [InlineData("secret://team/db#", "ends with '#'")]
        [InlineData("secret://team/db#a#b", "contains '#' twice")]
        [InlineData("secret://team/db?x=1", "has no query")]
        [InlineData("secret://team/db%zz", "'%' starts an escape of two hexadecimal digits")]
        [InlineData("secret://team/db%FF", "not UTF-8 text")]
        [InlineData("secret://team/db.password", "a URI gives a key only after '#'")]
        public void EveryMalformedUriIsAClearError(string uri, string expected)
        {
            using var session = TwoStores(out _);
            foreach (var command in new[] { "Secrets\\Get-Secret -Name $args[0]", "Secrets\\Set-Secret -Name $args[0] -Secret 'v'" })
            {
                var error = session.Throws(command, uri);
                Assert.Equal("InvalidSecretUri", error.FullyQualifiedErrorId.Split(',')[0]);
                Assert.Contains(expected, error.Exception.Message);
            }

            // In a job too: the job does not start, and the problem names what uses the URI.
            var job = session.Throws("Secrets\\Invoke-WithSecrets -Environment @{ V = $args[0] } -ScriptBlock { 'ran' }", uri);
            Assert.Contains("environment variable V", job.Exception.Message);
            Assert.Contains(expected, job.Exception.Message);
        }

        [Fact]
        public void AJobAndATemplateTakeSecretsFromAStoreAndAVaultAtOnce()
        {
            using var session = WithVault(out _, isDefault: false);
            var template = Path.Combine(session.Home, "app.tmpl");
            File.WriteAllText(template, "db={{secret://team/db#password}} api={{ secret://other/api#key }} mine={{mine}} vault={{fromvault}}\n");
            var output = Path.Combine(session.Home, "app.conf");
            var result = session.Invoke(
                "Secrets\\Invoke-WithSecrets -Environment @{ DB = 'secret://team/db#password'; API = 'secret://other/api#key'; SHARED = 'shared'; FROMVAULT = 'fromvault' } " +
                "-Template @{ $args[0] = $args[1] } -NoMask -ScriptBlock { \"$env:DB|$env:API|$env:SHARED|$env:FROMVAULT\"; [System.IO.File]::ReadAllText($args[0]) } -ArgumentList $args[0]",
                output, template);
            Assert.Equal("team-db-pw|vault-api-key|personal-value|only-in-vault", result[0].BaseObject);
            Assert.Equal("db=team-db-pw api=vault-api-key mine=mine-value vault=only-in-vault\n", result[1].BaseObject);

            // A missing secret stops the job, naming where it was looked for.
            var error = session.Throws("Secrets\\Invoke-WithSecrets -Environment @{ X = 'secret://team/absent'; Y = 'absent-everywhere' } -ScriptBlock { 'ran' }");
            Assert.Contains("secret 'secret://team/absent' does not exist in store 'team' (used by environment variable X)", error.Exception.Message);
            Assert.Contains("secret 'absent-everywhere' does not exist in store 'personal', store 'team', vault 'other' (used by environment variable Y)", error.Exception.Message);
        }

        [Fact]
        public void StoreAndUriNamesCompleteWithTab()
        {
            using var session = WithVault(out _, isDefault: false);
            Assert.Equal(new[] { "team" }, CompletionTests.Complete(session, "Secrets\\Get-Secret -Store te").Select(m => m.Text));
            Assert.Equal(new[] { "personal" }, CompletionTests.Complete(session, "Secrets\\Invoke-WithSecrets -Store pe").Select(m => m.Text));
            Assert.Equal(new[] { "team" }, CompletionTests.Complete(session, "Secrets\\Set-SecretLookupOrder -Name te").Select(m => m.Text));
            Assert.Equal(new[] { "other" }, CompletionTests.Complete(session, "Secrets\\Set-SecretLookupOrder -Name ot").Select(m => m.Text));
            Assert.Equal(new[] { "secret://team/" }, CompletionTests.Complete(session, "Secrets\\Get-Secret -Name secret://te").Select(m => m.Text));
            Assert.Equal(new[] { "secret://team/teamonly" }, CompletionTests.Complete(session, "Secrets\\Get-Secret -Name secret://team/teamo").Select(m => m.Text));

            // Names of the whole lookup order, each once: the stores', then the vault's.
            Assert.Equal(new[] { "fromvault" }, CompletionTests.Complete(session, "Secrets\\Get-Secret -Name fromv").Select(m => m.Text));
            Assert.Equal(new[] { "shared" }, CompletionTests.Complete(session, "Secrets\\Get-Secret -Name sha").Select(m => m.Text));
        }
    }
}
