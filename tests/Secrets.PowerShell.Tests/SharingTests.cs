using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace Secrets.PowerShell.Tests
{
    /// <summary>
    /// Sharing through the cmdlets: alice owns a store in a shared folder, bob and carol are
    /// members. Each person has their own Secrets home; the script switches SECRETS_HOME to act
    /// as one of them.
    /// </summary>
    public class SharingTests
    {
        private const string Setup = @"
$ErrorActionPreference = 'Stop'
$root = $args[0]
$shared = [IO.Path]::Combine($root, 'shared')
function As([string] $who, [scriptblock] $block) {
    $env:SECRETS_HOME = [IO.Path]::Combine($root, $who)
    & $block
}
foreach ($who in 'alice', 'bob', 'carol') { As $who { New-SecretIdentity -DisplayName $who -NoPassword | Out-Null } }
$bob = As bob { (Get-SecretIdentity).Recipient }
$carol = As carol { (Get-SecretIdentity).Recipient }
As alice {
    New-SecretStore -Path $shared | Out-Null
    Add-SecretStoreMember -Name bob -Recipient $bob -Store $shared | Out-Null
    Add-SecretStoreMember -Name carol -Recipient $carol -Store $shared | Out-Null
    Set-Secret -Name prod/db -Secret 'db-value-1' -Store $shared
    Set-Secret -Name prod/api -Secret 'api-value-1' -Store $shared
    Set-Secret -Name dev/token -Secret 'dev-value-1' -Store $shared
}
";

        [Fact]
        public void GrantReadThroughThePipelineThenRevoke()
        {
            using var session = new PowerShellSession();
            var output = session.Invoke(Setup + @"
$before = As bob { try { Get-Secret -Name prod/db -Store $shared -AsPlainText } catch { $_.FullyQualifiedErrorId } }
As alice { Get-SecretInfo -Name 'prod/*' -Store $shared | Grant-SecretAccess -Member bob -Access Read }
$listed = As bob { (Get-SecretInfo -Store $shared | ForEach-Object { $_.Name + ':' + $_.Access }) -join ',' }
$after = As bob { Get-Secret -Name prod/db -Store $shared -AsPlainText }
As alice { Revoke-SecretAccess -Name prod/db -Member bob -Store $shared -WarningVariable w -WarningAction SilentlyContinue; $script:warning = $w -join ' ' }
$revoked = As bob { try { Get-Secret -Name prod/db -Store $shared -AsPlainText } catch { $_.FullyQualifiedErrorId } }
$access = As alice { (Get-SecretAccess -Name 'prod/*' -Store $shared | ForEach-Object { $_.Name + ':' + $_.Member + ':' + $_.Access + ':' + $_.GrantedBy }) -join ',' }
$before; $listed; $after; $revoked; $warning; $access
", session.Home).Select(o => o?.ToString()).ToList();
            Assert.Equal("NotARecipient,Secrets.Commands.GetSecretCommand", output[0]);
            Assert.Equal("prod/api:Read,prod/db:Read", output[1]);
            Assert.Equal("db-value-1", output[2]);
            Assert.Equal("NotARecipient,Secrets.Commands.GetSecretCommand", output[3]);
            Assert.Contains("may have kept the values", output[4]);
            Assert.Contains("Set-Secret", output[4]);
            Assert.Equal("prod/api:alice:Manage:(owner),prod/api:bob:Read:alice,prod/db:alice:Manage:(owner)", output[5]);
        }

        [Fact]
        public void BobWritesWithWriteAndCarolReadsIt()
        {
            using var session = new PowerShellSession();
            var output = session.Invoke(Setup + @"
As alice {
    Grant-SecretAccess -Name prod/api -Member bob -Access Write -Store $shared
    Grant-SecretAccess -Name prod/api -Member carol -Access Read -Store $shared
}
As bob { Set-Secret -Name prod/api -Secret 'api-from-bob' -Store $shared }
As carol { Get-Secret -Name prod/api -Store $shared -AsPlainText; (Get-SecretInfo -Name prod/api -Store $shared).ModifiedBy }
", session.Home).Select(o => o.ToString()).ToList();
            Assert.Equal(new[] { "api-from-bob", "bob" }, output);
        }

        [Fact]
        public void ErrorsNameTheLevelNeededAndWhoCanGrantIt()
        {
            using var session = new PowerShellSession();
            var result = session.Run(Setup + @"
As alice { Grant-SecretAccess -Name prod/db -Member bob -Access Read -Store $shared }
As bob {
    Set-Secret -Name prod/db -Secret 'x' -Store $shared -ErrorAction Continue
    Grant-SecretAccess -Name prod/db -Member nobody -Access Read -Store $shared -ErrorAction Continue
    Add-SecretStoreMember -Name eve -Recipient 'secrets1bad' -Store $shared -ErrorAction Continue
}
", session.Home);
            Assert.Equal(3, result.Errors.Count);
            var denied = result.Errors[0];
            Assert.Equal("AccessDenied,Secrets.Commands.SetSecretCommand", denied.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.PermissionDenied, denied.CategoryInfo.Category);
            Assert.Contains("need write access", denied.ErrorDetails.Message);
            Assert.Contains("alice (owner)", denied.ErrorDetails.Message);
            Assert.Equal("UnknownMember,Secrets.Commands.GrantSecretAccessCommand", result.Errors[1].FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, result.Errors[1].CategoryInfo.Category);
            Assert.Equal("InvalidRecipient,Secrets.Commands.AddSecretStoreMemberCommand", result.Errors[2].FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, result.Errors[2].CategoryInfo.Category);
        }

        [Fact]
        public void RemovingAMemberRotatesTheirSecretsAndWarns()
        {
            using var session = new PowerShellSession();
            var output = session.Invoke(Setup + @"
As alice {
    Grant-SecretAccess -Name 'prod/*' -Member bob -Access Read -Store $shared
    Remove-SecretStoreMember -Name bob -Store $shared -Confirm:$false -WarningVariable w -WarningAction SilentlyContinue
    ($w -join ' ')
    (Get-SecretStoreMember -Store $shared | ForEach-Object { $_.Name + ':' + $_.Role }) -join ','
}
As bob { try { Get-Secret -Name prod/db -Store $shared } catch { $_.FullyQualifiedErrorId } }
", session.Home).Select(o => o.ToString()).ToList();
            Assert.Contains("prod/api, prod/db", output[0]);
            Assert.Equal("alice:Owner,carol:Member", output[1]);
            Assert.Equal("NotARecipient,Secrets.Commands.GetSecretCommand", output[2]);
        }

        [Fact]
        public void AHandEditedLogIsASecurityError()
        {
            using var session = new PowerShellSession();
            var error = session.Throws(Setup + @"
$entry = [IO.Path]::Combine($shared, 'log', '2.entry')
[IO.File]::WriteAllText($entry, [IO.File]::ReadAllText($entry).Replace('role member', 'role admin'))
As carol { Get-SecretInfo -Store $shared }
", session.Home);
            Assert.Equal("StoreLogInvalid,Secrets.Commands.GetSecretInfoCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
            Assert.Contains("2.entry", error.ErrorDetails.Message);
        }

        [Fact]
        public void TheOwnerHandsTheStoreOverAndBobFollows()
        {
            using var session = new PowerShellSession();
            var output = session.Invoke(Setup + @"
As bob { Get-SecretStoreMember -Store $shared | Out-Null }
As alice {
    Set-SecretStoreOwner -Name carol -Store $shared -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable e
    $e[0].FullyQualifiedErrorId
    Set-SecretStoreMember -Name carol -Role Admin -Store $shared
    Set-SecretStoreOwner -Name carol -Store $shared -WhatIf
    (Get-SecretStore -Path $shared).Owner
    (Set-SecretStoreOwner -Name carol -Store $shared -Confirm:$false -PassThru).Role
}
As bob { (Get-SecretStoreMember -Store $shared | ForEach-Object { $_.Name + ':' + $_.Role }) -join ',' }
As carol { Set-SecretStore -Path $shared -VersionsToKeep 5 -PassThru | ForEach-Object VersionsToKeep }
", session.Home).Select(o => o?.ToString()).ToList();
            Assert.Equal("NewOwnerNotAdmin,Secrets.Commands.SetSecretStoreOwnerCommand", output[0]);
            Assert.Equal("alice", output[1]);
            Assert.Equal("Owner", output[2]);
            Assert.Equal("carol:Owner,alice:Admin,bob:Member", output[3]);
            Assert.Equal("5", output[4]);
        }

        [Fact]
        public void AnAdminCopiesAStoreWhoseOwnerIsLost()
        {
            using var session = new PowerShellSession();
            var output = session.Invoke(Setup + @"
As alice {
    Set-SecretStoreMember -Name carol -Role Admin -Store $shared
    Grant-SecretAccess -Name prod/db -Member bob -Access Read -Store $shared
}
$moved = [IO.Path]::Combine($root, 'moved')
As carol {
    Copy-SecretStore -Path $shared -Destination $moved -WhatIf
    [IO.Directory]::Exists($moved)
    $copy = Copy-SecretStore -Path $shared -Destination $moved -WarningVariable w -WarningAction SilentlyContinue
    $copy.Owner
    ($w -join ' ')
}
As bob { Get-Secret -Name prod/db -Store $moved -AsPlainText }
As carol { (Get-SecretInfo -Store $moved | ForEach-Object Name) -join ',' }
", session.Home).Select(o => o?.ToString()).ToList();
            Assert.Equal("False", output[0]);
            Assert.Equal("carol", output[1]);
            Assert.Contains("owner 'alice'", output[2]);
            Assert.Equal("db-value-1", output[3]);
            Assert.Equal("dev/token,prod/api,prod/db", output[4]);
        }
    }
}
