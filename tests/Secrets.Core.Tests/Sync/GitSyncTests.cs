using System;
using System.IO;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Store;
using Secrets.Core.Sync;
using Xunit;

namespace Secrets.Core.Tests.Sync
{
    /// <summary>
    /// Concurrent changes made apart by alice (owner), bob (admin) and carol (member), merged by
    /// syncing through a bare repository with the real git: nothing lost, nothing left to resolve
    /// by hand, every file verifiable, and what the merged state forbids reported.
    /// </summary>
    [Collection("Git sync")]
    public sealed class GitSyncTests : IDisposable
    {
        private readonly GitTeam _team = new GitTeam();

        private Clone Alice => _team.Alice;
        private Clone Bob => _team.Bob;
        private Clone Carol => _team.Carol;

        public void Dispose() => _team.Dispose();

        [Fact]
        public void A_hand_over_pushed_by_the_owner_is_accepted_by_those_who_pinned_them()
        {
            Carol.Store.GetMembers();
            Alice.Store.HandOver("bob", Alice.Identity);
            Assert.True(Alice.Sync().Pushed);
            Carol.Sync();
            Bob.Sync();

            Assert.Equal(Bob.Identity.Recipient, Carol.Store.Manifest.Owner);
            Assert.Equal(MemberRole.Admin, Carol.Store.FindMember("alice").Role);
            Bob.Store.SetKeepVersions(20, Bob.Identity);
            Bob.Sync();
            Alice.Sync();
            Assert.Equal(20, Alice.Store.Manifest.KeepVersions);
        }

        [Fact]
        public void A_hand_over_is_not_merged_with_changes_made_meanwhile()
        {
            Alice.Store.HandOver("bob", Alice.Identity);
            Carol.Write("shared/db", "db-carol");
            Carol.Sync();
            var error = Assert.Throws<SecretsException>(() => Alice.Sync());
            Assert.Equal("SyncHandOverConflict", error.ErrorId);
            Assert.Equal(Bob.Identity.Recipient, Alice.Store.Manifest.Owner);
        }

        [Fact]
        public void Both_sides_add_different_secrets()
        {
            Alice.Write("from/alice", "a1");
            Bob.Write("from/bob", "b1");
            var first = Alice.Sync();
            var second = Bob.Sync();

            Assert.True(first.Pushed);
            Assert.True(second.Pushed);
            Assert.Equal(1, second.Received);
            Assert.All(second.Changes, c => Assert.True(c.Applied, c.ToString()));
            _team.Converge();
            Assert.Equal(Alice.Files(), Bob.Files());
            Assert.Equal(Alice.Files(), Carol.Files());
            Assert.Equal("b1", Alice.Read("from/bob"));
            Assert.Equal("a1", Bob.Read("from/alice"));
        }

        [Fact]
        public void Both_write_the_same_secret_and_both_values_stay_the_later_newest()
        {
            Alice.Write("shared/db", "db-alice");
            Carol.Write("shared/db", "db-carol");
            Alice.Sync();
            var carol = Carol.Sync();

            var change = Assert.Single(carol.Changes);
            Assert.True(change.Applied);
            Assert.Contains("both values are kept", change.Reason);
            _team.Converge();
            Assert.Equal(new[] { "db-0", "db-alice", "db-carol" }, Alice.Values("shared/db"));
            Assert.Equal("db-carol", Bob.Read("shared/db"));
            Assert.Equal(Alice.Files(), Carol.Files());
        }

        [Fact]
        public void A_write_made_apart_from_a_grant_is_encrypted_for_the_new_reader()
        {
            Alice.Store.Grant("alice/only", "carol", AccessLevel.Read, Alice.Identity);
            Bob.Write("alice/only", "bob-wrote");
            Alice.Sync();
            Bob.Sync();
            _team.Converge();

            Assert.Equal("bob-wrote", Carol.Read("alice/only"));
            Assert.Equal(AccessLevel.Read, Carol.Store.AccessOf(Carol.Identity.Recipient, "alice/only"));
        }

        [Fact]
        public void A_grant_made_apart_from_a_write_is_replayed_on_top_and_reencrypts_it()
        {
            Bob.Write("alice/only", "bob-wrote");
            Alice.Store.Grant("alice/only", "carol", AccessLevel.Read, Alice.Identity);
            Bob.Sync();
            var alice = Alice.Sync();

            Assert.All(alice.Changes, c => Assert.True(c.Applied, c.ToString()));
            _team.Converge();
            Assert.Equal("bob-wrote", Carol.Read("alice/only"));
        }

        [Fact]
        public void A_write_by_a_member_whose_access_was_revoked_meanwhile_is_not_applied_and_is_reported()
        {
            Alice.Store.Revoke("shared/db", "carol", Alice.Identity);
            Carol.Write("shared/db", "db-carol");
            Alice.Sync();
            var carol = Carol.Sync();

            var refused = Assert.Single(carol.NotApplied);
            Assert.Equal(SyncChangeKind.Write, refused.Kind);
            Assert.Equal("shared/db", refused.Secret);
            _team.Converge();
            Assert.DoesNotContain("db-carol", Alice.History("shared/db"));
            Assert.Equal(Alice.Files(), Carol.Files());
            Assert.Throws<NotARecipientException>(() => Carol.Read("shared/db"));
        }

        [Fact]
        public void A_revocation_synced_after_the_members_write_keeps_the_write_and_locks_the_member_out()
        {
            Carol.Write("shared/db", "db-carol");
            Alice.Store.Revoke("shared/db", "carol", Alice.Identity);
            Carol.Sync();
            var alice = Alice.Sync();

            Assert.All(alice.Changes, c => Assert.True(c.Applied, c.ToString()));
            _team.Converge();
            Assert.Equal(new[] { "db-0", "db-carol" }, Alice.Values("shared/db"));
            Assert.Equal(AccessLevel.None, Alice.Store.AccessOf(Carol.Identity.Recipient, "shared/db"));
            Assert.Throws<NotARecipientException>(() => Carol.Read("shared/db"));
        }

        [Fact]
        public void Changes_by_a_member_removed_meanwhile_are_not_applied()
        {
            Alice.Store.RemoveMember("carol", Alice.Identity);
            Carol.Write("shared/db", "db-carol-1");
            Carol.Write("shared/db", "db-carol-2");
            Alice.Sync();
            var carol = Carol.Sync();

            Assert.Equal(2, carol.NotApplied.Count);
            Assert.DoesNotContain(carol.Changes, c => c.Applied);
            _team.Converge();
            Assert.Equal(Alice.Files(), Carol.Files());
            Assert.DoesNotContain(Alice.History("shared/db"), v => v.StartsWith("db-carol", StringComparison.Ordinal));
        }

        [Fact]
        public void Grant_and_revoke_of_the_same_access_made_apart_leave_the_lower_access()
        {
            Alice.Store.Revoke("shared/api", "carol", Alice.Identity);
            Bob.Store.Grant("shared/api", "carol", AccessLevel.Write, Bob.Identity);
            Alice.Sync();
            var bob = Bob.Sync();

            var refused = Assert.Single(bob.NotApplied);
            Assert.Contains("lower one stands", refused.Reason);
            _team.Converge();
            Assert.Equal(AccessLevel.None, Bob.Store.AccessOf(Carol.Identity.Recipient, "shared/api"));
        }

        [Fact]
        public void A_removal_made_apart_from_a_write_is_not_applied_so_the_new_value_is_not_lost()
        {
            Bob.Store.Remove("shared/db", Bob.Identity);
            Carol.Write("shared/db", "db-carol");
            Carol.Sync();
            var bob = Bob.Sync();

            var refused = Assert.Single(bob.NotApplied);
            Assert.Equal(SyncChangeKind.Remove, refused.Kind);
            _team.Converge();
            Assert.Equal("db-carol", Alice.Read("shared/db"));
        }

        [Fact]
        public void A_write_by_an_admin_made_apart_from_a_removal_brings_the_secret_back()
        {
            Alice.Store.Remove("shared/api", Alice.Identity);
            Bob.Write("shared/api", "api-bob");
            Alice.Sync();
            var bob = Bob.Sync();

            var change = Assert.Single(bob.Changes);
            Assert.True(change.Applied);
            Assert.Contains("brings it back", change.Reason);
            _team.Converge();
            Assert.Equal("api-bob", Alice.Read("shared/api"));
        }

        [Fact]
        public void A_push_race_is_retried_and_loses_nothing()
        {
            Alice.Write("from/alice", "a1");
            Bob.Write("from/bob", "b1");
            bool raced = false;
            var options = new SyncOptions
            {
                Progress = step =>
                {
                    if (!raced && step.StartsWith("Pushing", StringComparison.Ordinal))
                    {
                        raced = true;
                        Alice.Sync();
                    }
                },
            };

            var bob = Bob.Sync(options);

            Assert.True(raced);
            Assert.Equal(1, bob.Retries);
            Assert.True(bob.Pushed);
            _team.Converge();
            Assert.Equal("a1", Bob.Read("from/alice"));
            Assert.Equal("b1", Alice.Read("from/bob"));
            Assert.Equal(Alice.Files(), Bob.Files());
        }

        [Theory]
        [InlineData("moved")]
        [InlineData("rebased")]
        public void A_sync_interrupted_after_moving_the_branch_is_taken_up_by_the_next_with_nothing_lost(string step)
        {
            Alice.Write("shared/db", "db-alice");
            Alice.Sync();
            Bob.Write("shared/db", "db-bob");
            Bob.Store.Grant("shared/api", "carol", AccessLevel.Write, Bob.Identity);
            SyncSession.Fault = at =>
            {
                if (at == step)
                {
                    throw new IOException("the machine went down");
                }
            };
            try
            {
                Assert.Throws<IOException>(() => Bob.Sync());
            }
            finally
            {
                SyncSession.Fault = null;
            }

            var bob = Bob.Sync();

            Assert.Equal(2, bob.Changes.Count);
            Assert.All(bob.Changes, c => Assert.True(c.Applied, c.ToString()));
            Assert.Equal("db-bob", Bob.Read("shared/db"));
            _team.Converge();
            Assert.Equal(new[] { "db-0", "db-alice", "db-bob" }, Alice.Values("shared/db"));
            Assert.Equal("db-bob", Carol.Read("shared/db"));
            Assert.Equal(AccessLevel.Write, Carol.Store.AccessOf(Carol.Identity.Recipient, "shared/api"));
            Assert.Equal(Alice.Files(), Bob.Files());
        }

        [Fact]
        public void A_store_outside_git_is_refused_with_what_to_do()
        {
            using var store = new TestStore();
            var e = Assert.Throws<SecretsException>(() => StoreSync.Sync(store.StorePath, () => store.Owner, null, store.StateRoot));
            Assert.Equal("StoreNotInGit", e.ErrorId);
            Assert.Contains("git init", e.RecommendedAction);
        }
    }
}
