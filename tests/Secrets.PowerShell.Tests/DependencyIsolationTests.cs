using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace Secrets.PowerShell.Tests
{
    /// <summary>
    /// The module keeps using its own BouncyCastle (out/Secrets/dependencies, in a private load
    /// context) when another module in the session has loaded a different assembly with the same
    /// identity, whichever comes first. Each case runs in a child process so that nothing is loaded
    /// into the test process. The stand-in for the other module's copy is
    /// tests/Fixtures/ConflictingBouncyCastle: BouncyCastle.Cryptography 2.0.0.0 with the real public
    /// key token and no cryptography at all, so any use of it by the module would fail.
    /// </summary>
    public class DependencyIsolationTests
    {
        private const string RoundTrip = @"
            Set-Secret -Name $args[0] -Secret ('isolated-' + $args[0])
            'VALUE: ' + (Get-Secret -Name $args[0] -AsPlainText)";

        private const string Report = @"
            foreach ($assembly in [AppDomain]::CurrentDomain.GetAssemblies()) {
                $name = $assembly.GetName().Name
                if ($name -in 'BouncyCastle.Cryptography', 'Secrets.Core', 'Secrets') {
                    'LOADED: {0} | {1} | {2}' -f $name, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($assembly).Name, $assembly.Location
                }
            }
            $core = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Secrets.Core' })
            'CORE COUNT: ' + $core.Count
            $reference = @($core[0].GetReferencedAssemblies() | Where-Object { $_.Name -eq 'BouncyCastle.Cryptography' })[0]
            'CORE BINDS: ' + [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($core[0]).LoadFromAssemblyName($reference).Location
            'MARKER: ' + [ConflictingBouncyCastle.ConflictingMarker]::Text";

        [Fact]
        public void WorksWhenAnotherBouncyCastleWasLoadedFirst()
        {
            var result = RunScript(withModule: false, @"
                param($fake, $module)
                $ErrorActionPreference = 'Stop'
                $null = [System.Reflection.Assembly]::LoadFrom($fake)
                'MARKER: ' + [ConflictingBouncyCastle.ConflictingMarker]::Text
                Import-Module $module
                $null = New-SecretIdentity -DisplayName 'isolation' -NoPassword
                & { " + RoundTrip + @" } 'first'
                " + Report);

            AssertIsolated(result, "first");
        }

        [Fact]
        public void KeepsWorkingWhenAnotherBouncyCastleIsLoadedAfterIt()
        {
            var result = RunScript(withModule: true, @"
                param($fake, $module)
                $ErrorActionPreference = 'Stop'
                $null = New-SecretIdentity -DisplayName 'isolation' -NoPassword
                & { " + RoundTrip + @" } 'before'
                $null = [System.Reflection.Assembly]::LoadFrom($fake)
                & { " + RoundTrip + @" } 'after'
                " + Report);

            AssertIsolated(result, "before", "after");
        }

        private static void AssertIsolated(Runner.Result result, params string[] names)
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            var lines = result.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            foreach (var name in names)
            {
                Assert.Contains($"VALUE: isolated-{name}", lines);
            }

            Assert.Contains("MARKER: conflicting BouncyCastle fixture", lines);

            var dependencies = Path.Combine(PowerShellSession.ModuleFolder, "dependencies");
            var ours = Full(Path.Combine(dependencies, "BouncyCastle.Cryptography.dll"));
            var fake = Full(PowerShellSession.ConflictingBouncyCastlePath);
            var loaded = lines.Where(l => l.StartsWith("LOADED: ", StringComparison.Ordinal))
                .Select(l => l.Substring("LOADED: ".Length).Split(" | "))
                .Select(p => (Name: p[0], Context: p[1], Path: Full(p[2])))
                .ToList();

            // Both copies are loaded: the other module's in the default context, ours in the module's own.
            Assert.Contains(("BouncyCastle.Cryptography", "Default", fake), loaded);
            Assert.Contains(("BouncyCastle.Cryptography", "Secrets", ours), loaded);
            Assert.Equal(2, loaded.Count(l => l.Name == "BouncyCastle.Cryptography"));
            Assert.Contains(("Secrets.Core", "Secrets", Full(Path.Combine(dependencies, "Secrets.Core.dll"))), loaded);
            Assert.Contains(("Secrets", "Default", Full(Path.Combine(PowerShellSession.ModuleFolder, "Secrets.dll"))), loaded);
            Assert.Contains("CORE COUNT: 1", lines);

            // What the core's context gives for the core's own reference: our copy, not the fake.
            Assert.Equal(ours, Full(lines.Single(l => l.StartsWith("CORE BINDS: ", StringComparison.Ordinal)).Substring("CORE BINDS: ".Length)));
        }

        /// <summary>Runs a script in Secrets.Runner, with the Secrets module imported first or not at all.</summary>
        private static Runner.Result RunScript(bool withModule, string script)
        {
            var folder = Path.Combine(Path.GetTempPath(), "secrets-ps-tests", "isolation-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                var scriptPath = Path.Combine(folder, "isolation.ps1");
                File.WriteAllText(scriptPath, script);
                var arguments = new List<string>();
                if (!withModule)
                {
                    // The runner imports a module before the script: give it one that loads nothing.
                    var empty = Path.Combine(folder, "Empty.psm1");
                    File.WriteAllText(empty, string.Empty);
                    arguments.AddRange(new[] { "-Module", empty });
                }

                arguments.AddRange(new[] { scriptPath, PowerShellSession.ConflictingBouncyCastlePath, PowerShellSession.ModuleManifest });
                return Runner.Run(arguments);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        private static string Full(string path) => Path.GetFullPath(path.Trim());
    }
}
