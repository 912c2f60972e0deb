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
    /// -Vault on this module's Get-Secret, Set-Secret, New-Secret, Remove-Secret, Get-SecretInfo and
    /// Set-SecretInfo, with a stand-in for the Microsoft.PowerShell.SecretManagement module in the
    /// user's session: a script module of that name whose commands have SecretManagement's
    /// parameters, record how they were called, and answer like SecretManagement. Our cmdlets are
    /// called module-qualified (Secrets\Get-Secret): the stand-in's functions would otherwise win
    /// over any cmdlet, whereas the real SecretManagement's cmdlets and ours win by import order.
    /// </summary>
    public class VaultHandOffTests
    {
        private const string Value = "hunter2-distinctive-value";

        private const string StandIn = @"
$global:SmCalls = [System.Collections.Generic.List[object]]::new()
$null = New-Module -Name Microsoft.PowerShell.SecretManagement -ScriptBlock {
    function Record([string] $command, $bound) {
        $copy = @{}
        foreach ($key in $bound.Keys) { $copy[$key] = $bound[$key] }
        $global:SmCalls.Add([pscustomobject]@{ Command = $command; Parameters = $copy })
    }
    function NotFound($cmdlet, [string] $message, [string] $id) {
        $cmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
            [System.Management.Automation.ItemNotFoundException]::new($message), $id, 'ObjectNotFound', $null))
    }
    function Get-SecretVault {
        [CmdletBinding()]
        param([Parameter(Position = 0)] [string[]] $Name)
        Record 'Get-SecretVault' $PSBoundParameters
        if ($null -eq $Name) { $Name = @($global:SmVaults.Keys) }
        foreach ($n in $Name) {
            $v = $global:SmVaults[$n]
            if ($null -eq $v) { NotFound $PSCmdlet ""Vault $n does not exist in registry."" 'GetSecretVaultNotFound'; continue }
            [pscustomobject]@{ Name = $n; ModuleName = $v.ModuleName; ModulePath = '/modules/' + $v.ModuleName; Description = ''; VaultParameters = $v.VaultParameters; IsDefault = [bool] $v.IsDefault }
        }
    }
    function Get-Secret {
        [CmdletBinding()]
        param([Parameter(Position = 0, Mandatory)] [string] $Name, [Parameter(Position = 1)] [string] $Vault, [switch] $AsPlainText)
        Record 'Get-Secret' $PSBoundParameters
        if ($Name -ne 'api') { NotFound $PSCmdlet ""The secret $Name was not found."" 'GetSecretNotFound'; return }
        if ($AsPlainText) { 'from-' + $Vault } else { [System.Net.NetworkCredential]::new('', 'from-' + $Vault).SecurePassword }
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
        if ($PSCmdlet.ShouldProcess($Vault, 'Write secret')) { Record 'Set-Secret' $PSBoundParameters }
    }
    function Remove-Secret {
        [CmdletBinding(SupportsShouldProcess)]
        param([Parameter(Position = 0, Mandatory)] [string] $Name, [Parameter(Position = 1, Mandatory)] [string] $Vault)
        if ($PSCmdlet.ShouldProcess($Vault, 'Remove secret')) { Record 'Remove-Secret' $PSBoundParameters }
    }
    function Get-SecretInfo {
        [CmdletBinding()]
        param([Parameter(Position = 0)] [string] $Name, [Parameter(Position = 1)] [string] $Vault)
        Record 'Get-SecretInfo' $PSBoundParameters
        if ([string]::IsNullOrEmpty($Name) -or 'api' -like $Name) { [pscustomobject]@{ Name = 'api'; Type = 'String'; VaultName = $Vault; Metadata = @{} } }
    }
    function Set-SecretInfo {
        [CmdletBinding(SupportsShouldProcess)]
        param([Parameter(Position = 0, Mandatory)] [string] $Name, [Parameter(Position = 1, Mandatory)] [hashtable] $Metadata, [Parameter(Position = 2)] [string] $Vault)
        Record 'Set-SecretInfo' $PSBoundParameters
    }
} | Import-Module
";

        private static SecureString Secure(string text) => new NetworkCredential(string.Empty, text).SecurePassword;

        /// <summary>
        /// A session with the stand-in imported and two registered vaults: 'azure' of another module,
        /// and 'team' of this module on its own store and identity. There is no default identity,
        /// so anything that used it instead of the vault's would fail.
        /// </summary>
        private static PowerShellSession Start(out string store, out string identity, string identityPassword = "", ScriptedHost? host = null)
        {
            var session = new PowerShellSession(host);
            store = Path.Combine(session.Home, "team-store");
            identity = Path.Combine(session.Home, "team.identity");
            if (identityPassword.Length == 0)
            {
                session.Invoke("New-SecretIdentity -DisplayName team -Path $args[0] -NoPassword", identity);
            }
            else
            {
                session.Invoke("New-SecretIdentity -DisplayName team -Path $args[0] -Password $args[1]", identity, Secure(identityPassword));
            }

            session.Invoke("$env:SECRETS_IDENTITY = $args[0]; New-SecretStore -Path $args[1]; $env:SECRETS_IDENTITY = $null", identity, store);
            session.Invoke(StandIn);
            session.Invoke("$global:SmVaults = @{ azure = @{ ModuleName = 'Az.KeyVault'; VaultParameters = @{ AZKVaultName = 'kv' } }; team = @{ ModuleName = 'Secrets'; VaultParameters = @{ Store = $args[0]; Identity = $args[1] } } }",
                store, identity);
            return session;
        }

        private static Hashtable[] Calls(PowerShellSession session, string command) =>
            session.Invoke("$global:SmCalls").Where(c => (string)c.Properties["Command"].Value == command)
                .Select(c => (Hashtable)Base(c.Properties["Parameters"].Value)!).ToArray();

        private static object? Base(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

        [Fact]
        public void GetSecretOfAnotherModulesVaultIsHandedToSecretManagement()
        {
            using var session = Start(out _, out _);
            Assert.Equal("from-azure", session.Invoke("Secrets\\Get-Secret -Name api -Vault azure -AsPlainText")[0].BaseObject);
            var call = Assert.Single(Calls(session, "Get-Secret"));
            Assert.Equal("api", call["Name"]);
            Assert.Equal("azure", call["Vault"]);
            Assert.True(((SwitchParameter)Base(call["AsPlainText"])!).IsPresent);

            // Positionally, as SecretManagement's Get-Secret takes them, and without -AsPlainText.
            var secure = session.Invoke("Secrets\\Get-Secret api azure")[0].BaseObject;
            Assert.Equal("from-azure", new NetworkCredential(string.Empty, Assert.IsType<SecureString>(secure)).Password);
            Assert.False(Calls(session, "Get-Secret")[1].ContainsKey("AsPlainText"));
        }

        [Fact]
        public void SeveralNamesAreHandedOverOneCallEach()
        {
            using var session = Start(out _, out _);
            var result = session.Run("Secrets\\Get-Secret -Name other, api -Vault azure -AsPlainText");
            Assert.Equal(new object[] { "from-azure" }, result.Output.Select(o => o.BaseObject));
            Assert.Equal("GetSecretNotFound", Assert.Single(result.Errors).FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(new object[] { "other", "api" }, Calls(session, "Get-Secret").Select(c => c["Name"]));

            session.Invoke("Secrets\\Remove-Secret api, other azure");
            Assert.Equal(new object[] { "api", "other" }, Calls(session, "Remove-Secret").Select(c => c["Name"]));

            session.Invoke("$null = Secrets\\Get-SecretInfo -Name 'a*', 'b*' -Vault azure");
            Assert.Equal(new object[] { "a*", "b*" }, Calls(session, "Get-SecretInfo").Select(c => c["Name"]));
        }

        [Fact]
        public void SecretManagementsErrorsPassThroughUnchanged()
        {
            using var session = Start(out _, out _);
            var result = session.Run("Secrets\\Get-Secret -Name missing -Vault azure");
            var error = Assert.Single(result.Errors);
            Assert.Equal("GetSecretNotFound,Get-Secret", error.FullyQualifiedErrorId);
            Assert.Equal("The secret missing was not found.", error.Exception.Message);

            // -ErrorAction goes along: Stop makes SecretManagement's error terminating, as it would be there.
            var stopped = session.Throws("Secrets\\Get-Secret -Name missing -Vault azure -ErrorAction Stop; 'not reached'");
            Assert.Equal("GetSecretNotFound,Get-Secret", stopped.FullyQualifiedErrorId);
            Assert.Equal("Stop", Base(Calls(session, "Get-Secret")[1]["ErrorAction"])!.ToString());
        }

        [Fact]
        public void SetSecretHandsOverEveryValueFormWithMetadataAndNoClobber()
        {
            using var session = Start(out _, out _);
            var file = Path.Combine(session.Home, "token.txt");
            File.WriteAllText(file, Value);
            session.Invoke("Secrets\\Set-Secret -Name a -Secret $args[0] -Vault azure -Metadata @{ owner = 'ops' } -NoClobber", Value);
            session.Invoke("Secrets\\Set-Secret b $args[0] azure @{ owner = 'dev' }", Secure(Value));
            session.Invoke("Secrets\\Set-Secret -Name c -SecureStringSecret $args[0] -Vault azure", Secure(Value));
            session.Invoke("Secrets\\Set-Secret -Name d -Path $args[0] -Vault azure", file);
            session.Invoke("Secrets\\Set-Secret -Name e -Values '{\"user\": \"app\", \"password\": \"pw\"}' -Vault azure");
            session.Invoke("Secrets\\New-Secret -Name f -Value $args[0] -Vault azure", Value);

            var calls = Calls(session, "Set-Secret");
            Assert.Equal(new[] { "a", "b", "c", "d", "e", "f" }, calls.Select(c => c["Name"]));
            Assert.All(calls, c => Assert.Equal("azure", c["Vault"]));
            Assert.Equal(Value, Base(calls[0]["Secret"]));
            Assert.Equal("ops", ((Hashtable)Base(calls[0]["Metadata"])!)["owner"]);
            Assert.True(((SwitchParameter)Base(calls[0]["NoClobber"])!).IsPresent);
            Assert.IsType<SecureString>(Base(calls[1]["Secret"]));
            Assert.Equal("dev", ((Hashtable)Base(calls[1]["Metadata"])!)["owner"]);
            Assert.IsType<SecureString>(Base(calls[2]["SecureStringSecret"]));
            Assert.Equal(Value, Base(calls[3]["Secret"]));
            var table = Assert.IsType<Hashtable>(Base(calls[4]["Secret"]));
            Assert.Equal("app", table["user"]);
            Assert.True(((SwitchParameter)Base(calls[5]["NoClobber"])!).IsPresent);
            Assert.False(calls[3].ContainsKey("NoClobber"));
        }

        [Fact]
        public void AValueTypedAtTheMaskedPromptIsHandedOverAsASecureString()
        {
            var host = new ScriptedHost();
            using var session = Start(out _, out _, host: host);
            host.Type(Value).Say("user").Type(Value).Say(string.Empty);

            session.Invoke("Secrets\\Set-Secret -Name a -Vault azure; Secrets\\Set-Secret -Name b -Vault azure -Interactive");

            Assert.Equal("secure: Value of secret 'a' (not shown): ", host.Questions[0]);
            Assert.DoesNotContain(Value, host.Transcript.ToString());
            var calls = Calls(session, "Set-Secret");
            Assert.Equal(Value, new NetworkCredential(string.Empty, Assert.IsType<SecureString>(Base(calls[0]["SecureStringSecret"]))).Password);
            Assert.False(calls[0].ContainsKey("Secret"));
            var table = Assert.IsType<Hashtable>(Base(calls[1]["Secret"]));
            Assert.Equal(Value, new NetworkCredential(string.Empty, Assert.IsType<SecureString>(table["user"])).Password);
        }

        [Fact]
        public void RemoveGetInfoAndSetInfoAreHandedOverWithWhatIfAndVerbose()
        {
            using var session = Start(out _, out _);
            session.Invoke("Secrets\\Remove-Secret api azure");
            session.Invoke("Secrets\\Remove-Secret -Name api -Vault azure -WhatIf");
            var info = session.Invoke("Secrets\\Get-SecretInfo -Name 'a*' -Vault azure -Verbose");
            session.Invoke("Secrets\\Set-SecretInfo api @{ owner = 'ops' } azure");

            // SecretManagement's objects pipe into ours by Name and VaultName.
            Assert.Equal("from-azure", session.Invoke("Microsoft.PowerShell.SecretManagement\\Get-SecretInfo -Vault azure | Secrets\\Get-Secret -AsPlainText")[0].BaseObject);

            Assert.Single(Calls(session, "Remove-Secret"));
            Assert.Equal("azure", Assert.Single(info).Properties["VaultName"].Value);
            var getInfo = Calls(session, "Get-SecretInfo")[0];
            Assert.Equal("a*", getInfo["Name"]);
            Assert.True(((SwitchParameter)Base(getInfo["Verbose"])!).IsPresent);
            var setInfo = Assert.Single(Calls(session, "Set-SecretInfo"));
            Assert.Equal("ops", ((Hashtable)Base(setInfo["Metadata"])!)["owner"]);
            Assert.Equal("azure", setInfo["Vault"]);
        }

        [Theory]
        [InlineData("Secrets\\Get-Secret -Name api -Vault azure -Version 2", "Version")]
        [InlineData("Secrets\\Get-Secret -Name api -Vault azure -Store /tmp/x", "Store")]
        [InlineData("Secrets\\Get-SecretInfo -Vault azure -AllVersions", "AllVersions")]
        [InlineData("Secrets\\Set-Secret -Name api -Secret v -Vault azure -PassThru", "PassThru")]
        [InlineData("Secrets\\Set-SecretInfo -Name api -Metadata @{} -Vault azure -PassThru", "PassThru")]
        public void ParametersSecretManagementLacksAreRefusedForAnotherModulesVault(string script, string parameter)
        {
            using var session = Start(out _, out _);
            var error = session.Throws(script);
            Assert.StartsWith("ParameterNotSupportedByVault,Secrets.Commands.", error.FullyQualifiedErrorId);
            Assert.Contains($"-{parameter} works with Secrets stores only; vault 'azure' belongs to the module 'Az.KeyVault'", error.Exception.Message);
            Assert.Empty(Calls(session, "Get-Secret").Concat(Calls(session, "Set-Secret")).Concat(Calls(session, "Get-SecretInfo")));
        }

        [Fact]
        public void OurOwnVaultIsServedDirectlyWithItsStoreAndIdentity()
        {
            using var session = Start(out var store, out var identity);
            session.Invoke("Secrets\\Set-Secret -Name api -Secret $args[0] -Vault team -Metadata @{ owner = 'ops' }", Value);
            Assert.Equal(Value, session.Invoke("Secrets\\Get-Secret api team -AsPlainText")[0].BaseObject);
            Assert.Equal(Value, session.Invoke("$env:SECRETS_IDENTITY = $args[1]; Secrets\\Get-Secret -Name api -Store $args[0] -AsPlainText; $env:SECRETS_IDENTITY = $null",
                store, identity)[0].BaseObject);

            var info = Assert.Single(session.Invoke("Secrets\\Get-SecretInfo -Vault team"));
            Assert.Equal("team", info.Properties["VaultName"].Value);
            Assert.Equal(store, info.Properties["Store"].Value);
            Assert.Equal("String", info.Properties["Type"].Value.ToString());
            Assert.Equal(2, Convert.ToInt32(info.Properties["Type"].Value));

            // Piped on, the vault (and its identity) comes along; the default identity does not exist.
            Assert.Equal(Value, session.Invoke("Secrets\\Get-SecretInfo -Vault team | Secrets\\Get-Secret -AsPlainText")[0].BaseObject);
            session.Invoke("Secrets\\Set-SecretInfo api @{ team = 'core' } team");
            Assert.Equal("core", ((Hashtable)session.Invoke("(Secrets\\Get-SecretInfo -Vault team).Metadata")[0].BaseObject)["team"]);

            // Only the registry was asked; nothing was handed to SecretManagement.
            Assert.Empty(Calls(session, "Get-Secret").Concat(Calls(session, "Set-Secret")).Concat(Calls(session, "Get-SecretInfo")).Concat(Calls(session, "Set-SecretInfo")));
            Assert.NotEmpty(Calls(session, "Get-SecretVault"));
        }

        [Fact]
        public void RemovingThroughOurVaultAsksOnlyWhenSecretManagementWould()
        {
            using var session = Start(out _, out _);
            session.Invoke("Secrets\\Set-Secret -Name api -Secret $args[0] -Vault team", Value);
            session.Invoke("Secrets\\Remove-Secret -Name api -Vault team -WhatIf");
            Assert.Single(session.Invoke("Secrets\\Get-SecretInfo -Vault team"));

            // $ConfirmPreference is High: SecretManagement's Remove-Secret (impact Medium) does not ask, nor does ours through a vault.
            session.Invoke("Secrets\\Remove-Secret -Name api -Vault team");
            Assert.Empty(session.Invoke("Secrets\\Get-SecretInfo -Vault team"));
        }

        [Fact]
        public void VaultAndADifferentStoreAreRefused()
        {
            using var session = Start(out var store, out _);
            var error = session.Throws("Secrets\\Get-Secret -Name api -Vault team -Store $args[0]", Path.Combine(session.Home, "other"));
            Assert.Equal("VaultAndStoreDiffer,Secrets.Commands.GetSecretCommand", error.FullyQualifiedErrorId);
            Assert.Contains($"Vault 'team' uses the store at '{store}'", error.Exception.Message);
        }

        [Fact]
        public void TabCompletionWithVaultCompletesFromThatVaultsStoreOrThroughSecretManagement()
        {
            using var session = Start(out var store, out var identity);
            session.Invoke("$env:SECRETS_IDENTITY = $args[1]; Secrets\\Set-Secret -Store $args[0] -Name 'prod/team' -Secret 'v'; $env:SECRETS_IDENTITY = $null", store, identity);
            session.Invoke("$null = New-SecretIdentity -DisplayName me -NoPassword; Secrets\\Set-Secret -Name 'prod/personal' -Secret 'v'");

            // A vault of this module: its own store, not the default one.
            Assert.Equal(new[] { "prod/team" }, CompletionTests.Complete(session, "Secrets\\Get-Secret -Vault team -Name pr").Select(m => m.Text));

            // Without -Vault or -Store: the names of every place of the lookup order (the personal
            // store, then the vaults by name: azure has no such name, team has prod/team).
            Assert.Equal(new[] { "prod/personal", "prod/team" }, CompletionTests.Complete(session, "Secrets\\Get-Secret -Name pr").Select(m => m.Text));

            // Another module's vault: SecretManagement's Get-SecretInfo answers.
            session.Invoke("$global:SmCalls.Clear()");
            Assert.Equal(new[] { "api" }, CompletionTests.Complete(session, "Secrets\\Get-Secret -Vault azure -Name a").Select(m => m.Text));
            var asked = session.Invoke("$global:SmCalls | Where-Object Command -eq 'Get-SecretInfo' | ForEach-Object { $_.Parameters['Vault'] + ':' + $_.Parameters['Name'] }");
            Assert.Equal(new[] { "azure:a*" }, asked.Select(o => o.ToString()));
        }

        [Fact]
        public void AnUnregisteredVaultIsNotFound()
        {
            using var session = Start(out _, out _);
            var error = session.Throws("Secrets\\Get-Secret -Name api -Vault nosuch");
            Assert.Equal("VaultNotFound,Secrets.Commands.GetSecretCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Contains("There is no SecretManagement vault named 'nosuch'. Run Get-SecretVault", error.Exception.Message);

            // The module was imported by path, as the tests import it: SecretManagement could not
            // register it by name, and the error gives the form that works.
            Assert.Contains($"Register-SecretVault -Name 'nosuch' -ModuleName '{PowerShellSession.ModuleFolder}'", error.Exception.Message);
        }

        [Fact]
        public void AnInstalledModuleGetsNoRegistrationHint()
        {
            using var session = Start(out _, out _);
            var saved = Environment.GetEnvironmentVariable("PSModulePath");
            try
            {
                // The module's parent folder on PSModulePath: Register-SecretVault -ModuleName Secrets works.
                Environment.SetEnvironmentVariable("PSModulePath", Path.GetDirectoryName(PowerShellSession.ModuleFolder) + Path.PathSeparator + saved);
                var error = session.Throws("Secrets\\Get-Secret -Name api -Vault nosuch");
                Assert.Equal("VaultNotFound,Secrets.Commands.GetSecretCommand", error.FullyQualifiedErrorId);
                Assert.DoesNotContain("Register-SecretVault", error.Exception.Message);
            }
            finally
            {
                Environment.SetEnvironmentVariable("PSModulePath", saved);
            }
        }

        [Fact]
        public void WithoutSecretManagementTheErrorSaysSo()
        {
            using var session = new PowerShellSession();
            var error = session.Throws("Secrets\\Set-Secret -Name api -Secret v -Vault team");
            Assert.Equal("VaultNotFound,Secrets.Commands.SetSecretCommand", error.FullyQualifiedErrorId);
            Assert.Contains("Microsoft.PowerShell.SecretManagement is not installed, so there is no vault named 'team'", error.Exception.Message);
        }

        [Fact]
        public void OurVaultsLockedIdentityNamesTheVaultsUnlockCommand()
        {
            using var session = Start(out var store, out var identity, identityPassword: "correct horse");
            session.Invoke("$env:SECRETS_IDENTITY = $args[0]; Secrets\\Set-Secret -Name api -Secret $args[1] -Store $args[2]; $env:SECRETS_IDENTITY = $null; Lock-SecretIdentity -All",
                identity, Value, store);
            var error = session.Throws("Secrets\\Get-Secret -Name api -Vault team");
            Assert.Equal("IdentityLocked,Secrets.Commands.GetSecretCommand", error.FullyQualifiedErrorId);
            Assert.Contains("Run: Unlock-SecretVault -Name 'team' -Password $password", error.ErrorDetails.Message);
            Assert.Contains($"Unlock-SecretIdentity -Path '{identity}'", error.ErrorDetails.Message);

            session.Invoke("Unlock-SecretIdentity -Path $args[0] -Password $args[1]", identity, Secure("correct horse"));
            Assert.Equal(Value, session.Invoke("Secrets\\Get-Secret -Name api -Vault team -AsPlainText")[0].BaseObject);
        }

        [Fact]
        public void OurVaultWithAMisspeltParameterIsRefused()
        {
            using var session = Start(out _, out _);
            session.Invoke("$global:SmVaults['typo'] = @{ ModuleName = 'Secrets'; VaultParameters = @{ Stor = '/somewhere' } }");
            var error = session.Throws("Secrets\\Set-Secret -Name api -Secret v -Vault typo");
            Assert.Equal("VaultParameterUnknown,Secrets.Commands.SetSecretCommand", error.FullyQualifiedErrorId);
            Assert.Contains("Vault 'typo' has the parameter 'Stor'", error.ErrorDetails.Message);
        }
    }
}
