using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace Secrets.PowerShell.Tests
{
    /// <summary>
    /// Invoke-WithSecrets: -WhatIf as a real dry run, -Validation levels, folders of every secret a
    /// wildcard matches, and escaped braces in templates.
    /// </summary>
    public class InvokeWithSecretsValidationTests
    {
        private const string Value = "hunter2-distinctive-value";

        private static PowerShellSession NewSession(ScriptedHost? host = null)
        {
            var session = new PowerShellSession(host);
            session.Invoke("New-SecretIdentity -DisplayName tester -NoPassword");
            session.Invoke($"Set-Secret -Name prod/db -Secret '{Value}'");
            session.Invoke("Set-Secret -Name prod/api/token -Secret 'TOKEN-VALUE-789'");
            session.Invoke("Set-Secret -Name tls -Secret @{ 'tls.crt' = 'CERT-DATA-123'; 'tls.key' = 'KEY-DATA-456' }");
            return session;
        }

        private static string Message(ErrorRecord error) => error.ErrorDetails?.Message ?? error.Exception.Message;

        [Fact]
        public void WhatIfResolvesEveryReferenceAndReportsWhatIsMissingWithoutRunning()
        {
            var host = new ScriptedHost();
            using var session = NewSession(host);
            var marker = Path.Combine(session.Home, "ran");
            var file = Path.Combine(session.Home, "out", "db.txt");
            host.Transcript.Clear();

            var error = session.Throws(
                "Invoke-WithSecrets -Environment @{ A = 'missing-a'; B = 'tls.nokey'; C = 'prod/db' } -File @{ $args[1] = 'prod/db' } -ScriptBlock { [IO.File]::WriteAllText($args[0], 'ran') } -ArgumentList $args[0] -WhatIf",
                marker, file);

            Assert.Equal("JobValidationFailed,Secrets.Commands.InvokeWithSecretsCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            var message = Message(error);
            Assert.StartsWith("The job would not start: 2 problems with its secrets:", message);
            Assert.Contains("secret 'missing-a' does not exist (used by environment variable A)", message);
            Assert.Contains("environment variable B: Secret 'tls' has no key 'nokey'. Its keys: ", message);
            var said = host.Transcript.ToString();
            Assert.Contains("What if: Performing the operation \"Run with secrets\" on target \"script block:", said);
            Assert.Contains("environment variable C <- 'prod/db'", said);
            Assert.Contains($"file '{file}' <- 'prod/db'", said);
            Assert.DoesNotContain(Value, said + message);
            Assert.False(File.Exists(marker));
            Assert.False(Directory.Exists(Path.GetDirectoryName(file)));

            // A job that can start: -WhatIf shows its plan, writes no error and runs nothing.
            var ok = session.Run("Invoke-WithSecrets -Environment @{ C = 'prod/db' } -ScriptBlock { [IO.File]::WriteAllText($args[0], 'ran') } -ArgumentList $args[0] -WhatIf", marker);
            Assert.Empty(ok.Errors);
            Assert.Empty(ok.Output);
            Assert.False(File.Exists(marker));
        }

        [Fact]
        public void RelaxedValidationSkipsWhatIsMissingWithAWarning()
        {
            using var session = NewSession();
            const string script = "Invoke-WithSecrets -Environment @{ A = 'missing-a'; B = 'tls.nokey'; C = 'prod/db' } -NoMask -ScriptBlock { '{0}|{1}|{2}' -f [string]$env:A, [string]$env:B, $env:C }";

            Expect.Error(session.Throws(script), "JobValidationFailed", "InvokeWithSecrets", ErrorCategory.InvalidArgument);
            var secretExists = Expect.Error(session.Throws(script + " -Validation SecretExists"), "JobValidationFailed", "InvokeWithSecrets", ErrorCategory.InvalidArgument);
            Assert.Contains("1 problem with its secrets", Message(secretExists));
            Assert.Contains("'missing-a' does not exist", Message(secretExists));

            var none = session.Run(script + " -Validation None");
            Assert.Empty(none.Errors);
            Assert.Equal($"||{Value}", Assert.Single(none.Output).BaseObject);
            Assert.Equal(2, none.Warnings.Count);
            Assert.Contains(none.Warnings, w => w.StartsWith("environment variable B: Secret 'tls' has no key 'nokey'. Its keys: ", StringComparison.Ordinal)
                && w.EndsWith("; skipped (-Validation None)", StringComparison.Ordinal));
            Assert.Contains("secret 'missing-a' does not exist (used by environment variable A); skipped (-Validation None)", none.Warnings);

            // -WhatIf with a relaxed level warns the same way and reports no error.
            var whatIf = session.Run(script + " -Validation None -WhatIf");
            Assert.Empty(whatIf.Errors);
            Assert.Equal(2, whatIf.Warnings.Count);

            var bad = session.Throws(script + " -Validation Loose");
            Assert.Contains("Validation", bad.FullyQualifiedErrorId + Message(bad));
        }

        [Fact]
        public void AWildcardFolderGetsEveryReadableSecretAsOneEntryEach()
        {
            using var session = NewSession();
            var folder = Path.Combine(session.Home, "run", "secrets");

            var output = session.Invoke(
                "Invoke-WithSecrets -Directory @{ $args[0] = '*'; 'prod' = 'PROD/*' } -NoMask -FilePath /bin/bash -ArgumentList '-c', " +
                "'cd \"$0\" && ls -1 && cat prod.db; echo; cat tls/tls.crt; echo; ls -1 \"$SECRETS_DIR/prod\"; stat -c %a prod.db', $args[0]",
                folder).Select(o => o.ToString()).ToList();

            Assert.Equal(new[] { "prod.api.token", "prod.db", "tls", Value, "CERT-DATA-123", "prod.api.token", "prod.db", "600" }, output);
            Assert.False(Directory.Exists(Path.Combine(session.Home, "run")));

            var verbose = session.Run("Invoke-WithSecrets -Directory @{ 'all' = 'tls*' } -ScriptBlock { } -Verbose").Verbose;
            Assert.Contains(verbose, v => v.EndsWith("<- 1 secret matching 'tls*': tls", StringComparison.Ordinal));

            var none = Expect.Error(session.Throws("Invoke-WithSecrets -Directory @{ 'all' = 'nothing/*' } -ScriptBlock { }"), "JobValidationFailed", "InvokeWithSecrets", ErrorCategory.InvalidArgument);
            Assert.Contains("folder 'all': no secret you can read matches 'nothing/*'", Message(none));
        }

        [Fact]
        public void WildcardFolderValuesAreMasked()
        {
            using var session = NewSession();
            var output = session.Invoke("Invoke-WithSecrets -Directory @{ 'all' = '*' } -FilePath /bin/bash -ArgumentList '-c', 'cat \"$SECRETS_DIR/all/prod.api.token\"'");
            Assert.Equal("***", Assert.Single(output).BaseObject);
        }

        [Fact]
        public void ABackslashKeepsDoubleBracesInARenderedTemplate()
        {
            using var session = NewSession();
            var work = Path.Combine(session.Home, "work");
            Directory.CreateDirectory(work);
            var template = Path.Combine(work, "site.yml.tmpl");
            File.WriteAllText(template, "password: {{ prod/db }}\nhost: \"\\{{ inventory_hostname }}\"\nloop: \"\\{{ item.name \\}}\"\n");

            var output = session.Invoke(
                "Invoke-WithSecrets -Template @{ 'site.yml' = $args[0] } -NoMask -FilePath /bin/bash -ArgumentList '-c', 'cat \"$SECRETS_DIR/site.yml\"'",
                template).Select(o => o.ToString()).ToList();

            Assert.Equal(new[] { $"password: {Value}", "host: \"{{ inventory_hostname }}\"", "loop: \"{{ item.name }}\"" }, output);
        }
    }
}
