using System.Collections;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security;
using Xunit;

namespace Secrets.PowerShell.Tests
{
    /// <summary>Get-Secret: every type comes back as the exact type it was stored as; versions; per-item errors.</summary>
    public class GetSecretTests
    {
        private const string Unicode = "pässwörd ✓ 🔑 \"quoted\" 'single' $notAVariable";

        [Fact]
        public void StringComesBackAsSecureStringOrAsPlainText()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'api' -Secret $args[0]", Unicode);

            var secure = Assert.IsType<SecureString>(Single(session.Invoke("Get-Secret -Name 'api'")));
            Assert.Equal(Unicode, Plain(secure));
            Assert.Equal(Unicode, Assert.IsType<string>(Single(session.Invoke("Get-Secret -Name 'api' -AsPlainText"))));
            Assert.Equal("String", Single(session.Invoke("(Get-SecretInfo -Name 'api').Type.ToString()")));
        }

        [Fact]
        public void SecureStringIsStoredAsSecureString()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("$s = [System.Net.NetworkCredential]::new('', $args[0]).SecurePassword; Set-Secret -Name 'by-parameter' -SecureStringSecret $s; Set-Secret -Name 'by-value' -Secret $s", Unicode);

            foreach (var name in new[] { "by-parameter", "by-value" })
            {
                Assert.Equal("SecureString", Single(session.Invoke("(Get-SecretInfo -Name $args[0]).Type.ToString()", name)));
                Assert.Equal(Unicode, Plain(Assert.IsType<SecureString>(Single(session.Invoke("Get-Secret -Name $args[0]", name)))));
                Assert.Equal(Unicode, Assert.IsType<string>(Single(session.Invoke("Get-Secret -Name $args[0] -AsPlainText", name))));
            }
        }

        [Fact]
        public void CredentialComesBackAsPSCredential()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("$c = [pscredential]::new('DOMAIN\\app-user', [System.Net.NetworkCredential]::new('', $args[0]).SecurePassword); Set-Secret -Name 'db' -Secret $c", Unicode);

            // -AsPlainText does not change a credential.
            foreach (var script in new[] { "Get-Secret -Name 'db'", "Get-Secret -Name 'db' -AsPlainText" })
            {
                var credential = Assert.IsType<PSCredential>(Single(session.Invoke(script)));
                Assert.Equal("DOMAIN\\app-user", credential.UserName);
                Assert.Equal(Unicode, credential.GetNetworkCredential().Password);
            }

            Assert.Equal("PSCredential", Single(session.Invoke("(Get-SecretInfo -Name 'db').Type.ToString()")));
        }

        [Fact]
        public void ByteArrayComesBackAsOneByteArrayNotEnumerated()
        {
            using var session = PowerShellSession.WithIdentity();
            var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
            session.Invoke("Set-Secret -Name 'cert' -Secret $args[0]", (object)bytes);

            var output = session.Invoke("Get-Secret -Name 'cert'");
            Assert.Equal(bytes, Assert.IsType<byte[]>(Single(output)));
            Assert.Equal(1, Single(session.Invoke("@(Get-Secret -Name 'cert').Count")));
            Assert.Equal(1, Single(session.Invoke("$n = 0; Get-Secret -Name 'cert' | ForEach-Object { $n++ }; $n")));
            Assert.Equal("ByteArray", Single(session.Invoke("(Get-SecretInfo -Name 'cert').Type.ToString()")));
        }

        [Fact]
        public void HashtableOfMixedTypesConvertsLikeSecretManagement()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke(@"
                $password = [System.Net.NetworkCredential]::new('', 'secure-part').SecurePassword
                Set-Secret -Name 'bundle' -Secret @{
                    text = $args[0]
                    secure = $password
                    login = [pscredential]::new('svc', $password)
                    blob = [byte[]](0, 1, 254, 255)
                }", Unicode);

            var table = Assert.IsType<Hashtable>(Single(session.Invoke("Get-Secret -Name 'bundle'")));
            Assert.Equal(4, table.Count);
            Assert.Equal(Unicode, Plain(Assert.IsType<SecureString>(table["text"])));
            Assert.Equal("secure-part", Plain(Assert.IsType<SecureString>(table["secure"])));
            var login = Assert.IsType<PSCredential>(table["login"]);
            Assert.Equal("svc", login.UserName);
            Assert.Equal("secure-part", login.GetNetworkCredential().Password);
            Assert.Equal(new byte[] { 0, 1, 254, 255 }, Assert.IsType<byte[]>(table["blob"]));
            Assert.IsType<byte[]>(table["BLOB"]);

            var plain = Assert.IsType<Hashtable>(Single(session.Invoke("Get-Secret -Name 'bundle' -AsPlainText")));
            Assert.Equal(Unicode, Assert.IsType<string>(plain["text"]));
            Assert.Equal("secure-part", Assert.IsType<string>(plain["secure"]));
            Assert.IsType<PSCredential>(plain["login"]);
            Assert.IsType<byte[]>(plain["blob"]);

            // Member access works on the output, as in the quick start.
            Assert.Equal(Unicode, Single(session.Invoke("(Get-Secret -Name 'bundle' -AsPlainText).text")));
            Assert.Equal("Hashtable", Single(session.Invoke("(Get-SecretInfo -Name 'bundle').Type.ToString()")));
        }

        [Fact]
        public void NamesAreCaseInsensitiveAndCasePreserving()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'Prod/DB' -Secret 'v1'");
            Assert.Equal("v1", Single(session.Invoke("Get-Secret -Name 'prod/db' -AsPlainText")));
            Assert.Equal("Prod/DB", Single(session.Invoke("(Get-SecretInfo -Name 'PROD/*').Name")));
        }

        [Fact]
        public void OlderVersionsAreReadWithVersion()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'token' -Secret 'one'; Set-Secret -Name 'token' -Secret 'two'; Set-Secret -Name 'token' -Secret 'three'");

            Assert.Equal("three", Single(session.Invoke("Get-Secret -Name 'token' -AsPlainText")));
            Assert.Equal("one", Single(session.Invoke("Get-Secret -Name 'token' -Version 1 -AsPlainText")));
            Assert.Equal("two", Single(session.Invoke("Get-Secret 'token' -Version 2 -AsPlainText")));

            var all = session.Invoke("Get-SecretInfo -Name 'token' -AllVersions");
            Assert.Equal(new[] { 1, 2, 3 }, all.Select(o => (int)o.Properties["Version"].Value));
            Assert.Equal(new[] { "one", "two", "three" }, session.Invoke("Get-SecretInfo -Name 'token' -AllVersions | Get-Secret -AsPlainText").Select(o => o.BaseObject));
            Assert.Equal(new[] { 1, 2, 3 }, (int[])Assert.Single(session.Invoke("Get-SecretInfo -Name 'token'")).Properties["Versions"].Value);
        }

        [Fact]
        public void MissingSecretAndVersionArePinnedNotFoundErrors()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'token' -Secret 'one'");

            var missing = Expect.Error(session.Throws("Get-Secret -Name 'nope'"), "SecretNotFound", "GetSecret", ErrorCategory.ObjectNotFound);
            Assert.Contains("'nope'", Expect.Message(missing));
            Assert.Equal("nope", missing.TargetObject);

            var version = Expect.Error(session.Throws("Get-Secret -Name 'token' -Version 7"), "SecretVersionNotFound", "GetSecret", ErrorCategory.ObjectNotFound);
            Assert.Contains("no version 7", Expect.Message(version));
            Assert.Contains("Versions kept: 1", Expect.Message(version));

            // Before any secret exists there is no store: still SecretNotFound, not a store error.
            using var empty = PowerShellSession.WithIdentity();
            Expect.Error(empty.Throws("Get-Secret -Name 'nope'"), "SecretNotFound", "GetSecret", ErrorCategory.ObjectNotFound);
        }

        [Fact]
        public void ErrorsForOneItemDoNotStopThePipeline()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'a' -Secret 'va'; Set-Secret -Name 'c' -Secret 'vc'");

            var result = session.Run("'a', 'missing', 'bad name', 'c' | Get-Secret -AsPlainText");

            Assert.Equal(new object[] { "va", "vc" }, result.Output.Select(o => o.BaseObject));
            Assert.Equal(2, result.Errors.Count);
            Expect.Error(result.Errors[0], "SecretNotFound", "GetSecret", ErrorCategory.ObjectNotFound);
            Expect.Error(result.Errors[1], "InvalidSecretName", "GetSecret", ErrorCategory.InvalidArgument);
        }

        [Fact]
        public void NameDotKeyReadsOneKeyAsItsOwnType()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke(@"
                $secure = [System.Net.NetworkCredential]::new('', 'secure-part').SecurePassword
                Set-Secret -Name 'prod/db' -Secret @{ user = 'app'; password = $secure; cert = [byte[]](1, 2, 3); admin = [pscredential]::new('root', $secure) }
                Set-Secret -Name 'login' -Secret ([pscredential]::new('DOMAIN\bob', $secure))");

            Assert.Equal("secure-part", Plain(Assert.IsType<SecureString>(Single(session.Invoke("Get-Secret -Name 'prod/db.password'")))));
            Assert.Equal("secure-part", Assert.IsType<string>(Single(session.Invoke("Get-Secret 'prod/db.PASSWORD' -AsPlainText"))));
            Assert.Equal("app", Plain(Assert.IsType<SecureString>(Single(session.Invoke("Get-Secret -Name 'prod/db.user'")))));
            Assert.Equal("app", Assert.IsType<string>(Single(session.Invoke("Get-Secret -Name 'prod/db.user' -AsPlainText"))));
            Assert.Equal(new byte[] { 1, 2, 3 }, Assert.IsType<byte[]>(Single(session.Invoke("Get-Secret -Name 'prod/db.cert'"))));
            var admin = Assert.IsType<PSCredential>(Single(session.Invoke("Get-Secret -Name 'prod/db.admin'")));
            Assert.Equal("root", admin.UserName);

            // A credential has the keys UserName and Password, as in jobs.
            Assert.Equal("DOMAIN\\bob", Assert.IsType<string>(Single(session.Invoke("Get-Secret -Name 'login.UserName' -AsPlainText"))));
            Assert.Equal("secure-part", Plain(Assert.IsType<SecureString>(Single(session.Invoke("Get-Secret -Name 'login.password'")))));
            Assert.Equal("secure-part", Assert.IsType<string>(Single(session.Invoke("Get-Secret -Name 'login.password' -AsPlainText"))));

            // With -Version, the key of that version.
            session.Invoke("Set-Secret -Name 'prod/db' -Secret @{ user = 'app2' }");
            Assert.Equal("app", Single(session.Invoke("Get-Secret -Name 'prod/db.user' -Version 1 -AsPlainText")));
            Assert.Equal("app2", Single(session.Invoke("Get-Secret -Name 'prod/db.user' -AsPlainText")));
            var verbose = session.Run("$null = Get-Secret -Name 'prod/db.user' -Verbose").Verbose;
            Assert.Contains(verbose, v => v.Contains("Read key 'user' of secret 'prod/db' version 2 (String)"));
        }

        [Fact]
        public void AMissingKeyIsAnErrorNamingTheKeysThereAre()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'prod/db' -Secret @{ user = 'app-user-value'; password = 'db-password-value' }; Set-Secret -Name 'token' -Secret 'token-value'");

            var missing = Expect.Error(session.Throws("Get-Secret -Name 'prod/db.pasword'"), "SecretKeyNotFound", "GetSecret", ErrorCategory.ObjectNotFound);
            var message = Expect.Message(missing);
            Assert.Contains("Secret 'prod/db' has no key 'pasword'.", message);
            Assert.Contains("'user'", message);
            Assert.Contains("'password'", message);
            Assert.DoesNotContain("value", message.Replace("whole value", string.Empty));
            Assert.Equal("prod/db.pasword", missing.TargetObject);

            var noKeys = Expect.Error(session.Throws("Get-Secret -Name 'token.x'"), "SecretKeyNotFound", "GetSecret", ErrorCategory.ObjectNotFound);
            Assert.Contains("is a String", Expect.Message(noKeys));
            Expect.Error(session.Throws("Get-Secret -Name 'nothing.key'"), "SecretNotFound", "GetSecret", ErrorCategory.ObjectNotFound);
            Expect.Error(session.Throws("Get-Secret -Name 'prod/db.'"), "InvalidSecretName", "GetSecret", ErrorCategory.InvalidArgument);
        }

        [Fact]
        public void SeveralNamesGiveOneObjectOrOneErrorEach()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'a' -Secret 'va'; Set-Secret -Name 'c' -Secret @{ k = 'vk' }");

            var result = session.Run("Get-Secret -Name 'a', 'missing', 'c.k', 'c.nokey', 'bad name' -AsPlainText");
            Assert.Equal(new object[] { "va", "vk" }, result.Output.Select(o => o.BaseObject));
            Assert.Equal(3, result.Errors.Count);
            Assert.Equal("missing", Expect.Error(result.Errors[0], "SecretNotFound", "GetSecret", ErrorCategory.ObjectNotFound).TargetObject);
            Assert.Equal("c.nokey", Expect.Error(result.Errors[1], "SecretKeyNotFound", "GetSecret", ErrorCategory.ObjectNotFound).TargetObject);
            Expect.Error(result.Errors[2], "InvalidSecretName", "GetSecret", ErrorCategory.InvalidArgument);

            // Positional, and from the pipeline (strings and Get-SecretInfo objects) as before.
            Assert.Equal(new object[] { "va", "vk" }, session.Invoke("Get-Secret a, c.k -AsPlainText").Select(o => o.BaseObject));
            Assert.Equal(new object[] { "va", "vk" }, session.Invoke("'a', 'c.k' | Get-Secret -AsPlainText").Select(o => o.BaseObject));
            Assert.Equal(new object[] { "va" }, session.Invoke("Get-SecretInfo -Name 'a' | Get-Secret -AsPlainText").Select(o => o.BaseObject));
        }

        internal static object Single(System.Collections.Generic.List<PSObject> output) => Assert.Single(output).BaseObject;

        internal static string Plain(SecureString secure) => new NetworkCredential(string.Empty, secure).Password;
    }
}
