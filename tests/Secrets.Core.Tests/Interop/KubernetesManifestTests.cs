using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Secrets.Core.Interop;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Interop
{
    /// <summary>Kubernetes Secret manifests: every type, lists and multi-document YAML, byte-exact round trips.</summary>
    public class KubernetesManifestTests
    {
        public static TheoryData<string> Manifests() => new TheoryData<string>
        {
            "opaque.yaml", "tls.yaml", "dockerconfigjson.json", "basic-auth.yaml", "ssh-auth.yaml", "list.json", "multi.yaml", "binary.yaml",
        };

        private static List<KubernetesSecret> Parse(string file, List<string>? skipped = null)
        {
            var path = Fixtures.Path("kubernetes", file);
            return KubernetesManifest.Parse(File.ReadAllText(path), InteropFiles.Describe(path), path, skipped ?? new List<string>());
        }

        private static string Text(KubernetesSecret secret, string key) => Encoding.UTF8.GetString(secret.Data.Single(p => p.Key == key).Value);

        [Fact]
        public void AnOpaqueSecretKeepsItsTypeNamespaceAndLabelsButNotItsAnnotations()
        {
            var secret = Assert.Single(Parse("opaque.yaml"));
            Assert.Equal("db-credentials", secret.Name);
            Assert.Equal("payments", secret.Namespace);
            Assert.Equal("Opaque", secret.Type);
            Assert.Equal("c0rrect-h0rse-battery", Text(secret, "password"));
            Assert.Equal(new[] { "username", "password", "url" }, secret.Data.Select(p => p.Key));

            var metadata = KubernetesManifest.ToMetadata(secret).ToDictionary(p => p.Key, p => p.Value);
            Assert.Equal("Opaque", metadata["kubernetes.type"]);
            Assert.Equal("payments", metadata["kubernetes.namespace"]);
            Assert.Equal("{\"app.kubernetes.io/name\":\"payments-api\",\"tier\":\"backend\"}", metadata["kubernetes.labels"]);

            // kubectl's last-applied-configuration annotation holds the values; metadata is not encrypted.
            Assert.DoesNotContain(metadata.Values.OfType<string>(), v => v.Contains("last-applied") || v.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes("c0rrect-h0rse-battery"))));
        }

        [Fact]
        public void EveryTypeIsRead()
        {
            var tls = Assert.Single(Parse("tls.yaml"));
            Assert.Equal("kubernetes.io/tls", tls.Type);
            Assert.Equal(Fixtures.Text("tls", "tls.crt"), Text(tls, "tls.crt"));

            var docker = Assert.Single(Parse("dockerconfigjson.json"));
            Assert.Equal("kubernetes.io/dockerconfigjson", docker.Type);
            Assert.StartsWith("{\"auths\":{\"ghcr.io\"", Text(docker, ".dockerconfigjson"));

            var basic = Assert.Single(Parse("basic-auth.yaml"));
            Assert.Equal("kubernetes.io/basic-auth", basic.Type);
            Assert.Equal("t0p: s3cret # not a comment", Text(basic, "password"));

            var ssh = Assert.Single(Parse("ssh-auth.yaml"));
            Assert.Equal("kubernetes.io/ssh-auth", ssh.Type);
            Assert.Equal(Fixtures.Text("home", ".ssh", "id_ed25519"), Text(ssh, "ssh-privatekey"));
            Assert.StartsWith("github.com ssh-ed25519", Text(ssh, "known_hosts"));
        }

        [Fact]
        public void AListGivesEachOfItsSecrets()
        {
            var secrets = Parse("list.json");
            Assert.Equal(new[] { "api-keys", "session-signing" }, secrets.Select(s => s.Name));
            Assert.Equal("sk_test_FixtureStripeKeyEXAMPLE", Text(secrets[0], "stripe"));
            Assert.True(secrets[1].Immutable);
            Assert.Equal(48, secrets[1].Data.Single().Value.Length);
        }

        [Fact]
        public void MultiDocumentYamlGivesItsSecretsAndNamesWhatItSkips()
        {
            var skipped = new List<string>();
            var secrets = Parse("multi.yaml", skipped);
            Assert.Equal(new[] { "app-env", "app-tls" }, secrets.Select(s => s.Name));
            Assert.Equal("redis://cache:6379/0", Text(secrets[0], "REDIS_URL"));
            Assert.Equal("a ConfigMap named 'app-config' (line 3)", Assert.Single(skipped));
        }

        [Theory]
        [MemberData(nameof(Manifests))]
        public void ARoundTripThroughTheStoreKeepsTheDataByteForByte(string file)
        {
            var original = Parse(file);
            var items = new List<ExportItem>();
            foreach (var secret in original)
            {
                var metadata = KubernetesManifest.ToMetadata(secret).ToDictionary(p => p.Key, p => p.Value);
                items.Add(new ExportItem(secret.Name!, KubernetesManifest.ToSecretValue(secret), metadata));
            }

            var manifest = SecretExchange.Write(ExchangeFormat.Kubernetes, items, null, null);
            var again = KubernetesManifest.Parse(manifest, "the export", null, new List<string>());

            Assert.Equal(original.Count, again.Count);
            for (int i = 0; i < original.Count; i++)
            {
                Assert.Equal(original[i].Name, again[i].Name);
                Assert.Equal(original[i].Namespace, again[i].Namespace);
                Assert.Equal(original[i].Type, again[i].Type);
                Assert.Equal(original[i].Labels, again[i].Labels);
                Assert.Equal(original[i].Immutable, again[i].Immutable);
                Assert.Equal(original[i].Data.Select(p => p.Key), again[i].Data.Select(p => p.Key));
                for (int k = 0; k < original[i].Data.Count; k++)
                {
                    Assert.Equal(original[i].Data[k].Value, again[i].Data[k].Value);
                }
            }

            foreach (var item in items)
            {
                item.Value.Dispose();
            }
        }

        [Fact]
        public void BytesThatAreNotTextAreStoredAsBytesAndTextAsText()
        {
            var secret = Assert.Single(Parse("binary.yaml"));
            using var value = KubernetesManifest.ToSecretValue(secret);
            Assert.Equal(SecretType.ByteArray, value.Entries.Single(e => e.Key == "ca.der").Value.Type);
            Assert.Equal(SecretType.String, value.Entries.Single(e => e.Key == "note.txt").Value.Type);
            Assert.Equal("line one\nline two\n", value.Entries.Single(e => e.Key == "note.txt").Value.GetText());
            Assert.Empty(value.Entries.Single(e => e.Key == "empty").Value.GetText());
        }

        [Fact]
        public void TheExportIsWhatKubectlApplyReads()
        {
            using var value = SecretValue.FromEntries(new[]
            {
                new SecretEntry("port", SecretValue.FromString("5432")),
                new SecretEntry("enabled", SecretValue.FromString("true")),
            });
            var metadata = new Dictionary<string, object> { ["kubernetes.labels"] = "{\"app\":\"db\",\"version\":\"1.0\"}" };
            var text = SecretExchange.Write(ExchangeFormat.Kubernetes, new[] { new ExportItem("prod/db_main", value, metadata) }, null, "payments");

            Assert.Equal(
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-main\n  namespace: payments\n  labels:\n    app: db\n    version: \"1.0\"\n"
                + "type: Opaque\ndata:\n  port: NTQzMg==\n  enabled: dHJ1ZQ==\n",
                text);
        }

        [Fact]
        public void ACredentialBecomesBasicAuthAndASingleValueOneKey()
        {
            using var credential = SecretValue.FromCredential("admin", Encoding.UTF8.GetBytes("pw"));
            var text = SecretExchange.Write(ExchangeFormat.Kubernetes, new[] { new ExportItem("grafana", credential, new Dictionary<string, object>()) }, null, null);
            var secret = Assert.Single(KubernetesManifest.Parse(text, "t", null, new List<string>()));
            Assert.Equal("kubernetes.io/basic-auth", secret.Type);
            Assert.Equal("admin", Text(secret, "username"));

            using var token = SecretValue.FromString("ghp_x");
            secret = Assert.Single(KubernetesManifest.Parse(SecretExchange.Write(ExchangeFormat.Kubernetes, new[] { new ExportItem("ci/github-token", token, new Dictionary<string, object>()) }, null, null), "t", null, new List<string>()));
            Assert.Equal("github-token", secret.Name);
            Assert.Equal("ghp_x", Text(secret, "github-token"));
        }

        [Theory]
        [InlineData("data:\n  k: 'not base64!'\n", 7, "the value of 'k' in 'data' of Secret 'x' (line 1) is not valid base64")]
        [InlineData("type: kubernetes.io/tls\ndata:\n  tls.crt: YQ==\n", 1, "needs the keys 'tls.crt' and 'tls.key' (it has the keys 'tls.crt')")]
        [InlineData("type: kubernetes.io/ssh-auth\nstringData: {a: b}\n", 1, "needs the key 'ssh-privatekey'")]
        [InlineData("type: kubernetes.io/basic-auth\n", 1, "needs the key 'username' or 'password'")]
        [InlineData("type: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '{\"x\": 1}'\n", 1, "is not a Docker config")]
        [InlineData("data:\n  Token: YQ==\n  token: Yg==\n", 8, "the keys 'Token' and 'token' of Secret 'x' (line 1) differ only in case")]
        [InlineData("data:\n  'bad key': YQ==\n", 7, "the key 'bad key' in 'data'")]
        [InlineData("stringData:\n  k:\n    nested: 1\n", 8, "the value of 'k' in 'stringData' of Secret 'x' (line 1) is a mapping")]
        public void ProblemsNameTheSecretTheKeyAndTheLine(string rest, int line, string says)
        {
            var text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n" + rest;
            if (!rest.StartsWith("type", StringComparison.Ordinal))
            {
                text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\ntype: Opaque\n" + rest;
            }

            var error = Fixtures.Fails("InvalidKubernetesManifest", () => KubernetesManifest.Parse(text, "the file '/k/s.yaml'", "/k/s.yaml", new List<string>()));
            Assert.StartsWith($"The file '/k/s.yaml', line {line}: ", error.Message);
            Assert.Contains(says, error.Message);
        }

        [Fact]
        public void DeeplyNestedInputIsRefusedWithoutRecursion()
        {
            // Enough brackets to overflow a recursive reader's stack many times over.
            var deep = new string('[', 200_000) + new string(']', 200_000);
            var error = Fixtures.Fails("InvalidKubernetesManifest", () => KubernetesManifest.Parse(deep, "the text", null, new List<string>()));
            Assert.Contains("nested more than 64 levels", error.Message);

            var deepValue = "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\nstringData: {k: " + new string('[', 100_000) + "}";
            Fixtures.Fails("InvalidKubernetesManifest", () => KubernetesManifest.Parse(deepValue, "the text", null, new List<string>()));
        }

        [Fact]
        public void AliasesAndOtherKindsOnlyAreRefused()
        {
            var alias = "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\nstringData:\n  a: &v value\n  b: *v\n";
            Assert.Contains("aliases", Fixtures.Fails("InvalidKubernetesManifest", () => KubernetesManifest.Parse(alias, "t", null, new List<string>())).Message);

            var configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n";
            Assert.Contains("no Kubernetes Secret, only a ConfigMap named 'c' (line 1)", Fixtures.Fails("InvalidKubernetesManifest", () => KubernetesManifest.Parse(configMap, "t", null, new List<string>())).Message);
        }

        [Fact]
        public void AnExportWhoseTypeLacksItsKeysIsRefused()
        {
            using var value = SecretValue.FromEntries(new[] { new SecretEntry("cert", SecretValue.FromString("x")) });
            var metadata = new Dictionary<string, object> { ["kubernetes.type"] = "kubernetes.io/tls" };
            var error = Fixtures.Fails("ValueNotExportable", () => SecretExchange.Write(ExchangeFormat.Kubernetes, new[] { new ExportItem("web", value, metadata) }, null, null));
            Assert.StartsWith("Secret 'web': the Kubernetes Secret it would make is of type kubernetes.io/tls, which needs the keys 'tls.crt' and 'tls.key'", error.Message);

            var badName = new Dictionary<string, object> { ["kubernetes.name"] = "Not_Valid" };
            Assert.Contains("Set-SecretInfo", Fixtures.Fails("ValueNotExportable", () => SecretExchange.Write(ExchangeFormat.Kubernetes, new[] { new ExportItem("web", value, badName) }, null, null)).Message);
        }

        [Fact]
        public void TlsSecretsAreCheckedToBePemOfOneKeyPair()
        {
            byte[] Bytes(string file) => File.ReadAllBytes(Fixtures.Path("tls", file));
            string Source(string file) => InteropFiles.Describe(Fixtures.Path("tls", file));

            using (var secret = KubernetesManifest.NewTls(Bytes("tls.crt"), Source("tls.crt"), null, Bytes("tls.key"), Source("tls.key"), null))
            {
                Assert.Equal("kubernetes.io/tls", secret.Type);
                Assert.Equal(Bytes("tls.key"), secret.Data.Single(p => p.Key == "tls.key").Value);
                Assert.Null(KubernetesManifest.TypeProblem(secret));
            }

            KubernetesManifest.NewTls(Bytes("rsa.crt"), Source("rsa.crt"), null, Bytes("rsa-pkcs1.key"), Source("rsa-pkcs1.key"), null).Dispose();
            KubernetesManifest.NewTls(Bytes("rsa.crt"), Source("rsa.crt"), null, Bytes("rsa.key"), Source("rsa.key"), null).Dispose();

            var error = Fixtures.Fails("TlsKeyMismatch", () => KubernetesManifest.NewTls(Bytes("tls.crt"), Source("tls.crt"), null, Bytes("other.key"), Source("other.key"), null));
            Assert.StartsWith($"The file '{Fixtures.Path("tls", "other.key")}': the private key does not belong to the first certificate", error.Message);
            Assert.Equal("TlsKeyMismatch", Assert.Throws<InvalidContentException>(() => KubernetesManifest.NewTls(Bytes("tls.crt"), Source("tls.crt"), null, Bytes("rsa.key"), Source("rsa.key"), null)).ErrorId);

            Assert.Contains("encrypted with a passphrase", Fixtures.Fails("InvalidPem", () => KubernetesManifest.NewTls(Bytes("tls.crt"), Source("tls.crt"), null, Bytes("encrypted.key"), Source("encrypted.key"), null)).Message);
            Assert.Contains("the other way round", Fixtures.Fails("InvalidPem", () => KubernetesManifest.NewTls(Bytes("tls.key"), Source("tls.key"), null, Bytes("tls.crt"), Source("tls.crt"), null)).Message);
            Assert.Contains("no PEM block", Fixtures.Fails("InvalidPem", () => KubernetesManifest.NewTls(Encoding.ASCII.GetBytes("hello"), "the file 'c'", null, Bytes("tls.key"), Source("tls.key"), null)).Message);
            var broken = Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
            Assert.Contains("line 1 is not a valid X.509 certificate", Fixtures.Fails("InvalidPem", () => KubernetesManifest.NewTls(broken, "the file 'c'", null, Bytes("tls.key"), Source("tls.key"), null)).Message);
        }

        [Fact]
        public void ARegistrySecretHoldsAConfigDockerAndKubernetesRead()
        {
            using var secret = KubernetesManifest.NewDockerRegistry("registry.example.com:5000", "deploy", Encoding.UTF8.GetBytes("s3cret\"pw"), "ops@example.com");
            Assert.Equal("kubernetes.io/dockerconfigjson", secret.Type);
            Assert.Null(KubernetesManifest.TypeProblem(secret));
            var config = (YamlMapping)YamlTree.ParseSingle(Text(secret, ".dockerconfigjson"));
            var login = (YamlMapping)((YamlMapping)config["auths"]!)["registry.example.com:5000"]!;
            Assert.Equal("deploy", login.Text("username"));
            Assert.Equal("s3cret\"pw", login.Text("password"));
            Assert.Equal("ops@example.com", login.Text("email"));
            Assert.Equal("deploy:s3cret\"pw", Encoding.UTF8.GetString(Convert.FromBase64String(login.Text("auth")!)));

            Assert.Equal("InvalidDockerRegistry", Assert.Throws<Errors.InvalidInputException>(() => KubernetesManifest.NewDockerRegistry("ghcr.io", "a:b", new byte[1], null)).ErrorId);
        }
    }
}
