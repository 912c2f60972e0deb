using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace Secrets.PowerShell.Tests
{
    /// <summary>Things a PowerShell user does without reading the help first, and what they get.</summary>
    public class UsabilityTests
    {
        [Fact]
        public void RowObjectsAndBareValuesFromThePipelineBecomeSecrets()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("'piped-value' | New-Secret -Name bare");
            session.Invoke("[pscustomobject]@{ Name = 'row'; Value = 'row-value' } | Set-Secret");
            session.Invoke("[pscustomobject]@{ Name = 'csv'; Secret = 'csv-value' }, [pscustomobject]@{ Name = 'csv2'; Value = 'csv2-value' } | New-Secret");
            var values = session.Invoke("'bare', 'row', 'csv', 'csv2' | Get-Secret -AsPlainText").Select(o => o.BaseObject);
            Assert.Equal(new object[] { "piped-value", "row-value", "csv-value", "csv2-value" }, values);
        }

        [Fact]
        public void UnlockTimeoutTakesSecondsOrATimeSpan()
        {
            using var session = new PowerShellSession();
            session.WriteQuickPassphraseIdentity("pw-1234");
            foreach (var (timeout, seconds) in new[] { ("3600", 3600), ("'00:30:00'", 1800), ("90", 90) })
            {
                var info = session.Invoke($"Unlock-SecretIdentity -Password ([System.Net.NetworkCredential]::new('', 'pw-1234').SecurePassword) -Timeout {timeout} -PassThru");
                var until = (DateTime)Assert.Single(info).Properties["UnlockedUntil"].Value;
                Assert.InRange((until - DateTime.Now).TotalSeconds, seconds - 30, seconds + 1);
            }
        }

        [Fact]
        public void TextFilesInUtf16AreReadAsText()
        {
            using var session = PowerShellSession.WithIdentity();
            var file = Path.Combine(session.Home, "utf16.txt");
            File.WriteAllText(file, "héllo wörld", new System.Text.UnicodeEncoding(false, true));
            session.Invoke("Set-Secret -Name utf16 -Path $args[0]", file);
            Assert.Equal("héllo wörld", session.Invoke("Get-Secret -Name utf16 -AsPlainText")[0].BaseObject);
            File.WriteAllText(file, "big endian", new System.Text.UnicodeEncoding(true, true));
            session.Invoke("Set-Secret -Name utf16 -Path $args[0]", file);
            Assert.Equal("big endian", session.Invoke("Get-Secret -Name utf16 -AsPlainText")[0].BaseObject);
        }

        [Fact]
        public void TheRecommendationIsInTheMessageOnce()
        {
            using var session = new PowerShellSession();
            var error = session.Throws("Get-Secret -Name x -Store ./nowhere");
            var message = error.ErrorDetails.Message;
            Assert.Contains("New-SecretStore", message);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(message, "New-SecretStore"));
            Assert.True(string.IsNullOrEmpty(error.ErrorDetails.RecommendedAction));
        }

        [Fact]
        public void TheRunnerWithRedirectedInputPrintsNoPromptItCannotRead()
        {
            using var session = new PowerShellSession();
            session.WriteQuickPassphraseIdentity("pw-1234");
            var result = Runner.Run(new[] { "-Command", "New-SecretStore -Path ./child-store | Out-Null" },
                new System.Collections.Generic.Dictionary<string, string?> { ["SECRETS_HOME"] = session.Home });
            Assert.NotEqual(0, result.ExitCode);
            Assert.DoesNotContain("Passphrase for identity", result.Output);
            Assert.Contains("Unlock-SecretIdentity", result.Output + result.Error);
        }

        [Fact]
        public void NamesPipedToGetSecretInfoAreListed()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name prod/db -Secret a; Set-Secret -Name dev/db -Secret b; Set-Secret -Name other -Secret c");
            var names = session.Invoke("'prod/*', 'dev/db' | Get-SecretInfo | ForEach-Object Name").Select(o => o.BaseObject);
            Assert.Equal(new object[] { "prod/db", "dev/db" }, names);
        }

        [Fact]
        public void AByteArrayPipedInIsOneClearErrorNotOnePerByte()
        {
            using var session = PowerShellSession.WithIdentity();
            var result = session.Run("[byte[]](1..200) | Set-Secret -Name blob");
            var error = Assert.Single(result.Errors);
            Assert.Equal("InvalidSecretValue,Secrets.Commands.SetSecretCommand", error.FullyQualifiedErrorId);
            Assert.Contains("-Secret $bytes", error.ToString());
            Assert.Empty(session.Invoke("Get-SecretInfo"));
            session.Invoke(",[byte[]](1..200) | Set-Secret -Name blob");
            Assert.Equal(200, ((byte[])session.Invoke("Get-Secret -Name blob")[0].BaseObject).Length);
        }

        [Fact]
        public void UnlockAsksUpToThreeTimes()
        {
            var host = new ScriptedHost();
            using var session = new PowerShellSession(host);
            session.WriteQuickPassphraseIdentity("right");
            host.Type("wrong").Type("still wrong").Type("right");
            session.Invoke("Unlock-SecretIdentity");
            Assert.Equal(3, host.Questions.Count);
            Assert.Equal(false, session.Invoke("(Get-SecretIdentity).IsLocked")[0].BaseObject);
        }
    }
}
