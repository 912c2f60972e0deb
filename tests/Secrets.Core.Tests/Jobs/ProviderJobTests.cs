using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Secrets.Core.Interop;
using Secrets.Core.Jobs;
using Secrets.Core.Providers;
using Secrets.Core.Store;
using Secrets.Core.Tests.Interop;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Jobs
{
    /// <summary>Jobs that ask for a provider: its variables and files, erased after the run, its values masked.</summary>
    public class ProviderJobTests
    {
        private static TestStore NewStore(out string home)
        {
            var t = new TestStore();
            home = Fixtures.CopyHome(t.Root);
            foreach (var (provider, name, profile) in new[] { ("aws", "aws/ci", "ci"), ("aws", "aws/default", "default"), ("docker", "docker", null), ("ssh", "ssh", null) })
            {
                var import = SecretProviders.Find(provider).Import(Fixtures.Environment(home), null, profile);
                using var value = FlatValues.ToSecretValue(import.Entries.Select(e => new FlatEntry(e.Key, e.Value, 0)).ToList(), "import");
                var metadata = new SecretMetadata();
                foreach (var pair in import.Metadata)
                {
                    metadata.Set(pair.Key, pair.Value);
                }

                t.Store.Write(name, value, metadata, t.Owner, WriteMode.CreateOnly);
            }

            t.Store.Write("plain", SecretValue.FromString("not-a-provider"), null, t.Owner, WriteMode.CreateOnly);
            return t;
        }

        private static JobSpec Spec(TestStore t, params (string Provider, string Secret)[] providers)
        {
            var spec = new JobSpec { BaseDirectory = t.Root, JournalDirectory = Path.Combine(t.Root, "journals") };
            spec.Providers.AddRange(providers.Select(p => new KeyValuePair<string, string>(p.Provider, p.Secret)));
            return spec;
        }

        [Fact]
        public void AnAwsJobGetsItsVariablesAndFilesWhichAreErasedAfterwards()
        {
            using var t = NewStore(out _);
            string credentials;
            using (var job = JobPreparer.Prepare(Spec(t, ("aws", "aws/ci")), t.Store, t.Owner))
            {
                Assert.Equal("ci", job.Environment["AWS_PROFILE"]);
                Assert.Equal("ASIAIOSFODNN7EXAMPLE", job.Environment["AWS_ACCESS_KEY_ID"]);
                Assert.Equal("us-east-2", job.Environment["AWS_DEFAULT_REGION"]);
                credentials = job.Environment["AWS_SHARED_CREDENTIALS_FILE"];
                Assert.Equal(Path.Combine(job.Environment[JobSpec.DefaultPrivateDirectoryVariable], "aws", "credentials"), credentials);
                Assert.StartsWith("[ci]\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\n", File.ReadAllText(credentials));
                Assert.Equal("[profile ci]\nregion = us-east-2\n", File.ReadAllText(job.Environment["AWS_CONFIG_FILE"]));
                Assert.Equal(new[] { "AWS_SECURITY_TOKEN" }, job.Unset);

                Assert.Equal("key *** and token ***", job.Masker.Apply($"key {job.Environment["AWS_SECRET_ACCESS_KEY"]} and token {job.Environment["AWS_SESSION_TOKEN"]}"));
                Assert.Equal("profile ci in us-east-2", job.Masker.Apply("profile ci in us-east-2"));
            }

            Assert.False(File.Exists(credentials));
            Assert.False(Directory.Exists(Path.GetDirectoryName(credentials)));
        }

        [Fact]
        public void KeysWithoutASessionTokenUnsetTheOneTheSessionHas()
        {
            using var t = NewStore(out _);
            using var job = JobPreparer.Prepare(Spec(t, ("aws", "aws/default")), t.Store, t.Owner);
            Assert.DoesNotContain("AWS_SESSION_TOKEN", job.Environment.Keys);
            Assert.Equal(new[] { "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN" }, job.Unset);
        }

        [Fact]
        public void SeveralProvidersEachGetTheirFolder()
        {
            using var t = NewStore(out _);
            using var job = JobPreparer.Prepare(Spec(t, ("docker", "docker"), ("ssh", "ssh")), t.Store, t.Owner);
            var dockerConfig = Path.Combine(job.Environment["DOCKER_CONFIG"], "config.json");
            Assert.Contains("\"ghcr.io\"", File.ReadAllText(dockerConfig));
            var key = Path.Combine(job.Environment[JobSpec.DefaultPrivateDirectoryVariable], "ssh", "id_ed25519");
            Assert.Equal($"ssh -i '{key}' -o IdentitiesOnly=yes", job.Environment["GIT_SSH_COMMAND"]);
            Assert.True(File.Exists(key + ".pub"));
            Assert.Equal("login *** done", job.Masker.Apply("login s3cret-registry-password done"));
        }

        [Fact]
        public void ProblemsAreListedAndNothingIsWritten()
        {
            using var t = NewStore(out _);
            var spec = Spec(t, ("asw", "aws/ci"), ("aws", "plain"), ("gcp", "missing"), ("ssh", "ssh.private_key"), ("docker", "docker"));
            spec.Environment.Add(new KeyValuePair<string, string>("DOCKER_CONFIG", "plain"));
            var error = Assert.Throws<JobValidationException>(() => JobPreparer.Prepare(spec, t.Store, t.Owner));
            Assert.Contains(error.Problems, p => p.StartsWith("there is no provider named 'asw' (the providers are aws, gcp,"));
            Assert.Contains(error.Problems, p => p.StartsWith("provider aws: Secret 'plain': it is a String; the aws provider needs a hashtable"));
            Assert.Contains("secret 'missing' does not exist (used by provider gcp)", error.Problems);
            Assert.Contains(error.Problems, p => p.StartsWith("provider ssh: 'ssh.private_key' names one key"));
            Assert.Contains("provider docker: the variable DOCKER_CONFIG is also set by another mapping of the job; remove one of them", error.Problems);
            Assert.False(Directory.Exists(Path.Combine(t.Root, "journals")) && Directory.EnumerateFiles(Path.Combine(t.Root, "journals")).Any());
        }

        [Fact]
        public void WhatIfDescribesTheProviderWithoutReadingIt()
        {
            using var t = NewStore(out _);
            var lines = JobPreparer.Describe(Spec(t, ("aws", "aws/ci")), t.Store);
            Assert.Equal("provider aws <- 'aws/ci': environment variables AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_PROFILE, AWS_REGION, "
                + "AWS_DEFAULT_REGION, AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE; files $SECRETS_DIR/aws/credentials, $SECRETS_DIR/aws/config", Assert.Single(lines));
        }
    }
}
