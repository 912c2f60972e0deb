using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Secrets.Core.Jobs;
using Secrets.Core.Store;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Jobs
{
    /// <summary>
    /// -AllSecrets names variables after secret names and hashtable keys, which anyone with write
    /// access to a secret chooses: every name it derives starts with a prefix, so none can be a
    /// variable that programs read.
    /// </summary>
    public class AllSecretsNamingTests
    {
        /// <summary>Variables that steer programs: where they connect, what they trust, what they load.</summary>
        private static readonly string[] Steering =
        {
            "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "NODE_TLS_REJECT_UNAUTHORIZED",
            "OPENSSL_CONF", "SSL_CERT_FILE", "GCONV_PATH", "GIT_DIR", "PIP_INDEX_URL", "XDG_CONFIG_HOME",
        };

        private static readonly string Bash = File.Exists("/bin/bash") ? "/bin/bash" : "bash";

        private static string Evil(string variable) => "evil-" + variable.ToLowerInvariant();

        private static TestStore StoreWithSteeringNames()
        {
            var t = new TestStore();

            // One hashtable whose keys are the variables themselves...
            t.Store.Write("x", SecretValue.FromEntries(Steering.Select(v => new SecretEntry(v, SecretValue.FromString(Evil(v))))), null, t.Owner, WriteMode.CreateOnly);

            // ...and secrets whose name and key map onto them exactly (aws + endpoint_url = AWS_ENDPOINT_URL).
            foreach (var group in Steering.GroupBy(v => v.Substring(0, v.IndexOf('_'))))
            {
                var entries = group.Select(v => new SecretEntry(v.Substring(group.Key.Length + 1).ToLowerInvariant(), SecretValue.FromString(Evil(v))));
                t.Store.Write(group.Key.ToLowerInvariant(), SecretValue.FromEntries(entries), null, t.Owner, WriteMode.CreateOnly);
            }

            return t;
        }

        private static JobSpec AllSecretsSpec(TestStore t)
        {
            var baseDirectory = Path.Combine(t.Root, "work");
            Directory.CreateDirectory(baseDirectory);
            return new JobSpec { BaseDirectory = baseDirectory, AllSecrets = true, JournalDirectory = Path.Combine(t.Root, "journals") };
        }

        /// <summary>The environment a real child process (bash) sees: name → value.</summary>
        private static Dictionary<string, string> ChildEnvironment(IReadOnlyDictionary<string, string> environment)
        {
            using var process = new JobProcess(Bash, new[] { "-c", "env -0 | tr '\\0\\n' '\\n '" }, Path.GetTempPath(), environment, OutputMasker.None);
            var lines = process.Run(CancellationToken.None).Where(l => !l.IsError).Select(l => l.Text).ToList();
            Assert.Equal(0, process.ExitCode);
            return lines.Where(l => l.Contains('=')).ToDictionary(l => l.Substring(0, l.IndexOf('=')), l => l.Substring(l.IndexOf('=') + 1));
        }

        [Fact]
        public void NoSecretNameOrKeyReachesAVariableThatSteersPrograms()
        {
            using var t = StoreWithSteeringNames();
            var spec = AllSecretsSpec(t);
            using var job = JobPreparer.Prepare(spec, t.Store, t.Owner);
            var child = ChildEnvironment(job.Environment);

            foreach (var variable in Steering)
            {
                // The child has the variable only as the parent had it, never with a secret's value.
                Assert.Equal(Environment.GetEnvironmentVariable(variable), child.TryGetValue(variable, out var value) ? value : null);
                Assert.Equal(Evil(variable), child["SECRET_X_" + variable]);
                Assert.Equal(Evil(variable), child["SECRET_" + variable]);
            }

            Assert.All(child, pair => Assert.True(!pair.Value.StartsWith("evil-", StringComparison.Ordinal) || pair.Key.StartsWith("SECRET_", StringComparison.Ordinal), pair.Key));
        }

        [Fact]
        public void AnEmptyPrefixIsRefusedAndNothingRuns()
        {
            using var t = StoreWithSteeringNames();
            var spec = AllSecretsSpec(t);
            spec.Files.Add(new KeyValuePair<string, string>("./written-if-valid.txt", "x.GIT_DIR"));
            spec.AllSecretsPrefix = string.Empty;
            var error = Assert.Throws<JobValidationException>(() => JobPreparer.Prepare(spec, t.Store, t.Owner));
            var problem = Assert.Single(error.Problems);
            Assert.Contains("-Prefix", problem);
            Assert.Contains("-Environment", problem);
            Assert.False(File.Exists(Path.Combine(spec.BaseDirectory, "written-if-valid.txt")));
            Assert.Throws<JobValidationException>(() => JobPreparer.Describe(spec, t.Store));
        }

        [Theory]
        [InlineData("AWS_")]
        [InlineData("aws_")]
        [InlineData("AWS_MYAPP_")]
        [InlineData("GIT_")]
        [InlineData("NODE_")]
        [InlineData("SSL_")]
        [InlineData("XDG_")]
        [InlineData("HTTPS_")]
        [InlineData("http_")]
        [InlineData("NPM_")]
        [InlineData("LD_")]
        [InlineData("DOTNET_")]
        [InlineData("SECRETS_")]
        [InlineData("PYTHON_")]
        public void APrefixThatProgramsUseIsRefused(string prefix)
        {
            using var t = StoreWithSteeringNames();
            var spec = AllSecretsSpec(t);
            spec.AllSecretsPrefix = prefix;
            var error = Assert.Throws<JobValidationException>(() => JobPreparer.Prepare(spec, t.Store, t.Owner));
            var problem = Assert.Single(error.Problems);
            Assert.Contains($"'{prefix}'", problem);
            Assert.Contains("used by programs", problem);
        }

        [Theory]
        [InlineData("APP")]
        [InlineData("MY-APP_")]
        [InlineData("1APP_")]
        [InlineData("_")]
        [InlineData("APP _")]
        public void APrefixMustBeAWordEndingInAnUnderscore(string prefix)
        {
            using var t = StoreWithSteeringNames();
            var spec = AllSecretsSpec(t);
            spec.AllSecretsPrefix = prefix;
            var error = Assert.Throws<JobValidationException>(() => JobPreparer.Prepare(spec, t.Store, t.Owner));
            Assert.Contains("letters, digits and '_'", Assert.Single(error.Problems));
        }

        [Theory]
        [InlineData("APP_")]
        [InlineData("MyJob_")]
        [InlineData("CI_DEPLOY_")]
        public void APrefixOfYourOwnIsUsed(string prefix)
        {
            using var t = StoreWithSteeringNames();
            var spec = AllSecretsSpec(t);
            spec.AllSecretsPrefix = prefix;
            using var job = JobPreparer.Prepare(spec, t.Store, t.Owner);
            Assert.Equal(Evil("GIT_DIR"), job.Environment[prefix + "X_GIT_DIR"]);
            Assert.Equal(Evil("GIT_DIR"), job.Environment[prefix + "GIT_DIR"]);
            Assert.All(job.Environment.Keys, name => Assert.StartsWith(prefix, name, StringComparison.Ordinal));
        }

        [Fact]
        public void AVariableWithoutPrefixIsOnlyTheOneTheCallerNames()
        {
            using var t = StoreWithSteeringNames();
            var spec = AllSecretsSpec(t);
            spec.Environment.Add(new KeyValuePair<string, string>("GIT_DIR", "x.GIT_DIR"));
            using var job = JobPreparer.Prepare(spec, t.Store, t.Owner);
            Assert.Equal(Evil("GIT_DIR"), job.Environment["GIT_DIR"]);
            Assert.Equal(new[] { "GIT_DIR" }, job.Environment.Keys.Where(k => !k.StartsWith("SECRET_", StringComparison.Ordinal)));
        }
    }
}
