using System.Collections.Generic;
using System.IO;
using System.Linq;
using Secrets.Core.Store;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Sharing
{
    /// <summary>A store whose owner is lost, copied by an admin into a store of their own (docs/FORMAT.md, "Lost owner").</summary>
    public class StoreCopyTests
    {
        [Fact]
        public void AnAdminCopiesEverySecretTheMembersAndTheirAccessIntoANewStore()
        {
            using var team = new Team();
            team.Alice.Store.SetMemberRole("carol", MemberRole.Admin, team.Alice.Identity);
            team.Alice.Write("prod/db", "v1");
            team.Alice.Write("prod/db", "v2");
            var metadata = SecretMetadata.Empty;
            metadata.Set("team", "ops");
            team.Alice.Store.Write("api", SecretValue.FromString("k"), metadata, team.Alice.Identity, WriteMode.CreateOnly);
            team.Alice.Store.Grant("prod/db", "bob", AccessLevel.Write, team.Alice.Identity);

            // Alice's identity is lost; carol, an admin, moves the store.
            var destination = Path.Combine(team.Root, "moved");
            var notCopied = new List<string>();
            var steps = new List<string>();
            var copy = StoreCopy.Copy(team.Carol.Store, destination, team.Carol.Identity, team.Carol.StateRoot,
                (what, done, total) => steps.Add($"{done}/{total} {what}"), (what, why) => notCopied.Add(what));

            Assert.Equal(team.Carol.Identity.Recipient, copy.Manifest.Owner);
            Assert.Equal(new[] { "owner 'alice'" }, notCopied);
            Assert.Equal(new[] { "1/3 member 'bob'", "2/3 api", "3/3 prod/db" }, steps);
            var members = copy.GetMembers();
            Assert.Equal(new[] { "carol", "bob" }, members.Select(m => m.Name).ToArray());
            Assert.Equal(MemberRole.Member, copy.FindMember("bob").Role);

            using (var value = SecretStore.Open(destination, team.Bob.StateRoot).Read("prod/db", team.Bob.Identity))
            {
                Assert.Equal("v2", value.GetText());
            }

            Assert.Equal(AccessLevel.Write, copy.AccessOf(team.Bob.Identity.Recipient, "prod/db"));
            Assert.Equal(AccessLevel.None, copy.AccessOf(team.Bob.Identity.Recipient, "api"));
            Assert.Equal("ops", copy.GetInfo("api").Metadata["team"]);
            Assert.Empty(copy.Check());
        }

        [Fact]
        public void WhatTheCallerCannotReadIsReportedAndLeftOut()
        {
            using var team = new Team();
            team.Alice.Write("prod/db", "v1");
            team.Alice.Write("ci/token", "t");
            team.Alice.Store.Grant("ci/token", "bob", AccessLevel.Read, team.Alice.Identity);

            // Bob, a member who reads only ci/token, copies the store into one of his own.
            var plan = StoreCopy.Plan(team.Bob.Store, team.Bob.Identity);
            Assert.Equal(new[] { "ci/token" }, plan.Secrets);
            var copy = StoreCopy.Copy(team.Bob.Store, Path.Combine(team.Root, "mine"), team.Bob.Identity, team.Bob.StateRoot);
            Assert.Equal(new[] { "ci/token" }, copy.List().Select(s => s.CanonicalName).ToArray());
            Assert.Equal(new[] { "bob", "carol" }, copy.GetMembers().Select(m => m.Name).ToArray());
            Assert.Equal("v1", team.Alice.Read("prod/db"));
        }
    }
}
