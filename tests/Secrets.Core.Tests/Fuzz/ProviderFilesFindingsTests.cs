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
    /// Files of the providers that broke the provider-files fuzz target's contract (found by its
    /// first 10-minute run within seconds, 37 crashes all this; minimized by hand, in
    /// tests/Secrets.Fuzz/corpus/provider-files/crash-docker-login-not-an-object).
    /// </summary>
    public class ProviderFilesFindingsTests
    {
        /// <summary>
        /// Export-SecretProvider docker into a config.json that has a login that is not a JSON object
        /// (<c>{"auths":{"quay.io":1}}</c>) kept that login, so the file written could not be read
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
    }
}
