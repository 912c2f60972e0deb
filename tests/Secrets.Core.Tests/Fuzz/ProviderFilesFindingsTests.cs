using System.Collections.Generic;
using System.IO;
using System.Linq;
using Secrets.Core.Interop;
using Secrets.Core.Providers;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Fuzz
{
    /// <summary>
    /// Files of the providers that broke the provider-files fuzz target's contract, each input in
    /// tests/Secrets.Fuzz/corpus/provider-files/crash-*.
    /// </summary>
    public class ProviderFilesFindingsTests
    {
        /// <summary>
        /// Export-SecretProvider docker into a config.json that has a login that is not a JSON object
        /// (<c>{"auths":{"quay.io":1}}</c>; 43 of the 44 crashes of the first 10-minute run, the first
        /// within seconds; minimized by hand as crash-docker-login-not-an-object) kept that login, so the file written could not be read
        /// again: Import-SecretProvider and Get-SecretProvider refused it, and so does Docker. The
        /// write-back now refuses such a file by name, as the import does, and writes nothing; a
        /// broken login that the secret's own login replaces is no obstacle.
        /// </summary>
        [Fact]
        public void AWriteBackRefusesAConfigWithALoginThatIsNotAnObject()
        {
            using var folder = new TempFolder();
            var environment = new ProviderEnvironment(folder.Path, new Dictionary<string, string>(), isWindows: false);
            var docker = SecretProviders.Find("docker");
            var path = folder.Combine("config.json");
            using var value = SecretValue.FromEntries(new[]
            {
                new SecretEntry(DockerProvider.Key, SecretValue.FromString("{\"auths\":{\"fuzz.example\":{\"auth\":\"ZnV6ejpwYXNz\"}}}")),
            });

            File.WriteAllText(path, "{\"auths\":{\"quay.io\":1}}");
            var refused = Assert.Throws<InvalidContentException>(() => docker.Import(environment, path, null));
            Assert.Equal("InvalidProviderFile", refused.ErrorId);
            var error = Assert.Throws<InvalidContentException>(() => docker.Export(environment, "docker", value, new Dictionary<string, object>(), path, null));
            Assert.Equal("InvalidProviderFile", error.ErrorId);
            Assert.Equal(path, error.FilePath);
            Assert.Contains(path, error.Message);
            Assert.Contains("the login for 'quay.io' is not a JSON object", error.Message);

            // The same broken login under the registry the secret logs in to is replaced.
            File.WriteAllText(path, "{\"auths\":{\"fuzz.example\":1,\"quay.io\":{\"auth\":\"cXVheTpwdw==\"}}}");
            var written = docker.Export(environment, "docker", value, new Dictionary<string, object>(), path, null).Single();
            File.WriteAllBytes(written.Path, written.Content);
            var again = docker.Import(environment, path, null);
            Assert.Equal("quay.io, fuzz.example", again.Metadata.Single(m => m.Key == "provider.registries").Value);
        }

        /// <summary>
        /// A Hugging Face token file holding a byte order mark as its token (UTF-16 with two marks,
        /// FF FE FF FE, found by the second run of provider-files; in the corpus as
        /// crash-huggingface-token-bom) was imported as the token U+FEFF, which .NET's Trim keeps;
        /// written back as UTF-8 it starts the file, where the reader drops it as a byte order mark,
        /// and the file written could not be imported. A token of a byte order mark, a control
        /// character or inner white space is now refused as not one token.
        /// </summary>
        [Theory]
        [InlineData(new byte[] { 0xFF, 0xFE, 0xFF, 0xFE })]
        [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, (byte)'h', (byte)'f' })]
        [InlineData(new byte[] { (byte)'h', 0x09, (byte)'f' })]
        [InlineData(new byte[] { (byte)'h', 0x01, (byte)'f', (byte)'\n' })]
        public void AHuggingFaceTokenOfInvisibleCharactersIsRefused(byte[] content)
        {
            using var folder = new TempFolder();
            var environment = new ProviderEnvironment(folder.Path, new Dictionary<string, string>(), isWindows: false);
            var path = folder.Combine("token");
            File.WriteAllBytes(path, content);
            var error = Assert.Throws<InvalidContentException>(() => SecretProviders.Find("huggingface").Import(environment, path, null));
            Assert.Equal("InvalidProviderFile", error.ErrorId);
            Assert.Equal(path, error.FilePath);
            Assert.Contains("does not hold one token", error.Message);

            File.WriteAllText(path, "hf_FuzzTokenEXAMPLE\n");
            Assert.Equal("hf_FuzzTokenEXAMPLE", SecretProviders.Find("huggingface").Import(environment, path, null).Entries.Single().Value);
        }
    }
}
