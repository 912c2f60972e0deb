using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Secrets.Core.Interop;
using Secrets.Core.Values;

namespace Secrets.Fuzz
{
    /// <summary>
    /// The seeds of the targets of files people already have (.env, INI, JSON and YAML values,
    /// Kubernetes manifests, provider files) and of secret references: the sample files of
    /// tests/Fixtures/Interop (the small ones; the others cut down to what they show), the examples
    /// of docs/FORMATS.md, and what the core's own writers make of awkward values.
    /// </summary>
    internal static class InteropSeeds
    {
        public static void Write(string corpus, string fixtures)
        {
            byte[] Fixture(string path) => File.ReadAllBytes(Path.Combine(fixtures, path));
            byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
            byte[] Bom(byte[] bytes) => new byte[] { 0xEF, 0xBB, 0xBF }.Concat(bytes).ToArray();
            byte[] Utf16(string text) => Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray();
            void Put(string target, string name, byte[] data) => Seeds.Put(corpus, target, "seed-" + name, data);

            // Values the writers must quote or escape.
            var awkward = new List<KeyValuePair<string, string>>
            {
                Pair("PLAIN", "a-b_c.d/e:f@g%h+i,j=k"),
                Pair("SPACES", " two  words "),
                Pair("QUOTES", "it's \"quoted\""),
                Pair("BACKSLASH", "C:\\path\\$HOME"),
                Pair("LINES", "one\ntwo\r\nthree"),
                Pair("HASH", "a #b"),
                Pair("EMPTY", string.Empty),
                Pair("UNICODE", "Grüße ✓ 🔑"),
            };

            // .env
            Put("dotenv", "app", Fixture("env/app.env"));
            Put("dotenv", "windows-crlf", Fixture("env/windows.env"));
            Put("dotenv", "written", Utf8(DotEnv.Write(awkward, "seed")));
            Put("dotenv", "names", Utf8("export\tA=1\nb.c-d = x # comment\n_E='multi\nline' # after\nF=\"esc \\n \\t \\\\ \\\" \\$ \\x\"\n  # indented comment\n\nG=#not a comment\n"));
            Put("dotenv", "bom-utf16", Utf16("\uFEFFUSER=svc\r\nPASSWORD=\"p@ss word\"\r\n"));

            // INI
            Put("ini", "settings", Fixture("values/settings.ini"));
            Put("ini", "aws-credentials", Fixture("home/.aws/credentials"));
            Put("ini", "aws-config", Fixture("home/.aws/config"));
            Put("ini", "written", Utf8(IniFile.WriteSection("profile ci", awkward.Where(p => p.Value.Trim() == p.Value && p.Value.IndexOf('\n') < 0), "seed")));
            Put("ini", "keys-before-sections", Bom(Utf8("a = 1\nB: 2\n; comment\n# comment\n[ spaced ]\nkey=value=with=equals\nk2 : v : w\nnested =\n\tx = 1\n  y: 2\n")));

            // JSON and YAML values
            Put("flat-values", "flat-json", Fixture("values/flat.json"));
            Put("flat-values", "flat-yaml", Fixture("values/flat.yaml"));
            Put("flat-values", "nested-yaml", Fixture("values/nested.yaml"));
            Put("flat-values", "json-literals", Utf8("{\"port\": 5432, \"on\": true, \"ratio\": -1.5e3, \"empty\": \"\", \"esc\": \"\\u00e9\\ud83d\\udd11\\/\\b\\f\"}"));
            Put("flat-values", "yaml-forms", Utf8("# comment\n'quoted key': plain\nblock: |\n  line one\n  line two\nfolded: >-\n  a\n  b\n\"esc\": \"\\x41\\N\\_\\t\"\n? complex\n: value\nnull-text: ''\n"));
            using (var value = SecretValue.FromEntries(awkward.Select(p => new SecretEntry(p.Key, SecretValue.FromString(p.Value))).ToList()))
            {
                Put("flat-values", "written-yaml", Utf8(SecretExchange.Write(ExchangeFormat.Yaml, new[] { new ExportItem("seed", value, new Dictionary<string, object>()) }, null, null)));
            }

            Put("flat-values", "manifest", Utf8("apiVersion: v1\nkind: Secret\nstringData:\n  a: b\n"));

            // Kubernetes manifests
            Put("kubernetes", "opaque", Fixture("kubernetes/opaque.yaml"));
            Put("kubernetes", "list-json", Fixture("kubernetes/list.json"));
            Put("kubernetes", "basic-auth", Fixture("kubernetes/basic-auth.yaml"));
            Put("kubernetes", "dockerconfigjson", Fixture("kubernetes/dockerconfigjson.json"));
            Put("kubernetes", "multi", Utf8(
                "# several kinds, an empty document, data and stringData\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  LOG_LEVEL: info\n"
                + "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: app.env\n  namespace: prod\ntype: Opaque\nimmutable: false\ndata:\n  both: b2xk\n  bin: AP8=\n  empty:\nstringData:\n  both: new\n  URL: \"postgres://app:pa55@db/app\"\n"
                + "---\n---\napiVersion: v1\nkind: SecretList\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: tls}\n  type: kubernetes.io/tls\n  data: {tls.crt: Y2VydA==, tls.key: a2V5}\n"
                + "- {apiVersion: v1, kind: Secret, type: kubernetes.io/ssh-auth, stringData: {ssh-privatekey: k}}\n...\n"));
            using (var value = SecretValue.FromEntries(new List<SecretEntry>
            {
                new SecretEntry("text", SecretValue.FromString("true")),
                new SecretEntry("bytes", SecretValue.FromBytes(new byte[] { 0, 0xFF, 0x80 })),
            }))
            {
                var metadata = new Dictionary<string, object>
                {
                    [KubernetesManifest.TypeKey] = "example.com/custom",
                    [KubernetesManifest.NamespaceKey] = "null",
                    [KubernetesManifest.LabelsKey] = "{\"app.kubernetes.io/name\":\"web\",\"tier\":\"1\"}",
                    [KubernetesManifest.ImmutableKey] = true,
                };
                Put("kubernetes", "written", Utf8(SecretExchange.Write(ExchangeFormat.Kubernetes, new[] { new ExportItem("k8s/web", value, metadata) }, null, null)));
            }

            // Provider files: the first byte says which.
            Put("provider-files", "aws-credentials", Selected('a', Fixture("home/.aws/credentials")));
            Put("provider-files", "aws-config", Selected('c', Fixture("home/.aws/config")));
            Put("provider-files", "aws-config-keys", Selected('c', Utf8("[profile ci]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\nregion = us-east-2\n[default]\nregion=eu-west-1\n")));
            Put("provider-files", "docker", Selected('d', Fixture("home/.docker/config.json")));
            Put("provider-files", "docker-credsstore", Selected('d', Fixture("providers/docker-credsstore.json")));
            Put("provider-files", "gcp-user", Selected('g', Fixture("home/.config/gcloud/application_default_credentials.json")));
            Put("provider-files", "gcp-service-account", Selected('g', Utf8(
                "{\n  \"type\": \"service_account\",\n  \"project_id\": \"example-project-123\",\n  \"private_key_id\": \"3f2c8a1e\",\n"
                + "  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQ\\n-----END PRIVATE KEY-----\\n\",\n  \"client_email\": \"deploy@example-project-123.iam.gserviceaccount.com\"\n}\n")));
            Put("provider-files", "kubeconfig", Selected('k', Utf8(
                "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://prod.k8s.example.com:6443\n  name: prod\ncontexts:\n- context:\n    cluster: prod\n    namespace: web\n    user: deployer\n  name: prod-deployer\n"
                + "current-context: prod-deployer\npreferences: {}\nusers:\n- name: deployer\n  user:\n    token: eyJhbGciOiJSUzI1NiJ9.e30.c2ln\n    client-key-data: LS0tLS1\n")));
            Put("provider-files", "huggingface", Selected('h', Fixture("home/.cache/huggingface/token")));
            Put("provider-files", "azure-env", Selected('e', Fixture("providers/azure.env")));

            // Secret references: as jobs, templates and Get-Secret read them.
            foreach (var (name, text) in new[]
            {
                ("name", "prod/db"),
                ("key", "prod/db.password"),
                ("dotted-key", "web/tls.tls.crt"),
                ("credential", "  Team/Build-Bot.UserName \n"),
                ("unicode-key", "app.clé 🔑"),
                ("ends-with-dot", "app."),
                ("empty-segment", "a//b.key"),
                ("long-segment", new string('s', 65) + ".k"),
            })
            {
                Put("secret-reference", name, Utf8(text));
            }
        }

        private static byte[] Selected(char selector, byte[] content) => new[] { (byte)selector }.Concat(content).ToArray();

        private static KeyValuePair<string, string> Pair(string key, string value) => new KeyValuePair<string, string>(key, value);
    }
}
