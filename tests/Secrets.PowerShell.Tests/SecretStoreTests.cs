using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;
using static Secrets.PowerShell.Tests.GetSecretTests;

namespace Secrets.PowerShell.Tests
{
    /// <summary>New-SecretStore, Get-SecretStore, Set-SecretStore and -Store on the secret cmdlets.</summary>
    public class SecretStoreTests
    {
        [Fact]
        public void SecretsGoToTheStoreNamedByStore()
        {
            using var session = PowerShellSession.WithIdentity();
            var team = Path.Combine(session.Home, "team");
            var created = Assert.Single(session.Invoke("New-SecretStore -Path $args[0] -VersionsToKeep 3", team));
            Assert.Equal("Secrets.SecretStoreInfo", created.BaseObject.GetType().FullName);
            Assert.Equal(team, created.Properties["Path"].Value);
            Assert.Equal(3, created.Properties["VersionsToKeep"].Value);
            Assert.Equal(false, created.Properties["IsDefault"].Value);
            Assert.True(File.Exists(Path.Combine(team, ".gitattributes")));

            session.Invoke("Set-Secret -Store $args[0] -Name 'prod/db' -Secret 'team-value'", team);
            session.Invoke("Set-Secret -Name 'prod/db' -Secret 'personal-value'");

            Assert.Equal("team-value", Single(session.Invoke("Get-Secret -Store $args[0] -Name 'prod/db' -AsPlainText", team)));
            Assert.Equal("personal-value", Single(session.Invoke("Get-Secret -Name 'prod/db' -AsPlainText")));
            Assert.Equal(team, Single(session.Invoke("(Get-SecretInfo -Store $args[0]).Store", team)));
        }

        [Fact]
        public void SecretInfoPipedOnKeepsItsStore()
        {
            using var session = PowerShellSession.WithIdentity();
            var team = Path.Combine(session.Home, "team");
            session.Invoke("$null = New-SecretStore -Path $args[0]", team);
            session.Invoke("Set-Secret -Store $args[0] -Name 'prod/a' -Secret 'team-a'; Set-Secret -Store $args[0] -Name 'prod/b' -Secret 'team-b'", team);
            session.Invoke("Set-Secret -Name 'prod/a' -Secret 'personal-a'");

            Assert.Equal(new[] { "team-a", "team-b" }, session.Invoke("Get-SecretInfo -Store $args[0] -Name 'prod/*' | Get-Secret -AsPlainText", team).Select(o => o.BaseObject));
            Assert.Equal(new[] { "personal-a" }, session.Invoke("Get-SecretInfo -Name 'prod/*' | Get-Secret -AsPlainText").Select(o => o.BaseObject));

            session.Invoke("Get-SecretInfo -Store $args[0] -Name 'prod/a' | Remove-Secret -Confirm:$false", team);
            Assert.Equal("personal-a", Single(session.Invoke("Get-Secret -Name 'prod/a' -AsPlainText")));
            Assert.Equal(new[] { "prod/b" }, session.Invoke("Get-SecretInfo -Store $args[0]", team).Select(o => (string)o.Properties["Name"].Value));
        }

        [Fact]
        public void AnAbsoluteStorePathIsTheSameStoreHoweverItIsWritten()
        {
            using var session = PowerShellSession.WithIdentity();
            var team = Path.Combine(session.Home, "team");
            session.Invoke("$null = New-SecretStore -Path $args[0]; Set-Secret -Store $args[0] -Name 'x' -Secret 'v'", team);

            var roundabout = Path.Combine(session.Home, "other", "..", ".", "team") + Path.DirectorySeparatorChar;
            Assert.Equal("v", Single(session.Invoke("Get-Secret -Store $args[0] -Name 'x' -AsPlainText", roundabout)));
            Assert.Equal(team, Single(session.Invoke("(Get-SecretInfo -Store $args[0]).Store", roundabout)));
        }

        [Fact]
        public void RelativeStorePathsFollowTheCurrentLocation()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("$null = $ExecutionContext.SessionState.Path.SetLocation($args[0])", session.Home);
            session.Invoke("$null = New-SecretStore -Path 'team'; Set-Secret -Store './team' -Name 'x' -Secret 'v'");

            Assert.True(File.Exists(Path.Combine(session.Home, "team", "store.manifest")));
            Assert.Equal("v", Single(session.Invoke("Get-Secret -Store 'team' -Name 'x' -AsPlainText")));
        }

        [Fact]
        public void GetAndSetSecretStore()
        {
            using var session = PowerShellSession.WithIdentity();
            Expect.Error(session.Throws("Get-SecretStore"), "StoreNotFound", "GetSecretStore", ErrorCategory.ObjectNotFound);
            session.Invoke("Set-Secret -Name 'x' -Secret 'v'");

            var store = Assert.Single(session.Invoke("Get-SecretStore"));
            Assert.Equal(session.StorePath, store.Properties["Path"].Value);
            Assert.Equal(true, store.Properties["IsDefault"].Value);
            Assert.Equal("tester", store.Properties["Owner"].Value);
            Assert.Equal(10, store.Properties["VersionsToKeep"].Value);
            Assert.Equal(Single(session.Invoke("(Get-SecretIdentity).Recipient")), store.Properties["OwnerRecipient"].Value);

            var changed = Assert.Single(session.Invoke("Set-SecretStore -VersionsToKeep 2 -PassThru"));
            Assert.Equal(2, changed.Properties["VersionsToKeep"].Value);
            session.Invoke("2..4 | ForEach-Object { Set-Secret -Name 'x' -Secret \"v$_\" }");
            Assert.Equal(new[] { 3, 4 }, (int[])Assert.Single(session.Invoke("Get-SecretInfo -Name 'x'")).Properties["Versions"].Value);
        }

        [Fact]
        public void StoreErrors()
        {
            using var session = PowerShellSession.WithIdentity();
            var nowhere = Path.Combine(session.Home, "nowhere");
            Expect.Error(session.Throws("Get-Secret -Store $args[0] -Name 'x'", nowhere), "StoreNotFound", "GetSecret", ErrorCategory.ObjectNotFound);
            Expect.Error(session.Throws("Get-SecretInfo -Store $args[0]", nowhere), "StoreNotFound", "GetSecretInfo", ErrorCategory.ObjectNotFound);
            var notCreated = Expect.Error(session.Throws("Set-Secret -Store $args[0] -Name 'x' -Secret 'v'", nowhere), "StoreNotFound", "SetSecret", ErrorCategory.ObjectNotFound);
            Assert.Contains("New-SecretStore", Expect.Message(notCreated));
            Assert.False(Directory.Exists(nowhere));

            var team = Path.Combine(session.Home, "team");
            session.Invoke("$null = New-SecretStore -Path $args[0]", team);
            Expect.Error(session.Throws("New-SecretStore -Path $args[0]", team), "StoreExists", "NewSecretStore", ErrorCategory.ResourceExists);

            var file = Path.Combine(session.Home, "notes.txt");
            File.WriteAllText(file, "not a folder");
            var isFile = Expect.Error(session.Throws("New-SecretStore -Path $args[0]", file), "StorePathIsFile", "NewSecretStore", ErrorCategory.InvalidArgument);
            Assert.Contains($"'{file}' is a file; a store is a folder", Expect.Message(isFile));
            Assert.Equal(file, isFile.TargetObject);
            var underFile = Expect.Error(session.Throws("New-SecretStore -Path $args[0]", Path.Combine(file, "team")), "StorePathIsFile", "NewSecretStore", ErrorCategory.InvalidArgument);
            Assert.Contains($"'{file}' is a file", Expect.Message(underFile));

            var notFileSystem = Expect.Error(session.Throws("Get-SecretInfo -Store 'env:'"), "StoreNotOnFileSystem", "GetSecretInfo", ErrorCategory.InvalidArgument);
            Assert.Contains("Environment", Expect.Message(notFileSystem));
        }
    }
}
