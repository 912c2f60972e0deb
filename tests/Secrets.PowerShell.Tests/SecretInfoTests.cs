using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using Xunit;
using static Secrets.PowerShell.Tests.GetSecretTests;

namespace Secrets.PowerShell.Tests
{
    /// <summary>Get-SecretInfo and Set-SecretInfo: listing, wildcards, metadata types, -PassThru.</summary>
    public class SecretInfoTests
    {
        [Fact]
        public void MetadataKeepsItsTypes()
        {
            using var session = PowerShellSession.WithIdentity();
            var when = new DateTime(2026, 11, 23, 7, 32, 0, 123, DateTimeKind.Utc).AddTicks(4567);
            session.Invoke("Set-Secret -Name 'db' -Secret 'v' -Metadata @{ owner = 'ops team'; rotateDays = 90; big = 9000000000; enabled = $true; expires = $args[0] }", when);

            var metadata = Metadata(session, "db");
            Assert.Equal(5, metadata.Count);
            Assert.Equal("ops team", Assert.IsType<string>(metadata["owner"]));
            Assert.Equal(90, Assert.IsType<int>(metadata["rotateDays"]));
            Assert.Equal(9000000000L, Assert.IsType<long>(metadata["big"]));
            Assert.True(Assert.IsType<bool>(metadata["enabled"]));
            var expires = Assert.IsType<DateTime>(metadata["expires"]);
            Assert.Equal(DateTimeKind.Local, expires.Kind);
            Assert.Equal(when, expires.ToUniversalTime());
            Assert.Equal(90, metadata["ROTATEDAYS"]);
        }

        [Fact]
        public void SetSecretInfoReplacesMetadataAndKeepsTheValue()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'db' -Secret 'value' -Metadata @{ owner = 'ops'; old = 1 }");

            Assert.Empty(session.Invoke("Set-SecretInfo -Name 'db' -Metadata @{ owner = 'dev' }"));
            var info = Assert.Single(session.Invoke("Set-SecretInfo -Name 'db' -Metadata @{ owner = 'sec'; reviewed = $false } -PassThru"));

            Assert.Equal(3, info.Properties["Version"].Value);
            var metadata = Metadata(session, "db");
            Assert.Equal(2, metadata.Count);
            Assert.Equal("sec", metadata["owner"]);
            Assert.False((bool)metadata["reviewed"]!);
            Assert.Equal("value", Single(session.Invoke("Get-Secret -Name 'db' -AsPlainText")));

            // A later Set-Secret without -Metadata keeps the metadata.
            session.Invoke("Set-Secret -Name 'db' -Secret 'value-2'");
            Assert.Equal("sec", Metadata(session, "db")["owner"]);
        }

        [Fact]
        public void SetSecretInfoTakesSecretInfoFromThePipeline()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("'prod/a', 'prod/b', 'dev/c' | ForEach-Object { Set-Secret -Name $_ -Secret $_ }");

            var updated = session.Invoke("Get-SecretInfo -Name 'prod/*' | Set-SecretInfo -Metadata @{ env = 'prod' } -PassThru");

            Assert.Equal(new[] { "prod/a", "prod/b" }, updated.Select(o => (string)o.Properties["Name"].Value));
            Assert.Equal("prod", Metadata(session, "prod/b")["env"]);
            Assert.Empty(Metadata(session, "dev/c"));
        }

        [Fact]
        public void SetSecretInfoErrors()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'db' -Secret 'v'");
            Expect.Error(session.Throws("Set-SecretInfo -Name 'nope' -Metadata @{ a = 1 }"), "SecretNotFound", "SetSecretInfo", ErrorCategory.ObjectNotFound);
            var bad = Expect.Error(session.Throws("Set-SecretInfo -Name 'db' -Metadata @{ when = [timespan]::FromDays(1) }"), "InvalidMetadata", "SetSecretInfo", ErrorCategory.InvalidArgument);
            Assert.Contains("'when'", Expect.Message(bad));
            Assert.Equal(1, Assert.Single(session.Invoke("Get-SecretInfo -Name 'db'")).Properties["Version"].Value);
        }

        [Fact]
        public void ListsWithWildcardsSortedByName()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("'prod/web', 'Prod/DB', 'dev/db', 'production' | ForEach-Object { Set-Secret -Name $_ -Secret 'v' }");

            Assert.Equal(new[] { "Prod/DB", "prod/web" }, Names(session, "Get-SecretInfo -Name 'prod/*'"));
            Assert.Equal(new[] { "dev/db", "Prod/DB" }, Names(session, "Get-SecretInfo '*/db'"));
            Assert.Equal(4, session.Invoke("Get-SecretInfo").Count);
            Assert.Empty(session.Invoke("Get-SecretInfo -Name 'nothing*'"));
        }

        [Fact]
        public void SeveralNamesListEachMatchingSecretOnce()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("'prod/web', 'Prod/DB', 'dev/db', 'production' | ForEach-Object { Set-Secret -Name $_ -Secret 'v' }");

            Assert.Equal(new[] { "dev/db", "Prod/DB", "prod/web" }, Names(session, "Get-SecretInfo -Name 'prod/*', '*/db'"));
            Assert.Equal(new[] { "dev/db", "production" }, Names(session, "Get-SecretInfo production, dev/db, nothing"));
            // Piped names are listed one after another, in the order they come.
            Assert.Equal(new[] { "production", "dev/db" }, Names(session, "'production', 'dev/db' | Get-SecretInfo"));
        }

        [Fact]
        public void ListingBeforeTheFirstSecretIsEmpty()
        {
            using var session = PowerShellSession.WithIdentity();
            var result = session.Run("Get-SecretInfo -Verbose");
            Assert.Empty(result.Output);
            Assert.Empty(result.Errors);
            Assert.Contains(result.Verbose, v => v.Contains("created by the first New-Secret or Set-Secret"));
        }

        internal static Hashtable Metadata(PowerShellSession session, string name) =>
            (Hashtable)Assert.Single(session.Invoke("Get-SecretInfo -Name $args[0]", name)).Properties["Metadata"].Value;

        private static string[] Names(PowerShellSession session, string script) =>
            session.Invoke(script).Select(o => (string)o.Properties["Name"].Value).ToArray();
    }
}
