using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;
using static Secrets.PowerShell.Tests.GetSecretTests;

namespace Secrets.PowerShell.Tests
{
    /// <summary>
    /// A person at a console: the first write offers to create an identity, a locked identity asks
    /// for its passphrase. The user is a <see cref="ScriptedHost"/>; sessions that cannot prompt
    /// get errors naming the command to run instead.
    /// </summary>
    public class InteractiveHostTests
    {
        [Fact]
        public void FirstWriteOffersToCreateAnIdentityAndCarriesOn()
        {
            var host = new ScriptedHost();
            using var session = new PowerShellSession(host);
            host.Choose("Yes").Type("first try").Type("different").Type("chosen passphrase").Type("chosen passphrase");

            session.Invoke("Set-Secret -Name 'api' -Secret 'first-value'");

            var identityPath = Path.Combine(session.Home, "identities", "default.identity");
            Assert.Equal(new[]
            {
                $"choice: Secrets: first use | You have no Secrets identity yet. Create one at '{identityPath}' now?",
                "secure: New passphrase: ",
                "secure: Repeat the passphrase: ",
                "secure: New passphrase: ",
                "secure: Repeat the passphrase: ",
            }, host.Questions);
            Assert.Empty(host.Answers);
            var said = host.Transcript.ToString();
            Assert.Contains("WARNING: The passphrases differ. Try again.", said);
            Assert.Contains("Created identity '", said);
            Assert.DoesNotContain("chosen passphrase", said);

            // The identity has the passphrase, is unlocked, and the write went through.
            var identity = Assert.Single(session.Invoke("Get-SecretIdentity"));
            Assert.Equal("Passphrase", identity.Properties["Protection"].Value);
            Assert.Equal(false, identity.Properties["IsLocked"].Value);
            Assert.Equal("first-value", Single(session.Invoke("Get-Secret -Name 'api' -AsPlainText")));
            Assert.Equal(identity.Properties["Recipient"].Value, Single(session.Invoke("(Get-SecretStore).OwnerRecipient")));
        }

        [Fact]
        public void FirstWriteCanCreateAnIdentityWithoutPassphrase()
        {
            var host = new ScriptedHost();
            using var session = new PowerShellSession(host);
            host.Choose("Yes").Type(string.Empty).Choose("Yes");

            session.Invoke("Set-Secret -Name 'api' -Secret 'v'");

            Assert.Equal("choice: Secrets: first use | Store your identity without a passphrase?", host.Questions.Last());
            Assert.Equal("None", Single(session.Invoke("(Get-SecretIdentity).Protection")));
            Assert.Equal("v", Single(session.Invoke("Get-Secret -Name 'api' -AsPlainText")));
        }

        [Fact]
        public void DecliningTheOfferIsIdentityNotFound()
        {
            var host = new ScriptedHost();
            using var session = new PowerShellSession(host);
            host.Choose("No");

            var error = Expect.Error(session.Throws("Set-Secret -Name 'api' -Secret 'v'"), "IdentityNotFound", "SetSecret", ErrorCategory.ObjectNotFound);
            Assert.Contains("New-SecretIdentity", Expect.Message(error));
            Assert.False(Directory.Exists(Path.Combine(session.Home, "identities")) && Directory.EnumerateFiles(Path.Combine(session.Home, "identities")).Any());
            Assert.False(Directory.Exists(session.StorePath));
        }

        [Fact]
        public void NewSecretIdentityAsksForThePassphraseTwice()
        {
            var host = new ScriptedHost();
            using var session = new PowerShellSession(host);
            host.Type("short").Type("one passphrase").Type("another passphrase").Type("open sesame, please").Type("open sesame, please");

            var identity = Assert.Single(session.Invoke("New-SecretIdentity -DisplayName 'alice'"));

            Assert.Equal(5, host.Questions.Count);
            Assert.Equal($"secure: Passphrase for the new identity at '{session.IdentityPath}' (at least 8 characters): ", host.Questions[0]);
            Assert.Contains("WARNING: That passphrase is shorter than 8 characters.", host.Transcript.ToString());
            Assert.Equal($"secure: Passphrase for the new identity at '{session.IdentityPath}' (at least 8 characters): ", host.Questions[1]);
            Assert.Equal("secure: Repeat the passphrase: ", host.Questions[2]);
            Assert.Contains("WARNING: The passphrases differ or are empty. Try again.", host.Transcript.ToString());
            Assert.Equal("Passphrase", identity.Properties["Protection"].Value);
            Assert.Equal(false, identity.Properties["IsLocked"].Value);
        }

        [Fact]
        public void LockedIdentityAsksForItsPassphrase()
        {
            var host = new ScriptedHost();
            using var session = new PowerShellSession(host);
            session.WriteQuickPassphraseIdentity("open sesame");
            var fingerprint = (string)Single(session.Invoke("(Get-SecretIdentity).Fingerprint"));
            Assert.Equal(true, Single(session.Invoke("(Get-SecretIdentity).IsLocked")));

            host.Type("wrong").Type("open sesame");
            session.Invoke("Set-Secret -Name 'db' -Secret 'db-value'");
            Assert.Equal(new[]
            {
                $"secure: Passphrase for identity 'alice' ({fingerprint}): ",
                $"secure: Passphrase for identity 'alice' ({fingerprint}): ",
            }, host.Questions);
            Assert.Contains("WARNING: That passphrase does not unlock the identity. Try again.", host.Transcript.ToString());

            // Unlocked now: no more questions.
            host.Questions.Clear();
            Assert.Equal("db-value", Single(session.Invoke("Get-Secret -Name 'db' -AsPlainText")));
            Assert.Empty(host.Questions);

            // Get-Secret on a locked identity asks, and so does Unlock-SecretIdentity without -Password.
            session.Invoke("Lock-SecretIdentity");
            host.Type("open sesame");
            Assert.Equal("db-value", Single(session.Invoke("Get-Secret -Name 'db' -AsPlainText")));
            session.Invoke("Lock-SecretIdentity");
            host.Type("open sesame");
            session.Invoke("Unlock-SecretIdentity");
            Assert.Equal(2, host.Questions.Count);
            Assert.Equal(false, Single(session.Invoke("(Get-SecretIdentity).IsLocked")));
            Assert.DoesNotContain("open sesame", host.Transcript.ToString());

            // Three wrong answers: WrongPassphrase, and the identity stays locked.
            session.Invoke("Lock-SecretIdentity");
            host.Type("a").Type("b").Type("c");
            Expect.Error(session.Throws("Get-Secret -Name 'db'"), "WrongPassphrase", "GetSecret", ErrorCategory.AuthenticationError);
            Assert.Equal(true, Single(session.Invoke("(Get-SecretIdentity).IsLocked")));
        }

        [Fact]
        public void GivingNoPassphraseLeavesTheIdentityLocked()
        {
            var host = new ScriptedHost();
            using var session = new PowerShellSession(host);
            session.WriteQuickPassphraseIdentity("pw");

            host.Type(string.Empty);
            var error = Expect.Error(session.Throws("Set-Secret -Name 'x' -Secret 'v'"), "IdentityLocked", "SetSecret", ErrorCategory.AuthenticationError);
            Assert.Contains("Unlock-SecretIdentity -Password", Expect.Message(error));
            Assert.Empty(host.Answers);
            Assert.False(Directory.Exists(session.StorePath));
        }

        [Fact]
        public void ConsoleWithRedirectedInputGetsErrorsInsteadOfPrompts()
        {
            var result = Runner.Run(new[]
            {
                "-Command",
                "Set-Secret -Name 'x' -Secret 'v'; " +
                "$null = New-SecretIdentity -Password ([System.Net.NetworkCredential]::new('', 'pw-long-enough').SecurePassword); " +
                "Lock-SecretIdentity; Set-Secret -Name 'y' -Secret 'v'; 'still running'",
            });

            Assert.True(result.ExitCode == 1, result.ToString());
            var all = result.Output + result.Error;
            Assert.Contains("There is no identity at", all);
            Assert.Contains("New-SecretIdentity", all);
            Assert.Contains("is locked", all);
            Assert.Contains("Unlock-SecretIdentity -Password", all);
            Assert.Contains("still running", result.Output);
        }
    }
}
