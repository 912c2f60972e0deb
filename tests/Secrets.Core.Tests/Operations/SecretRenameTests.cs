using System;
using System.IO;
using System.Linq;
using System.Text;
using Secrets.Core.Errors;
using Secrets.Core.Operations;
using Secrets.Core.Store;
using Secrets.Core.Tests.Sharing;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Operations
{
    public class SecretRenameTests
    {
        private static string Text(TestStore t, string name, int? version = null)
        {
            using var value = t.Store.Read(name, t.Owner, version);
            return value.GetText();
        }

        private static SecretMetadata Meta(string owner)
        {
            var metadata = new SecretMetadata();
            metadata.Set("owner", owner);
            return metadata;
        }

        [Fact]
        public void TheCurrentValueAndMetadataMoveAndTheOldSecretIsRemoved()
        {
            using var t = new TestStore();
            t.Store.Write("old/db", SecretValue.FromString("first-value"), Meta("dev"), t.Owner, WriteMode.CreateOnly);
            t.Store.Write("old/db", SecretValue.FromString("second-value"), Meta("ops"), t.Owner, WriteMode.CreateOrUpdate);

            var result = SecretRename.Rename(t.Store, "old/db", "New/DB", t.Owner, replace: false);

            Assert.Equal("old/db", result.OldName);
            Assert.Equal("New/DB", result.Record.Name);
            Assert.Equal(1, result.Record.Version);
            Assert.Equal(1, result.DroppedVersions);
            Assert.False(result.Replaced);
            Assert.False(result.KeptHistory);
            Assert.Equal("second-value", Text(t, "new/db"));
            var info = t.Store.GetInfo("new/db");
            Assert.Equal("New/DB", info.Name);
            Assert.Equal(new[] { 1 }, info.Versions);
            Assert.Equal("ops", info.Metadata["owner"]);
            Assert.Throws<SecretNotFoundException>(() => t.Store.GetInfo("old/db"));
            Assert.Equal(new[] { "new/db" }, t.Store.List().Select(l => l.CanonicalName));

            // The old name is free again.
            t.Store.Write("old/db", SecretValue.FromString("reused"), null, t.Owner, WriteMode.CreateOnly);
            Assert.Equal("reused", Text(t, "old/db"));
        }

        [Fact]
        public void EveryTypeIsRenamedAsItIs()
        {
            using var t = new TestStore();
            t.Store.Write("table", SecretValue.FromEntries(new[]
            {
                new SecretEntry("user", SecretValue.FromString("u")),
                new SecretEntry("cert", SecretValue.FromBytes(new byte[] { 0, 1, 255 })),
            }), null, t.Owner, WriteMode.CreateOnly);
            t.Store.Write("login", SecretValue.FromCredential("bob", Encoding.UTF8.GetBytes("pw")), null, t.Owner, WriteMode.CreateOnly);

            SecretRename.Rename(t.Store, "table", "table2", t.Owner, replace: false);
            SecretRename.Rename(t.Store, "login", "login2", t.Owner, replace: false);

            using var table = t.Store.Read("table2", t.Owner);
            Assert.Equal(SecretType.Hashtable, table.Type);
            Assert.Equal(new byte[] { 0, 1, 255 }, table.Entries.Single(e => e.Key == "cert").Value.GetBytes());
            using var login = t.Store.Read("login2", t.Owner);
            Assert.Equal(SecretType.PSCredential, login.Type);
            Assert.Equal("bob", login.UserName);
        }

        [Fact]
        public void AnExistingNewNameIsRefusedUnlessReplaced()
        {
            using var t = new TestStore();
            t.Store.Write("a", SecretValue.FromString("a-value"), Meta("a"), t.Owner, WriteMode.CreateOnly);
            t.Store.Write("b", SecretValue.FromString("b-value"), Meta("b"), t.Owner, WriteMode.CreateOnly);

            var e = Assert.Throws<SecretExistsException>(() => SecretRename.Rename(t.Store, "a", "B", t.Owner, replace: false));
            Assert.Equal("SecretAlreadyExists", e.ErrorId);
            Assert.Contains("'b'", e.Message);
            Assert.Contains("-Force", e.RecommendedAction);
            Assert.Equal("a-value", Text(t, "a"));
            Assert.Equal("b-value", Text(t, "b"));

            var result = SecretRename.Rename(t.Store, "a", "b", t.Owner, replace: true);
            Assert.True(result.Replaced);
            Assert.Equal(2, result.Record.Version);
            Assert.Equal("a-value", Text(t, "b"));
            Assert.Equal("b-value", Text(t, "b", 1));
            Assert.Equal("a", t.Store.GetInfo("b").Metadata["owner"]);
            Assert.Throws<SecretNotFoundException>(() => t.Store.GetInfo("a"));
        }

        [Fact]
        public void ChangingOnlyTheCaseKeepsTheHistory()
        {
            using var t = new TestStore();
            t.Store.Write("prod/db", SecretValue.FromString("one"), Meta("ops"), t.Owner, WriteMode.CreateOnly);
            t.Store.Write("prod/db", SecretValue.FromString("two"), null, t.Owner, WriteMode.CreateOrUpdate);

            var result = SecretRename.Rename(t.Store, "prod/db", "Prod/DB", t.Owner, replace: false);

            Assert.True(result.KeptHistory);
            Assert.Equal(0, result.DroppedVersions);
            var info = t.Store.GetInfo("prod/db");
            Assert.Equal("Prod/DB", info.Name);
            Assert.Equal(new[] { 1, 2, 3 }, info.Versions);
            Assert.Equal("ops", info.Metadata["owner"]);
            Assert.Equal("two", Text(t, "prod/db"));
            Assert.Equal("one", Text(t, "prod/db", 1));
        }

        [Fact]
        public void BadNamesAndMissingSecretsAreRefusedBeforeAnythingChanges()
        {
            using var t = new TestStore();
            t.Store.Write("a", SecretValue.FromString("v"), null, t.Owner, WriteMode.CreateOnly);

            var same = Assert.Throws<InvalidInputException>(() => SecretRename.Rename(t.Store, "a", "a", t.Owner, replace: true));
            Assert.Equal("SameSecretName", same.ErrorId);
            Assert.Equal("NewName", same.ParameterName);
            var bad = Assert.Throws<InvalidInputException>(() => SecretRename.Rename(t.Store, "a", "a.key", t.Owner, replace: false));
            Assert.Equal("InvalidSecretName", bad.ErrorId);
            Assert.Equal("NewName", bad.ParameterName);
            Assert.Equal("Name", Assert.Throws<InvalidInputException>(() => SecretRename.Rename(t.Store, "bad name", "b", t.Owner, replace: false)).ParameterName);
            Assert.Throws<SecretNotFoundException>(() => SecretRename.Rename(t.Store, "missing", "b", t.Owner, replace: false));
            Assert.Equal(new[] { "a" }, t.Store.List().Select(l => l.CanonicalName));
            Assert.Equal(new[] { 1 }, t.Store.GetInfo("a").Versions);
        }

        [Fact]
        public void AFailureBeforeTheNewSecretIsWrittenChangesNothing()
        {
            using var t = new TestStore();
            t.Store.Write("a", SecretValue.FromString("a-value"), null, t.Owner, WriteMode.CreateOnly);
            t.Store.FaultInjector = step =>
            {
                if (step == WriteStep.TempFileWritten)
                {
                    throw new IOException("simulated crash");
                }
            };

            Assert.Throws<IOException>(() => SecretRename.Rename(t.Store, "a", "b", t.Owner, replace: false));
            t.Store.FaultInjector = null;

            Assert.Equal("a-value", Text(t, "a"));
            Assert.Throws<SecretNotFoundException>(() => t.Store.GetInfo("b"));
        }

        [Fact]
        public void AFailureAfterTheNewSecretIsWrittenKeepsBothAndSaysWhatIsLeft()
        {
            using var t = new TestStore();
            t.Store.Write("a", SecretValue.FromString("a-value"), null, t.Owner, WriteMode.CreateOnly);
            int writes = 0;
            t.Store.FaultInjector = step =>
            {
                if (step == WriteStep.LockAcquired && ++writes == 2)
                {
                    throw new IOException("simulated crash");
                }
            };

            var e = Assert.Throws<SecretsException>(() => SecretRename.Rename(t.Store, "a", "b", t.Owner, replace: false));
            t.Store.FaultInjector = null;

            Assert.Equal("RenameIncomplete", e.ErrorId);
            Assert.Contains("'b' (version 1)", e.Message);
            Assert.Contains("removing 'a' failed", e.Message);
            Assert.Contains("Remove-Secret -Name 'a'", e.RecommendedAction);
            Assert.IsType<IOException>(e.InnerException);
            Assert.DoesNotContain("a-value", e.ToString());
            Assert.Equal("a-value", Text(t, "a"));
            Assert.Equal("a-value", Text(t, "b"));
        }

        [Fact]
        public void CheckDescribesTheRenameWithoutChangingAnything()
        {
            using var t = new TestStore();
            t.Store.Write("a", SecretValue.FromString("1"), null, t.Owner, WriteMode.CreateOnly);
            t.Store.Write("a", SecretValue.FromString("2"), null, t.Owner, WriteMode.CreateOrUpdate);
            t.Store.Write("b", SecretValue.FromString("b"), null, t.Owner, WriteMode.CreateOnly);

            var plan = SecretRename.Check(t.Store, "a", "c", null, replace: false);
            Assert.Equal(1, plan.DroppedVersions);
            Assert.Null(plan.Existing);
            Assert.Equal("c", plan.NewName);
            Assert.Equal(1, SecretRename.Check(t.Store, "a", "b", t.Owner.Recipient, replace: true).Existing!.Version);
            Assert.Equal(new[] { "a", "b" }, t.Store.List().Select(l => l.CanonicalName));
        }

        [Fact]
        public void InASharedStoreAccessIsCarriedOverAndOnlyThoseWhoMayCreateRename()
        {
            using var team = new Team();
            team.Alice.Write("prod/db", "shared-value");
            team.Alice.Store.Grant("prod/db", "bob", AccessLevel.Manage, team.Alice.Identity);
            team.Alice.Store.Grant("prod/db", "carol", AccessLevel.Read, team.Alice.Identity);

            // Bob manages the secret, but a member cannot create the new one: refused before anything is written.
            var denied = Assert.Throws<SecretsException>(() => SecretRename.Rename(team.Bob.Store, "prod/db", "prod/database", team.Bob.Identity, replace: false));
            Assert.Equal("AccessDenied", denied.ErrorId);
            Assert.Equal(FailureKind.Permission, denied.Kind);
            Assert.Contains("only the owner and admins create secrets", denied.Message);
            Assert.Throws<SecretNotFoundException>(() => team.Alice.Store.GetInfo("prod/database"));

            // Carol can read but not remove it.
            var carol = Assert.Throws<SecretsException>(() => SecretRename.Check(team.Carol.Store, "prod/db", "x", team.Carol.Identity.Recipient, replace: false));
            Assert.Equal("AccessDenied", carol.ErrorId);
            Assert.Contains("manage", carol.Message);

            var result = SecretRename.Rename(team.Alice.Store, "prod/db", "prod/database", team.Alice.Identity, replace: false);
            Assert.Equal(2, result.Grants.Count);
            Assert.Equal("shared-value", team.Bob.Read("prod/database"));
            Assert.Equal("shared-value", team.Carol.Read("prod/database"));
            var access = team.Alice.Store.GetAccess("prod/database").Where(a => !a.IsImplicit).ToDictionary(a => a.Member.Name, a => a.Level);
            Assert.Equal(AccessLevel.Manage, access["bob"]);
            Assert.Equal(AccessLevel.Read, access["carol"]);
            Assert.Throws<SecretNotFoundException>(() => team.Alice.Store.GetInfo("prod/db"));
        }
    }
}
