using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Interop;
using Secrets.Core.Tests.Leaks;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Interop
{
    /// <summary>INI sections (~/.aws/credentials), flat JSON and YAML, and the secrets made of them.</summary>
    public class IniAndFlatTests
    {
        private static readonly string Credentials = Fixtures.Path("home", ".aws", "credentials");

        [Fact]
        public void ReadsTheSectionsOfAnAwsCredentialsFile()
        {
            var sections = IniFile.Parse(Fixtures.Text("home", ".aws", "credentials"), InteropFiles.Describe(Credentials), Credentials);
            Assert.Equal(new[] { "default", "ci", "deploy" }, sections.Select(s => s.Name));

            var ci = Fixtures.ToDictionary(IniFile.Flatten(IniFile.Select(sections, "ci", "f"), "f"));
            Assert.Equal("ASIAIOSFODNN7EXAMPLE", ci["aws_access_key_id"]);
            Assert.Equal("je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY", ci["aws_secret_access_key"]);
            Assert.EndsWith("EXAMPLE=", ci["aws_session_token"]);
        }

        [Fact]
        public void SeveralSectionsNeedOneToBeChosen()
        {
            var sections = IniFile.Parse(Fixtures.Text("home", ".aws", "credentials"), InteropFiles.Describe(Credentials), Credentials);
            var error = Fixtures.Fails("IniSectionNotFound", () => IniFile.Select(sections, null, InteropFiles.Describe(Credentials), Credentials));
            Assert.Contains($"'{Credentials}'", error.Message);
            Assert.Contains("[default], [ci], [deploy]", error.Message);
            Assert.Contains("-Section", error.Message);

            error = Fixtures.Fails("IniSectionNotFound", () => IniFile.Select(sections, "prod", InteropFiles.Describe(Credentials), Credentials));
            Assert.Contains("no section [prod]", error.Message);
        }

        [Fact]
        public void ProfileSectionsOfTheAwsConfigAreFoundByTheProfileName()
        {
            var config = IniFile.Parse(Fixtures.Text("home", ".aws", "config"), "the file", null);
            Assert.Equal("profile ci", IniFile.Select(config, "ci", "the file").Name);
        }

        [Fact]
        public void NestedSettingsAreRefusedNamingTheKeyAndHowToFlattenThem()
        {
            var path = Fixtures.Path("home", ".aws", "config");
            var config = IniFile.Parse(Fixtures.Text("home", ".aws", "config"), InteropFiles.Describe(path), path);
            var error = Fixtures.Fails("NestedValue", () => IniFile.Flatten(IniFile.Select(config, "ci", InteropFiles.Describe(path), path), InteropFiles.Describe(path), path));
            Assert.StartsWith($"The file '{path}', line 7: the key 's3' of [profile ci] holds nested settings (max_concurrent_requests, multipart_threshold)", error.Message);
            Assert.Contains("'s3.max_concurrent_requests = …'", error.Message);
        }

        [Theory]
        [InlineData("[a]\nkey\n", 2, "expected 'key = value'")]
        [InlineData("[a\nkey = 1\n", 1, "does not end with ']'")]
        [InlineData("[a]\nk = 1\n[a]\n", 3, "[a] appears twice (also on line 1)")]
        [InlineData("[a]\nk = 1\nK = 2\n", 3, "'k' (line 2) and 'K'")]
        [InlineData("[a]\nk = 1\n  continued\n", 3, "continues the value of 'k'")]
        public void MalformedIniNamesTheLine(string text, int line, string says)
        {
            var error = Fixtures.Fails("InvalidIniFile", () => IniFile.Parse(text, "the file '/x/credentials'", "/x/credentials"));
            Assert.StartsWith($"The file '/x/credentials', line {line}: ", error.Message);
            Assert.Contains(says, error.Message);
        }

        [Fact]
        public void SettingASectionKeepsEverythingElseOfTheFile()
        {
            var original = Fixtures.Text("home", ".aws", "credentials");
            var entries = new[] { Pair("aws_access_key_id", "AKIANEWKEY"), Pair("aws_secret_access_key", "new/secret") };

            var replaced = IniFile.SetSection(original, "ci", entries, replaceSection: true, "aws");
            var sections = IniFile.Parse(replaced, "f");
            Assert.Equal(new[] { "default", "ci", "deploy" }, sections.Select(s => s.Name));
            Assert.Equal(new[] { "aws_access_key_id", "aws_secret_access_key" }, sections[1].Entries.Select(e => e.Key));
            Assert.Equal("AKIANEWKEY", sections[1].Entries[0].Value);
            Assert.Contains("# Written by aws configure", replaced);
            Assert.Contains("; a profile that assumes a role keeps no keys here", replaced);
            Assert.Equal(Fixtures.Text("home", ".aws", "credentials").Split('\n')[2], replaced.Split('\n')[2]);

            var added = IniFile.SetSection(original, "prod", entries, replaceSection: true, "aws");
            Assert.StartsWith(original.TrimEnd('\n'), added);
            Assert.EndsWith("\n\n[prod]\naws_access_key_id = AKIANEWKEY\naws_secret_access_key = new/secret\n", added);

            var config = IniFile.SetSection(Fixtures.Text("home", ".aws", "config"), "profile ci", new[] { Pair("region", "ap-south-1") }, replaceSection: false, "aws");
            Assert.Contains("[profile ci]\nregion = ap-south-1\ns3 =\n    max_concurrent_requests = 20\n", config);
        }

        [Fact]
        public void ValuesAnIniFileCannotHoldAreRefusedByKey()
        {
            Assert.Contains("the value of key 'pem'", Fixtures.Fails("ValueNotExportable", () => IniFile.WriteSection("a", new[] { Pair("pem", "a\nb") }, "s")).Message);
            Assert.Contains("the key 'a=b'", Fixtures.Fails("ValueNotExportable", () => IniFile.WriteSection("a", new[] { Pair("a=b", "1") }, "s")).Message);
            Assert.Equal("[smtp]\nhost = smtp.example.com\n", IniFile.WriteSection("smtp", new[] { Pair("host", "smtp.example.com") }, "s"));
        }

        [Fact]
        public void FlatJsonAndYamlAreRead()
        {
            var json = Fixtures.ToDictionary(FlatValues.ParseStructured(Fixtures.Text("values", "flat.json"), "JSON", "f"));
            Assert.Equal("p@ss\"w0rd\\with\nnewline", json["password"]);
            Assert.Equal("5432", json["port"]);
            var yaml = Fixtures.ToDictionary(FlatValues.ParseStructured(Fixtures.Text("values", "flat.yaml"), "YAML", "f"));
            Assert.Equal("p@ss: w0rd", yaml["password"]);
            Assert.Equal(4, yaml.Count);
        }

        [Fact]
        public void NestedValuesAreRefusedNamingTheKeyAndHowToFlattenThem()
        {
            var path = Fixtures.Path("values", "nested.yaml");
            var error = Fixtures.Fails("NestedValue", () => FlatValues.ParseStructured(Fixtures.Text("values", "nested.yaml"), "YAML", InteropFiles.Describe(path), path));
            Assert.StartsWith($"The file '{path}', line 2: the value of 'database' is a mapping (keys 'host', 'port')", error.Message);
            Assert.Contains("such as 'database.host'", error.Message);

            error = Fixtures.Fails("NestedValue", () => FlatValues.ParseStructured("replicas:\n  - a\n  - b\n", "YAML", "the text"));
            Assert.Contains("'replicas' is a list of 2 items", error.Message);
            Assert.Contains("'replicas.0'", error.Message);
        }

        [Fact]
        public void AKubernetesManifestReadAsFlatYamlSaysToImportItAsKubernetes()
        {
            var error = Fixtures.Fails("InvalidValues", () => FlatValues.ParseStructured(Fixtures.Text("kubernetes", "opaque.yaml"), "YAML", "the file"));
            Assert.Contains("-Format Kubernetes", error.Message);
        }

        [Fact]
        public void FlatJsonAndYamlRoundTrip()
        {
            var values = new[] { Pair("password", "p@ss\"w0rd\\with\nnewline: and # more"), Pair("port", "5432"), Pair("yes", "true"), Pair("empty", string.Empty), Pair("unicode", "✓ ü") };

            var json = JsonText.WriteFlatObject(values);
            Assert.Equal(values, FlatValues.ParseStructured(json, "JSON", "f").Select(e => Pair(e.Key, e.Value)));
            var yaml = YamlText.WriteFlatMapping(values);
            Assert.Equal(values, FlatValues.ParseStructured(yaml, "YAML", "f").Select(e => Pair(e.Key, e.Value)));
        }

        [Fact]
        public void ExportingFlatFilesRefusesBytesAndCredentialsByKey()
        {
            using var value = SecretValue.FromEntries(new[]
            {
                new SecretEntry("text", SecretValue.FromString("a")),
                new SecretEntry("ca.der", SecretValue.FromBytes(new byte[] { 0x30, 0x82 })),
            });
            var error = Fixtures.Fails("ValueNotExportable", () => FlatValues.ToTextEntries(value, "tls", ".env"));
            Assert.Contains("the key 'ca.der' holds bytes", error.Message);
            Assert.Contains("-Format Kubernetes", error.Message);

            using var credential = SecretValue.FromCredential("app", System.Text.Encoding.UTF8.GetBytes("pw"));
            Assert.Equal(new[] { Pair("UserName", "app"), Pair("Password", "pw") }, FlatValues.ToTextEntries(credential, "db", "JSON"));
            using var single = SecretValue.FromString("tok");
            Assert.Equal(new[] { Pair("token", "tok") }, FlatValues.ToTextEntries(single, "github/token", "JSON"));
        }

        [Fact]
        public void FormatsAreToldFromNamesAndContent()
        {
            Assert.Equal(ExchangeFormat.Env, SecretExchange.FromFileName("/a/.env"));
            Assert.Equal(ExchangeFormat.Env, SecretExchange.FromFileName("/a/.env.production"));
            Assert.Equal(ExchangeFormat.Env, SecretExchange.FromFileName("/a/app.env"));
            Assert.Equal(ExchangeFormat.Ini, SecretExchange.FromFileName("/home/me/.aws/credentials"));
            Assert.Equal(ExchangeFormat.Yaml, SecretExchange.FromFileName("/a/values.yml"));
            Assert.Null(SecretExchange.FromFileName("/a/secrets.txt"));

            Assert.Equal(ExchangeFormat.Kubernetes, SecretExchange.Refine(ExchangeFormat.Json, Fixtures.Text("kubernetes", "list.json")));
            Assert.Equal(ExchangeFormat.Json, SecretExchange.Refine(ExchangeFormat.Json, Fixtures.Text("values", "flat.json")));
            Assert.Equal(ExchangeFormat.Ini, SecretExchange.Detect(Fixtures.Text("home", ".aws", "credentials"), "t", null));
            Assert.Equal(ExchangeFormat.Kubernetes, SecretExchange.Detect(Fixtures.Text("kubernetes", "multi.yaml"), "t", null));
            Assert.Equal(ExchangeFormat.Yaml, SecretExchange.Detect(Fixtures.Text("values", "flat.json"), "t", null));
            Assert.Equal(ExchangeFormat.Env, SecretExchange.Detect(Fixtures.Text("env", "app.env"), "t", null));
            Assert.Equal("FormatUnknown", Assert.Throws<InvalidContentException>(() => SecretExchange.Detect("just words", "t", null)).ErrorId);
        }

        [Theory]
        [InlineData(ExchangeFormat.Env, "# only a comment\n", "InvalidEnvFile", "it holds no NAME=value line, so there is nothing to import.")]
        [InlineData(ExchangeFormat.Json, "{}", "InvalidValues", "it holds no key, so there is nothing to import.")]
        [InlineData(ExchangeFormat.Ini, "[empty]\n", "InvalidIniFile", "its section [empty] holds no 'key = value' line, so there is nothing to import.")]
        public void AFileWithNothingInItIsRefused(ExchangeFormat format, string text, string errorId, string says)
        {
            var error = Fixtures.Fails(errorId, () => SecretExchange.Read(text, format, "the file 'x'", "x", null, new List<string>()));
            Assert.Equal("The file 'x': " + says, error.Message);
        }

        [Fact]
        public void MessagesOfEveryFormatNeverShowAValue()
        {
            var v = NoValueIn.Value;
            foreach (var (format, text) in new[]
            {
                (ExchangeFormat.Env, $"A='{v}\n"),
                (ExchangeFormat.Env, $"{v}\n"),
                (ExchangeFormat.Ini, $"[a]\n{v}\n"),
                (ExchangeFormat.Ini, $"[a]\nk = 1\n  {v}\n"),
                (ExchangeFormat.Json, $"{{\"a\": {{\"b\": \"{v}\"}}}}"),
                (ExchangeFormat.Json, $"{{\"a\": \"{v}\""),
                (ExchangeFormat.Yaml, $"a: [{v}]"),
                (ExchangeFormat.Yaml, $"- {v}"),
                (ExchangeFormat.Kubernetes, $"apiVersion: v1\nkind: Secret\nmetadata: {{name: x}}\ndata: {{k: '{v}!'}}\n"),
                (ExchangeFormat.Kubernetes, $"apiVersion: v1\nkind: Secret\nmetadata: {{name: x}}\ndata: {{k: [{v}]}}\n"),
            })
            {
                NoValueIn.Exception(Assert.ThrowsAny<Errors.SecretsException>(() => SecretExchange.Read(text, format, "the text", null, null, new List<string>())));
            }
        }

        private static KeyValuePair<string, string> Pair(string key, string value) => new KeyValuePair<string, string>(key, value);
    }
}
