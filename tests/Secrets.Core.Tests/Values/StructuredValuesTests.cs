using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Values
{
    /// <summary>The keys of a hashtable secret given as JSON or YAML text.</summary>
    public class StructuredValuesTests
    {
        public static readonly TheoryData<string, string[]> Mappings = new TheoryData<string, string[]>
        {
            { "{\"user\": \"svc\", \"password\": \"p@ss: w0rd\"}", new[] { "user=svc", "password=p@ss: w0rd" } },
            { "user: svc\npassword: 'p@ss: w0rd'\n", new[] { "user=svc", "password=p@ss: w0rd" } },
            { "port: 5432\nenabled: true\nempty: ''\n", new[] { "port=5432", "enabled=true", "empty=" } },
            { "zeta: 1\nalpha: 2\n", new[] { "zeta=1", "alpha=2" } },
            { "unicode: Grüße ✓\n\"quoted key\": \"line\\nbreak\"", new[] { "unicode=Grüße ✓", "quoted key=line\nbreak" } },
            { "block: |\n  line one\n  line two\n", new[] { "block=line one\nline two\n" } },
        };

        [Theory]
        [MemberData(nameof(Mappings))]
        public void MappingsParseToKeysAndTextInOrder(string text, string[] expected)
        {
            var parsed = StructuredValues.Parse(text);
            Assert.Equal(expected, parsed.Select(p => $"{p.Key}={p.Value}"));
        }

        [Theory]
        [InlineData("")]
        [InlineData("   \n")]
        [InlineData("{}")]
        [InlineData("key:")]
        [InlineData("key: null")]
        [InlineData("key: ~")]
        [InlineData("Key: 1\nkey: 2")]
        public void EmptyNullOrRepeatedIsRefused(string text)
        {
            var error = Assert.Throws<InvalidInputException>(() => StructuredValues.Parse(text, "Values"));
            Assert.Equal("InvalidValues", error.ErrorId);
            Assert.Equal("Values", error.ParameterName);
        }

        [Fact]
        public void RepeatedKeyIsNamed()
        {
            var error = Assert.Throws<InvalidInputException>(() => StructuredValues.Parse("Key: 1\nkey: 2"));
            Assert.Contains("'key' appears twice", error.Message);
        }
    }
}
