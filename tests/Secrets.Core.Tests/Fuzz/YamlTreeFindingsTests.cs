using System.Collections.Generic;
using Secrets.Core.Interop;
using Xunit;

namespace Secrets.Core.Tests.Fuzz
{
    /// <summary>
    /// YAML and JSON text that YamlDotNet reports with other exceptions than YamlException (the
    /// kubernetes and dotenv fuzz targets found them within seconds, minimized; the same inputs are
    /// in tests/Secrets.Fuzz/corpus/*/crash-yaml-*): YamlTree let an InvalidOperationException, an
    /// ArgumentException or an ArgumentOutOfRangeException through, so Import-Secret of such a .json
    /// or .yaml file or manifest, telling the format of -Content text, and reading a Docker, gcloud
    /// or kubeconfig file failed with an exception of no command's kind. Each is refused as text that
    /// is not YAML or JSON.
    /// </summary>
    public class YamlTreeFindingsTests
    {
        public static IEnumerable<object[]> Malformed() => new[]
        {
            new object[] { "... 0" },                        // content after a document end marker
            new object[] { ": {\n0" },                       // a flow mapping left open
            new object[] { "0:\n{\n0" },                     // a flow mapping started inside a block mapping
            new object[] { "!![" },                          // a global tag that is not a URI
            new object[] { "!<>" },                          // an empty verbatim tag
            new object[] { "%TAG ! :\n--- !x\na: 1\n" },     // a tag prefix that is not a URI
            new object[] { "{\"a\": \"\\ud83d\\u0041\"}" },  // an escaped high surrogate followed by no low one
        };

        [Theory]
        [MemberData(nameof(Malformed))]
        public void MalformedTextIsNotYaml(string text)
        {
            var error = Assert.Throws<YamlTreeException>(() => YamlTree.Parse(text));
            Assert.Contains("not valid YAML or JSON", error.Problem);
        }

        [Theory]
        [MemberData(nameof(Malformed))]
        public void ImportsRefuseItNamingTheFile(string text)
        {
            const string path = "/import/secrets.yaml";
            var source = InteropFiles.Describe(path);
            foreach (var (format, errorId) in new[] { (ExchangeFormat.Json, "InvalidValues"), (ExchangeFormat.Yaml, "InvalidValues"), (ExchangeFormat.Kubernetes, "InvalidKubernetesManifest") })
            {
                var error = Assert.Throws<InvalidContentException>(() => SecretExchange.Read(text, format, source, path, null, new List<string>()));
                Assert.Equal(errorId, error.ErrorId);
                Assert.Equal(path, error.FilePath);
            }

            Assert.False(KubernetesManifest.LooksLikeSecrets(text));
            Assert.Equal("FormatUnknown", Assert.Throws<InvalidContentException>(() => SecretExchange.Detect(text, source, path)).ErrorId);
        }
    }
}
