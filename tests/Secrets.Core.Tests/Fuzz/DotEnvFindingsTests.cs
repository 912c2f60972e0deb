using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Interop;
using Xunit;

namespace Secrets.Core.Tests.Fuzz
{
    /// <summary>
    /// A value that ends with a line break (found by the dotenv fuzz target's round trip, minimized:
    /// <c>E='0\n'</c>, in tests/Secrets.Fuzz/corpus/dotenv/crash-value-ends-with-line-break): the
    /// writer's patterns ended with '$', which .NET also matches before a last '\n', so
    /// Export-Secret wrote <c>E=0</c> and a line break, and the value read back lost its line break.
    /// A key that ends with one was written as a name in the same way, giving a file that is not .env.
    /// </summary>
    public class DotEnvFindingsTests
    {
        [Theory]
        [InlineData("0\n")]
        [InlineData("value\n")]
        [InlineData("a/b:c\n")]
        public void AValueEndingWithALineBreakIsQuotedAndReadBackTheSame(string value)
        {
            var written = DotEnv.Write(new[] { new KeyValuePair<string, string>("E", value) }, "app");
            Assert.NotEqual("E=" + value + "\n", written);
            Assert.Equal(value, DotEnv.Parse(written, "the written text").Single().Value);
        }

        [Fact]
        public void AKeyEndingWithALineBreakIsNotAVariableName()
        {
            var error = Assert.Throws<InvalidContentException>(() => DotEnv.Write(new[] { new KeyValuePair<string, string>("KEY\n", "v") }, "app"));
            Assert.Equal("ValueNotExportable", error.ErrorId);
        }
    }
}
