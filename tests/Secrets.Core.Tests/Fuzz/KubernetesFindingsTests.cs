using System.Collections.Generic;
using Secrets.Core.Interop;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Fuzz
{
    /// <summary>
    /// Kubernetes manifests that broke the kubernetes fuzz target's contract, on inputs made by hand
    /// (the fuzzer does not write a key ending with an escaped line break, nor a thousand keys, within
    /// a short run); the inputs are in tests/Secrets.Fuzz/corpus/kubernetes/crash-*.
    /// </summary>
    public class KubernetesFindingsTests
    {
        /// <summary>
        /// The key and name patterns ended with '$', which .NET also matches before a last line
        /// break: a key "a" and a line break was read as a valid Secret key (which the API server
        /// refuses), and a name ending with a line break was exported.
        /// </summary>
        [Fact]
        public void AKeyEndingWithALineBreakIsNotASecretKey()
        {
            const string manifest = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: nl\nstringData:\n  \"a\\n\": v\n";
            var error = Assert.Throws<InvalidContentException>(() => KubernetesManifest.Parse(manifest, "the file '/k/s.yaml'", "/k/s.yaml", new List<string>()));
            Assert.Equal("InvalidKubernetesManifest", error.ErrorId);
            Assert.Contains("is not a valid Secret key", error.Message);
        }

        [Fact]
        public void ANameEndingWithALineBreakIsNotExported()
        {
            using var value = SecretValue.FromEntries(new[] { new SecretEntry("k", SecretValue.FromString("v")) });
            var metadata = new Dictionary<string, object> { [KubernetesManifest.NameKey] = "web\n" };
            var error = Assert.Throws<InvalidContentException>(() => SecretExchange.Write(ExchangeFormat.Kubernetes, new[] { new ExportItem("web", value, metadata) }, null, null));
            Assert.Equal("ValueNotExportable", error.ErrorId);
        }
    }
}
