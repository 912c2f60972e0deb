using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Text;
using Xunit;
using static Secrets.PowerShell.Tests.GetSecretTests;

namespace Secrets.PowerShell.Tests
{
    /// <summary>Set-Secret: value inputs (object, pipeline, file, JSON/YAML), -PassThru, -NoClobber and input errors.</summary>
    public class SetSecretTests
    {
        [Fact]
        public void WritesNewVersionsAndPassesThroughItsInfo()
        {
            using var session = PowerShellSession.WithIdentity();
            Assert.Empty(session.Invoke("Set-Secret -Name 'token' -Secret 'one'"));

            var info = Assert.Single(session.Invoke("Set-Secret -Name 'token' -Secret 'two' -PassThru"));
            Assert.Equal("Secrets.SecretInfo", info.BaseObject.GetType().FullName);
            Assert.Equal("token", info.Properties["Name"].Value);
            Assert.Equal(2, info.Properties["Version"].Value);
            Assert.Equal(session.StorePath, info.Properties["Store"].Value);
            Assert.Equal("two", Single(session.Invoke("Get-Secret -Name 'token' -AsPlainText")));
        }

        [Fact]
        public void TakesTheValueFromThePipeline()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("'from-pipeline' | Set-Secret -Name 'piped'");
            Assert.Equal("from-pipeline", Single(session.Invoke("Get-Secret -Name 'piped' -AsPlainText")));
        }

        [Fact]
        public void NoClobberRefusesAnExistingSecret()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'token' -Secret 'one'");

            var error = Expect.Error(session.Throws("Set-Secret -Name 'token' -Secret 'two' -NoClobber"), "SecretAlreadyExists", "SetSecret", ErrorCategory.ResourceExists);
            Assert.Contains("'token'", Expect.Message(error));
            Assert.Equal("one", Single(session.Invoke("Get-Secret -Name 'token' -AsPlainText")));
        }

        [Theory]
        [InlineData("bad name", "a space at position 4")]
        [InlineData("prod.db", "'.' (reserved")]
        [InlineData("prod\\db", "'\\' (use '/' between segments)")]
        [InlineData("prod//db", "empty segment")]
        [InlineData("naïve", "'ï' at position 3")]
        public void InvalidNameSaysWhatIsWrongAndWhatIsAllowed(string name, string problem)
        {
            using var session = PowerShellSession.WithIdentity();
            var error = Expect.Error(session.Throws("Set-Secret -Name $args[0] -Secret 'v'", name), "InvalidSecretName", "SetSecret", ErrorCategory.InvalidArgument);
            var message = Expect.Message(error);
            Assert.Contains(problem, message);
            Assert.Contains("Allowed: letters A-Z and a-z, digits 0-9, '_' and '-', with '/' between path segments", message);
            Assert.Equal(name, error.TargetObject);
            Assert.False(Directory.Exists(session.StorePath), "A rejected first write must not create the store.");
        }

        [Fact]
        public void UnsupportedValueTypeSuggestsQuoting()
        {
            using var session = PowerShellSession.WithIdentity();
            var error = Expect.Error(session.Throws("Set-Secret -Name 'port' -Secret 5432"), "InvalidSecretValue", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("System.Int32", Expect.Message(error));
            Assert.Contains("Put the value in quotes", Expect.Message(error));

            var inTable = Expect.Error(session.Throws("Set-Secret -Name 'db' -Secret @{ user = 'app'; port = 5432 }"), "InvalidSecretValue", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("key 'port'", Expect.Message(inTable));

            var nested = Expect.Error(session.Throws("Set-Secret -Name 'db' -Secret @{ inner = @{ a = 'b' } }"), "InvalidSecretValue", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("key 'inner'", Expect.Message(nested));

            var array = Expect.Error(session.Throws("Set-Secret -Name 'blob' -Secret @(1, 2, 3)"), "InvalidSecretValue", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("[byte[]]", Expect.Message(array));
            Assert.Empty(session.Invoke("Get-SecretInfo"));
        }

        [Fact]
        public void BrokenUnicodeTextIsAnInvalidValueThatIsNotShown()
        {
            using var session = PowerShellSession.WithIdentity();
            const string lone = "visible-part-\uD800-rest";

            var text = Expect.Error(session.Throws("Set-Secret -Name 'x' -Secret $args[0]", lone), "InvalidSecretValue", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("unpaired UTF-16 surrogate", Expect.Message(text));
            Assert.DoesNotContain("visible-part", text.Exception.ToString());

            var inTable = Expect.Error(session.Throws("Set-Secret -Name 'x' -Secret @{ user = 'u'; password = $args[0] }", lone), "InvalidSecretValue", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("key 'password'", Expect.Message(inTable));

            const string toSecure = "$s = [securestring]::new(); foreach ($c in $args[0].ToCharArray()) { $s.AppendChar($c) }; $s";
            Expect.Error(session.Throws($"Set-Secret -Name 'x' -SecureStringSecret $({toSecure})", lone), "InvalidSecretValue", "SetSecret", ErrorCategory.InvalidArgument);
            Expect.Error(session.Throws($"Set-Secret -Name 'x' -Secret ([pscredential]::new('u', $({toSecure})))", lone), "InvalidSecretValue", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Empty(session.Invoke("Get-SecretInfo"));
        }

        [Fact]
        public void ValueOverTheSizeLimitIsAnInvalidValue()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'small' -Secret 'v'");

            var error = Expect.Error(session.Throws("Set-Secret -Name 'big' -Secret ([byte[]]::new(16MB + 1))"), "InvalidSecretValue", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("16 MiB", Expect.Message(error));
            Assert.Equal("big", error.TargetObject);
            Assert.Equal(new[] { "small" }, session.Invoke("Get-SecretInfo").Select(o => (string)o.Properties["Name"].Value));
        }

        [Fact]
        public void AnEmptyCredentialIsRefusedNamingIt()
        {
            using var session = PowerShellSession.WithIdentity();
            var error = Expect.Error(session.Throws("Set-Secret -Name 'login' -Secret ([pscredential]::Empty)"), "InvalidSecretValue", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("The -Secret value is an empty PSCredential ([pscredential]::Empty)", Expect.Message(error));
            Assert.Contains("Get-Credential", Expect.Message(error));
            Assert.Equal("login", error.TargetObject);

            var inTable = Expect.Error(session.Throws("New-Secret -Name 'login' -Value @{ db = [pscredential]::Empty }"), "InvalidSecretValue", "NewSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("The value of key 'db' is an empty PSCredential", Expect.Message(inTable));
            Assert.Empty(session.Invoke("Get-SecretInfo"));

            session.Invoke("Set-Secret -Name 'login' -Secret ([pscredential]::new('app', [securestring]::new()))");
            var stored = Assert.IsType<PSCredential>(Single(session.Invoke("Get-Secret -Name 'login'")));
            Assert.Equal("app", stored.UserName);
            Assert.Equal(0, stored.Password.Length);
        }

        [Fact]
        public void TextLongerThanASecureStringHoldsIsRefusedOnWrite()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'longest' -Secret ('a' * 65536)");
            var secure = Assert.IsType<SecureString>(Single(session.Invoke("Get-Secret -Name 'longest'")));
            Assert.Equal(65536, secure.Length);

            var text = Expect.Error(session.Throws("Set-Secret -Name 'big' -Secret ('Zq7x' + ('a' * 65533))"), "InvalidSecretValue", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.StartsWith("The -Secret value is 65,537 characters long", Expect.Message(text));
            Assert.Contains("at most 65,536 characters", Expect.Message(text));
            Assert.DoesNotContain("Zq7x", text.Exception.ToString());
            Assert.Equal("big", text.TargetObject);

            var inTable = Expect.Error(session.Throws("Set-Secret -Name 'big' -Secret @{ user = 'u'; cert = ('a' * 65537) }"), "InvalidSecretValue", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.StartsWith("The value of key 'cert' is 65,537 characters long", Expect.Message(inTable));

            var created = Expect.Error(session.Throws("New-Secret -Name 'big' -Value ('a' * 100000)"), "InvalidSecretValue", "NewSecret", ErrorCategory.InvalidArgument);
            Assert.StartsWith("The -Value value is 100,000 characters long", Expect.Message(created));

            var values = Expect.Error(session.Throws("Set-Secret -Name 'big' -Values ('{\"user\": \"u\", \"cert\": \"' + ('a' * 65537) + '\"}')"), "InvalidValues", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.StartsWith("The value of key 'cert' is 65,537 characters long", Expect.Message(values));

            var file = Write(session, "long.txt", System.Text.Encoding.UTF8.GetBytes(new string('a', 65537)));
            var fromFile = Expect.Error(session.Throws("Set-Secret -Name 'big' -LiteralPath $args[0]", file), "ValueFileTooLarge", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Contains(file, Expect.Message(fromFile));
            Assert.Contains("65,537 characters", Expect.Message(fromFile));
            Assert.Contains("-AsByteArray", Expect.Message(fromFile));
            session.Invoke("Set-Secret -Name 'bytes' -LiteralPath $args[0] -AsByteArray", file);

            Assert.Equal(new[] { "bytes", "longest" }, session.Invoke("Get-SecretInfo").Select(o => (string)o.Properties["Name"].Value).OrderBy(n => n));
        }

        [Fact]
        public void ALongTextValueWrittenBeforeTheLimitIsAnErrorAsASecureStringAndReadableAsPlainText()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'seed' -Secret 'v'");
            session.Invoke(PowerShellSession.CorePrelude + @"
                $store = (Get-CoreType 'Secrets.Core.Store.SecretStore')::Open($args[0])
                $file = (Get-CoreType 'Secrets.Core.Identity.IdentityFile')::Load($args[1])
                $identity = $file.Unlock($null)
                $from = (Get-CoreType 'Secrets.Core.Values.SecretValue').GetMethod('FromOwnedBytes', [Reflection.BindingFlags]'NonPublic, Static')
                $value = $from.Invoke($null, @((Get-CoreType 'Secrets.Core.Values.SecretType')::String, [Text.Encoding]::UTF8.GetBytes('a' * 70000), $null))
                $null = $store.Write('old', $value, $null, $identity, (Get-CoreType 'Secrets.Core.Store.WriteMode')::CreateOnly)",
                session.StorePath, session.IdentityPath);

            var error = Expect.Error(session.Throws("Get-Secret -Name 'old'"), "SecretTooLongForSecureString", "GetSecret", ErrorCategory.InvalidOperation);
            Assert.Contains("70,000 characters", Expect.Message(error));
            Assert.Contains("-AsPlainText", Expect.Message(error));
            Assert.Equal("old", error.TargetObject);
            Assert.Equal(70000, ((string)Single(session.Invoke("Get-Secret -Name 'old' -AsPlainText"))).Length);
        }

        [Fact]
        public void MetadataKeysDifferingOnlyInCaseAreRefusedNamingBoth()
        {
            using var session = PowerShellSession.WithIdentity();
            const string table = "$m = [hashtable]::new([StringComparer]::Ordinal); $m['env'] = 'prod'; $m['a'] = 'one'; $m['A'] = 'two'; ";
            var set = Expect.Error(session.Throws(table + "Set-Secret -Name 'x' -Secret 'v' -Metadata $m"), "InvalidMetadata", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.True(Expect.Message(set).Contains("'a' and 'A'") || Expect.Message(set).Contains("'A' and 'a'"), Expect.Message(set));
            Assert.Contains("case-insensitive", Expect.Message(set));
            Assert.Empty(session.Invoke("Get-SecretInfo"));

            session.Invoke("Set-Secret -Name 'x' -Secret 'v' -Metadata @{ owner = 'ops' }");
            var info = Expect.Error(session.Throws(table + "Set-SecretInfo -Name 'x' -Metadata $m"), "InvalidMetadata", "SetSecretInfo", ErrorCategory.InvalidArgument);
            Assert.Contains("case-insensitive", Expect.Message(info));
            Assert.Equal("ops", Single(session.Invoke("(Get-SecretInfo -Name 'x').Metadata['owner']")));
        }

        [Fact]
        public void InvalidMetadataNamesTheKey()
        {
            using var session = PowerShellSession.WithIdentity();
            var type = Expect.Error(session.Throws("Set-Secret -Name 'x' -Secret 'v' -Metadata @{ ratio = 1.5 }"), "InvalidMetadata", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("'ratio'", Expect.Message(type));
            Assert.Contains("string, int, long, bool or DateTime", Expect.Message(type));

            var key = Expect.Error(session.Throws("Set-Secret -Name 'x' -Secret 'v' -Metadata @{ 'bad key' = 1 }"), "InvalidMetadata", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("'bad key'", Expect.Message(key));
            Assert.Empty(session.Invoke("Get-SecretInfo"));
        }

        [Fact]
        public void ReadsTextFilesWithAndWithoutByteOrderMark()
        {
            using var session = PowerShellSession.WithIdentity();
            var plain = Write(session, "plain.txt", Encoding.UTF8.GetBytes("héllo wörld"));
            var bom = Write(session, "bom.txt", new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("héllo wörld")).ToArray());

            session.Invoke("Set-Secret -Name 'plain' -Path $args[0]; Set-Secret -Name 'bom' -LiteralPath $args[1]", plain, bom);

            Assert.Equal("héllo wörld", Single(session.Invoke("Get-Secret -Name 'plain' -AsPlainText")));
            Assert.Equal("héllo wörld", Single(session.Invoke("Get-Secret -Name 'bom' -AsPlainText")));
            Assert.Equal("String", Single(session.Invoke("(Get-SecretInfo -Name 'bom').Type.ToString()")));
        }

        [Fact]
        public void ReadsAnyFileAsBytesWithAsByteArray()
        {
            using var session = PowerShellSession.WithIdentity();
            var data = new byte[] { 0xEF, 0xBB, 0xBF, 0x00, 0xFF, 0xC3, 0x28, 0x0A };
            var path = Write(session, "key[1].bin", data);

            // A name with wildcard characters: -LiteralPath takes it as it is.
            session.Invoke("Set-Secret -Name 'key' -LiteralPath $args[0] -AsByteArray", path);

            Assert.Equal(data, Assert.IsType<byte[]>(Single(session.Invoke("Get-Secret -Name 'key'"))));
            Assert.Equal("ByteArray", Single(session.Invoke("(Get-SecretInfo -Name 'key').Type.ToString()")));
        }

        [Fact]
        public void WhatIsNotARegularFileIsRefusedWithoutReadingIt()
        {
            using var session = PowerShellSession.WithIdentity();
            var folder = Path.Combine(session.Home, "files");
            Directory.CreateDirectory(folder);
            var notAFile = Expect.Error(session.Throws("Set-Secret -Name 'x' -LiteralPath $args[0]", folder), "ValueFileNotRegular", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Contains($"'{folder}' is a folder", Expect.Message(notAFile));
            Assert.Equal("x", notAFile.TargetObject);

            if (!System.OperatingSystem.IsWindows())
            {
                var device = Expect.Error(session.Throws("Set-Secret -Name 'x' -LiteralPath /dev/zero -AsByteArray"), "ValueFileNotRegular", "SetSecret", ErrorCategory.InvalidArgument);
                Assert.Contains("'/dev/zero' is a character device", Expect.Message(device));
            }

            var large = Write(session, "large.bin", new byte[16 * 1024 * 1024]);
            var tooLarge = Expect.Error(session.Throws("Set-Secret -Name 'x' -LiteralPath $args[0] -AsByteArray", large), "ValueFileTooLarge", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Contains(large, Expect.Message(tooLarge));
            Assert.Contains("16 MiB", Expect.Message(tooLarge));
            Assert.Empty(session.Invoke("Get-SecretInfo"));
        }

        [Fact]
        public void PathErrors()
        {
            using var session = PowerShellSession.WithIdentity();
            Write(session, "one.txt", Encoding.UTF8.GetBytes("1"));
            Write(session, "two.txt", Encoding.UTF8.GetBytes("2"));
            var notText = Write(session, "latin1.dat", new byte[] { 0x63, 0x61, 0x66, 0xE9 });
            var pattern = Path.Combine(session.Home, "files", "*.txt");

            var ambiguous = Expect.Error(session.Throws("Set-Secret -Name 'x' -Path $args[0]", pattern), "AmbiguousPath", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("matches 2 files", Expect.Message(ambiguous));
            Assert.Contains("-LiteralPath", Expect.Message(ambiguous));

            var binary = Expect.Error(session.Throws("Set-Secret -Name 'x' -Path $args[0]", notText), "ValueFileNotText", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Contains(notText, Expect.Message(binary));
            Assert.Contains("-AsByteArray", Expect.Message(binary));

            var missing = Path.Combine(session.Home, "files", "missing.txt");
            Expect.Error(session.Throws("Set-Secret -Name 'x' -LiteralPath $args[0]", missing), "ValueFileNotFound", "SetSecret", ErrorCategory.ObjectNotFound);
            Assert.Empty(session.Invoke("Get-SecretInfo"));
        }

        [Fact]
        public void ValuesFromJsonAndYamlMakeAHashtable()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'json' -Values $args[0]", "{ \"user\": \"app\", \"password\": \"p@ss: w0rd\", \"port\": 5432 }");
            session.Invoke("Set-Secret -Name 'yaml' -Values $args[0]", "user: app\npassword: 'p@ss: w0rd'\nport: 5432\n");

            foreach (var name in new[] { "json", "yaml" })
            {
                var table = Assert.IsType<Hashtable>(Single(session.Invoke("Get-Secret -Name $args[0] -AsPlainText", name)));
                Assert.Equal("app", table["user"]);
                Assert.Equal("p@ss: w0rd", table["password"]);
                Assert.Equal("5432", table["port"]);
                var secure = Assert.IsType<Hashtable>(Single(session.Invoke("Get-Secret -Name $args[0]", name)));
                Assert.IsType<SecureString>(secure["password"]);
                Assert.Equal("Hashtable", Single(session.Invoke("(Get-SecretInfo -Name $args[0]).Type.ToString()", name)));
            }
        }

        [Fact]
        public void NestedValuesAreRejectedNamingTheKey()
        {
            using var session = PowerShellSession.WithIdentity();
            var yaml = Expect.Error(session.Throws("Set-Secret -Name 'x' -Values $args[0]", "user: app\ndb:\n  host: h\n  port: 1\n"),
                "InvalidValues", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("key 'db'", Expect.Message(yaml));

            var json = Expect.Error(session.Throws("Set-Secret -Name 'x' -Values $args[0]", "{\"hosts\": [\"a\", \"b\"]}"),
                "InvalidValues", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("key 'hosts'", Expect.Message(json));

            Expect.Error(session.Throws("Set-Secret -Name 'x' -Values $args[0]", "[1, 2]"), "InvalidValues", "SetSecret", ErrorCategory.InvalidArgument);
            Expect.Error(session.Throws("Set-Secret -Name 'x' -Values $args[0]", "{\"a\": \"unterminated"), "InvalidValues", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Empty(session.Invoke("Get-SecretInfo"));
        }

        [Fact]
        public void DeeplyNestedValuesFailCleanlyAndTheSessionGoesOn()
        {
            using var session = PowerShellSession.WithIdentity();
            var flow = Expect.Error(session.Throws("Set-Secret -Name 'x' -Values (('[' * 50000) + (']' * 50000))"),
                "InvalidValues", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("JSON object or a YAML mapping", Expect.Message(flow));
            Assert.Equal("x", flow.TargetObject);

            var underKey = Expect.Error(session.Throws("Set-Secret -Name 'x' -Values ('{\"k\": ' + ('[' * 50000) + (']' * 50000) + '}')"),
                "InvalidValues", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("key 'k'", Expect.Message(underKey));

            var block = new System.Text.StringBuilder();
            for (int level = 0; level < 2000; level++)
            {
                block.Append(' ', level).Append("level").Append(level).Append(":\n");
            }

            block.Append(' ', 2000).Append("leaf\n");
            var yaml = Expect.Error(session.Throws("New-Secret -Name 'x' -Values $args[0]", block.ToString()),
                "InvalidValues", "NewSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("key 'level0'", Expect.Message(yaml));

            var tooLong = Expect.Error(session.Throws("Set-Secret -Name 'x' -Values ('k: ' + ('a' * 16MB))"),
                "InvalidValues", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("16,777,216", Expect.Message(tooLong));

            session.Invoke("Set-Secret -Name 'x' -Values '{\"k\": \"v\"}'");
            Assert.Equal("Hashtable", Single(session.Invoke("(Get-SecretInfo -Name 'x').Type.ToString()")));
        }

        private static string Write(PowerShellSession session, string name, byte[] content)
        {
            var folder = Path.Combine(session.Home, "files");
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, name);
            File.WriteAllBytes(path, content);
            return path;
        }
    }
}
