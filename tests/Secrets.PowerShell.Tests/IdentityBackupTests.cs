using System.IO;
using System.Management.Automation;
using Xunit;
using static Secrets.PowerShell.Tests.GetSecretTests;

namespace Secrets.PowerShell.Tests
{
    /// <summary>Export-SecretIdentity and Import-SecretIdentity: round trips, a wrong passphrase, a mistyped line.</summary>
    public class IdentityBackupTests
    {
        private const string SecureStringOf = "[System.Net.NetworkCredential]::new('', $args[0]).SecurePassword";

        [Fact]
        public void ABackupAsTextAndAsAFileRestoresTheIdentityThatReadsItsSecrets()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'kept' -Secret 'value'");
            var recipient = Single(session.Invoke("(Get-SecretIdentity).Recipient"));
            var text = (string)Single(session.Invoke($"Export-SecretIdentity -Password ({SecureStringOf})", "backup passphrase"));
            Assert.StartsWith("SECRETS IDENTITY BACKUP 1 ", text);
            var file = Path.Combine(session.Home, "identity.backup");
            Assert.Empty(session.Invoke($"Export-SecretIdentity -Path $args[1] -Password ({SecureStringOf})", "backup passphrase", file));
            Assert.StartsWith("SECRETS IDENTITY BACKUP 1 ", File.ReadAllText(file));
            var exists = Expect.Error(session.Throws($"Export-SecretIdentity -Path $args[1] -Password ({SecureStringOf})", "backup passphrase", file),
                "BackupExists", "ExportSecretIdentity", ErrorCategory.ResourceExists);
            Assert.Contains(file, Expect.Message(exists));

            File.Delete(session.IdentityPath);
            session.Invoke("Lock-SecretIdentity -All");
            var restored = Assert.Single(session.Invoke($"$args[1] -split \"`n\" | Import-SecretIdentity -Password ({SecureStringOf}) -NoPassword", "backup passphrase", text));
            Assert.Equal(recipient, restored.Properties["Recipient"].Value);
            Assert.Equal("None", restored.Properties["Protection"].Value);
            Assert.Equal("value", Single(session.Invoke("Get-Secret -Name 'kept' -AsPlainText")));

            // From the file, as another identity, protected by the backup's passphrase.
            var second = Assert.Single(session.Invoke($"Import-SecretIdentity -Path $args[1] -Identity restored -Password ({SecureStringOf})", "backup passphrase", file));
            Assert.Equal(recipient, second.Properties["Recipient"].Value);
            Assert.Equal("Passphrase", second.Properties["Protection"].Value);
            var taken = Expect.Error(session.Throws($"Import-SecretIdentity -Path $args[1] -Identity restored -Password ({SecureStringOf})", "backup passphrase", file),
                "IdentityExists", "ImportSecretIdentity", ErrorCategory.ResourceExists);
            Assert.Contains("-Force", Expect.Message(taken));
        }

        [Fact]
        public void AWrongPassphraseAndAMistypedLineAreDistinctErrors()
        {
            using var session = PowerShellSession.WithIdentity();
            var text = (string)Single(session.Invoke($"Export-SecretIdentity -Password ({SecureStringOf})", "backup passphrase"));
            var target = Path.Combine(session.Home, "other.identity");

            var wrong = Expect.Error(session.Throws($"Import-SecretIdentity -Text $args[1] -Identity $args[2] -Password ({SecureStringOf})", "wrong passphrase", text, target),
                "WrongPassphrase", "ImportSecretIdentity", ErrorCategory.AuthenticationError);
            Assert.DoesNotContain("wrong passphrase", Expect.Message(wrong));
            Assert.False(File.Exists(target));

            var lines = text.Split('\n');
            var line = lines[2].ToCharArray();
            line[5] = line[5] == 'X' ? 'Y' : 'X';
            lines[2] = new string(line);
            var mistyped = Expect.Error(session.Throws($"Import-SecretIdentity -Text $args[1] -Identity $args[2] -Password ({SecureStringOf})", "backup passphrase", string.Join("\n", lines), target),
                "IdentityBackupInvalid", "ImportSecretIdentity", ErrorCategory.InvalidData);
            Assert.Contains("data line 02 (line 3)", Expect.Message(mistyped));
            Assert.False(File.Exists(target));

            var noPassphrase = Expect.Error(session.Throws("Export-SecretIdentity"), "PasswordRequired", "ExportSecretIdentity", ErrorCategory.InvalidArgument);
            Assert.Contains("-Password", Expect.Message(noPassphrase));
            Assert.Empty(Directory.GetFiles(session.Home, "*.backup", SearchOption.AllDirectories));
        }
    }
}
