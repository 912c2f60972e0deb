using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;
using static Secrets.PowerShell.Tests.GetSecretTests;

namespace Secrets.PowerShell.Tests
{
    /// <summary>Rename-Secret: the current value and metadata move, history is not kept (and says so), nothing is lost.</summary>
    public class RenameSecretTests
    {
        [Fact]
        public void RenamesTheCurrentValueAndMetadataAndWarnsThatOlderVersionsAreNotKept()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'old/db' -Secret 'v1'; Set-Secret -Name 'old/db' -Secret 'v2' -Metadata @{ owner = 'ops' }");

            var result = session.Run("Rename-Secret -Name 'old/db' -NewName 'new/db' -Verbose");

            Assert.Empty(result.Errors);
            Assert.Empty(result.Output);
            var warning = Assert.Single(result.Warnings);
            Assert.Equal("'old/db' had 1 older version; it was not carried over and was removed with it. 'new/db' holds the current value only (version 1).", warning);
            Assert.Contains(result.Verbose, v => v.StartsWith("Renamed secret 'old/db' to 'new/db' (version 1)", StringComparison.Ordinal));
            Assert.Equal("v2", Single(session.Invoke("Get-Secret -Name 'new/db' -AsPlainText")));
            Assert.Equal("ops", SecretInfoTests.Metadata(session, "new/db")["owner"]);
            Assert.Equal(new[] { "new/db" }, session.Invoke("Get-SecretInfo").Select(o => (string)o.Properties["Name"].Value));
            Expect.Error(session.Throws("Get-Secret -Name 'old/db'"), "SecretNotFound", "GetSecret", ErrorCategory.ObjectNotFound);

            // A secret with one version loses nothing: no warning.
            Assert.Empty(session.Run("Rename-Secret new/db final/db").Warnings);
            Assert.Equal("v2", Single(session.Invoke("Get-Secret -Name 'final/db' -AsPlainText")));
        }

        [Fact]
        public void AnExistingNameIsRefusedUnlessForced()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'a' -Secret 'va'; Set-Secret -Name 'b' -Secret 'vb'");

            var error = Expect.Error(session.Throws("Rename-Secret -Name 'a' -NewName 'B'"), "SecretAlreadyExists", "RenameSecret", ErrorCategory.ResourceExists);
            Assert.Contains("'b'", Expect.Message(error));
            Assert.Contains("-Force", Expect.Message(error));
            Assert.Equal("a", error.TargetObject);
            Assert.Equal("va", Single(session.Invoke("Get-Secret a -AsPlainText")));

            var info = Assert.Single(session.Invoke("Rename-Secret -Name 'a' -NewName 'b' -Force -PassThru"));
            Assert.Equal("b", info.Properties["Name"].Value);
            Assert.Equal(2, info.Properties["Version"].Value);
            Assert.Equal("va", Single(session.Invoke("Get-Secret b -AsPlainText")));
            Assert.Equal("vb", Single(session.Invoke("Get-Secret b -Version 1 -AsPlainText")));
            Assert.Single(session.Invoke("Get-SecretInfo"));
        }

        [Fact]
        public void ErrorsArePinnedAndChangeNothing()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'a' -Secret 'va'");

            Expect.Error(session.Throws("Rename-Secret -Name 'missing' -NewName 'x'"), "SecretNotFound", "RenameSecret", ErrorCategory.ObjectNotFound);
            Expect.Error(session.Throws("Rename-Secret -Name 'a' -NewName 'a'"), "SameSecretName", "RenameSecret", ErrorCategory.InvalidArgument);
            var bad = Expect.Error(session.Throws("Rename-Secret -Name 'a' -NewName 'a.b'"), "InvalidSecretName", "RenameSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("'.'", Expect.Message(bad));
            Assert.Equal("va", Single(session.Invoke("Get-Secret a -AsPlainText")));
            Assert.Single(session.Invoke("Get-SecretInfo"));
        }

        [Fact]
        public void ChangingOnlyTheCaseKeepsTheHistory()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'prod/db' -Secret 'v1'; Set-Secret -Name 'prod/db' -Secret 'v2'");

            var result = session.Run("Rename-Secret prod/db Prod/DB");

            Assert.Empty(result.Warnings);
            var info = Assert.Single(session.Invoke("Get-SecretInfo"));
            Assert.Equal("Prod/DB", info.Properties["Name"].Value);
            Assert.Equal(new[] { 1, 2, 3 }, (int[])info.Properties["Versions"].Value);
            Assert.Equal("v1", Single(session.Invoke("Get-Secret prod/db -Version 1 -AsPlainText")));
        }

        [Fact]
        public void WhatIfSaysWhatWouldHappenAndChangesNothing()
        {
            var host = new ScriptedHost();
            using var session = PowerShellSession.WithIdentity(host);
            session.Invoke("Set-Secret -Name 'a' -Secret 'rename-value-1'; Set-Secret -Name 'a' -Secret 'rename-value-2'; Set-Secret -Name 'b' -Secret 'rename-value-b'");
            host.Transcript.Clear();

            Assert.Empty(session.Invoke("Rename-Secret -Name 'a' -NewName 'c' -WhatIf"));
            Assert.Empty(session.Invoke("Rename-Secret -Name 'a' -NewName 'b' -Force -WhatIf"));

            var said = host.Transcript.ToString();
            Assert.Contains("What if: Performing the operation \"Rename to 'c' (only the current value and metadata move: its older version is not kept)\" on target \"secret 'a' (String, 2 versions)", said);
            Assert.Contains("writing over the existing secret 'b' (version 1) as its next version", said);
            Assert.DoesNotContain("rename-value", said);
            Assert.Equal(new[] { "a", "b" }, session.Invoke("Get-SecretInfo").Select(o => (string)o.Properties["Name"].Value));

            // The checks that need no value are made under -WhatIf too.
            Expect.Error(session.Throws("Rename-Secret -Name 'a' -NewName 'b' -WhatIf"), "SecretAlreadyExists", "RenameSecret", ErrorCategory.ResourceExists);

            // -Confirm asks; declining changes nothing.
            host.Choose("No");
            session.Invoke("Rename-Secret -Name 'a' -NewName 'c' -Confirm");
            Assert.Contains(host.Questions, q => q.StartsWith("choice: Confirm |", StringComparison.Ordinal) && q.Contains("secret 'a' (String, 2 versions)"));
            Assert.Equal(new[] { "a", "b" }, session.Invoke("Get-SecretInfo").Select(o => (string)o.Properties["Name"].Value));
        }

        [Fact]
        public void PipedSecretsAreRenamedWithANewNameComputedFromEach()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("'old/a', 'old/b', 'keep' | ForEach-Object { Set-Secret -Name $_ -Secret ('value-' + $_) }");

            var renamed = session.Invoke("Get-SecretInfo -Name 'old/*' | Rename-Secret -NewName { $_.Name -replace '^old/', 'new/' } -PassThru");

            Assert.Equal(new[] { "new/a", "new/b" }, renamed.Select(o => (string)o.Properties["Name"].Value));
            Assert.Equal(new[] { "keep", "new/a", "new/b" }, session.Invoke("Get-SecretInfo").Select(o => (string)o.Properties["Name"].Value));
            Assert.Equal("value-old/b", Single(session.Invoke("Get-Secret new/b -AsPlainText")));
        }

        [Fact]
        public void InASharedStoreAMemberCannotRenameAndTheOwnerCarriesAccessOver()
        {
            using var session = new PowerShellSession();
            var output = session.Invoke(@"
$ErrorActionPreference = 'Stop'
$root = $args[0]
$shared = [IO.Path]::Combine($root, 'shared')
function As([string] $who, [scriptblock] $block) { $env:SECRETS_HOME = [IO.Path]::Combine($root, $who); & $block }
foreach ($who in 'alice', 'bob') { As $who { New-SecretIdentity -DisplayName $who -NoPassword | Out-Null } }
$bob = As bob { (Get-SecretIdentity).Recipient }
As alice {
    New-SecretStore -Path $shared | Out-Null
    Add-SecretStoreMember -Name bob -Recipient $bob -Store $shared | Out-Null
    Set-Secret -Name prod/db -Secret 'db-value' -Store $shared
    Grant-SecretAccess -Name prod/db -Member bob -Access Manage -Store $shared
}
$denied = As bob { try { Rename-Secret -Name prod/db -NewName prod/database -Store $shared; 'renamed' } catch { $_.FullyQualifiedErrorId + '|' + $_.CategoryInfo.Category + '|' + $_.ErrorDetails.Message } }
As alice { Rename-Secret -Name prod/db -NewName prod/database -Store $shared -Verbose 4>&1 | ForEach-Object { 'verbose:' + $_.Message } }
$read = As bob { Get-Secret -Name prod/database -Store $shared -AsPlainText }
$denied; $read
", session.Home).Select(o => o.ToString()).ToList();

            var denied = output[^2].Split('|');
            Assert.Equal("AccessDenied,Secrets.Commands.RenameSecretCommand", denied[0]);
            Assert.Equal("PermissionDenied", denied[1]);
            Assert.Contains("only the owner and admins create secrets", denied[2]);
            Assert.Contains("verbose:Granted bob Manage access to 'prod/database', as on 'prod/db'.", output);
            Assert.Equal("db-value", output[^1]);
        }
    }
}
