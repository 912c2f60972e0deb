using System;
using System.IO;
using System.Linq;
using Secrets.Core.Crypto;
using Secrets.Core.Format;
using Secrets.Core.Names;
using Secrets.Core.Store;
using Secrets.Core.Sync;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Sync
{
    /// <summary>
    /// What a clone pushes with plain git, around the store's rules: a forged version, a rollback,
    /// a rewritten log entry. The others refuse it on sync, name the commit and the file, and their
    /// store stays as it was and readable.
    /// </summary>
    [Collection("Git sync")]
    public sealed class GitSyncRefusalTests : IDisposable
    {
        private readonly GitTeam _team = new GitTeam();

        private Clone Alice => _team.Alice;
        private Clone Bob => _team.Bob;
        private Clone Carol => _team.Carol;

        public void Dispose() => _team.Dispose();

        [Fact]
        public void A_version_forged_by_a_reader_is_refused_naming_the_commit_and_the_file()
        {
            // carol may only read shared/api: she writes a version file herself and pushes it.
            var store = Carol.Store;
            var name = SecretName.Parse("shared/api");
            int newest = store.GetInfo(name.Value).Version;
            var folder = Path.Combine(Carol.StorePath, "secrets", name.Folder);
            var previous = new PreviousVersion(newest, Sha256.Hash(File.ReadAllBytes(Path.Combine(folder, $"v{newest}.secret"))));
            using (var value = SecretValue.FromString("forged"))
            {
                var data = SecretFileFormat.WriteSecret(store.Manifest.Id, name, newest + 1, value, SecretMetadata.Empty, DateTime.UtcNow, Carol.Identity,
                    store.Context.Policy.RecipientsOf(name), store.Context.Log.Head, previous);
                File.WriteAllBytes(Path.Combine(folder, $"v{newest + 1}.secret"), data);
            }

            var forged = PushByHand(Carol, "update the api key");
            var aliceBefore = Alice.Git("rev-parse", "HEAD").Trim();

            var e = Assert.Throws<SyncRefusedException>(() => Alice.Sync());

            Assert.Equal(forged, e.Commit);
            Assert.Equal($"team-store/secrets/shared.api/v{newest + 1}.secret", e.FilePath);
            Assert.Contains(forged.Substring(0, 12), e.Message);
            Assert.Contains("carol", e.Message);
            Assert.DoesNotContain(Alice.StateRoot, e.Message);
            Assert.Equal(aliceBefore, Alice.Git("rev-parse", "HEAD").Trim());
            Assert.False(File.Exists(Path.Combine(Alice.StorePath, "secrets", "shared.api", $"v{newest + 1}.secret")));
            Assert.Equal("api-0", Alice.Read("shared/api"));

            // Still refused the next time, and for everyone.
            Assert.Throws<SyncRefusedException>(() => Alice.Sync());
            Assert.Throws<SyncRefusedException>(() => Bob.Sync());
            Assert.Equal("api-0", Bob.Read("shared/api"));
        }

        [Fact]
        public void A_commit_that_takes_the_newest_version_away_is_refused_as_a_rollback()
        {
            Bob.Write("shared/db", "db-1");
            Bob.Sync();
            Alice.Sync();
            Assert.Equal("db-1", Alice.Read("shared/db"));

            int newest = Bob.Store.GetInfo("shared/db").Version;
            Bob.Git("rm", "-q", $"team-store/secrets/shared.db/v{newest}.secret");
            var rollback = PushByHand(Bob, "tidy up");

            var e = Assert.Throws<SyncRefusedException>(() => Alice.Sync());

            Assert.Equal(rollback, e.Commit);
            Assert.Contains("rollback", e.Message);
            Assert.Equal("db-1", Alice.Read("shared/db"));
        }

        [Fact]
        public void A_commit_that_rewrites_a_store_log_entry_is_refused()
        {
            var entry = Path.Combine(Bob.StorePath, "log", "3.entry");
            var bytes = File.ReadAllBytes(entry);
            bytes[bytes.Length - 10] ^= 1;
            File.WriteAllBytes(entry, bytes);
            var rewrite = PushByHand(Bob, "fix entry");

            var e = Assert.Throws<SyncRefusedException>(() => Carol.Sync());

            Assert.Equal(rewrite, e.Commit);
            Assert.Equal("team-store/log/3.entry", e.FilePath);
            Assert.Equal("db-0", Carol.Read("shared/db"));
        }

        [Fact]
        public void A_log_entry_added_by_someone_not_entitled_is_refused()
        {
            // carol, a member, appends an entry that makes her an admin, signed by herself.
            var store = Carol.Store;
            store.Context.Log.AppendMember(store.Manifest.Id, "set-role", Carol.Identity.Recipient, null, MemberRole.Admin, Carol.Identity);
            var forged = PushByHand(Carol, "promote");

            var e = Assert.Throws<SyncRefusedException>(() => Alice.Sync());

            Assert.Equal(forged, e.Commit);
            Assert.Contains("log", e.FilePath);
            Assert.Equal(MemberRole.Member, Alice.Store.FindMember("carol").Role);
        }

        private static string PushByHand(Clone clone, string message)
        {
            clone.Git("add", "-A");
            clone.Git("commit", "-q", "-m", message);
            clone.Git("push", "-q", "origin", "HEAD:main");
            return clone.Git("rev-parse", "HEAD").Trim();
        }
    }
}
