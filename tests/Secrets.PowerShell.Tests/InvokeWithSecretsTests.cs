using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using Xunit;

namespace Secrets.PowerShell.Tests
{
    /// <summary>Invoke-WithSecrets on the real engine, with real child processes (bash).</summary>
    public class InvokeWithSecretsTests
    {
        private const string Value = "hunter2-distinctive-value";

        private static PowerShellSession NewSession()
        {
            var session = new PowerShellSession();
            session.Invoke("New-SecretIdentity -DisplayName tester -NoPassword");
            session.Invoke($"Set-Secret -Name prod/db -Secret '{Value}'");
            session.Invoke("Set-Secret -Name tls -Secret @{ 'tls.crt' = 'CERT-DATA-123'; 'tls.key' = 'KEY-DATA-456' }");
            return session;
        }

        [Fact]
        public void ProgramGetsVariablesAndTheSessionDoesNot()
        {
            using var session = NewSession();
            var output = session.Invoke(
                "Invoke-WithSecrets -Environment @{ DB_PASSWORD = 'prod/db'; CRT = 'tls.tls.crt' } -NoMask -FilePath /bin/bash -ArgumentList '-c', 'echo \"$DB_PASSWORD|$CRT\"'");
            Assert.Equal($"{Value}|CERT-DATA-123", Assert.Single(output).BaseObject);
            Assert.Null(Environment.GetEnvironmentVariable("DB_PASSWORD"));
            Assert.Equal(true, session.Invoke("[string]::IsNullOrEmpty($env:DB_PASSWORD)")[0].BaseObject);
        }

        [Fact]
        public void OutputIsMaskedOnStdoutAndStderr()
        {
            using var session = NewSession();
            var result = session.Run(
                "Invoke-WithSecrets -Environment @{ DB_PASSWORD = 'prod/db' } -FilePath /bin/bash -ArgumentList '-c', 'echo \"out $DB_PASSWORD\"; echo \"err $DB_PASSWORD\" >&2; printf %s \"$DB_PASSWORD\" | base64' 2>&1");
            var lines = result.Output.Select(o => o.BaseObject is ErrorRecord error ? "error:" + error.Exception.Message : o.ToString()).ToList();
            Assert.True(lines.Count == 3, string.Join(" | ", lines));
            Assert.Contains("out ***", lines);
            Assert.Contains("error:err ***", lines);
            Assert.Contains("***", lines);
            Assert.DoesNotContain(lines, l => l.Contains("hunter2"));
        }

        [Fact]
        public void StandardErrorIsInTheErrorStreamAsANativeCommandsIs()
        {
            using var session = NewSession();
            var result = session.Run(
                "$ErrorActionPreference = 'Stop'\n" +
                "$lines = Invoke-WithSecrets -Environment @{ DB_PASSWORD = 'prod/db' } -FilePath /bin/bash -ArgumentList '-c', 'echo \"first $DB_PASSWORD\" >&2; echo second >&2; echo out' 2>&1\n" +
                "$ok = $?\n" +
                "foreach ($line in $lines) { if ($line -is [System.Management.Automation.ErrorRecord]) { '{0}|{1}|{2}|{3}' -f $line.FullyQualifiedErrorId, $line.Exception.GetType().Name, $line.Exception.Message, $line.TargetObject } else { \"out|$line\" } }\n" +
                "\"ok|$ok\"\n" +
                "Invoke-WithSecrets -FilePath /bin/bash -ArgumentList '-c', 'echo to-information >&2' 6>&1 2>$null\n" +
                "'end'");

            // Like bash's own standard error in PowerShell 7: every line an error record, the job not
            // stopped by $ErrorActionPreference = 'Stop', $? still true, nothing in the information stream.
            Assert.True(NativeErrorStreamWritesPastPreference(session), "This engine has no way to write past the preference.");
            Assert.Empty(result.Errors);
            // Standard output and standard error come through two pipes, read apart: each keeps its own order.
            var lines = result.Output.Select(o => o.ToString()!).ToList();
            Assert.Equal(new[]
            {
                "NativeCommandError|RemoteException|first ***|first ***",
                "NativeCommandErrorMessage|RemoteException|second|",
            }, lines.Where(l => l.StartsWith("NativeCommand", System.StringComparison.Ordinal)));
            Assert.Equal(new[] { "out|out", "ok|True", "end" }, lines.Where(l => !l.StartsWith("NativeCommand", System.StringComparison.Ordinal)));
        }

        private static bool NativeErrorStreamWritesPastPreference(PowerShellSession session) =>
            (bool)session.Invoke(@"
                $type = (Get-Command Invoke-WithSecrets).ImplementingType.Assembly.GetType('Secrets.Internal.NativeErrorStream', $true)
                $type.GetProperty('WritesPastPreference', [Reflection.BindingFlags]'Static,Public,NonPublic').GetValue($null)")[0].BaseObject;

        [Fact]
        public void ScriptBlockSeesVariablesOnlyWhileItRunsAndTheyAreRestored()
        {
            using var session = NewSession();
            Environment.SetEnvironmentVariable("DB_PASSWORD", "previous");
            Environment.SetEnvironmentVariable("CRT", null);
            try
            {
                var output = session.Invoke("Invoke-WithSecrets -Environment @{ DB_PASSWORD = 'prod/db'; CRT = 'tls.tls.crt' } -NoMask -ScriptBlock { $env:DB_PASSWORD; $env:CRT }");
                Assert.Equal(new object[] { Value, "CERT-DATA-123" }, output.Select(o => o.BaseObject));
                Assert.Equal("previous", Environment.GetEnvironmentVariable("DB_PASSWORD"));
                Assert.Null(Environment.GetEnvironmentVariable("CRT"));

                var error = session.Throws("Invoke-WithSecrets -Environment @{ DB_PASSWORD = 'prod/db' } -ScriptBlock { throw \"failed with $env:DB_PASSWORD\" }");
                Assert.Equal("previous", Environment.GetEnvironmentVariable("DB_PASSWORD"));
                Assert.Contains("failed with ***", error.ToString());
                Assert.DoesNotContain(Value, error.ToString());
            }
            finally
            {
                Environment.SetEnvironmentVariable("DB_PASSWORD", null);
            }
        }

        [Fact]
        public void ScriptBlockOutputAndErrorsAreMasked()
        {
            using var session = NewSession();
            var result = session.Run("Invoke-WithSecrets -Environment @{ DB = 'prod/db' } -ScriptBlock { \"value $env:DB\"; Get-Command -Name \"error-$env:DB\"; 42 }");
            Assert.Equal(new object[] { "value ***", 42 }, result.Output.Select(o => o.BaseObject));
            var error = Assert.Single(result.Errors);
            Assert.Contains("error-***", error.ToString());
            Assert.DoesNotContain(Value, error.ToString() + error.Exception.Message + error.ErrorDetails?.Message);
        }

        [Fact]
        public void FilesExistDuringTheRunAndAreGoneAfter()
        {
            using var session = NewSession();
            var target = Path.Combine(session.Home, "run", "db.txt");
            var output = session.Invoke(
                "Invoke-WithSecrets -File @{ $args[0] = 'prod/db'; 'plain.txt' = 'tls.tls.key' } -Directory @{ 'tls' = 'tls' } -NoMask -FilePath /bin/bash -ArgumentList '-c', ('cat ' + $args[0] + '; echo; echo \"$SECRETS_DIR\"; cat \"$SECRETS_DIR/plain.txt\"; echo; ls \"$SECRETS_DIR/tls\"')",
                target).Select(o => o.ToString()).ToList();
            Assert.Equal(Value, output[0]);
            var privateDirectory = output[1];
            Assert.Equal("KEY-DATA-456", output[2]);
            Assert.Equal(new[] { "tls.crt", "tls.key" }, output.Skip(3));
            Assert.False(File.Exists(target));
            Assert.False(Directory.Exists(Path.GetDirectoryName(target)));
            Assert.False(Directory.Exists(privateDirectory));
        }

        [Fact]
        public void FilesAreGoneAfterAFailingProgramAndAThrowingScriptBlock()
        {
            using var session = NewSession();
            var target = Path.Combine(session.Home, "failing.txt");
            var result = session.Run("Invoke-WithSecrets -File @{ $args[0] = 'prod/db' } -FilePath /bin/bash -ArgumentList '-c', 'exit 7'", target);
            var error = Assert.Single(result.Errors);
            Assert.Equal("ProgramFailed,Secrets.Commands.InvokeWithSecretsCommand", error.FullyQualifiedErrorId);
            Assert.Equal(7, session.Invoke("$LASTEXITCODE")[0].BaseObject);
            Assert.False(File.Exists(target));

            session.Throws("Invoke-WithSecrets -File @{ $args[0] = 'prod/db' } -ScriptBlock { if (-not [IO.File]::Exists($args[0])) { 'missing' }; throw 'boom' } -ArgumentList $args[0]", target);
            Assert.False(File.Exists(target));

            var ignored = session.Run("Invoke-WithSecrets -FilePath /bin/bash -ArgumentList '-c', 'exit 3' -IgnoreExitCode");
            Assert.Empty(ignored.Errors);
            Assert.Equal(3, session.Invoke("$LASTEXITCODE")[0].BaseObject);
        }

        [Fact]
        public void FilesAreGoneAfterACancelledRun()
        {
            using var session = NewSession();
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = session.Runspace;
            ps.AddScript("Invoke-WithSecrets -File @{ 'db.txt' = 'prod/db' } -FilePath /bin/bash -ArgumentList '-c', 'echo \"$SECRETS_DIR\"; sleep 60'");
            var output = new PSDataCollection<PSObject>();
            var firstLine = new ManualResetEventSlim();
            output.DataAdded += (_, _) => firstLine.Set();
            var running = ps.BeginInvoke<PSObject, PSObject>(null, output);
            Assert.True(firstLine.Wait(TimeSpan.FromSeconds(30)));
            var privateDirectory = output[0].ToString();
            Assert.True(File.Exists(Path.Combine(privateDirectory, "db.txt")));
            ps.Stop();
            Assert.True(running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)));
            Assert.False(Directory.Exists(privateDirectory));
        }

        [Fact]
        public void ValidationErrorListsEveryMissingReferenceAndNothingRuns()
        {
            using var session = NewSession();
            var marker = Path.Combine(session.Home, "ran");
            var error = session.Throws(
                "Invoke-WithSecrets -Environment @{ A = 'missing-a'; B = 'tls.nokey'; C = 'prod/db' } -File @{ 'x.txt' = 'missing-b' } -ScriptBlock { [IO.File]::WriteAllText($args[0], 'ran') } -ArgumentList $args[0]",
                marker);
            Assert.Equal("JobValidationFailed,Secrets.Commands.InvokeWithSecretsCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            var message = error.ErrorDetails?.Message ?? error.Exception.Message;
            Assert.Contains("missing-a", message);
            Assert.Contains("missing-b", message);
            Assert.Contains("no key 'nokey'", message);
            Assert.Contains("3 problems", message);
            Assert.False(File.Exists(marker));
        }

        [Fact]
        public void VerboseAndWhatIfNameTargetsButNeverValues()
        {
            using var session = NewSession();
            var result = session.Run("Invoke-WithSecrets -Environment @{ DB = 'prod/db' } -File @{ 'db.txt' = 'prod/db' } -ScriptBlock { 'ran' } -Verbose");
            Assert.Contains(result.Verbose, v => v.Contains("environment variable DB <- 'prod/db'"));
            Assert.Contains(result.Verbose, v => v.Contains("db.txt"));
            Assert.DoesNotContain(result.Verbose, v => v.Contains(Value));

            var whatIf = session.Run("Invoke-WithSecrets -Environment @{ DB = 'prod/db' } -ScriptBlock { 'ran' } -WhatIf");
            Assert.Empty(whatIf.Output);
        }

        [Fact]
        public void WarnsWhenASecretIsPassedOnTheCommandLine()
        {
            using var session = NewSession();
            var result = session.Run($"Invoke-WithSecrets -Environment @{{ DB = 'prod/db' }} -FilePath /bin/bash -ArgumentList '-c', 'true', '{Value}'");
            Assert.Contains(result.Warnings, w => w.Contains("Argument 3 contains a secret value"));
            Assert.DoesNotContain(result.Warnings, w => w.Contains(Value));
        }

        [Fact]
        public void AllSecretsExposesEveryReadableSecret()
        {
            using var session = NewSession();
            var output = session.Invoke("Invoke-WithSecrets -AllSecrets -Filter 'tls*' -Prefix 'APP_' -NoMask -ScriptBlock { $env:APP_TLS_TLS_CRT; [string]$env:APP_PROD_DB }");
            Assert.Equal(new object[] { "CERT-DATA-123", string.Empty }, output.Select(o => o.BaseObject));
        }

        [Fact]
        public void AllSecretsPutsEveryVariableItDerivesUnderAPrefix()
        {
            using var session = NewSession();
            session.Invoke("Set-Secret -Name aws -Secret @{ endpoint_url = 'http://evil-endpoint.example'; config_file = '/tmp/evil-aws-config' }");
            session.Invoke("Set-Secret -Name git -Secret @{ dir = '/tmp/evil-git-dir' }");
            session.Invoke("Set-Secret -Name x -Secret @{ HTTPS_PROXY = 'http://evil-proxy.example'; NODE_TLS_REJECT_UNAUTHORIZED = '0' }");
            var lines = session.Invoke("Invoke-WithSecrets -AllSecrets -NoMask -FilePath /bin/bash -ArgumentList '-c', 'env'").Select(o => o.ToString()).ToList();
            foreach (var variable in new[] { "AWS_ENDPOINT_URL=", "AWS_CONFIG_FILE=", "GIT_DIR=", "HTTPS_PROXY=http://evil", "NODE_TLS_REJECT_UNAUTHORIZED=0" })
            {
                Assert.DoesNotContain(lines, l => l.StartsWith(variable, StringComparison.Ordinal));
            }

            Assert.Contains("SECRET_AWS_ENDPOINT_URL=http://evil-endpoint.example", lines);
            Assert.Contains("SECRET_GIT_DIR=/tmp/evil-git-dir", lines);
            Assert.Contains("SECRET_X_HTTPS_PROXY=http://evil-proxy.example", lines);
            Assert.Contains($"SECRET_PROD_DB={Value}", lines);

            var error = session.Throws("Invoke-WithSecrets -AllSecrets -Prefix '' -FilePath /bin/bash -ArgumentList '-c', 'env'");
            Assert.Equal("JobValidationFailed,Secrets.Commands.InvokeWithSecretsCommand", error.FullyQualifiedErrorId);
            Assert.Contains("-Prefix", error.ErrorDetails?.Message ?? error.Exception.Message);
            var whatIf = session.Throws("Invoke-WithSecrets -AllSecrets -Prefix 'AWS_' -FilePath /bin/bash -ArgumentList '-c', 'env' -WhatIf");
            Assert.Contains("used by programs", whatIf.ErrorDetails?.Message ?? whatIf.Exception.Message);
        }

        [Fact]
        public void TheNextCommandErasesWhatAKilledJobLeftAndWarns()
        {
            using var session = NewSession();
            var work = Path.Combine(session.Home, "work");
            Directory.CreateDirectory(work);
            var file = Path.Combine(work, "abs", "db.txt");
            var template = Path.Combine(work, "app.conf.tmpl");
            File.WriteAllText(template, "password={{ prod/db }}\n");
            var output = Path.Combine(work, "rendered", "app.conf");
            var ready = Path.Combine(work, "ready");
            var script = Path.Combine(work, "job.ps1");
            File.WriteAllText(script,
                $"Invoke-WithSecrets -File @{{ '{file}' = 'prod/db'; 'private.txt' = 'prod/db' }} -Template @{{ '{output}' = '{template}' }} " +
                $"-ScriptBlock {{ [IO.File]::WriteAllText('{ready}.tmp', $env:SECRETS_DIR); [IO.File]::Move('{ready}.tmp', '{ready}'); [Threading.Thread]::Sleep(120000) }}");

            string privateFolder;
            using (var job = Runner.Start(script, session.Home))
            {
                var deadline = DateTime.UtcNow.AddSeconds(90);
                while (!File.Exists(ready) && !job.HasExited && DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(100);
                }

                Assert.True(File.Exists(ready), $"the job did not start (exited: {job.HasExited})");
                privateFolder = File.ReadAllText(ready);
                job.Kill(entireProcessTree: true);
                job.WaitForExit();
            }

            // Killed outright (SIGKILL): its files are still there.
            Assert.Equal(Value, File.ReadAllText(file));
            Assert.Equal($"password={Value}\n", File.ReadAllText(output));
            Assert.Equal(Value, File.ReadAllText(Path.Combine(privateFolder, "private.txt")));

            // Any command of the module erases them first, and says so.
            var result = session.Run("$null = Get-SecretInfo");
            Assert.Empty(result.Errors);
            var warning = Assert.Single(result.Warnings);
            Assert.Contains($"'{file}'", warning);
            Assert.Contains($"'{output}'", warning);
            Assert.Contains($"'{privateFolder}'", warning);
            Assert.DoesNotContain(Value, warning);
            Assert.False(File.Exists(file));
            Assert.False(File.Exists(output));
            Assert.False(Directory.Exists(privateFolder));
            Assert.False(Directory.Exists(Path.Combine(work, "abs")));
            Assert.False(Directory.Exists(Path.Combine(work, "rendered")));

            Assert.Empty(session.Run("$null = Get-SecretInfo").Warnings);
        }

        [Fact]
        public void EveryStreamOfAScriptBlockIsMaskedAndErrorsKeepNoValue()
        {
            var host = new ScriptedHost();
            using var session = new PowerShellSession(host);
            session.Invoke("New-SecretIdentity -DisplayName tester -NoPassword | Out-Null");
            session.Invoke($"Set-Secret -Name prod/db -Secret '{Value}'");
            var result = session.Run(@"
function Write-Everything {
    [CmdletBinding()] param()
    $PSCmdlet.WriteWarning(""warning $env:DB"")
    $PSCmdlet.WriteVerbose(""verbose $env:DB"")
    $PSCmdlet.WriteDebug(""debug $env:DB"")
    $PSCmdlet.WriteInformation([System.Management.Automation.HostInformationMessage]@{ Message = ""host $env:DB"" }, [string[]]'PSHOST')
    $PSCmdlet.WriteInformation(""information $env:DB"", [string[]]'note')
    $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new([Exception]::new(""error $env:DB""), 'JobFailed', 'NotSpecified', $env:DB))
    ""output $env:DB""
}
$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'
Invoke-WithSecrets -Environment @{ DB = 'prod/db' } -ScriptBlock { Write-Everything }
$errorText = ($Error | ForEach-Object { $_.ToString() + ' ' + $_.Exception + ' ' + $_.TargetObject }) -join ' | '
$errorText
");
            var all = string.Join("\n", result.Output.Select(o => o?.ToString()).Concat(result.Warnings).Concat(result.Verbose)
                .Concat(result.Errors.Select(e => e.ToString() + e.Exception + e.TargetObject)));
            Assert.DoesNotContain(Value, all);
            Assert.DoesNotContain(Value, host.Transcript.ToString());
            Assert.Contains("output ***", all);
            Assert.Contains(result.Warnings, w => w == "warning ***");
            Assert.Contains(result.Verbose, v => v == "verbose ***");
            Assert.Contains("host ***", host.Transcript.ToString());
            var error = Assert.Single(result.Errors);
            Assert.Equal("error ***", error.ErrorDetails?.Message ?? error.Exception.Message);
            Assert.DoesNotContain(Value, result.Output.Last().ToString());
        }

        [Fact]
        public void ScriptBlockJobsOfOneProcessRunOneAtATimeAndRestoreTheEnvironment()
        {
            using var session = NewSession();
            Environment.SetEnvironmentVariable("TOKEN", null);
            using var secondRunspace = IsolatedEngine.Open(System.Management.Automation.Runspaces.InitialSessionState.CreateDefault2());
            using var second = System.Management.Automation.PowerShell.Create();
            second.Runspace = secondRunspace;
            second.AddScript("Import-Module $args[0]").AddArgument(PowerShellSession.ModuleManifest).Invoke();
            second.Commands.Clear();

            // The first job ends while the second, started during it, still runs: restoring the
            // environment job by job would leave the first job's value behind.
            using var first = System.Management.Automation.PowerShell.Create();
            first.Runspace = session.Runspace;
            first.AddScript("Invoke-WithSecrets -Environment @{ TOKEN = 'prod/db' } -ScriptBlock { [System.Threading.Thread]::Sleep(600); [string]($env:TOKEN.Length) }");
            second.AddScript("Invoke-WithSecrets -Environment @{ TOKEN = 'prod/db' } -ScriptBlock { [System.Threading.Thread]::Sleep(1200); [string]($env:TOKEN.Length) }");
            var a = first.BeginInvoke();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (Environment.GetEnvironmentVariable("TOKEN") == null && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(10);
            }

            var b = second.BeginInvoke();
            Assert.Equal(Value.Length.ToString(), Assert.Single(first.EndInvoke(a)).BaseObject);
            Assert.Equal(Value.Length.ToString(), Assert.Single(second.EndInvoke(b)).BaseObject);
            Assert.Null(Environment.GetEnvironmentVariable("TOKEN"));
        }

        [Fact]
        public void ABareProgramNameIsFoundOnThePathNotInTheProcessWorkingFolder()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            using var session = NewSession();
            var planted = Path.Combine(session.Home, "planted");
            Directory.CreateDirectory(planted);
            var fake = Path.Combine(planted, "env");
            File.WriteAllText(fake, "#!/bin/sh\necho planted-program-ran\n");
            File.SetUnixFileMode(fake, (UnixFileMode)Convert.ToInt32("755", 8));
            var before = Environment.CurrentDirectory;
            Environment.CurrentDirectory = planted;
            try
            {
                var output = session.Invoke("Invoke-WithSecrets -Environment @{ MARKER = 'prod/db' } -NoMask -FilePath env").Select(o => o.ToString()).ToList();
                Assert.DoesNotContain("planted-program-ran", output);
                Assert.Contains(output, line => line.StartsWith("MARKER=", StringComparison.Ordinal));

                var error = session.Throws("Invoke-WithSecrets -FilePath no-such-program-anywhere");
                Assert.Equal("ProgramNotFound,Secrets.Commands.InvokeWithSecretsCommand", error.FullyQualifiedErrorId);
            }
            finally
            {
                Environment.CurrentDirectory = before;
            }
        }
    }
}
