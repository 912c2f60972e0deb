using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Secrets.Core.Jobs;
using Secrets.Core.Store;
using Secrets.Core.Tests.Sharing;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Jobs
{
    /// <summary>
    /// -Validation: Strict stops the job for anything missing; SecretExists lets missing keys (and
    /// secrets not encrypted to the reader) through; None lets every missing thing through. What is
    /// let through is skipped with a warning; mistakes and damaged files always stop the job.
    /// And the dry run (Resolve) reads and checks everything and writes nothing.
    /// </summary>
    public class JobValidationLevelTests
    {
        private static TestStore NewStore()
        {
            var t = new TestStore();
            t.Store.Write("prod/db", SecretValue.FromString("hunter2-password"), null, t.Owner, WriteMode.CreateOnly);
            t.Store.Write("tls", SecretValue.FromEntries(new[] { new SecretEntry("tls.crt", SecretValue.FromString("CERT-DATA-123")) }), null, t.Owner, WriteMode.CreateOnly);
            return t;
        }

        private static JobSpec Spec(string root, JobValidation validation)
        {
            var baseDirectory = Path.Combine(root, "work");
            Directory.CreateDirectory(baseDirectory);
            var spec = new JobSpec { BaseDirectory = baseDirectory, JournalDirectory = Path.Combine(root, "journals"), Validation = validation };
            spec.Environment.Add(new KeyValuePair<string, string>("DB", "prod/db"));
            spec.Environment.Add(new KeyValuePair<string, string>("GONE", "missing"));
            spec.Environment.Add(new KeyValuePair<string, string>("NOKEY", "tls.nokey"));
            spec.Files.Add(new KeyValuePair<string, string>("missing.txt", "missing"));
            return spec;
        }

        [Fact]
        public void StrictStopsForAMissingSecretOrKey()
        {
            using var t = NewStore();
            var error = Assert.Throws<JobValidationException>(() => JobPreparer.Prepare(Spec(t.Root, JobValidation.Strict), t.Store, t.Owner));
            Assert.Equal(2, error.Problems.Count);
            Assert.Contains(error.Problems, p => p == "secret 'missing' does not exist (used by environment variable GONE, file 'missing.txt')");
            Assert.Contains(error.Problems, p => p.StartsWith("environment variable NOKEY: Secret 'tls' has no key 'nokey'. Its keys: 'tls.crt'.", StringComparison.Ordinal));
        }

        [Fact]
        public void SecretExistsLetsAMissingKeyThroughWithAWarning()
        {
            using var t = NewStore();
            var error = Assert.Throws<JobValidationException>(() => JobPreparer.Prepare(Spec(t.Root, JobValidation.SecretExists), t.Store, t.Owner));
            Assert.Equal("secret 'missing' does not exist (used by environment variable GONE, file 'missing.txt')", Assert.Single(error.Problems));

            var spec = Spec(t.Root, JobValidation.SecretExists);
            spec.Environment.RemoveAll(e => e.Key == "GONE");
            spec.Files.Clear();
            using var job = JobPreparer.Prepare(spec, t.Store, t.Owner);
            Assert.Equal("hunter2-password", job.Environment["DB"]);
            Assert.False(job.Environment.ContainsKey("NOKEY"));
            Assert.Equal("environment variable NOKEY: Secret 'tls' has no key 'nokey'. Its keys: 'tls.crt'; skipped (-Validation SecretExists)", Assert.Single(job.Warnings));
        }

        [Fact]
        public void NoneLetsEveryMissingThingThroughButNeverAMistake()
        {
            using var t = NewStore();
            using (var job = JobPreparer.Prepare(Spec(t.Root, JobValidation.None), t.Store, t.Owner))
            {
                Assert.Equal(new[] { "DB" }, job.Environment.Keys);
                Assert.Empty(job.Files.Files);
                Assert.Equal(2, job.Warnings.Count);
                Assert.Contains("secret 'missing' does not exist (used by environment variable GONE, file 'missing.txt'); skipped (-Validation None)", job.Warnings);
                Assert.Contains(job.Warnings, w => w.StartsWith("environment variable NOKEY: Secret 'tls' has no key 'nokey'", StringComparison.Ordinal));
                Assert.DoesNotContain(job.Warnings, w => w.Contains("hunter2") || w.Contains("CERT-DATA"));
            }

            // A hashtable where one value is needed, a key of a string, a bad name: still problems.
            var spec = Spec(t.Root, JobValidation.None);
            spec.Environment.Add(new KeyValuePair<string, string>("WHOLE", "tls"));
            spec.Environment.Add(new KeyValuePair<string, string>("KEYOFSTRING", "prod/db.x"));
            spec.Environment.Add(new KeyValuePair<string, string>("BAD", "bad name"));
            var error = Assert.Throws<JobValidationException>(() => JobPreparer.Prepare(spec, t.Store, t.Owner));
            Assert.Equal(3, error.Problems.Count);
        }

        [Fact]
        public void ASecretNotEncryptedToTheReaderStopsOnlyAStrictJob()
        {
            using var team = new Team();
            team.Alice.Write("prod/db", "alice-only-value");
            team.Alice.Write("prod/api", "shared-value");
            team.Alice.Store.Grant("prod/api", "bob", AccessLevel.Read, team.Alice.Identity);
            var root = Path.Combine(team.Root, "bob-job");
            var spec = new JobSpec { BaseDirectory = root, JournalDirectory = Path.Combine(root, "journals") };
            spec.Environment.Add(new KeyValuePair<string, string>("DB", "prod/db"));
            spec.Environment.Add(new KeyValuePair<string, string>("API", "prod/api"));

            var error = Assert.Throws<JobValidationException>(() => JobPreparer.Prepare(spec, team.Bob.Store, team.Bob.Identity));
            Assert.Contains("not encrypted to your identity", Assert.Single(error.Problems));

            spec.Validation = JobValidation.SecretExists;
            using var job = JobPreparer.Prepare(spec, team.Bob.Store, team.Bob.Identity);
            Assert.Equal("shared-value", job.Environment["API"]);
            Assert.False(job.Environment.ContainsKey("DB"));
            Assert.Contains("not encrypted to your identity", Assert.Single(job.Warnings));
        }

        [Fact]
        public void ARelaxedTemplateKeepsMissingReferencesAsWritten()
        {
            using var t = NewStore();
            var spec = Spec(t.Root, JobValidation.None);
            File.WriteAllText(Path.Combine(spec.BaseDirectory, "app.tmpl"), "db={{ prod/db }}\nkey={{ tls.nokey }}\nold={{missing}}\nvar=\\{{ item }}\n");
            spec.Templates.Add(new KeyValuePair<string, string>("app.conf", "app.tmpl"));

            using var job = JobPreparer.Prepare(spec, t.Store, t.Owner);

            var rendered = File.ReadAllText(Path.Combine(job.Environment[JobSpec.DefaultPrivateDirectoryVariable], "app.conf"));
            Assert.Equal("db=hunter2-password\nkey={{ tls.nokey }}\nold={{missing}}\nvar={{ item }}\n", rendered);
            Assert.Contains(job.Warnings, w => w == "template 'app.tmpl': Secret 'tls' has no key 'nokey'. Its keys: 'tls.crt'; the reference is left as written (-Validation None)");
            Assert.Contains(job.Warnings, w => w.StartsWith("secret 'missing' does not exist (used by environment variable GONE, file 'missing.txt', template 'app.tmpl')", StringComparison.Ordinal));
            Assert.Contains(job.Description, d => d.Contains("(1 references, 2 left as written)"));

            // Strict: the same template stops the job.
            spec.Validation = JobValidation.Strict;
            Assert.Throws<JobValidationException>(() => JobPreparer.Prepare(spec, t.Store, t.Owner));
        }

        [Fact]
        public void ResolveReadsAndChecksEverythingAndWritesNothing()
        {
            using var t = NewStore();
            var spec = Spec(t.Root, JobValidation.Strict);
            spec.Files.Add(new KeyValuePair<string, string>("./out/db.txt", "prod/db"));

            using (var resolved = JobPreparer.Resolve(spec, t.Store, t.Owner))
            {
                Assert.Equal(2, resolved.Problems.Count);
                Assert.Contains(resolved.Description, d => d == "environment variable DB <- 'prod/db'");
                Assert.Contains(resolved.Description, d => d.EndsWith("out/db.txt' <- 'prod/db'", StringComparison.Ordinal));
                Assert.False(Directory.EnumerateFileSystemEntries(spec.BaseDirectory).Any());
                var error = Assert.Throws<JobValidationException>(() => resolved.Start());
                Assert.Equal(resolved.Problems, error.Problems);
                Assert.False(Directory.EnumerateFileSystemEntries(spec.BaseDirectory).Any());
            }

            var dryRun = new JobValidationException(new[] { "a problem" }, dryRun: true);
            Assert.StartsWith("The job would not start: 1 problem with its secrets:", dryRun.Message);
            Assert.False(Directory.Exists(spec.JournalDirectory) && Directory.EnumerateFileSystemEntries(spec.JournalDirectory).Any());
        }
    }
}
