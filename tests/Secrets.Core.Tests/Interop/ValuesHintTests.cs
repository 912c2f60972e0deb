using Secrets.Core.Errors;
using Secrets.Core.Tests.Leaks;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Interop
{
    /// <summary>-Values given a file of another format says which command imports it, without quoting it.</summary>
    public class ValuesHintTests
    {
        [Theory]
        [InlineData("home/.aws/credentials", "Import-Secret -Format Ini -Section <name>")]
        [InlineData("env/app.env", "Import-Secret -Format Env")]
        [InlineData("kubernetes/opaque.yaml", "Import-Secret -Format Kubernetes")]
        [InlineData("kubernetes/multi.yaml", "Import-Secret -Format Kubernetes")]
        [InlineData("kubernetes/list.json", "Import-Secret -Format Kubernetes")]
        public void AFileOfAnotherFormatIsNamedWithTheCommandThatImportsIt(string file, string command)
        {
            var error = Assert.Throws<InvalidInputException>(() => StructuredValues.Parse(Fixtures.Text(file.Split('/'))));
            Assert.Equal("InvalidValues", error.ErrorId);
            Assert.Contains(command, error.Message);
        }

        [Fact]
        public void NestedYamlAndNonsenseGetNoHint()
        {
            var nested = Assert.Throws<InvalidInputException>(() => StructuredValues.Parse(Fixtures.Text("values", "nested.yaml")));
            Assert.DoesNotContain("Import-Secret", nested.Message);
            var words = Assert.Throws<InvalidInputException>(() => StructuredValues.Parse(NoValueIn.Value + " words"));
            Assert.DoesNotContain("Import-Secret", words.Message);
            NoValueIn.Exception(Assert.Throws<InvalidInputException>(() => StructuredValues.Parse($"[default]\nkey = {NoValueIn.Value}\n")));
        }
    }
}
