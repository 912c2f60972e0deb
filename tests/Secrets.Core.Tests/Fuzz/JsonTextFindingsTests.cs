using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Interop;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Fuzz
{
    /// <summary>
    /// Text holding U+0085 (next line), which a YAML double-quoted "\N" gives: JSON may hold it as it
    /// is, but the reader of JSON files is a YAML reader, which takes it for a line break and folds it
    /// into a space. Export-Secret -Format Json wrote it as it is, so the file read back had another
    /// value (found by the flat-values fuzz target's round trip, on its seed of YAML forms; the input
    /// is tests/Secrets.Fuzz/corpus/flat-values/seed-yaml-forms); the labels a Kubernetes import
    /// records in the metadata as JSON, and Docker logins, changed the same way. It is written as \u0085.
    /// </summary>
    public class JsonTextFindingsTests
    {
        [Fact]
        public void NextLineIsEscaped()
        {
            Assert.Equal("\"a\\u0085b\"", JsonText.Quote("a\u0085b"));
        }

        [Fact]
        public void AJsonExportWithNextLineReadsBackTheSame()
        {
            using var value = SecretValue.FromEntries(new[] { new SecretEntry("key\u0085", SecretValue.FromString("a\u0085b")) });
            var json = SecretExchange.Write(ExchangeFormat.Json, new[] { new ExportItem("app", value, new Dictionary<string, object>()) }, null, null);
            var entry = FlatValues.ParseStructured(json, "JSON", "the exported text").Single();
            Assert.Equal("key\u0085", entry.Key);
            Assert.Equal("a\u0085b", entry.Value);
        }
    }
}
