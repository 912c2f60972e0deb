using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;
using static Secrets.PowerShell.Tests.GetSecretTests;

namespace Secrets.PowerShell.Tests
{
    /// <summary>
    /// Named identities beside the default one, replacing an identity (the old one kept, retired,
    /// and still able to read what was encrypted to it) and the rules for new passphrases.
    /// </summary>
    public class IdentityLifecycleTests
    {
        private const string SecureStringOf = "[System.Net.NetworkCredential]::new('', $args[0]).SecurePassword";

        [Fact]
        public void NamedIdentitiesLiveBesideTheDefaultOne()
        {
            using var session = new PowerShellSession();
            var main = (string)Single(session.Invoke("(New-SecretIdentity -NoPassword).Recipient"));
            var work = Assert.Single(session.Invoke("New-SecretIdentity -Name Work -DisplayName 'alice@work' -NoPassword"));

            Assert.Equal("work", work.Properties["Name"].Value);
            Assert.Equal("alice@work", work.Properties["DisplayName"].Value);
            Assert.Equal(Path.Combine(session.Home, "identities", "work.identity"), work.Properties["Path"].Value);
            Assert.Equal(false, work.Properties["InUse"].Value);
            Assert.NotEqual(main, work.Properties["Recipient"].Value);
            Assert.Equal(main, Single(session.Invoke("(Get-SecretIdentity).Recipient")));
            Assert.Equal(work.Properties["Recipient"].Value, Single(session.Invoke("(Get-SecretIdentity -Name work).Recipient")));
            Assert.Equal(work.Properties["Recipient"].Value, Single(session.Invoke("(Get-SecretIdentity work).Recipient")));

            var listed = session.Invoke("Get-SecretIdentity -ListAvailable");
            Assert.Equal(new[] { "default", "work" }, listed.Select(i => (string)i.Properties["Name"].Value));
            Assert.Equal(new[] { true, false }, listed.Select(i => (bool)i.Properties["InUse"].Value));

            // A session chooses with $env:SECRETS_IDENTITY, by name.
            try
            {
                var chosen = Assert.Single(session.Invoke("$env:SECRETS_IDENTITY = 'work'; Get-SecretIdentity"));
                Assert.Equal("work", chosen.Properties["Name"].Value);
                Assert.Equal(true, chosen.Properties["InUse"].Value);
                Assert.Equal(new[] { false, true }, session.Invoke("Get-SecretIdentity -ListAvailable").Select(i => (bool)i.Properties["InUse"].Value));
                session.Invoke("Set-Secret -Name 'as-work' -Secret 'work-value'");
                Assert.Equal(work.Properties["Recipient"].Value, Single(session.Invoke("(Get-SecretStore).OwnerRecipient")));
            }
            finally
            {
                Environment.SetEnvironmentVariable("SECRETS_IDENTITY", null);
            }

            Expect.Error(session.Throws("New-SecretIdentity -Name 'not a name' -NoPassword"), "InvalidIdentityName", "NewSecretIdentity", ErrorCategory.InvalidArgument);
            Expect.Error(session.Throws("New-SecretIdentity -Name work -NoPassword"), "IdentityExists", "NewSecretIdentity", ErrorCategory.ResourceExists);
            Expect.Error(session.Throws("Get-SecretIdentity -Name nope"), "IdentityNotFound", "GetSecretIdentity", ErrorCategory.ObjectNotFound);
            Expect.Error(session.Throws("Get-SecretIdentity -Name work -Path ./x.identity"), "NameAndPath", "GetSecretIdentity", ErrorCategory.InvalidArgument);
        }

        [Fact]
        public void IdentityNamesComplete()
        {
            using var session = new PowerShellSession();
            session.Invoke("New-SecretIdentity -NoPassword; New-SecretIdentity -Name work -NoPassword; New-SecretIdentity -Name web -NoPassword; New-SecretIdentity -Name dev -NoPassword");

            Assert.Equal(new[] { "web", "work" }, CompletionTests.Complete(session, "Get-SecretIdentity -Name w").Select(m => m.Text));
            Assert.Equal(new[] { "web", "work" }, CompletionTests.Complete(session, "Unlock-SecretIdentity -Name w").Select(m => m.Text));
            Assert.Equal(new[] { "default", "dev" }, CompletionTests.Complete(session, "Lock-SecretIdentity d").Select(m => m.Text));
        }

        [Fact]
        public void ReplacingAnIdentityKeepsTheOldOneRetiredAndItsSecretsReadable()
        {
            using var session = PowerShellSession.WithIdentity();
            var old = (string)Single(session.Invoke("(Get-SecretIdentity).Recipient"));
            session.Invoke("Set-Secret -Name 'before' -Secret 'written-before'");

            // Scripts confirm with -Confirm:$false; -WhatIf changes nothing.
            Assert.Empty(session.Invoke("New-SecretIdentity -NoPassword -Force -WhatIf"));
            Assert.Equal(old, Single(session.Invoke("(Get-SecretIdentity).Recipient")));
            var replaced = session.Run("New-SecretIdentity -NoPassword -Force -Confirm:$false");
            Assert.Empty(replaced.Errors);
            var retired = Assert.Single(Directory.GetFiles(Path.Combine(session.Home, "identities", "retired")));
            Assert.Matches(@"default-[0-9]{8}T[0-9]{6}Z\.identity$", retired);
            var warning = Assert.Single(replaced.Warnings);
            Assert.Contains($"kept, retired, at '{retired}'", warning);
            Assert.Contains("Move-Item", warning);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(retired));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(retired)!));
            }

            var now = (string)Single(session.Invoke("(Get-SecretIdentity).Recipient"));
            Assert.NotEqual(old, now);

            // The version is encrypted to the retired identity only: it still decrypts it.
            Assert.Equal("written-before", Single(session.Invoke("Get-Secret -Name 'before' -AsPlainText")));

            var listed = session.Invoke("Get-SecretIdentity -ListAvailable");
            Assert.Equal(2, listed.Count);
            Assert.Equal(old, listed[1].Properties["Recipient"].Value);
            Assert.Equal("default", listed[1].Properties["Name"].Value);
            Assert.NotNull(listed[1].Properties["RetiredAt"].Value);
            Assert.Equal(false, listed[1].Properties["InUse"].Value);
            Assert.Null(listed[0].Properties["RetiredAt"].Value);
        }

        [Fact]
        public void ALockedRetiredIdentityIsNamedByTheError()
        {
            using var session = new PowerShellSession();
            session.WriteQuickPassphraseIdentity("old passphrase");
            session.Invoke($"Unlock-SecretIdentity -Password ({SecureStringOf}); Set-Secret -Name 'kept' -Secret 'old-value'; Lock-SecretIdentity", "old passphrase");

            session.Invoke("$null = New-SecretIdentity -NoPassword -Force -Confirm:$false 3>$null");
            var retired = Assert.Single(Directory.GetFiles(Path.Combine(session.Home, "identities", "retired")));

            var error = Expect.Error(session.Throws("Get-Secret -Name 'kept' -AsPlainText"), "RetiredIdentityLocked", "GetSecret", ErrorCategory.PermissionDenied);
            var message = Expect.Message(error);
            Assert.Contains($"retired identity", message);
            Assert.Contains($"Unlock-SecretIdentity -Path '{retired}'", message);

            session.Invoke($"Unlock-SecretIdentity -Path $args[1] -Password ({SecureStringOf})", "old passphrase", retired);
            Assert.Equal("old-value", Single(session.Invoke("Get-Secret -Name 'kept' -AsPlainText")));
        }

        [Fact]
        public void ShortPassphrasesAreRefusedUnlessForcedAndCommonOnesWarned()
        {
            using var session = new PowerShellSession();
            var path = Path.Combine(session.Home, "short.identity");
            var error = Expect.Error(session.Throws($"New-SecretIdentity -Path $args[1] -Password ({SecureStringOf})", "x", path), "PassphraseTooShort", "NewSecretIdentity", ErrorCategory.InvalidArgument);
            Assert.Contains("8 characters", Expect.Message(error));
            Assert.False(File.Exists(path));

            var forced = session.Run($"New-SecretIdentity -Path $args[1] -Password ({SecureStringOf}) -Force", "x", path);
            Assert.Empty(forced.Errors);
            Assert.True(File.Exists(path));

            var common = session.Run($"New-SecretIdentity -Path $args[1] -Password ({SecureStringOf})", "Password123", Path.Combine(session.Home, "common.identity"));
            Assert.Empty(common.Errors);
            Assert.Contains(common.Warnings, w => w.Contains("most common passwords"));
            Assert.DoesNotContain(common.Warnings, w => w.Contains("Password123"));
        }
    }
}
