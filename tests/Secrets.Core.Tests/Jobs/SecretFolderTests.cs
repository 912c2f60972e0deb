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
    /// <summary>A folder with every readable secret a filter accepts, one entry per secret, as a secrets volume.</summary>
    public class SecretFolderTests
    {
        private static TestStore NewStore()
        {
            var t = new TestStore();
            t.Store.Write("prod/db", SecretValue.FromString("hunter2-password"), null, t.Owner, WriteMode.CreateOnly);
            t.Store.Write("prod/api/Token", SecretValue.FromUtf8(SecretType.SecureString, Encoding.UTF8.GetBytes("token-value-55")), null, t.Owner, WriteMode.CreateOnly);
            t.Store.Write("tls", SecretValue.FromEntries(new[]
            {
                new SecretEntry("tls.crt", SecretValue.FromString("CERT-DATA-123")),
                new SecretEntry("tls.key", SecretValue.FromBytes(new byte[] { 1, 2, 3, 0, 255 })),
            }), null, t.Owner, WriteMode.CreateOnly);
            t.Store.Write("cred", SecretValue.FromCredential("bob", Encoding.UTF8.GetBytes("bobs-password")), null, t.Owner, WriteMode.CreateOnly);
            t.Store.Write("blob", SecretValue.FromBytes(new byte[] { 0xde, 0xad, 0xbe, 0xef }), null, t.Owner, WriteMode.CreateOnly);
            return t;
        }

        private static JobSpec Spec(string root)
        {
            var baseDirectory = Path.Combine(root, "work");
            Directory.CreateDirectory(baseDirectory);
            return new JobSpec { BaseDirectory = baseDirectory, JournalDirectory = Path.Combine(root, "journals") };
        }

        private static SecretFolderMount Mount(string path, string prefix) =>
            new SecretFolderMount(path, prefix + "*", name => name.StartsWith(prefix, StringComparison.Ordinal));

        [Fact]
        public void EverySecretIsOneEntryNamedAfterItWithDotsForSlashes()
        {
            using var t = NewStore();
            var spec = Spec(t.Root);
            var folder = Path.Combine(spec.BaseDirectory, "run", "secrets");
            spec.SecretFolders.Add(Mount(folder, string.Empty));

            using (var job = JobPreparer.Prepare(spec, t.Store, t.Owner))
            {
                Assert.Equal("hunter2-password", File.ReadAllText(Path.Combine(folder, "prod.db")));
                Assert.Equal("token-value-55", File.ReadAllText(Path.Combine(folder, "prod.api.Token")));
                Assert.Equal(new byte[] { 0xde, 0xad, 0xbe, 0xef }, File.ReadAllBytes(Path.Combine(folder, "blob")));
                Assert.Equal("CERT-DATA-123", File.ReadAllText(Path.Combine(folder, "tls", "tls.crt")));
                Assert.Equal(new byte[] { 1, 2, 3, 0, 255 }, File.ReadAllBytes(Path.Combine(folder, "tls", "tls.key")));
                Assert.Equal("bob", File.ReadAllText(Path.Combine(folder, "cred", "UserName")));
                Assert.Equal("bobs-password", File.ReadAllText(Path.Combine(folder, "cred", "Password")));
                Assert.Equal(new[] { "blob", "cred", "prod.api.Token", "prod.db", "tls" },
                    Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
                if (OperatingSystem.IsLinux())
                {
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, "prod.db")));
                }

                Assert.Contains(job.Description, d => d.EndsWith("<- 5 secrets matching '*': blob, cred, prod.api.Token, prod.db, tls", StringComparison.Ordinal));
                Assert.Equal("***", job.Masker.Apply("token-value-55"));
            }

            Assert.False(Directory.Exists(Path.Combine(spec.BaseDirectory, "run")));
        }

        [Fact]
        public void AFilterTakesOnlyTheSecretsItMatchesAndABareNameIsInThePrivateFolder()
        {
            using var t = NewStore();
            var spec = Spec(t.Root);
            spec.SecretFolders.Add(Mount("secrets", "prod/"));

            using var job = JobPreparer.Prepare(spec, t.Store, t.Owner);

            var folder = Path.Combine(job.Environment[JobSpec.DefaultPrivateDirectoryVariable], "secrets");
            Assert.Equal(new[] { "prod.api.Token", "prod.db" }, Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
        }

        [Fact]
        public void NoMatchStopsTheJobUnlessValidationIsNone()
        {
            using var t = NewStore();
            var spec = Spec(t.Root);
            spec.SecretFolders.Add(Mount("secrets", "nothing/"));

            var error = Assert.Throws<JobValidationException>(() => JobPreparer.Prepare(spec, t.Store, t.Owner));
            Assert.Equal("folder 'secrets': no secret you can read matches 'nothing/*'", Assert.Single(error.Problems));

            spec.Validation = JobValidation.None;
            using var job = JobPreparer.Prepare(spec, t.Store, t.Owner);
            Assert.Empty(job.Files.Files);
            Assert.Equal("folder 'secrets': no secret you can read matches 'nothing/*'; the folder is not created (-Validation None)", Assert.Single(job.Warnings));
        }

        [Fact]
        public void OnlyWhatTheReaderCanReadIsMounted()
        {
            using var team = new Team();
            team.Alice.Write("prod/db", "alice-only-value");
            team.Alice.Write("prod/api", "shared-value");
            team.Alice.Store.Grant("prod/api", "bob", AccessLevel.Read, team.Alice.Identity);
            var spec = Spec(Path.Combine(team.Root, "bob-job"));
            var folder = Path.Combine(spec.BaseDirectory, "secrets");
            spec.SecretFolders.Add(Mount(folder, string.Empty));

            using var job = JobPreparer.Prepare(spec, team.Bob.Store, team.Bob.Identity);

            Assert.Equal(new[] { "prod.api" }, Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName));
            Assert.Empty(job.Warnings);
        }

        [Fact]
        public void AnExistingFileIsNeverOverwritten()
        {
            using var t = NewStore();
            var spec = Spec(t.Root);
            var folder = Path.Combine(spec.BaseDirectory, "secrets");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "prod.db"), "keep me");
            spec.SecretFolders.Add(Mount(folder, "prod/"));

            var error = Assert.Throws<JobValidationException>(() => JobPreparer.Prepare(spec, t.Store, t.Owner));
            Assert.Contains("already exists", Assert.Single(error.Problems));
            Assert.Equal("keep me", File.ReadAllText(Path.Combine(folder, "prod.db")));
            Assert.False(File.Exists(Path.Combine(folder, "prod.api.Token")));
        }
    }
}
