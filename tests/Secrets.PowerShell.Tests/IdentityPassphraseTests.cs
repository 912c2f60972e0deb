using System.IO;
using System.Management.Automation;
using Xunit;
using static Secrets.PowerShell.Tests.GetSecretTests;

namespace Secrets.PowerShell.Tests
{
    /// <summary>Set-SecretIdentity: changing, adding and removing an identity's passphrase, keeping its keys.</summary>
    public class IdentityPassphraseTests
    {
        private const string SecureStringOf = "[System.Net.NetworkCredential]::new('', $args[0]).SecurePassword";
        private const string Current = "[System.Net.NetworkCredential]::new('', $args[0]).SecurePassword";
        private const string New = "[System.Net.NetworkCredential]::new('', $args[1]).SecurePassword";

        [Fact]
        public void AChangedPassphraseUnlocksTheSameKeysAndTheOldOneNoLonger()
        {
            using var session = new PowerShellSession();
            session.WriteQuickPassphraseIdentity("old passphrase");
            session.Invoke($"Unlock-SecretIdentity -Password ({SecureStringOf}); Set-Secret -Name 'kept' -Secret 'value'; Lock-SecretIdentity", "old passphrase");
            var recipient = Single(session.Invoke("(Get-SecretIdentity).Recipient"));

            var changed = Assert.Single(session.Invoke($"Set-SecretIdentity -CurrentPassword ({Current}) -Password ({New}) -PassThru", "old passphrase", "new passphrase"));
            Assert.Equal(recipient, changed.Properties["Recipient"].Value);
            Assert.Equal("Passphrase", changed.Properties["Protection"].Value);
            Assert.Equal(false, changed.Properties["IsLocked"].Value);
            Assert.Contains("kdf argon2id 65536 3 4 ", File.ReadAllText(session.IdentityPath));

            session.Invoke("Lock-SecretIdentity");
            var wrong = Expect.Error(session.Throws($"Unlock-SecretIdentity -Password ({SecureStringOf})", "old passphrase"),
                "WrongPassphrase", "UnlockSecretIdentity", ErrorCategory.AuthenticationError);
            Assert.DoesNotContain("old passphrase", Expect.Message(wrong));
            session.Invoke($"Unlock-SecretIdentity -Password ({SecureStringOf})", "new passphrase");
            Assert.Equal("value", Single(session.Invoke("Get-Secret -Name 'kept' -AsPlainText")));
        }

        [Fact]
        public void AWrongOrMissingCurrentPassphraseChangesNothing()
        {
            using var session = new PowerShellSession();
            session.WriteQuickPassphraseIdentity("old passphrase");
            var before = File.ReadAllBytes(session.IdentityPath);

            // Unlocked is not enough: the current passphrase is asked for, and this session cannot prompt.
            session.Invoke($"Unlock-SecretIdentity -Password ({SecureStringOf})", "old passphrase");
            var missing = Expect.Error(session.Throws($"Set-SecretIdentity -Password ({SecureStringOf})", "new passphrase"),
                "PasswordRequired", "SetSecretIdentity", ErrorCategory.InvalidArgument);
            Assert.Contains("-CurrentPassword", Expect.Message(missing));

            var wrong = Expect.Error(session.Throws($"Set-SecretIdentity -CurrentPassword ({Current}) -Password ({New})", "not the passphrase", "new passphrase"),
                "WrongPassphrase", "SetSecretIdentity", ErrorCategory.AuthenticationError);
            Assert.DoesNotContain("passphrase'", Expect.Message(wrong));

            var tooShort = Expect.Error(session.Throws($"Set-SecretIdentity -CurrentPassword ({Current}) -Password ({New})", "old passphrase", "short"),
                "PassphraseTooShort", "SetSecretIdentity", ErrorCategory.InvalidArgument);
            Assert.DoesNotContain("short'", Expect.Message(tooShort));

            session.Invoke($"Set-SecretIdentity -CurrentPassword ({Current}) -Password ({New}) -WhatIf", "old passphrase", "new passphrase");
            Assert.Equal(before, File.ReadAllBytes(session.IdentityPath));
        }

        [Fact]
        public void ThePassphraseCanBeRemovedWithConfirmationAndAddedAgain()
        {
            using var session = new PowerShellSession();
            session.WriteQuickPassphraseIdentity("old passphrase");
            session.Invoke($"Unlock-SecretIdentity -Password ({SecureStringOf}); Set-Secret -Name 'kept' -Secret 'value'; Lock-SecretIdentity", "old passphrase");
            var before = File.ReadAllBytes(session.IdentityPath);

            session.Invoke($"Set-SecretIdentity -CurrentPassword ({SecureStringOf}) -NoPassword -WhatIf", "old passphrase");
            Assert.Equal(before, File.ReadAllBytes(session.IdentityPath));

            var removed = Assert.Single(session.Invoke($"Set-SecretIdentity -CurrentPassword ({SecureStringOf}) -NoPassword -Confirm:$false -PassThru", "old passphrase"));
            Assert.Equal("None", removed.Properties["Protection"].Value);
            Assert.Contains("kdf none", File.ReadAllText(session.IdentityPath));
            session.Invoke("Lock-SecretIdentity -All");
            Assert.Equal("value", Single(session.Invoke("Get-Secret -Name 'kept' -AsPlainText")));

            // Adding a passphrase to an identity without one needs no current passphrase.
            var added = Assert.Single(session.Invoke($"Set-SecretIdentity -Password ({SecureStringOf}) -PassThru", "added passphrase"));
            Assert.Equal("Passphrase", added.Properties["Protection"].Value);
            session.Invoke("Lock-SecretIdentity -All");
            Expect.Error(session.Throws("Get-Secret -Name 'kept'"), "IdentityLocked", "GetSecret", ErrorCategory.AuthenticationError);
            session.Invoke($"Unlock-SecretIdentity -Password ({SecureStringOf})", "added passphrase");
            Assert.Equal("value", Single(session.Invoke("Get-Secret -Name 'kept' -AsPlainText")));
        }
    }
}
