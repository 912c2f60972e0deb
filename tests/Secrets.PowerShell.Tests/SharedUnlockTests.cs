using System;
using System.Collections.Generic;
using Xunit;
using static Secrets.PowerShell.Tests.GetSecretTests;

namespace Secrets.PowerShell.Tests
{
    /// <summary>
    /// An unlock shared by the processes of one user (Linux: the kernel keyring): another PowerShell
    /// process reads without a passphrase, Lock-SecretIdentity in one locks the others, and
    /// -ThisProcessOnly or $env:SECRETS_UNLOCK = 'Process' keep it in one process.
    /// </summary>
    public class SharedUnlockTests
    {
        private const string Passphrase = "shared unlock passphrase";
        private const string Unlock = "Unlock-SecretIdentity -Password ([System.Net.NetworkCredential]::new('', $env:TEST_PASSPHRASE).SecurePassword)";

        [KeyringFact]
        public void TwoProcessesShareOneUnlockAndALockInOneMakesTheOtherAsk()
        {
            using var session = new PowerShellSession();
            session.WriteQuickPassphraseIdentity(Passphrase);
            var environment = new Dictionary<string, string?> { ["SECRETS_HOME"] = session.Home, ["TEST_PASSPHRASE"] = Passphrase };
            try
            {
                var first = Child(environment, Unlock + " -PassThru -Verbose 4>&1 | ForEach-Object { if ($_ -is [System.Management.Automation.VerboseRecord]) { $_.Message } else { $_.UnlockScope } }; Set-Secret -Name 'shared' -Secret 'from-the-first'");
                var said = Lines(first.Output);
                Assert.Equal(2, said.Length);
                Assert.Contains("for every process of yours", said[0]);
                Assert.Equal("User", said[1]);

                // A new process: no passphrase asked, none given.
                var second = Child(environment, "Get-Secret -Name 'shared' -AsPlainText; (Get-SecretIdentity).UnlockScope");
                Assert.Equal(new[] { "from-the-first", "User" }, Lines(second.Output));
                Assert.Equal(false, Single(session.Invoke("(Get-SecretIdentity).IsLocked")));

                // Locked in one process, locked in every other: the next command asks (here: the
                // error a session that cannot prompt gets).
                Child(environment, "Lock-SecretIdentity");
                var third = Runner.Run(new[] { "-Command", "try { Get-Secret -Name 'shared' -AsPlainText -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }" }, environment);
                Assert.Equal("IdentityLocked,Secrets.Commands.GetSecretCommand", third.Output.Trim());
                Assert.Equal(true, Single(session.Invoke("(Get-SecretIdentity).IsLocked")));
            }
            finally
            {
                session.Invoke("Lock-SecretIdentity");
            }
        }

        [Fact]
        public void ThisProcessOnlyAndTheSettingKeepTheUnlockInItsProcess()
        {
            using var session = new PowerShellSession();
            session.WriteQuickPassphraseIdentity(Passphrase);
            var environment = new Dictionary<string, string?> { ["SECRETS_HOME"] = session.Home, ["TEST_PASSPHRASE"] = Passphrase };
            try
            {
                var own = Child(environment, Unlock + " -ThisProcessOnly -PassThru | ForEach-Object { $_.UnlockScope }; (Get-SecretIdentity).IsLocked");
                Assert.Equal(new[] { "Process", "False" }, Lines(own.Output));
                Assert.Equal("True", Child(environment, "(Get-SecretIdentity).IsLocked").Output.Trim());

                environment["SECRETS_UNLOCK"] = "Process";
                var setting = Child(environment, Unlock + " -PassThru | ForEach-Object { $_.UnlockScope }");
                Assert.Equal("Process", setting.Output.Trim());
                environment.Remove("SECRETS_UNLOCK");
                Assert.Equal("True", Child(environment, "(Get-SecretIdentity).IsLocked").Output.Trim());
            }
            finally
            {
                session.Invoke("Lock-SecretIdentity");
            }
        }

        private static Runner.Result Child(IDictionary<string, string?> environment, string script)
        {
            var result = Runner.Run(new[] { "-Command", script }, environment);
            Assert.True(result.ExitCode == 0 && result.Error.Length == 0, result.ToString());
            return result;
        }

        private static string[] Lines(string text) => text.Trim().Replace("\r", string.Empty).Split('\n');
    }

    /// <summary>A fact that needs the Linux kernel keyring: skipped, and reported as skipped, elsewhere.</summary>
    public sealed class KeyringFactAttribute : FactAttribute
    {
        public KeyringFactAttribute()
        {
            if (!OperatingSystem.IsLinux())
            {
                Skip = "Linux only: elsewhere unlocks stay in their process (docs/ARCHITECTURE.md, \"The shared unlock\").";
            }
        }
    }
}
