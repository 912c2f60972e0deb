using Secrets.Core.Errors;
using Secrets.Core.Lookup;
using Xunit;

namespace Secrets.Core.Tests.Lookup
{
    public class SecretUriTests
    {
        [Theory]
        [InlineData("secret://team/prod/db", "team", "prod/db", null)]
        [InlineData("secret://team/prod/db#password", "team", "prod/db", "password")]
        [InlineData("SECRET://Team/api", "Team", "api", null)]
        [InlineData("  secret://personal/a#k  ", "personal", "a", "k")]
        [InlineData("secret://SecretStore/my secret.txt", "SecretStore", "my secret.txt", null)]
        [InlineData("secret://My%20Vault/a%23b#c%23d", "My Vault", "a#b", "c#d")]
        [InlineData("secret://a%2Fb/c", "a/b", "c", null)]
        [InlineData("secret://kv/tls#tls.crt", "kv", "tls", "tls.crt")]
        [InlineData("secret://kv/%C3%A9t%C3%A9", "kv", "été", null)]
        [InlineData("secret://kv/a%3Fb", "kv", "a?b", null)]
        public void WellFormedUris(string text, string source, string name, string? key)
        {
            Assert.True(SecretUri.TryParse(text, out var uri, out var problem), problem);
            Assert.Equal(source, uri!.Source);
            Assert.Equal(name, uri.Name);
            Assert.Equal(key, uri.Key);
            Assert.Equal(text.Trim(), uri.Text);

            // Written back, it reads the same.
            var again = SecretUri.Parse(SecretUri.Format(uri.Source, uri.Name, uri.Key), "Name");
            Assert.Equal((source, name, key), (again.Source, again.Name, again.Key));
        }

        /// <summary>Every malformed form, and what its message must say.</summary>
        [Theory]
        [InlineData("secret:team/db", "starts with 'secret:' but not 'secret://'")]
        [InlineData("secret:/team/db", "starts with 'secret:' but not 'secret://'")]
        [InlineData("secret:", "starts with 'secret:' but not 'secret://'")]
        [InlineData("secret://", "names no store or vault after 'secret://'")]
        [InlineData("secret:///db", "names no store or vault after 'secret://'")]
        [InlineData("secret://#k", "names no store or vault after 'secret://'")]
        [InlineData("secret://team", "names the store or vault 'team' but no secret; write secret://team/<secret name>")]
        [InlineData("secret://team#k", "names the store or vault 'team' but no secret")]
        [InlineData("secret://team/", "names no secret after 'secret://team/'")]
        [InlineData("secret://team/#k", "names no secret after 'secret://team/'")]
        [InlineData("secret://team/db#", "ends with '#'; write the key after it")]
        [InlineData("secret://team/db#a#b", "contains '#' twice")]
        [InlineData("secret://team/db?version=2", "contains '?' at position 17: a secret URI has no query")]
        [InlineData("secret://team/db%2", "has '%2' in its secret name: '%' starts an escape of two hexadecimal digits")]
        [InlineData("secret://te%zzam/db", "has '%zz' in its store or vault name")]
        [InlineData("secret://team/db#%", "has '%' in its key")]
        [InlineData("secret://team/%FF", "the escapes in the secret name of 'secret://team/%FF' are not UTF-8 text")]
        [InlineData("secret://team/a%0Ab", "the secret name of 'secret://team/a%0Ab' decodes to the control character U+000A")]
        [InlineData("secret://team/a\tb", "contains the control character U+0009 at position 16")]
        public void MalformedUrisAreRefusedSayingWhatIsWrong(string text, string expected)
        {
            Assert.True(SecretUri.LooksLikeUri(text));
            Assert.False(SecretUri.TryParse(text, out _, out var problem));
            Assert.Contains(expected, problem);

            var error = Assert.Throws<InvalidInputException>(() => SecretLocator.Parse(text, "Name"));
            Assert.Equal("InvalidSecretUri", error.ErrorId);
            Assert.Equal("Name", error.ParameterName);
            Assert.StartsWith("Invalid secret URI: ", error.Message);
            Assert.Contains(expected, error.Message);
        }

        [Theory]
        [InlineData("db")]
        [InlineData("prod/db.password")]
        [InlineData("secrets")]
        [InlineData("my secret")]
        public void PlainTextIsNotAUri(string text) => Assert.False(SecretUri.LooksLikeUri(text));

        [Fact]
        public void PlainNameKeyIsAKeyInAStoreAndTheWholeNameInAVault()
        {
            var locator = SecretLocator.Parse(" prod/db.password ", "Name");
            Assert.Null(locator.Uri);
            Assert.Equal("prod/db", locator.Reference!.Name.Value);
            Assert.Equal("password", locator.Reference.Key);
            Assert.Equal("prod/db.password", locator.VaultSecretName);
            Assert.Null(locator.VaultKey);
        }

        [Fact]
        public void PlainTextNoStoreCanHoldIsStillAskedOfVaults()
        {
            var locator = SecretLocator.Parse("my secret", "Name");
            Assert.Null(locator.Reference);
            Assert.Contains("contains a space", locator.ReferenceProblem);
            Assert.Equal("my secret", locator.VaultSecretName);
            Assert.Equal("InvalidSecretName", Assert.Throws<InvalidInputException>(() => locator.RequireReference("Name")).ErrorId);
        }

        [Fact]
        public void AUriKeyComesOnlyAfterTheHash()
        {
            var locator = SecretLocator.Parse("secret://team/prod/db#password", "Name");
            Assert.Equal("team", locator.Source);
            Assert.Equal("prod/db", locator.Reference!.Name.Value);
            Assert.Equal("password", locator.Reference.Key);
            Assert.Equal("prod/db", locator.VaultSecretName);
            Assert.Equal("password", locator.VaultKey);

            // A dot in a URI is part of the name: another vault may have such a name, a store cannot.
            var dotted = SecretLocator.Parse("secret://team/prod/db.password", "Name");
            Assert.Equal("prod/db.password", dotted.VaultSecretName);
            Assert.Null(dotted.VaultKey);
            var error = Assert.Throws<InvalidInputException>(() => dotted.RequireReference("Name"));
            Assert.Equal("InvalidSecretUri", error.ErrorId);
            Assert.Contains("names in a Secrets store never contain '.', and a URI gives a key only after '#': write secret://team/prod/db#password", error.Message);

            var invalid = SecretLocator.Parse("secret://team/bad name", "Name");
            Assert.Contains("Invalid secret URI 'secret://team/bad name': the secret name 'bad name' contains a space", invalid.ReferenceProblem);
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData(null)]
        public void NothingIsNotAName(string? text) =>
            Assert.Equal("InvalidSecretName", Assert.Throws<InvalidInputException>(() => SecretLocator.Parse(text, "Name")).ErrorId);
    }
}
