using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Secrets.Core.Jobs;
using Secrets.Core.Store;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Jobs
{
    public class JobPreparerTests
    {
        private static TestStore NewStore()
        {
            var t = new TestStore();
            t.Store.Write("prod/db", SecretValue.FromString("hunter2-password"), null, t.Owner, WriteMode.CreateOnly);
            t.Store.Write("tls", SecretValue.FromEntries(new[]
            {
                new SecretEntry("tls.crt", SecretValue.FromString("CERT-DATA-123")),
                new SecretEntry("tls.key", SecretValue.FromBytes(new byte[] { 1, 2, 3, 0, 255 })),
            }), null, t.Owner, WriteMode.CreateOnly);
            t.Store.Write("cred", SecretValue.FromCredential("bob", Encoding.UTF8.GetBytes("bobs-password")), null, t.Owner, WriteMode.CreateOnly);
            t.Store.Write("blob", SecretValue.FromBytes(new byte[] { 0xde, 0xad, 0xbe, 0xef }), null, t.Owner, WriteMode.CreateOnly);
            return t;
        }

        private static JobSpec Spec(TestStore t)
        {
            var baseDirectory = Path.Combine(t.Root, "work");
            Directory.CreateDirectory(baseDirectory);
            return new JobSpec { BaseDirectory = baseDirectory, JournalDirectory = Path.Combine(t.Root, "journals") };
        }

        [Fact]
        public void ResolvesEnvironmentForEveryKindOfReference()
        {
            using var t = NewStore();
            var spec = Spec(t);
            spec.Environment.Add(new KeyValuePair<string, string>("DB", "prod/db"));
            spec.Environment.Add(new KeyValuePair<string, string>("CRT", "tls.TLS.CRT"));
            spec.Environment.Add(new KeyValuePair<string, string>("USER", "cred.UserName"));
            spec.Environment.Add(new KeyValuePair<string, string>("PASS", "cred.password"));
            spec.Environment.Add(new KeyValuePair<string, string>("BLOB", "blob"));
            using var job = JobPreparer.Prepare(spec, t.Store, t.Owner);
            Assert.Equal("hunter2-password", job.Environment["DB"]);
            Assert.Equal("CERT-DATA-123", job.Environment["CRT"]);
            Assert.Equal("bob", job.Environment["USER"]);
            Assert.Equal("bobs-password", job.Environment["PASS"]);
            Assert.Equal("3q2+7w==", job.Environment["BLOB"]);
            Assert.Empty(job.Files.Files);
            Assert.DoesNotContain(JobSpec.DefaultPrivateDirectoryVariable, job.Environment.Keys);
        }

        [Fact]
        public void ValidationListsEveryProblemAndWritesNothing()
        {
            using var t = NewStore();
            var spec = Spec(t);
            var existing = Path.Combine(spec.BaseDirectory, "exists.txt");
            File.WriteAllText(existing, "keep me");
            spec.Environment.Add(new KeyValuePair<string, string>("A", "missing-one"));
            spec.Environment.Add(new KeyValuePair<string, string>("B", "tls.nokey"));
            spec.Environment.Add(new KeyValuePair<string, string>("C", "cred"));
            spec.Environment.Add(new KeyValuePair<string, string>("D", "tls"));
            spec.Environment.Add(new KeyValuePair<string, string>("E", "prod/db.key"));
            spec.Environment.Add(new KeyValuePair<string, string>("F", "bad name"));
            spec.Files.Add(new KeyValuePair<string, string>("./exists.txt", "prod/db"));
            spec.Files.Add(new KeyValuePair<string, string>("new.txt", "missing-two"));
            spec.Files.Add(new KeyValuePair<string, string>("./written-if-valid.txt", "prod/db"));
            spec.Directories.Add(new KeyValuePair<string, string>("./dir", "prod/db"));
            var error = Assert.Throws<JobValidationException>(() => JobPreparer.Prepare(spec, t.Store, t.Owner));
            Assert.Equal("JobValidationFailed", error.ErrorId);
            var all = string.Join("\n", error.Problems);
            Assert.Contains("'missing-one' does not exist", all);
            Assert.Contains("'missing-two' does not exist", all);
            Assert.Contains("no key 'nokey'", all);
            Assert.Contains("'cred' is a PSCredential", all);
            Assert.Contains("'tls' is a hashtable", all);
            Assert.Contains("it has no key 'key'", all);
            Assert.Contains("'bad name'", all);
            Assert.Contains("already exists", all);
            Assert.Contains("a folder takes a hashtable or credential secret", all);
            Assert.Equal(9, error.Problems.Count);
            Assert.Equal(error.Problems.Count, error.Message.Split('\n').Length - 1);
            Assert.Equal("keep me", File.ReadAllText(existing));
            Assert.False(File.Exists(Path.Combine(spec.BaseDirectory, "written-if-valid.txt")));
            Assert.DoesNotContain("hunter2-password", error.Message);
        }

        [Fact]
        public void WritesOwnerOnlyFilesAndErasesThemOnDispose()
        {
            using var t = NewStore();
            var spec = Spec(t);
            spec.Files.Add(new KeyValuePair<string, string>("db.txt", "prod/db"));
            spec.Files.Add(new KeyValuePair<string, string>("./nested/new/blob.bin", "blob"));
            spec.Directories.Add(new KeyValuePair<string, string>("tls", "tls"));
            spec.Directories.Add(new KeyValuePair<string, string>("./creds", "cred"));
            string privateDirectory;
            string blob = Path.Combine(spec.BaseDirectory, "nested", "new", "blob.bin");
            using (var job = JobPreparer.Prepare(spec, t.Store, t.Owner))
            {
                privateDirectory = job.Environment[JobSpec.DefaultPrivateDirectoryVariable];
                Assert.Equal("hunter2-password", File.ReadAllText(Path.Combine(privateDirectory, "db.txt")));
                Assert.Equal("CERT-DATA-123", File.ReadAllText(Path.Combine(privateDirectory, "tls", "tls.crt")));
                Assert.Equal(new byte[] { 1, 2, 3, 0, 255 }, File.ReadAllBytes(Path.Combine(privateDirectory, "tls", "tls.key")));
                Assert.Equal(new byte[] { 0xde, 0xad, 0xbe, 0xef }, File.ReadAllBytes(blob));
                Assert.Equal("bob", File.ReadAllText(Path.Combine(spec.BaseDirectory, "creds", "UserName")));
                Assert.Equal("bobs-password", File.ReadAllText(Path.Combine(spec.BaseDirectory, "creds", "Password")));
                if (OperatingSystem.IsLinux())
                {
                    Assert.StartsWith("/dev/shm/", privateDirectory);
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(privateDirectory));
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(blob));
                }
            }

            Assert.False(Directory.Exists(privateDirectory));
            Assert.False(File.Exists(blob));
            Assert.False(Directory.Exists(Path.Combine(spec.BaseDirectory, "nested")));
            Assert.False(Directory.Exists(Path.Combine(spec.BaseDirectory, "creds")));
            Assert.True(Directory.Exists(spec.BaseDirectory));
        }

        [Fact]
        public void KeepsFoldersThatExistedAndOtherFilesInThem()
        {
            using var t = NewStore();
            var spec = Spec(t);
            var folder = Path.Combine(spec.BaseDirectory, "run");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "other.txt"), "not a secret");
            spec.Files.Add(new KeyValuePair<string, string>("./run/db.txt", "prod/db"));
            using (JobPreparer.Prepare(spec, t.Store, t.Owner))
            {
                Assert.True(File.Exists(Path.Combine(folder, "db.txt")));
            }

            Assert.False(File.Exists(Path.Combine(folder, "db.txt")));
            Assert.Equal("not a secret", File.ReadAllText(Path.Combine(folder, "other.txt")));
        }

        [Fact]
        public void RendersTemplatesAndRejectsUnknownReferences()
        {
            using var t = NewStore();
            var spec = Spec(t);
            File.WriteAllText(Path.Combine(spec.BaseDirectory, "app.conf.tmpl"), "password={{ prod/db }}\ncert={{tls.tls.crt}}\nkeep={{ .Values.x }}\n");
            spec.Templates.Add(new KeyValuePair<string, string>("./app.conf", "app.conf.tmpl"));
            using (var job = JobPreparer.Prepare(spec, t.Store, t.Owner))
            {
                Assert.Equal("password=hunter2-password\ncert=CERT-DATA-123\nkeep={{ .Values.x }}\n", File.ReadAllText(Path.Combine(spec.BaseDirectory, "app.conf")));
                Assert.Equal("***", job.Masker.Apply("hunter2-password"));
            }

            Assert.False(File.Exists(Path.Combine(spec.BaseDirectory, "app.conf")));
            File.WriteAllText(Path.Combine(spec.BaseDirectory, "bad.tmpl"), "a={{ nope }} b={{ tls.none }}");
            var bad = Spec(t);
            bad.BaseDirectory = spec.BaseDirectory;
            bad.Templates.Add(new KeyValuePair<string, string>("bad.conf", "bad.tmpl"));
            var error = Assert.Throws<JobValidationException>(() => JobPreparer.Prepare(bad, t.Store, t.Owner));
            Assert.Equal(2, error.Problems.Count);
        }

        [Fact]
        public void ATemplateLargerThanTheLimitIsAProblemAndIsNotReadWhole()
        {
            using var t = NewStore();
            var spec = Spec(t);
            var large = Path.Combine(spec.BaseDirectory, "large.tmpl");
            File.WriteAllBytes(large, Enumerable.Repeat((byte)'a', JobPreparer.MaxTemplateBytes + 1).ToArray());
            spec.Templates.Add(new KeyValuePair<string, string>("large.conf", "large.tmpl"));
            var error = Assert.Throws<JobValidationException>(() => JobPreparer.Prepare(spec, t.Store, t.Owner));
            Assert.Equal($"template 'large.tmpl': '{large}' is larger than 16 MiB", Assert.Single(error.Problems));
        }

        [Support.UnixFact]
        public void ADeviceAsATemplateIsAProblemAndIsNotRead()
        {
            using var t = NewStore();
            var spec = Spec(t);
            spec.Templates.Add(new KeyValuePair<string, string>("zero.conf", "/dev/zero"));
            var error = Assert.Throws<JobValidationException>(() => JobPreparer.Prepare(spec, t.Store, t.Owner));
            Assert.Equal("template '/dev/zero': '/dev/zero' is a character device, not a regular file", Assert.Single(error.Problems));
            Assert.False(File.Exists(Path.Combine(spec.BaseDirectory, "zero.conf")));
        }

        [Fact]
        public void AllSecretsMapsNamesAndKeys()
        {
            using var t = NewStore();
            var spec = Spec(t);
            spec.AllSecrets = true;
            spec.AllSecretsPrefix = "APP_";
            spec.Environment.Add(new KeyValuePair<string, string>("APP_PROD_DB", "tls.tls.crt"));
            using var job = JobPreparer.Prepare(spec, t.Store, t.Owner);
            Assert.Equal("CERT-DATA-123", job.Environment["APP_PROD_DB"]);
            Assert.Equal("CERT-DATA-123", job.Environment["APP_TLS_TLS_CRT"]);
            Assert.Equal("AQIDAP8=", job.Environment["APP_TLS_TLS_KEY"]);
            Assert.Equal("bob", job.Environment["APP_CRED_USERNAME"]);
            Assert.Equal("bobs-password", job.Environment["APP_CRED_PASSWORD"]);
            Assert.Equal("3q2+7w==", job.Environment["APP_BLOB"]);
        }

        [Fact]
        public void AllSecretsReportsNameCollisions()
        {
            using var t = NewStore();
            t.Store.Write("prod-db", SecretValue.FromString("other-value"), null, t.Owner, WriteMode.CreateOnly);
            var spec = Spec(t);
            spec.AllSecrets = true;
            spec.AllSecretsFilter = name => name.StartsWith("prod", StringComparison.Ordinal);
            var error = Assert.Throws<JobValidationException>(() => JobPreparer.Prepare(spec, t.Store, t.Owner));
            Assert.Contains("both map to the variable SECRET_PROD_DB", Assert.Single(error.Problems));
        }

        [Fact]
        public void AllSecretsPrefixesEveryNameAndNeverReplacesAnExistingVariable()
        {
            using var t = NewStore();
            t.Store.Write("git", SecretValue.FromEntries(new[] { new SecretEntry("ssh_command", SecretValue.FromString("evil-command")) }), null, t.Owner, WriteMode.CreateOnly);
            t.Store.Write("ld", SecretValue.FromEntries(new[] { new SecretEntry("preload", SecretValue.FromString("/tmp/evil.so")) }), null, t.Owner, WriteMode.CreateOnly);
            var existing = "SECRETS_TEST_EXISTING_" + Guid.NewGuid().ToString("N").ToUpperInvariant();
            t.Store.Write(existing.ToLowerInvariant(), SecretValue.FromString("replacement"), null, t.Owner, WriteMode.CreateOnly);
            Environment.SetEnvironmentVariable(EnvironmentNames.DefaultPrefix + existing, "original");
            try
            {
                var spec = Spec(t);
                spec.AllSecrets = true;
                var error = Assert.Throws<JobValidationException>(() => JobPreparer.Prepare(spec, t.Store, t.Owner));
                Assert.Contains($"would replace the existing environment variable SECRET_{existing}", Assert.Single(error.Problems));

                spec.AllSecretsPrefix = "APP_";
                using var job = JobPreparer.Prepare(spec, t.Store, t.Owner);
                Assert.Equal("evil-command", job.Environment["APP_GIT_SSH_COMMAND"]);
                Assert.Equal("/tmp/evil.so", job.Environment["APP_LD_PRELOAD"]);
                Assert.Equal("replacement", job.Environment["APP_" + existing]);
                Assert.DoesNotContain("GIT_SSH_COMMAND", job.Environment.Keys);
                Assert.DoesNotContain("LD_PRELOAD", job.Environment.Keys);
            }
            finally
            {
                Environment.SetEnvironmentVariable(EnvironmentNames.DefaultPrefix + existing, null);
            }
        }

        [Fact]
        public void DescribeNamesTargetsWithoutValues()
        {
            using var t = NewStore();
            var spec = Spec(t);
            spec.Environment.Add(new KeyValuePair<string, string>("DB", "prod/db"));
            spec.Files.Add(new KeyValuePair<string, string>("db.txt", "prod/db"));
            spec.AllSecrets = true;
            var lines = JobPreparer.Describe(spec, t.Store);
            var text = string.Join("\n", lines);
            Assert.Contains("environment variable DB <- 'prod/db'", text);
            Assert.Contains("$SECRETS_DIR/db.txt", text);
            Assert.Contains("environment variable SECRET_PROD_DB <- 'prod/db'", text);
            Assert.DoesNotContain("hunter2", text);
            Assert.False(Directory.EnumerateFileSystemEntries(spec.BaseDirectory).Any());
        }

        [Fact]
        public void MaskerCoversEveryInjectedValue()
        {
            using var t = NewStore();
            var spec = Spec(t);
            spec.Environment.Add(new KeyValuePair<string, string>("DB", "prod/db"));
            spec.Directories.Add(new KeyValuePair<string, string>("tls", "tls"));
            using var job = JobPreparer.Prepare(spec, t.Store, t.Owner);
            Assert.Equal("*** ***", job.Masker.Apply("hunter2-password CERT-DATA-123"));
            spec.Mask = false;
            spec.Directories.Clear();
            using var unmasked = JobPreparer.Prepare(spec, t.Store, t.Owner);
            Assert.Equal("hunter2-password", unmasked.Masker.Apply("hunter2-password"));
        }
    }
}

namespace Secrets.Core.Tests.Jobs
{
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public class AbandonedFolderTests
    {
        [Secrets.Core.Tests.Support.UnixFact]
        public void FoldersOfProcessesThatNoLongerRunAreErased()
        {
            var root = Path.Combine(Path.GetTempPath(), "secrets-abandoned-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(root);
            try
            {
                var dead = Path.Combine(root, JobFiles.PrivateFolderPrefix + "dead");
                var alive = Path.Combine(root, JobFiles.PrivateFolderPrefix + "alive");
                var foreign = Path.Combine(root, "unrelated");
                var open = Path.Combine(root, JobFiles.PrivateFolderPrefix + "open");
                foreach (var directory in new[] { dead, alive, foreign, open })
                {
                    Directory.CreateDirectory(directory);
                    File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                    File.WriteAllText(Path.Combine(directory, "db.txt"), "secret");
                }

                // A folder others can enter is not one a job made: left alone even with a dead owner.
                File.SetUnixFileMode(open, (UnixFileMode)Convert.ToInt32("777", 8));

                using var finished = System.Diagnostics.Process.Start("true")!;
                finished.WaitForExit();
                File.WriteAllText(Path.Combine(dead, JobFiles.OwnerFile), finished.Id.ToString());
                File.WriteAllText(Path.Combine(alive, JobFiles.OwnerFile), Environment.ProcessId.ToString());
                File.WriteAllText(Path.Combine(foreign, JobFiles.OwnerFile), finished.Id.ToString());
                File.WriteAllText(Path.Combine(open, JobFiles.OwnerFile), finished.Id.ToString());

                Assert.Equal(1, JobFiles.RemoveAbandoned(root));
                Assert.False(Directory.Exists(dead));
                Assert.True(File.Exists(Path.Combine(alive, "db.txt")));
                Assert.True(File.Exists(Path.Combine(foreign, "db.txt")));
                Assert.True(File.Exists(Path.Combine(open, "db.txt")));
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
