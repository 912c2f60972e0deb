using Secrets.Core.Errors;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Values
{
    /// <summary>Metadata keys are case-insensitive: two keys that differ only in case are one key given twice.</summary>
    public class MetadataKeyCaseTests
    {
        [Fact]
        public void AddingAKeyPresentInAnotherCaseNamesBothKeys()
        {
            var metadata = new SecretMetadata();
            metadata.Add("a", "first");
            var error = Assert.Throws<InvalidInputException>(() => metadata.Add("A", "second"));
            Assert.Equal("InvalidMetadata", error.ErrorId);
            Assert.Equal("Metadata", error.ParameterName);
            Assert.Contains("'a' and 'A'", error.Message);
            Assert.Contains("case-insensitive", error.Message);
            Assert.DoesNotContain("first", error.Message);
            Assert.DoesNotContain("second", error.Message);
            Assert.Equal("first", metadata["a"]);
            Assert.Single(metadata);
        }

        [Fact]
        public void AddingTheSameKeyTwiceIsRefused()
        {
            var metadata = new SecretMetadata();
            metadata.Add("owner", "ops");
            var error = Assert.Throws<InvalidInputException>(() => metadata.Add("owner", "dev"));
            Assert.Contains("'owner' appears twice", error.Message);
        }

        [Fact]
        public void SetStillReplacesInAnyCase()
        {
            var metadata = new SecretMetadata();
            metadata.Set("Owner", "ops");
            metadata.Set("owner", "dev");
            Assert.Equal("dev", metadata["OWNER"]);
            Assert.Equal(new[] { "owner" }, metadata.Keys);
        }
    }
}
