using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using System.Threading;
using Xunit;
using static Secrets.PowerShell.Tests.GetSecretTests;

namespace Secrets.PowerShell.Tests
{
    /// <summary>
    /// New-, Get-, Unlock- and Lock-SecretIdentity in a session that cannot prompt (no host UI).
    /// Passphrase identities cost about a second per Argon2id derivation: only the lock cycle uses one.
    /// </summary>
    public class SecretIdentityTests
    {
        private const string SecureStringOf = "[System.Net.NetworkCredential]::new('', $args[0]).SecurePassword";

        [Fact]
        public void AnIdentityWithoutAPassphraseInAFileOthersCanReadIsRefused()
        {
            if (OperatingSystem.IsWindows())
            {
                return; // Unix file modes; Windows identity files are not checked.
            }

            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'a' -Secret 'va'; Set-Secret -Name 'b' -Secret 'vb'");
            File.SetUnixFileMode(session.IdentityPath, (UnixFileMode)Convert.ToInt32("644", 8));

            var error = Expect.Error(session.Throws("Get-Secret -Name 'a' -AsPlainText"), "IdentityFileUnprotected", "GetSecret", ErrorCategory.SecurityError);
            var message = Expect.Message(error);
            Assert.Contains($"'{session.IdentityPath}'", message);
            Assert.Contains("mode 0644", message);
            Assert.Contains($"chmod 600 '{session.IdentityPath}'", message);
            Assert.Contains("$env:SECRETS_IGNORE_IDENTITY_PERMISSIONS = '1'", message);

            // Every further item would fail the same way: one error for the pipeline.
            var pipeline = session.Run("'a', 'b' | Get-Secret -AsPlainText");
            Assert.Empty(pipeline.Output);
            Expect.Error(Assert.Single(pipeline.Errors), "IdentityFileUnprotected", "GetSecret", ErrorCategory.SecurityError);

            Expect.Error(session.Throws("Set-Secret -Name 'a' -Secret 'changed'"), "IdentityFileUnprotected", "SetSecret", ErrorCategory.SecurityError);
            Expect.Error(session.Throws("Unlock-SecretIdentity"), "IdentityFileUnprotected", "UnlockSecretIdentity", ErrorCategory.SecurityError);

            try
            {
                Assert.Equal("va", Single(session.Invoke("$env:SECRETS_IGNORE_IDENTITY_PERMISSIONS = '1'; Get-Secret -Name 'a' -AsPlainText")));
            }
            finally
            {
                Environment.SetEnvironmentVariable("SECRETS_IGNORE_IDENTITY_PERMISSIONS", null);
            }

            Expect.Error(session.Throws("Get-Secret -Name 'a' -AsPlainText"), "IdentityFileUnprotected", "GetSecret", ErrorCategory.SecurityError);
            File.SetUnixFileMode(session.IdentityPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Assert.Equal("vb", Single(session.Invoke("Get-Secret -Name 'b' -AsPlainText")));
        }

        [Fact]
        public void PassphraseIdentityLockCycle()
        {
            using var session = new PowerShellSession();
            var created = Assert.Single(session.Invoke($"New-SecretIdentity -DisplayName 'alice' -Password ({SecureStringOf})", "correct horse"));
            Assert.Equal(false, created.Properties["IsLocked"].Value);
            Assert.Equal("Passphrase", created.Properties["Protection"].Value);
            var until = (DateTime)created.Properties["UnlockedUntil"].Value;
            Assert.InRange(until - DateTime.Now, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15.1));

            // Unlocked by creation: no prompt, no unlock needed.
            session.Invoke("Set-Secret -Name 'a' -Secret 'va'; Set-Secret -Name 'b' -Secret 'vb'");

            session.Invoke("Lock-SecretIdentity");
            Assert.Equal(true, Single(session.Invoke("(Get-SecretIdentity).IsLocked")));
            var locked = Expect.Error(session.Throws("Get-Secret -Name 'a'"), "IdentityLocked", "GetSecret", ErrorCategory.AuthenticationError);
            Assert.Contains("Unlock-SecretIdentity -Password", Expect.Message(locked));

            // An authentication failure stops the whole pipeline (one error, not one per item):
            // every further item would fail the same way.
            var pipeline = session.Run("'a', 'b' | Get-Secret -AsPlainText");
            Assert.Empty(pipeline.Output);
            Expect.Error(Assert.Single(pipeline.Errors), "IdentityLocked", "GetSecret", ErrorCategory.AuthenticationError);

            var wrong = Expect.Error(session.Throws($"Unlock-SecretIdentity -Password ({SecureStringOf})", "wrong horse"), "WrongPassphrase", "UnlockSecretIdentity", ErrorCategory.AuthenticationError);
            Assert.Contains("does not unlock", Expect.Message(wrong));
            Assert.Equal(true, Single(session.Invoke("(Get-SecretIdentity).IsLocked")));

            session.Invoke($"Unlock-SecretIdentity -Password ({SecureStringOf})", "correct horse");
            Assert.Equal("va", Single(session.Invoke("Get-Secret -Name 'a' -AsPlainText")));

            // With -Timeout it locks again by itself once the time has passed.
            var unlocked = Assert.Single(session.Invoke($"Unlock-SecretIdentity -Password ({SecureStringOf}) -Timeout 00:00:01 -PassThru", "correct horse"));
            Assert.Equal(false, unlocked.Properties["IsLocked"].Value);
            var relocks = (DateTime)unlocked.Properties["UnlockedUntil"].Value;
            Assert.InRange(relocks - DateTime.Now, TimeSpan.FromSeconds(-1), TimeSpan.FromSeconds(1));
            var wait = relocks - DateTime.Now + TimeSpan.FromMilliseconds(300);
            if (wait > TimeSpan.Zero)
            {
                Thread.Sleep(wait);
            }

            Assert.Equal(true, Single(session.Invoke("(Get-SecretIdentity).IsLocked")));
            Expect.Error(session.Throws("Get-Secret -Name 'a'"), "IdentityLocked", "GetSecret", ErrorCategory.AuthenticationError);
        }

        [Fact]
        public void GetSecretIdentityShowsThePublicSide()
        {
            using var session = new PowerShellSession();
            var created = Assert.Single(session.Invoke("New-SecretIdentity -DisplayName 'build-agent' -NoPassword"));
            var shown = Assert.Single(session.Invoke("Get-SecretIdentity"));

            Assert.Equal("Secrets.SecretIdentityInfo", shown.BaseObject.GetType().FullName);
            var recipient = (string)shown.Properties["Recipient"].Value;
            Assert.Matches(new Regex("^secrets1[02-9ac-hj-np-z]{109}$"), recipient);
            Assert.Equal(created.Properties["Recipient"].Value, recipient);
            Assert.Matches(new Regex("^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$"), (string)shown.Properties["Fingerprint"].Value);
            Assert.Equal("build-agent", shown.Properties["DisplayName"].Value);
            Assert.Equal("None", shown.Properties["Protection"].Value);
            Assert.Equal(false, shown.Properties["IsLocked"].Value);
            Assert.Null(shown.Properties["UnlockedUntil"].Value);
            Assert.Equal(Path.Combine(session.Home, "identities", "default.identity"), shown.Properties["Path"].Value);
            Assert.Equal(recipient, shown.BaseObject.ToString());

            // Nothing to unlock or lock: both are quiet no-ops.
            session.Invoke("Unlock-SecretIdentity; Lock-SecretIdentity; Lock-SecretIdentity -All");
            Assert.Equal(false, Single(session.Invoke("(Get-SecretIdentity).IsLocked")));
        }

        [Fact]
        public void RefusesToReplaceAnIdentityWithoutForce()
        {
            using var session = new PowerShellSession();
            var first = (string)Single(session.Invoke("(New-SecretIdentity -NoPassword).Recipient"));

            var error = Expect.Error(session.Throws("New-SecretIdentity -NoPassword"), "IdentityExists", "NewSecretIdentity", ErrorCategory.ResourceExists);
            Assert.Contains("-Force", Expect.Message(error));
            Assert.Empty(session.Invoke("New-SecretIdentity -NoPassword -Force -WhatIf"));
            Assert.Equal(first, Single(session.Invoke("(Get-SecretIdentity).Recipient")));

            Expect.Error(session.Throws("New-SecretIdentity -NoPassword -Force"), "HostFunctionNotImplemented", "NewSecretIdentity", ErrorCategory.NotImplemented);
            Assert.Equal(first, Single(session.Invoke("(Get-SecretIdentity).Recipient")));

            var replaced = (string)Single(session.Invoke("(New-SecretIdentity -NoPassword -Force -Confirm:$false 3>$null).Recipient"));
            Assert.NotEqual(first, replaced);
            Assert.Equal(replaced, Single(session.Invoke("(Get-SecretIdentity).Recipient")));
        }

        [Fact]
        public void MissingIdentityNamesTheCommandThatCreatesIt()
        {
            using var session = new PowerShellSession();
            var write = Expect.Error(session.Throws("Set-Secret -Name 'x' -Secret 'v'"), "IdentityNotFound", "SetSecret", ErrorCategory.ObjectNotFound);
            Assert.Contains("New-SecretIdentity", Expect.Message(write));
            Assert.False(Directory.Exists(session.StorePath));

            Expect.Error(session.Throws("Get-SecretIdentity"), "IdentityNotFound", "GetSecretIdentity", ErrorCategory.ObjectNotFound);
            Expect.Error(session.Throws("Unlock-SecretIdentity"), "IdentityNotFound", "UnlockSecretIdentity", ErrorCategory.ObjectNotFound);
            Expect.Error(session.Throws("New-SecretStore -Path $args[0]", Path.Combine(session.Home, "team")), "IdentityNotFound", "NewSecretStore", ErrorCategory.ObjectNotFound);
        }

        [Fact]
        public void MissingIdentityCanBeTestedForWithErrorAction()
        {
            using var session = new PowerShellSession();

            // The usual bootstrap of an automation account, under the strictest preference.
            var created = session.Run(@"
                $ErrorActionPreference = 'Stop'
                if (-not (Get-SecretIdentity -ErrorAction SilentlyContinue)) { $null = New-SecretIdentity -DisplayName 'automation' -NoPassword }
                if (-not (Get-SecretIdentity -ErrorAction SilentlyContinue)) { throw 'not created' }
                (Get-SecretIdentity).DisplayName");
            Assert.Empty(created.Errors);
            Assert.Equal("automation", Assert.Single(created.Output).BaseObject);

            // Without -ErrorAction it is a non-terminating error: the next statement still runs.
            using var other = new PowerShellSession();
            var result = other.Run("Get-SecretIdentity; 'next'");
            Expect.Error(Assert.Single(result.Errors), "IdentityNotFound", "GetSecretIdentity", ErrorCategory.ObjectNotFound);
            Assert.Equal("next", Assert.Single(result.Output).BaseObject);
        }

        [Fact]
        public void PassphraseIsRequiredWhenTheSessionCannotPrompt()
        {
            using var session = new PowerShellSession();
            var error = Expect.Error(session.Throws("New-SecretIdentity"), "PasswordRequired", "NewSecretIdentity", ErrorCategory.InvalidArgument);
            Assert.Contains("-NoPassword", Expect.Message(error));
            Assert.False(File.Exists(Path.Combine(session.Home, "identities", "default.identity")));

            Expect.Error(session.Throws("New-SecretIdentity -Password ([securestring]::new())"), "EmptyPassword", "NewSecretIdentity", ErrorCategory.InvalidArgument);
            Expect.Error(session.Throws("$null = New-SecretIdentity -NoPassword; Unlock-SecretIdentity -Timeout 0"), "InvalidTimeout", "UnlockSecretIdentity", ErrorCategory.InvalidArgument);
        }
    }
}
