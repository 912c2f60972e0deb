using Secrets.Core.Errors;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Leaks
{
    /// <summary>Values text that fails to parse: the messages give keys and positions, never values.</summary>
    public class StructuredValuesMessageTests
    {
        private const string V = NoValueIn.Value;

        public static readonly TheoryData<string, string> Malformed = new TheoryData<string, string>
        {
            { "unclosed flow sequence", $"password: [{V}" },
            { "unclosed flow mapping", $"password: {{a: {V}" },
            { "unterminated double quote", $"password: \"{V}" },
            { "unterminated single quote", $"password: '{V}" },
            { "invalid escape", $"password: \"{V}\\q\"" },
            { "bad indentation", $"password: {V}\n  other: x" },
            { "tab indentation", $"password:\n\t{V}" },
            { "undefined alias", $"password: *{V}" },
            { "alias named like the value", $"a: &{V}x 1\nb: *{V}" },
            { "unterminated JSON", $"{{\"password\": \"{V}\"" },
            { "JSON trailing garbage", $"{{\"password\": \"{V}\"}} x" },
            { "list value", $"password: [{V}]" },
            { "mapping value", $"password: {{inner: {V}}}" },
            { "block list value", $"password:\n  - {V}" },
            { "root list", $"- {V}" },
            { "root scalar", V },
            { "two documents", $"password: {V}\n---\nother: x" },
            { "repeated key", $"password: {V}\npassword: other" },
            { "repeated key in another case", $"Password: {V}\npassword: other" },
            { "unsupported YAML version", $"%YAML 9.9\n---\npassword: {V}" },
            { "mapping as a key", $"? {{a: {V}}}\n: x" },
            { "block scalar with bad indentation", $"password: |\n   {V}\n  x: 1" },
            { "stray document end", $"password: {V}\n...\nx: [" },
        };

        [Theory]
        [MemberData(nameof(Malformed))]
        public void ParseErrorsDoNotShowTheValue(string what, string text)
        {
            var error = NoValueIn.Throws(() => StructuredValues.Parse(text));
            var input = Assert.IsType<InvalidInputException>(error);
            Assert.True(input.ErrorId == "InvalidValues", what);
            Assert.Null(input.InnerException);
        }
    }
}
