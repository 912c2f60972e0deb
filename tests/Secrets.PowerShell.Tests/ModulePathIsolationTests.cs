using System;
using System.IO;
using System.Linq;
using Microsoft.PowerShell.SecretManagement;
using Xunit;
using Vault = Secrets.PowerShell.Tests.SecretManagementStandIn.Vault;

namespace Secrets.PowerShell.Tests
{
    /// <summary>
    /// The tests give the same result whatever the machine has installed: a module named
    /// Microsoft.PowerShell.SecretManagement on PSModulePath (as on the machines of the people this
    /// module is for) is never seen by the hosted engine, so it cannot clash with the stand-in.
    /// </summary>
    public class ModulePathIsolationTests : IDisposable
    {
        private readonly string _installed = Path.Combine(Path.GetTempPath(), "secrets-ps-modules-" + Guid.NewGuid().ToString("N"));
        private readonly string? _savedModulePath = Environment.GetEnvironmentVariable("PSModulePath");

        public ModulePathIsolationTests()
        {
            // An installed SecretManagement, as far as module discovery can tell: a manifest and
            // the vault commands the real one exports.
            var folder = Path.Combine(_installed, "Microsoft.PowerShell.SecretManagement", "1.1.2");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "Microsoft.PowerShell.SecretManagement.psm1"),
                "function Test-SecretVault { 'installed' }\nfunction Unlock-SecretVault { 'installed' }\nfunction Get-SecretInfo { 'installed' }\n");
            File.WriteAllText(Path.Combine(folder, "Microsoft.PowerShell.SecretManagement.psd1"),
                "@{ RootModule = 'Microsoft.PowerShell.SecretManagement.psm1'; ModuleVersion = '1.1.2'; GUID = 'a5c858f6-4a8e-41f1-b1ee-0ff8f6ad69d3'; " +
                "FunctionsToExport = @('Test-SecretVault', 'Unlock-SecretVault', 'Get-SecretInfo') }");
            Environment.SetEnvironmentVariable("PSModulePath", _installed + Path.PathSeparator + _savedModulePath);
        }

        public void Dispose()
        {
            Environment.SetEnvironmentVariable("PSModulePath", _savedModulePath);
            Directory.Delete(_installed, recursive: true);
        }

        [Fact]
        public void AnInstalledSecretManagementIsInvisibleToTheHostedEngine()
        {
            using var session = new PowerShellSession();
            Assert.Empty(session.Invoke("Get-Module -ListAvailable -Name Microsoft.PowerShell.SecretManagement"));
            Assert.Empty(session.Run("Get-Command -Name Test-SecretVault -ErrorAction SilentlyContinue").Output);
            Assert.DoesNotContain(_installed, Environment.GetEnvironmentVariable("PSModulePath") ?? string.Empty, StringComparison.Ordinal);

            // The contract tests see the stand-in's types, not another module's.
            session.Invoke("New-SecretIdentity -DisplayName tester -NoPassword; Set-Secret -Name one -Secret 'value-one'");
            using var sm = new SecretManagementStandIn();
            var call = sm.GetSecretInfo(new Vault("work", null), "*");
            Assert.Equal("one", Assert.IsType<SecretInformation>(Assert.Single(call.Results)).Name);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void OnlyTheHostedEnginesOwnModuleFoldersAreKept(bool engineFirst)
        {
            var separator = Path.PathSeparator.ToString();
            var engine = Path.Combine(AppContext.BaseDirectory, "runtimes", "Modules");
            var user = Path.Combine(Path.GetTempPath(), "user", "Modules");
            var path = engineFirst ? string.Join(separator, engine, user, "relative") : string.Join(separator, user, "relative", engine);
            Assert.Equal(engine, IsolatedEngine.Narrow(path));
            Assert.Equal(string.Empty, IsolatedEngine.Narrow(null));
        }
    }
}
