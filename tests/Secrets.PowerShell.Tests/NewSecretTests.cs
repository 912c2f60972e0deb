using System.Linq;
using System.Management.Automation;
using Xunit;
using static Secrets.PowerShell.Tests.GetSecretTests;

namespace Secrets.PowerShell.Tests
{
    /// <summary>New-Secret: creates only, takes Name/Value objects from the pipeline (the Import-Csv case).</summary>
    public class NewSecretTests
    {
        [Fact]
        public void CreatesOnceThenRefuses()
        {
            using var session = PowerShellSession.WithIdentity();
            var info = Assert.Single(session.Invoke("New-Secret -Name 'token' -Value 'one' -PassThru"));
            Assert.Equal(1, info.Properties["Version"].Value);

            var error = Expect.Error(session.Throws("New-Secret -Name 'TOKEN' -Value 'two'"), "SecretAlreadyExists", "NewSecret", ErrorCategory.ResourceExists);
            Assert.Contains("Set-Secret", Expect.Message(error));
            Assert.Equal("one", Single(session.Invoke("Get-Secret -Name 'token' -AsPlainText")));
        }

        [Fact]
        public void CreatesFromObjectsWithNameAndValueProperties()
        {
            using var session = PowerShellSession.WithIdentity();

            // What Import-Csv of a "Name,Value" file gives.
            var result = session.Run(@"
                @(
                    [pscustomobject]@{ Name = 'ci/github'; Value = 'gh-value' }
                    [pscustomobject]@{ Name = 'ci/existing'; Value = 'second' }
                    [pscustomobject]@{ Name = 'ci/npm'; Value = 'npm-value' }
                ) | New-Secret -PassThru");

            Assert.Empty(result.Errors);
            Assert.Equal(new[] { "ci/github", "ci/existing", "ci/npm" }, result.Output.Select(o => (string)o.Properties["Name"].Value));
            Assert.Equal("gh-value", Single(session.Invoke("Get-Secret -Name 'ci/github' -AsPlainText")));
            Assert.Equal("npm-value", Single(session.Invoke("Get-Secret -Name 'ci/npm' -AsPlainText")));

            // A row that fails (exists already) is reported, and the next row is still created.
            var second = session.Run(@"
                @(
                    [pscustomobject]@{ Name = 'ci/existing'; Value = 'again' }
                    [pscustomobject]@{ Name = 'ci/new'; Value = 'new-value' }
                ) | New-Secret");
            Expect.Error(Assert.Single(second.Errors), "SecretAlreadyExists", "NewSecret", ErrorCategory.ResourceExists);
            Assert.Equal("second", Single(session.Invoke("Get-Secret -Name 'ci/existing' -AsPlainText")));
            Assert.Equal("new-value", Single(session.Invoke("Get-Secret -Name 'ci/new' -AsPlainText")));
        }

        [Fact]
        public void CreatesAgainAfterRemovalContinuingTheVersionNumbers()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("New-Secret -Name 'token' -Value 'one'; Remove-Secret -Name 'token' -Confirm:$false");
            var info = Assert.Single(session.Invoke("New-Secret -Name 'token' -Value 'two' -PassThru"));
            Assert.Equal(3, info.Properties["Version"].Value);
            Assert.Equal("two", Single(session.Invoke("Get-Secret -Name 'token' -AsPlainText")));
        }
    }
}
