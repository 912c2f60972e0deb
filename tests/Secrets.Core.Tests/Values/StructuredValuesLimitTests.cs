using System.Linq;
using System.Text;
using Secrets.Core.Errors;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Values
{
    /// <summary>
    /// Values text of any shape or size either parses or fails with our own error: nesting never
    /// reaches a recursive parser, and the length is checked before parsing.
    /// </summary>
    public class StructuredValuesLimitTests
    {
        private static InvalidInputException Refused(string text)
        {
            var error = Assert.Throws<InvalidInputException>(() => StructuredValues.Parse(text, "Values"));
            Assert.Equal("InvalidValues", error.ErrorId);
            Assert.Equal("Values", error.ParameterName);
            Assert.Null(error.InnerException);
            return error;
        }

        [Fact]
        public void FiftyThousandNestedFlowSequencesAreRefusedCleanly()
        {
            var error = Refused(new string('[', 50_000) + new string(']', 50_000));
            Assert.Contains("JSON object or a YAML mapping", error.Message);
        }

        [Fact]
        public void FiftyThousandNestedFlowMappingsUnderAKeyAreRefusedNamingTheKey()
        {
            var text = "{\"k\": " + string.Concat(Enumerable.Repeat("{\"a\": ", 50_000)) + "1" + new string('}', 50_001);
            var error = Refused(text);
            Assert.Contains("key 'k'", error.Message);
        }

        [Fact]
        public void UnbalancedDeepNestingIsRefusedCleanly()
        {
            Refused("k: " + new string('[', 100_000));
            Refused("k: " + new string('{', 100_000));
        }

        [Fact]
        public void DeepBlockNestingIsRefusedNamingTheKey()
        {
            var text = new StringBuilder();
            for (int level = 0; level < 2_000; level++)
            {
                text.Append(' ', level).Append("level").Append(level).Append(":\n");
            }

            text.Append(' ', 2_000).Append("leaf\n");
            var error = Refused(text.ToString());
            Assert.Contains("key 'level0'", error.Message);
        }

        [Fact]
        public void DeepBlockSequencesOnOneLineAreRefusedCleanly()
        {
            Refused(string.Concat(Enumerable.Repeat("- ", 50_000)) + "x\n");
            Refused("k: " + string.Concat(Enumerable.Repeat("- ", 50_000)) + "x\n");
        }

        [Fact]
        public void TextLongerThanTheLimitIsRefusedBeforeParsing()
        {
            var text = "k: " + new string('a', StructuredValues.MaxTextLength);
            var error = Refused(text);
            Assert.Contains("16,777,216", error.Message);
        }

        [Fact]
        public void MoreKeysThanAHashtableHoldsAreRefused()
        {
            var text = string.Concat(Enumerable.Range(0, SecretValue.MaxEntries + 1).Select(i => $"k{i}: v\n"));
            var error = Refused(text);
            Assert.Contains("1,000", error.Message);
        }

        [Fact]
        public void ScalarAliasesResolveAndCollectionAliasesAreRefused()
        {
            var parsed = StructuredValues.Parse("a: &shared value\nb: *shared\n");
            Assert.Equal(new[] { "a=value", "b=value" }, parsed.Select(p => $"{p.Key}={p.Value}"));

            Assert.Contains("key 'b'", Refused("&root {a: x, b: *root}").Message);
            Refused("a: *missing");
            Refused("a: &n ~\nb: *n");
        }
    }
}
