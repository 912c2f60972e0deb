using System.Linq;
using System.Security;
using Xunit;

namespace Secrets.PowerShell.Tests
{
    public class SmokeTests
    {
        [Fact]
        public void ImportedModuleRoundTripsAStringThroughThePipeline()
        {
            using var session = new PowerShellSession();
            session.Invoke("New-SecretIdentity -DisplayName tester -NoPassword");
            session.Invoke("Set-Secret -Name 'prod/api' -Secret 'value-1'");
            var plain = session.Invoke("Get-SecretInfo -Name 'prod/*' | Get-Secret -AsPlainText");
            Assert.Equal("value-1", Assert.Single(plain).BaseObject);
            var secure = session.Invoke("Get-Secret -Name 'PROD/API'");
            Assert.IsType<SecureString>(Assert.Single(secure).BaseObject);
        }

        [Fact]
        public void UnknownSecretIsObjectNotFoundWithStableId()
        {
            using var session = new PowerShellSession();
            session.Invoke("New-SecretIdentity -DisplayName tester -NoPassword");
            var error = session.Throws("Get-Secret -Name missing");
            Assert.Equal("SecretNotFound,Secrets.Commands.GetSecretCommand", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        }
    }
}
