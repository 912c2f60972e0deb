using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using Xunit;

namespace Secrets.PowerShell.Tests
{
    /// <summary>
    /// A secret value never shows up anywhere but in Get-Secret -AsPlainText output: not in error
    /// records (message, details, target, exception text), not in the verbose, debug, warning or
    /// information streams, not in what the host shows (views, -WhatIf, -Confirm, prompts), not in
    /// the ToString of output objects, and not in plain text on disk. Every flow and failure path
    /// here handles one distinctive value. The value is always passed in a variable: a value
    /// typed on the command line is in the error's InvocationInfo.Line, as for any command.
    /// </summary>
    public class SecretValueLeakTests
    {
        private const string Canary = "Canary-7f3a9c1e-NeverShow";

        [Fact]
        public void MainFlowsNeverShowTheValue()
        {
            using var leak = new LeakCheck();
            leak.Run("Set-Secret -Name 'str' -Secret $canary -PassThru | Out-Default");
            leak.Run("Set-Secret -Name 'str' -Secret $canary -Metadata @{ owner = 'ops' } -PassThru | Out-Default");
            leak.Run("New-Secret -Name 'new' -Value $canary -PassThru | Out-Default");
            leak.Run("Set-Secret -Name 'sec' -SecureStringSecret $secureCanary");
            leak.Run("Set-Secret -Name 'cred' -Secret ([pscredential]::new('user', $secureCanary))");
            leak.Run("Set-Secret -Name 'bytes' -Secret ([Text.Encoding]::UTF8.GetBytes($canary))");
            leak.Run("Set-Secret -Name 'table' -Secret @{ plain = $canary; secure = $secureCanary; cred = [pscredential]::new('u', $secureCanary) }");
            leak.Run("Set-Secret -Name 'json' -Values ('{\"k\": \"' + $canary + '\"}')");
            leak.Run("Set-Secret -Name 'file' -Path $args[0]", leak.InputFile("value.txt", Encoding.UTF8.GetBytes(Canary)));
            leak.Run("@([pscustomobject]@{ Name = 'csv'; Value = $canary }) | New-Secret -PassThru | Out-Default");

            foreach (var name in new[] { "str", "new", "sec", "cred", "table", "json", "file", "csv" })
            {
                // Default output: SecureString, PSCredential, hashtables of those; shown through the host too.
                leak.Run("Get-Secret -Name $args[0] | Out-Default", name);
                leak.RunKeepingOutput("Get-Secret -Name $args[0]", name);
            }

            leak.Run("Get-Secret -Name 'bytes' | Out-Default");
            leak.Run("Get-Secret -Name 'table.plain', 'table.secure', 'table.cred', 'cred.Password', 'cred.UserName' | Out-Default");
            leak.RunKeepingOutput("Get-Secret -Name 'table.plain', 'table.secure', 'table.cred', 'cred.Password'");
            leak.Run("Get-SecretInfo | Out-Default");
            leak.Run("Get-SecretInfo -AllVersions | Out-Default");
            leak.RunKeepingOutput("Get-SecretInfo -AllVersions");
            leak.Run("Get-SecretInfo -Name 'str' | Set-SecretInfo -Metadata @{ owner = 'dev' } -PassThru | Out-Default");
            leak.Run("Get-SecretInfo -Name 'str' | Get-Secret -Version 1 | Out-Default");

            // -AsPlainText output is the value by request: only the other streams are checked.
            leak.Run("$null = Get-Secret -Name 'str' -AsPlainText; $null = Get-Secret -Name 'table' -AsPlainText");

            // What -WhatIf and -Confirm show.
            leak.Run("Set-Secret -Name 'str' -Secret $canary -WhatIf; New-Secret -Name 'other' -Value $canary -WhatIf");
            leak.Host.Choose("No");
            leak.Run("Set-Secret -Name 'str' -Secret $canary -Confirm");
            // Values typed at the masked prompts.
            leak.Host.Type(Canary);
            leak.Run("Set-Secret -Name 'prompted' -PassThru | Out-Default");
            leak.Host.Say("key").Type(Canary).Say(string.Empty);
            leak.Run("New-Secret -Name 'prompted-table' -Interactive -PassThru | Out-Default");
            leak.Run("Get-Secret -Name 'prompted', 'prompted-table', 'prompted-table.key' | Out-Default");

            leak.Run("Rename-Secret -Name 'str' -NewName 'renamed' -WhatIf");
            leak.Run("Rename-Secret -Name 'str' -NewName 'renamed' -PassThru | Out-Default");
            leak.Run("Rename-Secret -Name 'table' -NewName 'Table' -PassThru | Out-Default");
            leak.Fails("Rename-Secret -Name 'renamed' -NewName 'Table'", "SecretAlreadyExists");
            leak.Host.Choose("Yes");
            leak.Run("Remove-Secret -Name 'new'");

            leak.AssertNothingShown();
        }

        [Fact]
        public void FailuresNeverShowTheValue()
        {
            using var leak = new LeakCheck();
            leak.Run("Set-Secret -Name 'exists' -Secret $canary");

            leak.Fails("Set-Secret -Name 'bad name' -Secret $canary", "InvalidSecretName");
            leak.Fails("Set-Secret -Name 'bad.name' -Secret @{ a = $canary }", "InvalidSecretName");
            leak.Fails("New-Secret -Name 'exists' -Value $canary", "SecretAlreadyExists");
            leak.Fails("Set-Secret -Name 'exists' -Secret $canary -NoClobber", "SecretAlreadyExists");
            leak.Fails("Set-Secret -Name 'x' -Secret @{ a = $canary; port = 5432 }", "InvalidSecretValue");
            leak.Fails("Set-Secret -Name 'x' -Secret @{ a = @{ inner = $canary } }", "InvalidSecretValue");
            leak.Fails("Set-Secret -Name 'x' -Secret @{ a = $canary; n = $null }", "InvalidSecretValue");
            leak.Fails("Set-Secret -Name 'x' -Secret ($canary + [char]0xD800)", "InvalidSecretValue");
            leak.Fails("Set-Secret -Name 'x' -Secret ($canary * (16MB / $canary.Length + 1))", "InvalidSecretValue");
            leak.Fails("Set-Secret -Name 'x' -Secret @($canary, $canary)", "InvalidSecretValue");
            leak.Fails("@([pscustomobject]@{ Name = 'x'; Other = $canary }) | Set-Secret", "InvalidSecretValue");
            leak.Fails("Set-Secret -Name 'x' -Secret $canary -Metadata @{ ratio = 1.5 }", "InvalidMetadata");
            leak.Run("Set-Secret -Name 'table' -Secret @{ plain = $canary }");
            leak.Fails("Get-Secret -Name 'table.missing' -AsPlainText", "SecretKeyNotFound");
            leak.Fails("Get-Secret -Name 'exists.key' -AsPlainText", "SecretKeyNotFound");
            leak.Fails("Set-Secret -Name 'x' -Values ('{\"k\": \"' + $canary + '\", \"nested\": {\"a\": \"' + $canary + '\"}}')", "InvalidValues");
            leak.Fails("Set-Secret -Name 'x' -Values ('{\"k\": \"' + $canary)", "InvalidValues");
            leak.Fails("Set-Secret -Name 'x' -Values ('{\"k\": \"' + $canary + '\", \"k\": \"' + $canary + '\"}')", "InvalidValues");
            leak.Fails("Set-Secret -Name 'x' -Values (\"k: [\" + $canary + \"]\")", "InvalidValues");
            leak.Fails("Set-Secret -Name 'x' -Values (\"k: '\" + $canary + \"'`n- list\")", "InvalidValues");
            leak.Fails("Set-Secret -Name 'x' -Values $canary", "InvalidValues");
            var notText = leak.InputFile("latin1.txt", Encoding.UTF8.GetBytes(Canary).Concat(new byte[] { 0xE9, 0xFF }).ToArray());
            leak.Fails("Set-Secret -Name 'x' -Path $args[0]", "ValueFileNotText", notText);

            // Jobs: the dry run, skipped references and folders of every secret show names, never values.
            leak.Fails("Invoke-WithSecrets -Environment @{ A = 'exists'; B = 'table.missing'; C = 'exists.key' } -Directory @{ 'all' = '*' } -ScriptBlock { } -WhatIf", "JobValidationFailed");
            leak.Run("Invoke-WithSecrets -Environment @{ A = 'exists'; B = 'table.missing'; C = 'gone' } -Directory @{ 'all' = '*' } -Validation None -ScriptBlock { } -WhatIf");
            leak.Run("Invoke-WithSecrets -Environment @{ A = 'exists'; B = 'table.missing'; C = 'gone' } -Directory @{ 'all' = '*' } -Validation None -ScriptBlock { }");

            // A tampered version file.
            StoreTamperingTests.FlipPayloadCharacter(Path.Combine(leak.Session.StorePath, "secrets", "exists", "v1.secret"));
            leak.Fails("Get-Secret -Name 'exists'", "SecretFileInvalid");
            leak.Fails("Get-Secret -Name 'exists' -AsPlainText", "SecretFileInvalid");

            leak.AssertNothingShown();
        }

        /// <summary>A session with a scripted host and every stream on, collecting everything a user or a log could see.</summary>
        private sealed class LeakCheck : IDisposable
        {
            private readonly List<(string Source, string Text)> _seen = new List<(string, string)>();
            private readonly string _inputFolder;

            public LeakCheck()
            {
                Host = new ScriptedHost();
                Session = PowerShellSession.WithIdentity(Host);
                Session.Invoke(@"
                    $global:canary = $args[0]
                    $global:secureCanary = [System.Net.NetworkCredential]::new('', $args[0]).SecurePassword
                    $global:VerbosePreference = 'Continue'
                    $global:DebugPreference = 'Continue'
                    $global:InformationPreference = 'Continue'
                    $global:WarningPreference = 'Continue'", Canary);
                _inputFolder = Path.Combine(Path.GetTempPath(), "secrets-ps-tests", "input-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(_inputFolder);
            }

            public ScriptedHost Host { get; }

            public PowerShellSession Session { get; }

            public string InputFile(string name, byte[] content)
            {
                var path = Path.Combine(_inputFolder, name);
                File.WriteAllBytes(path, content);
                return path;
            }

            /// <summary>Runs a flow that must succeed; collects its streams (its output is discarded).</summary>
            public PowerShellSession.Result Run(string script, params object[] arguments)
            {
                var result = Session.Run(script, arguments);
                Collect(script, result);
                Assert.True(result.Errors.Count == 0, $"{script}: {string.Join("; ", result.Errors.Select(e => e.FullyQualifiedErrorId))}");
                return result;
            }

            /// <summary>Runs a flow that must succeed; also checks the ToString of its output objects and their properties.</summary>
            public void RunKeepingOutput(string script, params object[] arguments)
            {
                foreach (var output in Run(script, arguments).Output)
                {
                    foreach (var text in Describe(output))
                    {
                        _seen.Add(($"output of {script}", text));
                    }
                }
            }

            /// <summary>Runs a flow that must fail with that error id; collects the record and its rendering.</summary>
            public void Fails(string script, string errorId, params object[] arguments)
            {
                PowerShellSession.Result result;
                ErrorRecord record;
                try
                {
                    result = Session.Run(script, arguments);
                    record = Assert.Single(result.Errors);
                }
                catch (RuntimeException e)
                {
                    result = new PowerShellSession.Result(new List<PSObject>(), new List<ErrorRecord>(), new List<string>(), new List<string>());
                    record = e.ErrorRecord;
                }

                Collect(script, result);
                Assert.StartsWith(errorId + ",", record.FullyQualifiedErrorId);
                foreach (var text in Describe(record))
                {
                    _seen.Add(($"error of {script}", text));
                }

                // How the console shows it.
                Session.Run("$args[0] | Out-Default", record);
            }

            public void AssertNothingShown()
            {
                _seen.Add(("host", Host.Transcript.ToString()));
                foreach (var error in Session.Invoke("$global:Error").Select(o => o.BaseObject).OfType<ErrorRecord>())
                {
                    _seen.AddRange(Describe(error).Select(t => ("$Error", t)));
                }

                var leaks = _seen.Where(s => s.Text != null && s.Text.Contains(Canary, StringComparison.Ordinal)).ToList();
                Assert.True(leaks.Count == 0, "The value was shown in:\n" + string.Join("\n", leaks.Select(l => $"- {l.Source}: {Shorten(l.Text)}")));
                Assert.True(_seen.Count > 10);

                // Nor is it on disk in plain text (UTF-8 or UTF-16) anywhere in the Secrets home.
                foreach (var file in Directory.EnumerateFiles(Session.Home, "*", SearchOption.AllDirectories))
                {
                    var bytes = File.ReadAllBytes(file);
                    Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(Canary)), $"{file} holds the value as UTF-8.");
                    Assert.False(Contains(bytes, Encoding.Unicode.GetBytes(Canary)), $"{file} holds the value as UTF-16.");
                }
            }

            public void Dispose()
            {
                Session.Dispose();
                Directory.Delete(_inputFolder, recursive: true);
            }

            private void Collect(string script, PowerShellSession.Result result)
            {
                _seen.AddRange(result.Verbose.Select(t => ($"verbose of {script}", t)));
                _seen.AddRange(result.Warnings.Select(t => ($"warning of {script}", t)));
                _seen.AddRange(result.Debug.Select(t => ($"debug of {script}", t)));
                _seen.AddRange(result.Information.Select(t => ($"information of {script}", t)));
                foreach (var error in result.Errors)
                {
                    _seen.AddRange(Describe(error).Select(t => ($"error of {script}", t)));
                }
            }

            private static IEnumerable<string> Describe(ErrorRecord record)
            {
                yield return record.ToString();
                yield return record.FullyQualifiedErrorId;
                yield return record.CategoryInfo.ToString();
                yield return record.CategoryInfo.GetMessage();
                yield return record.ErrorDetails?.Message ?? string.Empty;
                yield return record.ErrorDetails?.RecommendedAction ?? string.Empty;
                yield return record.ScriptStackTrace ?? string.Empty;
                foreach (var text in Describe(record.TargetObject))
                {
                    yield return text;
                }

                for (var exception = record.Exception; exception != null; exception = exception.InnerException)
                {
                    yield return exception.ToString();
                    foreach (DictionaryEntry entry in exception.Data)
                    {
                        yield return $"{entry.Key}={entry.Value}";
                    }

                    if (exception is IContainsErrorRecord inner && !ReferenceEquals(inner.ErrorRecord, record))
                    {
                        yield return inner.ErrorRecord.ToString();
                        yield return inner.ErrorRecord.TargetObject?.ToString() ?? string.Empty;
                    }
                }
            }

            /// <summary>The ToString of an object, of each of its properties, and of each value of a hashtable.</summary>
            private static IEnumerable<string> Describe(object? value)
            {
                if (value == null)
                {
                    yield break;
                }

                var psObject = value as PSObject ?? PSObject.AsPSObject(value);
                yield return psObject.ToString();
                yield return psObject.BaseObject.ToString() ?? string.Empty;
                if (psObject.BaseObject is IDictionary dictionary)
                {
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        yield return $"{entry.Key}={entry.Value}";
                    }
                }

                if (psObject.BaseObject is string || psObject.BaseObject.GetType().IsPrimitive)
                {
                    yield break;
                }

                foreach (var property in psObject.Properties)
                {
                    string text;
                    try
                    {
                        text = Convert.ToString(property.Value) ?? string.Empty;
                    }
                    catch (GetValueException)
                    {
                        continue;
                    }

                    yield return $"{property.Name}={text}";
                }
            }

            private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

            private static string Shorten(string text) => text.Length > 300 ? text.Substring(0, 300) + "…" : text;
        }
    }
}
