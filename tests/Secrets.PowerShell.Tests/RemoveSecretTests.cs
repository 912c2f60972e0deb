using System.Linq;
using System.Management.Automation;
using Xunit;

namespace Secrets.PowerShell.Tests
{
    /// <summary>Remove-Secret: names from the pipeline, ConfirmImpact High, per-item errors.</summary>
    public class RemoveSecretTests
    {
        [Fact]
        public void RemovesNamesFromThePipeline()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("'a', 'b', 'c' | ForEach-Object { Set-Secret -Name $_ -Secret $_ }");

            Assert.Empty(session.Invoke("'a', 'b' | Remove-Secret -Confirm:$false"));

            Assert.Equal(new[] { "c" }, session.Invoke("Get-SecretInfo").Select(o => (string)o.Properties["Name"].Value));
            Expect.Error(session.Throws("Get-Secret -Name 'a'"), "SecretNotFound", "GetSecret", ErrorCategory.ObjectNotFound);
        }

        [Fact]
        public void RemovesWhatGetSecretInfoFinds()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("'old/a', 'old/b', 'keep' | ForEach-Object { Set-Secret -Name $_ -Secret $_ }");

            session.Invoke("Get-SecretInfo -Name 'old/*' | Remove-Secret -Confirm:$false");

            Assert.Equal(new[] { "keep" }, session.Invoke("Get-SecretInfo").Select(o => (string)o.Properties["Name"].Value));
        }

        [Fact]
        public void MissingNameIsAnErrorForThatItemOnly()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'b' -Secret 'vb'");

            var result = session.Run("'missing', 'b' | Remove-Secret -Confirm:$false");

            var error = Expect.Error(Assert.Single(result.Errors), "SecretNotFound", "RemoveSecret", ErrorCategory.ObjectNotFound);
            Assert.Equal("missing", error.TargetObject);
            Assert.Empty(session.Invoke("Get-SecretInfo"));
        }
    
        [Fact]
        public void SeveralNamesAreRemovedEachWithItsOwnConfirmationAndError()
        {
            var host = new ScriptedHost();
            using var session = PowerShellSession.WithIdentity(host);
            session.Invoke("'a', 'b', 'c' | ForEach-Object { Set-Secret -Name $_ -Secret $_ }");

            host.Choose("Yes").Choose("No");
            var result = session.Run("Remove-Secret -Name 'a', 'missing', 'b'");
            Assert.Equal(2, host.Questions.Count);
            Assert.Contains("secret 'a'", host.Questions[0]);
            Assert.Contains("secret 'b'", host.Questions[1]);
            Assert.Equal("missing", Expect.Error(Assert.Single(result.Errors), "SecretNotFound", "RemoveSecret", ErrorCategory.ObjectNotFound).TargetObject);
            Assert.Equal(new[] { "b", "c" }, session.Invoke("Get-SecretInfo").Select(o => (string)o.Properties["Name"].Value));

            session.Invoke("Remove-Secret b, c -Confirm:$false");
            Assert.Empty(session.Invoke("Get-SecretInfo"));
        }

        [Fact]
        public void AKeyCannotBeRemovedOnItsOwn()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'db' -Secret @{ user = 'u'; password = 'p' }");

            var error = Expect.Error(session.Throws("Remove-Secret -Name 'db.user' -Confirm:$false"), "InvalidSecretName", "RemoveSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("'.'", Expect.Message(error));
            Assert.Single(session.Invoke("Get-SecretInfo -Name 'db'"));
        }
    }
}
