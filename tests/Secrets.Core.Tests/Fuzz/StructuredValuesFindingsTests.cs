using Secrets.Core.Errors;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Fuzz
{
    /// <summary>
    /// -Values text the structured-values fuzz target found (minimized; the same inputs are in
    /// tests/Secrets.Fuzz/corpus/structured-values/crash-*): YamlDotNet reports it with an
    /// ArgumentException or an InvalidOperationException instead of a YamlException, or emits events
    /// no mapping has (a mapping's end in place of a value), on which StructuredValues threw
    /// InvalidOperationException: exceptions of no command's kind. Each is refused as invalid values.
    /// </summary>
    public class StructuredValuesFindingsTests
    {
        [Theory]
        [InlineData("{\"a\": \"\\ud83d\\u0041\"}")]   // an escaped high surrogate followed by no low one
        [InlineData("{\"a\": \"\\udd11\\udd11\"}")]   // an escaped low surrogate without a high one
        [InlineData("%TAG ! :\n--- !x\na: 1\n")]     // a global tag that is not a URI
        [InlineData("!<:> a: 1\n")]                  // a verbatim tag that is not a URI
        [InlineData("0:\n{\n0")]                     // a flow mapping started inside a block mapping
        [InlineData("... 0")]                        // content after a document end marker
        [InlineData("0: &0 \uFFFD\0*0\n")]            // an anchor, then a NUL: the mapping's end comes in place of the value
        public void MalformedValuesAreRefusedAsInvalidValues(string text)
        {
            var error = Assert.Throws<InvalidInputException>(() => StructuredValues.Parse(text, "Values"));
            Assert.Equal("InvalidValues", error.ErrorId);
            Assert.Equal("Values", error.ParameterName);

            var again = Assert.Throws<InvalidInputException>(() => StructuredValues.ToSecretValue(text, "Values"));
            Assert.Equal("InvalidValues", again.ErrorId);
        }

        [Fact]
        public void AnEscapedSurrogatePairIsOneCharacter()
        {
            var parsed = StructuredValues.Parse("{\"key\": \"\\ud83d\\udd11\"}");
            Assert.Equal("🔑", Assert.Single(parsed).Value);
        }
    }
}
