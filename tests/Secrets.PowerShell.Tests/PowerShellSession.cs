using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;

namespace Secrets.PowerShell.Tests
{
    /// <summary>
    /// A runspace on the real PowerShell engine with the built module imported (Import-Module of
    /// out/Secrets/Secrets.psd1) and a private Secrets home (SECRETS_HOME) that is deleted on
    /// dispose. Only the engine's Core cmdlets exist here: no Write-Output, Select-Object, Test-Path.
    /// </summary>
    public sealed class PowerShellSession : IDisposable
    {
        private static readonly string[] Variables = { "SECRETS_HOME", "SECRETS_IDENTITY", "SECRETS_STORE" };
        private readonly Dictionary<string, string?> _saved = new Dictionary<string, string?>();

        public PowerShellSession(System.Management.Automation.Host.PSHost? host = null)
        {
            foreach (var variable in Variables)
            {
                _saved[variable] = Environment.GetEnvironmentVariable(variable);
                Environment.SetEnvironmentVariable(variable, null);
            }

            Home = Path.Combine(Path.GetTempPath(), "secrets-ps-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Home);
            Environment.SetEnvironmentVariable("SECRETS_HOME", Home);
            var state = InitialSessionState.CreateDefault2();
            Runspace = IsolatedEngine.Open(state, host);
            Invoke("Import-Module -Name $args[0] -ErrorAction Stop", ModuleManifest);
        }

        /// <summary>A session whose default identity exists and has no passphrase (no unlock, no Argon2id cost).</summary>
        public static PowerShellSession WithIdentity(System.Management.Automation.Host.PSHost? host = null)
        {
            var session = new PowerShellSession(host);
            session.Invoke("$null = New-SecretIdentity -DisplayName tester -NoPassword");
            return session;
        }

        /// <summary>
        /// Script text that loads the module's Secrets.Core (from its private load context) into
        /// $core and defines Get-CoreType: for tests that must write files the cmdlets never write
        /// (a forger's file, an identity with cheap key derivation).
        /// </summary>
        public const string CorePrelude = @"
            $null = Get-SecretIdentity -ErrorAction Ignore
            $core = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Secrets.Core' })[0]
            function Get-CoreType($name) { $core.GetType($name, $true) }
            ";

        public static string ModuleManifest => Metadata("ModuleManifest");

        /// <summary>The fake BouncyCastle.Cryptography built from tests/Fixtures/ConflictingBouncyCastle.</summary>
        public static string ConflictingBouncyCastlePath => Metadata("ConflictingBouncyCastle");

        /// <summary>The module folder (out/Secrets).</summary>
        public static string ModuleFolder => Path.GetDirectoryName(ModuleManifest)!;

        /// <summary>The default identity file of this session.</summary>
        public string IdentityPath => Path.Combine(Home, "identities", "default.identity");

        /// <summary>
        /// Writes the default identity with a passphrase, derived with the smallest Argon2id cost a
        /// reader accepts (8 MiB, 1 pass) instead of the 64 MiB of New-SecretIdentity: for tests of
        /// prompts and locking, not of the key derivation. The identity is locked.
        /// </summary>
        public void WriteQuickPassphraseIdentity(string passphrase, string name = "alice") =>
            Invoke(CorePrelude + @"
                $kdf = (Get-CoreType 'Secrets.Core.Crypto.KdfParameters')::new(8192, 1, 1)
                $null = (Get-CoreType 'Secrets.Core.Identity.IdentityFile')::Create($args[0], $args[2], [Text.Encoding]::UTF8.GetBytes($args[1]), $kdf, $true)",
                IdentityPath, passphrase, name);

        /// <summary>The default store of this session.</summary>
        public string StorePath => Path.Combine(Home, "store");

        public static string RunnerPath => Metadata("Runner");

        public static string RepoRoot => Metadata("RepoRoot");

        /// <summary>The private Secrets home of this session.</summary>
        public string Home { get; }

        public Runspace Runspace { get; }

        /// <summary>Runs a script; returns its output and the error records it wrote. Terminating errors throw.</summary>
        public Result Run(string script, params object[] arguments)
        {
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = Runspace;
            ps.AddScript(script);
            foreach (var argument in arguments)
            {
                ps.AddArgument(argument);
            }

            var output = ps.Invoke();
            return new Result(output.ToList(), ps.Streams.Error.ToList(), ps.Streams.Verbose.Select(v => v.Message).ToList(),
                ps.Streams.Warning.Select(w => w.Message).ToList())
            {
                Debug = ps.Streams.Debug.Select(d => d.Message).ToList(),
                Information = ps.Streams.Information.Select(i => i.MessageData?.ToString() ?? string.Empty).ToList(),
            };
        }

        /// <summary>Runs a script that must not write errors; returns its output.</summary>
        public List<PSObject> Invoke(string script, params object[] arguments)
        {
            var result = Run(script, arguments);
            if (result.Errors.Count > 0)
            {
                throw new InvalidOperationException("The script wrote errors: " + string.Join("; ", result.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
            }

            return result.Output;
        }

        /// <summary>Runs a script that must fail with a terminating error; returns its record.</summary>
        public ErrorRecord Throws(string script, params object[] arguments)
        {
            try
            {
                var result = Run(script, arguments);
                if (result.Errors.Count > 0)
                {
                    return result.Errors[0];
                }
            }
            catch (RuntimeException e)
            {
                return e.ErrorRecord;
            }

            throw new InvalidOperationException("The script succeeded; an error was expected.");
        }

        public void Dispose()
        {
            try
            {
                // Unlocks shared with the user's other processes outlive this one: end this home's.
                Run("Lock-SecretIdentity -All");
            }
            catch (Exception e) when (e is RuntimeException || e is InvalidOperationException || e is InvalidRunspaceStateException)
            {
            }

            Runspace.Dispose();
            foreach (var pair in _saved)
            {
                Environment.SetEnvironmentVariable(pair.Key, pair.Value);
            }

            try
            {
                Directory.Delete(Home, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private static string Metadata(string key) =>
            typeof(PowerShellSession).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == key).Value!;

        public sealed class Result
        {
            public Result(List<PSObject> output, List<ErrorRecord> errors, List<string> verbose, List<string> warnings)
            {
                Output = output;
                Errors = errors;
                Verbose = verbose;
                Warnings = warnings;
            }

            public List<PSObject> Output { get; }
            public List<ErrorRecord> Errors { get; }
            public List<string> Verbose { get; }
            public List<string> Warnings { get; }
            public List<string> Debug { get; init; } = new List<string>();
            public List<string> Information { get; init; } = new List<string>();
        }
    }
}
