using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using System.Security;
using Xunit;
using static Secrets.PowerShell.Tests.GetSecretTests;

namespace Secrets.PowerShell.Tests
{
    /// <summary>
    /// Set-Secret and New-Secret without a value ask for it at a masked prompt (the host's
    /// ReadLineAsSecureString), never echoing it; -Interactive asks for key names in the open and
    /// each value masked. Sessions that cannot prompt get an error naming the parameter to give.
    /// </summary>
    public class ValuePromptTests
    {
        private const string Typed = "typed-value-4e1c-never-echoed";

        [Fact]
        public void SetSecretWithoutAValueAsksWithAMaskedPromptAndNeverEchoesIt()
        {
            var host = new ScriptedHost();
            using var session = PowerShellSession.WithIdentity(host);
            host.Type(Typed);

            session.Invoke("Set-Secret -Name 'api'");

            // ReadLineAsSecureString was called (PowerShell's own prompt for a missing mandatory
            // parameter uses Prompt, which echoes and which the scripted host refuses).
            Assert.Equal(new[] { "secure: Value of secret 'api' (not shown): " }, host.Questions);
            Assert.Empty(host.Answers);
            Assert.DoesNotContain(Typed, host.Transcript.ToString());
            Assert.Equal("SecureString", Single(session.Invoke("(Get-SecretInfo -Name 'api').Type.ToString()")));
            Assert.Equal(Typed, Single(session.Invoke("Get-Secret -Name 'api' -AsPlainText")));

            // New-Secret too, and -Metadata or -PassThru change nothing about it.
            host.Type(Typed + "-2");
            var info = Assert.Single(session.Invoke("New-Secret -Name 'other' -Metadata @{ owner = 'ops' } -PassThru"));
            Assert.Equal("other", info.Properties["Name"].Value);
            Assert.Equal("secure: Value of secret 'other' (not shown): ", host.Questions.Last());
            Assert.Equal(Typed + "-2", Single(session.Invoke("Get-Secret -Name 'other' -AsPlainText")));
            Assert.DoesNotContain(Typed, host.Transcript.ToString());
        }

        [Fact]
        public void AValueGivenOrPipedIsNeverAskedFor()
        {
            var host = new ScriptedHost();
            using var session = PowerShellSession.WithIdentity(host);

            session.Invoke("Set-Secret -Name 'a' -Secret 'given'; 'piped' | Set-Secret -Name 'b'; @([pscustomobject]@{ Name = 'c'; Value = 'row' }) | New-Secret");
            var nullValue = Expect.Error(session.Throws("Set-Secret -Name 'd' -Secret $null"), "InvalidSecretValue", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("is null", Expect.Message(nullValue));

            Assert.Empty(host.Questions);
            Assert.Equal(new object[] { "given", "piped", "row" }, session.Invoke("Get-Secret a, b, c -AsPlainText").Select(o => o.BaseObject));
        }

        [Fact]
        public void NothingTypedWritesNothing()
        {
            var host = new ScriptedHost();
            using var session = PowerShellSession.WithIdentity(host);
            host.Type(string.Empty);

            var error = Expect.Error(session.Throws("Set-Secret -Name 'api'; 'not reached'"), "SecretValueRequired", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("Nothing was typed for secret 'api'", Expect.Message(error));
            Assert.Contains("-Secret", Expect.Message(error));
            Assert.Empty(session.Invoke("Get-SecretInfo"));
        }

        [Fact]
        public void WhatIfAsksNothing()
        {
            var host = new ScriptedHost();
            using var session = PowerShellSession.WithIdentity(host);

            Assert.Empty(session.Invoke("Set-Secret -Name 'api' -WhatIf; Set-Secret -Name 'db' -Interactive -WhatIf"));

            Assert.Empty(host.Questions);
            var said = host.Transcript.ToString();
            Assert.Contains("What if: Performing the operation \"Write a new version of secret\" on target \"'api' (SecureString)", said);
            Assert.Contains("What if: Performing the operation \"Write a new version of secret\" on target \"'db' (Hashtable)", said);
        }

        [Fact]
        public void InteractiveAsksKeyNamesInTheOpenAndEachValueMasked()
        {
            var host = new ScriptedHost();
            using var session = PowerShellSession.WithIdentity(host);
            host.Say("user").Type("app-user-value-77")
                .Say("password").Type(Typed)
                .Say("USER")
                .Say("empty").Type(string.Empty)
                .Say(" port ").Type("5432")
                .Say(string.Empty);

            session.Invoke("Set-Secret -Name 'prod/db' -Interactive -Metadata @{ owner = 'ops' }");

            Assert.Equal(new[]
            {
                "line: Key: ",
                "secure: Value of 'user' (not shown): ",
                "line: Key: ",
                "secure: Value of 'password' (not shown): ",
                "line: Key: ",
                "line: Key: ",
                "secure: Value of 'empty' (not shown): ",
                "line: Key: ",
                "secure: Value of 'port' (not shown): ",
                "line: Key: ",
            }, host.Questions);
            Assert.Empty(host.Answers);
            var said = host.Transcript.ToString();
            Assert.Contains("Keys and values of secret 'prod/db'. Key names are shown as you type them, values are not. Give an empty key name to finish.", said);
            Assert.Contains("WARNING: Key 'USER' was given already (keys are case-insensitive).", said);
            Assert.Contains("WARNING: Nothing was typed for 'empty', so the key was not added.", said);
            Assert.DoesNotContain(Typed, said);
            Assert.DoesNotContain("app-user-value-77", said);

            var table = Assert.IsType<Hashtable>(Single(session.Invoke("Get-Secret -Name 'prod/db' -AsPlainText")));
            Assert.Equal(3, table.Count);
            Assert.Equal("app-user-value-77", table["user"]);
            Assert.Equal(Typed, table["password"]);
            Assert.Equal("5432", table["port"]);
            Assert.IsType<SecureString>(Assert.IsType<Hashtable>(Single(session.Invoke("Get-Secret -Name 'prod/db'")))["password"]);
            Assert.Equal("ops", SecretInfoTests.Metadata(session, "prod/db")["owner"]);
            Assert.Equal(Typed, Single(session.Invoke("Get-Secret -Name 'prod/db.password' -AsPlainText")));
        }

        [Fact]
        public void InteractiveWithoutAnyKeyWritesNothing()
        {
            var host = new ScriptedHost();
            using var session = PowerShellSession.WithIdentity(host);
            host.Say(string.Empty);

            var error = Expect.Error(session.Throws("New-Secret -Name 'prod/db' -Interactive"), "SecretValueRequired", "NewSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("No key was given for secret 'prod/db'", Expect.Message(error));
            Assert.Empty(session.Invoke("Get-SecretInfo"));
        }

        [Fact]
        public void ASessionThatCannotPromptGetsAnErrorNamingTheParameterInsteadOfAPrompt()
        {
            // The default host of a runspace created without one cannot prompt.
            using var session = PowerShellSession.WithIdentity();

            var set = Expect.Error(session.Throws("Set-Secret -Name 'api'; 'not reached'"), "SecretValueRequired", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Equal("No value was given for secret 'api', and this session cannot prompt for one. Give it with -Secret (or -SecureStringSecret, -Path, -LiteralPath, or -Values for a hashtable).", Expect.Message(set));
            Assert.Equal("api", set.TargetObject);
            var created = Expect.Error(session.Throws("New-Secret -Name 'api'"), "SecretValueRequired", "NewSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("Give it with -Value", Expect.Message(created));
            var interactive = Expect.Error(session.Throws("Set-Secret -Name 'api' -Interactive"), "SecretValueRequired", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("-Values", Expect.Message(interactive));
            Assert.Empty(session.Invoke("Get-SecretInfo"));
        }

        [Fact]
        public void AConsoleWithRedirectedInputGetsTheErrorAndNeverHangs()
        {
            var result = Runner.Run(new[]
            {
                "-Command",
                "$null = New-SecretIdentity -NoPassword; Set-Secret -Name 'x'; New-Secret -Name 'y' -Interactive; 'still running'",
            }, timeoutSeconds: 60);

            var all = result.Output + result.Error;
            Assert.Contains("No value was given for secret 'x', and this session cannot prompt for one. Give it with -Secret", all);
            Assert.Contains("-Interactive asks for the keys and values of secret 'y' at the console, and this session cannot prompt.", all);
            Assert.Contains("still running", result.Output);
        }
    }
}
