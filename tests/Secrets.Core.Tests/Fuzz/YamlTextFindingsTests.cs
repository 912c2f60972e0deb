using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Interop;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Fuzz
{
    /// <summary>
    /// Keys of a YAML export, and the names, namespaces, types and labels of a Kubernetes export,
    /// holding a tab, a carriage return, U+0085, U+2028 or U+2029: YamlText let YamlDotNet's emitter
    /// choose the style, and it wrote them in a plain or folded scalar, which reads back as other
    /// text (a trailing tab dropped, a carriage return or a next line as a line feed) or not at all.
    /// Found while checking the finding of JsonTextFindingsTests with the kubernetes and flat-values
    /// fuzz targets' round trips, on inputs made by hand (every character before, inside and after a
    /// key). Such text is written in double quotes, with escapes.
    /// </summary>
    public class YamlTextFindingsTests
    {
        public static IEnumerable<object[]> Keys() =>
            new[] { '\t', '\r', '\u0085', '\u2028', '\u2029' }
                .SelectMany(c => new[] { c + "k", "k" + c + "k", "k" + c, c.ToString() })
                .Select(k => new object[] { k });

        [Theory]
        [MemberData(nameof(Keys))]
        public void AYamlExportReadsBackTheSameKey(string key)
        {
            using var value = SecretValue.FromEntries(new[] { new SecretEntry(key, SecretValue.FromString("x")), new SecretEntry("k", SecretValue.FromString("y")) });
            var yaml = SecretExchange.Write(ExchangeFormat.Yaml, new[] { new ExportItem("app", value, new Dictionary<string, object>()) }, null, null);
            var entries = FlatValues.ParseStructured(yaml, "YAML", "the exported text");
            Assert.Equal(new[] { key, "k" }, entries.Select(e => e.Key));
        }

        /// <summary>
        /// Keys the flat-values fuzz target's round trip found in a 10-minute run (inputs in
        /// tests/Secrets.Fuzz/corpus/flat-values/crash-yaml-*): a key with control characters was
        /// written in a folded scalar holding them as they are, which is not YAML; a key with a space
        /// followed by '*' was written plain, and YamlDotNet reads that line as text, not as a key.
        /// </summary>
        [Theory]
        [InlineData("ne ****e")]
        [InlineData("a *b")]
        [InlineData("_ort\u0003: 543r, )\0{{\u007f{r, \u001b\n{\u007f{")]
        [InlineData("k\u0000")]
        [InlineData("\u001bk")]
        [InlineData("k\u007fk")]
        [InlineData("k\u0090")]
        [InlineData("\ufeffk")]
        public void AYamlExportReadsBackAKeyWithControlsOrASpacedStar(string key) => AYamlExportReadsBackTheSameKey(key);

        [Theory]
        [InlineData("a\\tb\\t")]
        [InlineData("a\\Nb")]
        [InlineData("\\rb")]
        [InlineData("\\L")]
        public void KubernetesLabelsAndTypesReadBackTheSame(string escaped)
        {
            var manifest = $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: web\n  namespace: \"{escaped}\"\n  labels:\n    tier: \"{escaped}\"\ntype: \"{escaped}\"\ndata:\n  k: dg==\n";
            var imported = SecretExchange.Read(manifest, ExchangeFormat.Kubernetes, "the manifest", null, null, new List<string>()).Single();
            using (imported)
            {
                var before = KubernetesManifest.Parse(manifest, "the manifest", null, new List<string>()).Single();
                var written = SecretExchange.Write(ExchangeFormat.Kubernetes,
                    new[] { new ExportItem("k8s/web", imported.Value, imported.Metadata.ToDictionary(m => m.Key, m => m.Value)) }, null, null);
                var after = KubernetesManifest.Parse(written, "the exported text", null, new List<string>()).Single();
                Assert.Equal(before.Namespace, after.Namespace);
                Assert.Equal(before.Type, after.Type);
                Assert.Equal(before.Labels, after.Labels);
                before.Dispose();
                after.Dispose();
            }
        }
    }
}
