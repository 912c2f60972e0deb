using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Interop;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Fuzz
{
    /// <summary>
    /// Kubernetes manifests that broke the kubernetes fuzz target's contract, on inputs made by hand
    /// (the fuzzer does not write a key ending with an escaped line break, nor a thousand keys, within
    /// a short run); the first input is in tests/Secrets.Fuzz/corpus/kubernetes/crash-*.
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

        /// <summary>
        /// A Secret of more keys than a secret holds: Import-Secret failed with the ArgumentException
        /// of SecretValue.FromEntries, an exception of no command's kind that names no file.
        /// </summary>
        [Fact]
        public void ASecretOfMoreThanAThousandKeysIsRefusedByName()
        {
            var manifest = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: many\nstringData:\n" + string.Concat(Enumerable.Range(0, 1001).Select(i => $"  k{i}: v\n"));
            var error = Assert.Throws<InvalidContentException>(() => SecretExchange.Read(manifest, ExchangeFormat.Kubernetes, "the file '/k/s.yaml'", "/k/s.yaml", null, new List<string>()));
            Assert.Equal("InvalidKubernetesManifest", error.ErrorId);
            Assert.Equal("/k/s.yaml", error.FilePath);
            Assert.Contains("Secret 'many' (line 1) has 1,001 keys", error.Message);

            var thousand = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: many\nstringData:\n" + string.Concat(Enumerable.Range(0, 1000).Select(i => $"  k{i}: v\n"));
            var imported = SecretExchange.Read(thousand, ExchangeFormat.Kubernetes, "the file '/k/s.yaml'", "/k/s.yaml", null, new List<string>()).Single();
            Assert.Equal(SecretValue.MaxEntries, imported.Value.Entries.Count);
            imported.Dispose();
        }
    }
}
