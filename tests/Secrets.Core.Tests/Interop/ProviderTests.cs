using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Secrets.Core.Errors;
using Secrets.Core.Interop;
using Secrets.Core.Providers;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Interop
{
    /// <summary>Each built-in provider on a home folder of sample files: detection, import, write-back and what a job gets.</summary>
    public class ProviderTests
    {
        private static Dictionary<string, string> Keys(ProviderImport import) => import.Entries.ToDictionary(e => e.Key, e => e.Value);

        private static Dictionary<string, object> Metadata(ProviderImport import) => import.Metadata.ToDictionary(e => e.Key, e => e.Value);

        private static SecretValue Value(ProviderImport import) =>
            FlatValues.ToSecretValue(import.Entries.Select(e => new FlatEntry(e.Key, e.Value, 0)).ToList(), "the import");

        private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

        [Fact]
        public void EveryProviderHasKeysVariablesAndAUniqueName()
        {
            Assert.Equal(SecretProviders.All.Count, SecretProviders.All.Select(p => p.Name).Distinct().Count());
            foreach (var provider in SecretProviders.All)
            {
                Assert.NotEmpty(provider.Keys);
                Assert.NotEmpty(provider.JobVariables);
                Assert.False(string.IsNullOrEmpty(provider.Description));
            }

            Assert.Equal("aws", SecretProviders.Find("AWS").Name);
            var error = Assert.Throws<InvalidInputException>(() => SecretProviders.Find("asw"));
            Assert.Equal("ProviderNotFound", error.ErrorId);
            Assert.Contains("aws, gcp, azure, github, huggingface, openai, anthropic", error.Message);
        }

        [Fact]
        public void DetectionFindsWhatTheHomeFolderAndTheVariablesHold()
        {
            using var folder = new TempFolder();
            var home = Fixtures.CopyHome(folder.Path);
            var environment = Fixtures.Environment(home, ("OPENAI_API_KEY", "sk-fixture"));
            var found = SecretProviders.All.ToDictionary(p => p.Name, p => p.Detect(environment));

            Assert.Equal("~/.aws/credentials (default, ci)", found["aws"].Source);
            Assert.Equal("~/.config/gcloud/application_default_credentials.json", found["gcp"].Source);
            Assert.Equal("~/.docker/config.json (ghcr.io, registry.example.com:5000, https://index.docker.io/v1/)", found["docker"].Source);
            Assert.Equal("~/.kube/config", found["kubeconfig"].Source);
            Assert.Equal("~/.ssh/id_ed25519", found["ssh"].Source);
            Assert.Equal("~/.cache/huggingface/token", found["huggingface"].Source);
            Assert.Equal("OPENAI_API_KEY", found["openai"].Source);
            Assert.False(found["azure"].Configured);
            Assert.False(found["anthropic"].Configured);

            var empty = Fixtures.Environment(folder.Combine("nobody"));
            Assert.All(SecretProviders.All, p => Assert.False(p.Detect(empty).Configured));
        }

        [Fact]
        public void AwsReadsAProfileWithItsRegion()
        {
            using var folder = new TempFolder();
            var home = Fixtures.CopyHome(folder.Path);
            var aws = SecretProviders.Find("aws");

            var defaults = aws.Import(Fixtures.Environment(home), null, null);
            Assert.Equal(new Dictionary<string, string>
            {
                ["aws_access_key_id"] = "AKIAIOSFODNN7EXAMPLE",
                ["aws_secret_access_key"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                ["region"] = "eu-west-1",
            }, Keys(defaults));
            Assert.Equal(new Dictionary<string, object> { ["provider"] = "aws", ["provider.source"] = "file", ["provider.profile"] = "default" }, Metadata(defaults));

            // AWS_PROFILE chooses the profile, as it does for the AWS CLI; its nested s3 settings are not credentials.
            var ci = Keys(aws.Import(Fixtures.Environment(home, ("AWS_PROFILE", "ci")), null, null));
            Assert.Equal("ASIAIOSFODNN7EXAMPLE", ci["aws_access_key_id"]);
            Assert.StartsWith("IQoJb3JpZ2luX2Vj", ci["aws_session_token"]);
            Assert.Equal("us-east-2", ci["region"]);

            // -Path reads that file only.
            var other = Path.Combine(folder.Path, "team-credentials");
            File.WriteAllText(other, "[profile build]\naws_access_key_id = AKIABUILD\naws_secret_access_key = build/secret\n");
            Assert.Equal("AKIABUILD", Keys(aws.Import(Fixtures.Environment(home), other, "build"))["aws_access_key_id"]);
        }

        [Fact]
        public void AwsReadsTheVariablesWhenTheyAreSet()
        {
            using var folder = new TempFolder();
            var environment = Fixtures.Environment(folder.Path,
                ("AWS_ACCESS_KEY_ID", "AKIAVARIABLE"), ("AWS_SECRET_ACCESS_KEY", "variable/secret"), ("AWS_SESSION_TOKEN", "tok"), ("AWS_DEFAULT_REGION", "sa-east-1"));
            var import = SecretProviders.Find("aws").Import(environment, null, null);
            Assert.Equal(new Dictionary<string, string>
            {
                ["aws_access_key_id"] = "AKIAVARIABLE", ["aws_secret_access_key"] = "variable/secret", ["aws_session_token"] = "tok", ["region"] = "sa-east-1",
            }, Keys(import));
            Assert.Equal("environment", Metadata(import)["provider.source"]);
        }

        [Fact]
        public void AwsErrorsNameTheFileTheProfileAndWhatToDo()
        {
            using var folder = new TempFolder();
            var home = Fixtures.CopyHome(folder.Path);
            var aws = SecretProviders.Find("aws");
            var credentials = Path.Combine(home, ".aws", "credentials");

            var missing = Assert.Throws<SecretsException>(() => aws.Import(Fixtures.Environment(home), null, "prod"));
            Assert.Equal("ProviderProfileNotFound", missing.ErrorId);
            Assert.Equal("There is no AWS profile 'prod' in ~/.aws/credentials or ~/.aws/config; its profiles are default, ci, deploy.", missing.Message);

            var role = Fixtures.Fails("ProviderSecretInvalid", () => aws.Import(Fixtures.Environment(home), null, "deploy"));
            Assert.StartsWith($"The file '{Path.Combine(home, ".aws", "config")}', line 11: the profile [profile deploy] has no aws_access_key_id.", role.Message);
            Assert.Contains("aws configure export-credentials --profile deploy", role.Message);

            File.Delete(credentials);
            File.Delete(Path.Combine(home, ".aws", "config"));
            var none = Assert.Throws<SecretsException>(() => aws.Import(Fixtures.Environment(home), null, null));
            Assert.Equal("ProviderNotConfigured", none.ErrorId);
            Assert.Contains("there is no ~/.aws/credentials nor ~/.aws/config", none.Message);
        }

        [Fact]
        public void AwsWritesBackItsProfileAndKeepsTheOthers()
        {
            using var folder = new TempFolder();
            var home = Fixtures.CopyHome(folder.Path);
            var aws = SecretProviders.Find("aws");
            var environment = Fixtures.Environment(home);
            var import = aws.Import(environment, null, "ci");
            using var value = Value(import);

            // Into another home, as on a new machine: the two files are made.
            var newHome = folder.Combine("new-home");
            var files = aws.Export(Fixtures.Environment(newHome), "aws/ci", value, Metadata(import), null, null);
            Assert.Equal(new[] { Path.Combine(newHome, ".aws", "credentials"), Path.Combine(newHome, ".aws", "config") }, files.Select(f => f.Path));
            Assert.Equal("[ci]\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\naws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY\naws_session_token = "
                + Keys(import)["aws_session_token"] + "\n", Text(files[0].Content));
            Assert.Equal("[profile ci]\nregion = us-east-2\n", Text(files[1].Content));

            // Into the same home, under another profile: the file keeps its other profiles and comments.
            files = aws.Export(environment, "aws/ci", value, Metadata(import), null, "staging");
            var merged = Text(files[0].Content);
            Assert.StartsWith(File.ReadAllText(Path.Combine(home, ".aws", "credentials")).TrimEnd('\n'), merged);
            Assert.EndsWith("\n[staging]\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\naws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY\naws_session_token = "
                + Keys(import)["aws_session_token"] + "\n", merged);
        }

        [Fact]
        public void AnAwsJobGetsTheVariablesAndTheFilesTheCliReads()
        {
            using var folder = new TempFolder();
            var home = Fixtures.CopyHome(folder.Path);
            var aws = SecretProviders.Find("aws");
            var import = aws.Import(Fixtures.Environment(home), null, null);
            using var value = Value(import);

            var job = aws.PlanJob("aws", value, Metadata(import));
            var variables = job.Variables.ToDictionary(v => v.Name);
            Assert.Equal("default", variables["AWS_PROFILE"].Value);
            Assert.False(variables["AWS_PROFILE"].Secret);
            Assert.Equal("AKIAIOSFODNN7EXAMPLE", variables["AWS_ACCESS_KEY_ID"].Value);
            Assert.True(variables["AWS_SECRET_ACCESS_KEY"].Secret);
            Assert.Equal("eu-west-1", variables["AWS_REGION"].Value);
            Assert.DoesNotContain("AWS_SESSION_TOKEN", variables.Keys);
            Assert.Equal(new[] { "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN" }, job.Unset);
            Assert.Equal("[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", Text(job.Files.Single(f => f.Key == "credentials").Value));
            Assert.Equal("[default]\nregion = eu-west-1\n", Text(job.Files.Single(f => f.Key == "config").Value));
            Assert.Equal(new[] { "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE" }, job.PathVariables.Select(p => p.Variable));
        }

        [Fact]
        public void AProviderSecretWithoutItsKeysIsRefusedByName()
        {
            using var value = SecretValue.FromEntries(new[] { new SecretEntry("aws_access_key_id", SecretValue.FromString("AKIA")) });
            var error = Fixtures.Fails("ProviderSecretInvalid", () => SecretProviders.Find("aws").PlanJob("aws/broken", value, new Dictionary<string, object>()));
            Assert.Equal("Secret 'aws/broken': the aws provider needs the text key 'aws_secret_access_key', which it does not have (its keys: aws_access_key_id). "
                + "Make it with Import-SecretProvider aws, or add the key with Set-Secret.", error.Message);

            using var text = SecretValue.FromString("x");
            Assert.Contains("it is a String", Fixtures.Fails("ProviderSecretInvalid", () => SecretProviders.Find("openai").PlanJob("k", text, new Dictionary<string, object>())).Message);
        }

        [Fact]
        public void GcpReadsApplicationDefaultCredentialsOrTheFileTheVariableNames()
        {
            using var folder = new TempFolder();
            var home = Fixtures.CopyHome(folder.Path);
            var gcp = SecretProviders.Find("gcp");

            var user = gcp.Import(Fixtures.Environment(home), null, null);
            Assert.Equal(File.ReadAllText(Path.Combine(home, ".config", "gcloud", "application_default_credentials.json")), Keys(user)["credentials.json"]);
            Assert.Equal("authorized_user", Metadata(user)["provider.type"]);

            var serviceAccount = Fixtures.Path("providers", "service-account.json");
            var import = gcp.Import(Fixtures.Environment(home, ("GOOGLE_APPLICATION_CREDENTIALS", serviceAccount)), null, null);
            Assert.Equal("service_account", Metadata(import)["provider.type"]);
            using var value = Value(import);
            var job = gcp.PlanJob("gcp", value, Metadata(import));
            Assert.Equal(File.ReadAllBytes(serviceAccount), job.Files.Single().Value);
            Assert.Equal(new[] { "GOOGLE_APPLICATION_CREDENTIALS", "CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE" }, job.PathVariables.Select(p => p.Variable));
            Assert.Contains(job.Masked, m => m.StartsWith("-----BEGIN PRIVATE KEY-----", StringComparison.Ordinal));
            Assert.Contains("3f2c8a1e9b7d4c6a5e0f1b2c3d4e5f6a7b8c9d0e", job.Masked);

            var error = Fixtures.Fails("InvalidProviderFile", () => gcp.Import(Fixtures.Environment(home), Fixtures.Path("values", "flat.json"), null));
            Assert.Contains("not a Google credentials file", error.Message);
        }

        [Fact]
        public void VariableProvidersReadTheEnvironmentOrADotEnvFile()
        {
            using var folder = new TempFolder();
            var azure = SecretProviders.Find("azure");
            var fromFile = Keys(azure.Import(Fixtures.Environment(folder.Path), Fixtures.Path("providers", "azure.env"), null));
            Assert.Equal("7f1d3a52-8c4e-4b1f-9a0d-2e6c5b8f9a10", fromFile["client_id"]);
            Assert.Equal("Qx8~Fixture.Secret_Value-EXAMPLE~1234", fromFile["client_secret"]);
            Assert.Equal("9a8b7c6d-5e4f-3a2b-1c0d-e9f8a7b6c5d4", fromFile["subscription_id"]);

            var missing = Assert.Throws<SecretsException>(() => azure.Import(Fixtures.Environment(folder.Path, ("AZURE_CLIENT_ID", "a"), ("AZURE_CLIENT_SECRET", "b")), null, null));
            Assert.Equal("ProviderNotConfigured", missing.ErrorId);
            Assert.Contains("AZURE_TENANT_ID is not set", missing.Message);

            // gh reads GH_TOKEN before GITHUB_TOKEN; a job gets both.
            var github = SecretProviders.Find("github");
            var import = github.Import(Fixtures.Environment(folder.Path, ("GITHUB_TOKEN", "ghs_actions"), ("GH_TOKEN", "ghp_personal")), null, null);
            Assert.Equal("ghp_personal", Keys(import)["token"]);
            using var value = Value(import);
            Assert.Equal(new[] { "GH_TOKEN", "GITHUB_TOKEN" }, github.PlanJob("gh", value, Metadata(import)).Variables.Select(v => v.Name));

            var noFile = Assert.Throws<InvalidInputException>(() => github.Export(Fixtures.Environment(folder.Path), "gh", value, Metadata(import), null, null));
            Assert.Equal("ProviderHasNoFile", noFile.ErrorId);
            Assert.Contains("Invoke-WithSecrets -Provider @{ github = 'gh' }", noFile.Message);
            var env = Text(github.Export(Fixtures.Environment(folder.Path), "gh", value, Metadata(import), folder.Combine("gh.env"), null).Single().Content);
            Assert.Equal("GH_TOKEN=ghp_personal\nGITHUB_TOKEN=ghp_personal\n", env);

            var openai = SecretProviders.Find("openai").Import(Fixtures.Environment(folder.Path, ("OPENAI_API_KEY", "sk-proj-fixture")), null, null);
            Assert.Equal("sk-proj-fixture", Keys(openai)["api_key"]);
            Assert.Equal("ProfileNotSupported", Assert.Throws<InvalidInputException>(() => SecretProviders.Find("openai").Import(Fixtures.Environment(folder.Path), null, "x")).ErrorId);
        }

        [Fact]
        public void HuggingFaceReadsTheTokenFileOrTheVariable()
        {
            using var folder = new TempFolder();
            var home = Fixtures.CopyHome(folder.Path);
            var hf = SecretProviders.Find("huggingface");
            Assert.Equal("hf_FixtureTokenEXAMPLEabcdefghijklmnopqrstuv", Keys(hf.Import(Fixtures.Environment(home), null, null))["token"]);
            Assert.Equal("hf_variable", Keys(hf.Import(Fixtures.Environment(home, ("HF_TOKEN", "hf_variable")), null, null))["token"]);

            var hfHome = folder.Combine("hf-home");
            Directory.CreateDirectory(hfHome);
            File.WriteAllText(Path.Combine(hfHome, "token"), "hf_from_hf_home\n");
            Assert.Equal("hf_from_hf_home", Keys(hf.Import(Fixtures.Environment(home, ("HF_HOME", hfHome)), null, null))["token"]);
        }

        [Fact]
        public void SshReadsAKeyPairAndWritesItBackWithItsModes()
        {
            using var folder = new TempFolder();
            var home = Fixtures.CopyHome(folder.Path);
            var ssh = SecretProviders.Find("ssh");
            var import = ssh.Import(Fixtures.Environment(home), null, null);
            Assert.Equal(File.ReadAllText(Path.Combine(home, ".ssh", "id_ed25519")), Keys(import)["private_key"]);
            Assert.StartsWith("ssh-ed25519 ", Keys(import)["public_key"]);
            Assert.Equal("id_ed25519", Metadata(import)["provider.file"]);

            using var value = Value(import);
            var files = ssh.Export(Fixtures.Environment(folder.Combine("other")), "ssh", value, Metadata(import), null, null);
            Assert.Equal(new[] { (Path.Combine(folder.Path, "other", ".ssh", "id_ed25519"), 0x180), (Path.Combine(folder.Path, "other", ".ssh", "id_ed25519.pub"), 0x1A4) },
                files.Select(f => (f.Path, f.UnixMode)));

            var job = ssh.PlanJob("ssh", value, Metadata(import));
            Assert.Equal(new[] { "id_ed25519", "id_ed25519.pub" }, job.Files.Select(f => f.Key));
            Assert.Equal(("GIT_SSH_COMMAND", "id_ed25519", "ssh -i '{0}' -o IdentitiesOnly=yes"), job.PathVariables.Single());

            Assert.Contains("Give the private key, not the .pub file", Fixtures.Fails("InvalidProviderFile",
                () => ssh.Import(Fixtures.Environment(home), Path.Combine(home, ".ssh", "id_ed25519.pub"), null)).Message);
        }

        [Fact]
        public void DockerReadsTheLoginsInTheFileAndMergesThemBack()
        {
            using var folder = new TempFolder();
            var home = Fixtures.CopyHome(folder.Path);
            var docker = SecretProviders.Find("docker");
            var import = docker.Import(Fixtures.Environment(home), null, null);
            Assert.Equal("ghcr.io, registry.example.com:5000, https://index.docker.io/v1/", Metadata(import)["provider.registries"]);
            var config = (YamlMapping)YamlTree.ParseSingle(Keys(import)["config.json"]);
            Assert.Equal(new[] { "auths" }, config.Entries.Select(e => e.Key.Value));
            Assert.Equal("deploy@example.com", ((YamlMapping)((YamlMapping)config["auths"]!)["registry.example.com:5000"]!).Text("email"));

            // Written back into a config with other settings and another login: those stay.
            using var value = Value(import);
            var target = folder.Combine("other.json");
            File.WriteAllText(target, "{\"auths\":{\"quay.io\":{\"auth\":\"cXVheTpwdw==\"},\"ghcr.io\":{\"auth\":\"b2xkOm9sZA==\"}},\"credsStore\":\"pass\",\"experimental\":\"enabled\",\"features\":{\"buildkit\":true}}");
            var merged = (YamlMapping)YamlTree.ParseSingle(Text(docker.Export(Fixtures.Environment(home), "docker", value, Metadata(import), target, null).Single().Content));
            var auths = (YamlMapping)merged["auths"]!;
            Assert.Equal(new[] { "quay.io", "ghcr.io", "registry.example.com:5000", "https://index.docker.io/v1/" }, auths.Entries.Select(e => e.Key.Value));
            Assert.Equal("b2N0b2NhdDpnaHBfRml4dHVyZVRva2VuRVhBTVBMRTEyMzQ1Njc4OTA=", ((YamlMapping)auths["ghcr.io"]!).Text("auth"));
            Assert.Equal("pass", merged.Text("credsStore"));
            Assert.True(((YamlScalar)((YamlMapping)merged["features"]!)["buildkit"]!).IsPlain);

            var job = docker.PlanJob("docker", value, Metadata(import));
            Assert.Equal(("DOCKER_CONFIG", string.Empty, "{0}"), job.PathVariables.Single());
            Assert.Contains("ghp_FixtureTokenEXAMPLE1234567890", job.Masked);
            Assert.Contains("s3cret-registry-password", job.Masked);

            var helper = Fixtures.Fails("ProviderNotConfigured", () => docker.Import(Fixtures.Environment(home), Fixtures.Path("providers", "docker-credsstore.json"), null));
            Assert.Contains("kept by the credential helper 'desktop'", helper.Message);
            Assert.Contains("Import-Secret -Name regcred -Server", helper.Message);
        }

        [Fact]
        public void KubeconfigIsStoredWholeAndItsTokensAreMasked()
        {
            using var folder = new TempFolder();
            var home = Fixtures.CopyHome(folder.Path);
            var kube = SecretProviders.Find("kubeconfig");
            var import = kube.Import(Fixtures.Environment(home), null, null);
            Assert.Equal(File.ReadAllText(Path.Combine(home, ".kube", "config")), Keys(import)["config"]);
            Assert.Equal("prod-deployer", Metadata(import)["provider.context"]);

            var second = folder.Combine("second-config");
            File.Copy(Path.Combine(home, ".kube", "config"), second);
            var listed = kube.Import(Fixtures.Environment(home, ("KUBECONFIG", second + ":" + Path.Combine(home, ".kube", "config"))), null, null);
            Assert.Contains($"only the first, '{second}', was imported", Assert.Single(listed.Warnings));

            using var value = Value(import);
            var job = kube.PlanJob("kube", value, Metadata(import));
            Assert.Contains(job.Masked, m => m.StartsWith("eyJhbGciOiJSUzI1NiIs", StringComparison.Ordinal));
            Assert.Equal(2, job.Masked.Count);
            Assert.Equal("KUBECONFIG", job.PathVariables.Single().Variable);

            Assert.Contains("not a kubeconfig", Fixtures.Fails("InvalidProviderFile", () => kube.Import(Fixtures.Environment(home), Fixtures.Path("values", "flat.yaml"), null)).Message);
        }
    }
}
