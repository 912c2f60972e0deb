using System.Linq;
using System.Text;
using Secrets.Core.Errors;
using Secrets.Core.Jobs;
using Secrets.Core.Store;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Jobs
{
    /// <summary>Reading what a reference names (<c>name</c> or <c>name.key</c>), as Get-Secret and jobs do.</summary>
    public class ReferenceReadTests
    {
        private static TestStore NewStore()
        {
            var t = new TestStore();
            t.Store.Write("prod/db", SecretValue.FromEntries(new[]
            {
                new SecretEntry("user", SecretValue.FromString("app-user")),
                new SecretEntry("Password", SecretValue.FromUtf8(SecretType.SecureString, Encoding.UTF8.GetBytes("db-pass-value"))),
                new SecretEntry("cert", SecretValue.FromBytes(new byte[] { 1, 2, 0, 255 })),
                new SecretEntry("admin", SecretValue.FromCredential("root", Encoding.UTF8.GetBytes("root-pass-value"))),
            }), null, t.Owner, WriteMode.CreateOnly);
            t.Store.Write("login", SecretValue.FromCredential("bob", Encoding.UTF8.GetBytes("bob-pass-value")), null, t.Owner, WriteMode.CreateOnly);
            t.Store.Write("token", SecretValue.FromString("token-value-1"), null, t.Owner, WriteMode.CreateOnly);
            t.Store.Write("token", SecretValue.FromString("token-value-2"), null, t.Owner, WriteMode.CreateOrUpdate);
            return t;
        }

        private static SecretValue Read(TestStore t, string text, int? version = null) =>
            SecretReference.Parse(text, "Name").Read(t.Store, t.Owner, version, out _);

        [Fact]
        public void EachKeyOfAHashtableComesBackAsItsOwnType()
        {
            using var t = NewStore();
            using (var user = Read(t, "prod/db.user"))
            {
                Assert.Equal(SecretType.String, user.Type);
                Assert.Equal("app-user", user.GetText());
            }

            using (var password = Read(t, "PROD/DB.password"))
            {
                Assert.Equal(SecretType.SecureString, password.Type);
                Assert.Equal("db-pass-value", password.GetText());
            }

            using (var cert = Read(t, "prod/db.CERT"))
            {
                Assert.Equal(SecretType.ByteArray, cert.Type);
                Assert.Equal(new byte[] { 1, 2, 0, 255 }, cert.GetBytes());
            }

            using (var admin = Read(t, "prod/db.admin"))
            {
                Assert.Equal(SecretType.PSCredential, admin.Type);
                Assert.Equal("root", admin.UserName);
                Assert.Equal("root-pass-value", admin.GetText());
            }

            using var whole = Read(t, "prod/db");
            Assert.Equal(SecretType.Hashtable, whole.Type);
            Assert.Equal(new[] { "user", "Password", "cert", "admin" }, whole.Entries.Select(e => e.Key));
        }

        [Fact]
        public void ACredentialHasTheKeysUserNameAndPassword()
        {
            using var t = NewStore();
            using (var user = Read(t, "login.UserName"))
            {
                Assert.Equal(SecretType.String, user.Type);
                Assert.Equal("bob", user.GetText());
            }

            using var password = Read(t, "login.password");
            Assert.Equal(SecretType.SecureString, password.Type);
            Assert.Equal("bob-pass-value", password.GetText());
        }

        [Fact]
        public void AVersionIsReadAsAsked()
        {
            using var t = NewStore();
            using var first = Read(t, "token", 1);
            Assert.Equal("token-value-1", first.GetText());
            using var newest = Read(t, "token");
            Assert.Equal("token-value-2", newest.GetText());
        }

        [Fact]
        public void AMissingKeyNamesTheKeysThatExistAndNoValue()
        {
            using var t = NewStore();
            var e = Assert.Throws<SecretKeyNotFoundException>(() => Read(t, "prod/db.pasword"));
            Assert.Equal("SecretKeyNotFound", e.ErrorId);
            Assert.Equal(FailureKind.NotFound, e.Kind);
            Assert.Equal("Secret 'prod/db' has no key 'pasword'. Its keys: 'user', 'Password', 'cert', 'admin'.", e.Message);
            Assert.Contains("'prod/db.user'", e.RecommendedAction);
            Assert.DoesNotContain("app-user", e.Message + e.RecommendedAction);
            Assert.DoesNotContain("db-pass-value", e.Message + e.RecommendedAction);

            var credential = Assert.Throws<SecretKeyNotFoundException>(() => Read(t, "login.user"));
            Assert.Equal("Secret 'login' is a PSCredential; its keys are 'UserName' and 'Password', not 'user'.", credential.Message);

            var text = Assert.Throws<SecretKeyNotFoundException>(() => Read(t, "token.x"));
            Assert.Equal("Secret 'token' is a String; it has no key 'x' (only hashtable and PSCredential secrets have keys).", text.Message);
            Assert.Empty(text.Keys);
        }

        [Fact]
        public void AMissingSecretIsSecretNotFound()
        {
            using var t = NewStore();
            Assert.Throws<SecretNotFoundException>(() => Read(t, "nothing.key"));
        }

        [Theory]
        [InlineData("bad name.key")]
        [InlineData("db.")]
        [InlineData(" ")]
        public void ABadReferenceIsInvalidSecretName(string text)
        {
            var e = Assert.Throws<InvalidInputException>(() => SecretReference.Parse(text, "Name"));
            Assert.Equal("InvalidSecretName", e.ErrorId);
            Assert.Equal("Name", e.ParameterName);
            Assert.EndsWith(".", e.Message);
            Assert.True(char.IsUpper(e.Message[0]) || e.Message[0] == '\'', e.Message);
        }

        [Fact]
        public void TheSelectedPartOutlivesTheWholeValue()
        {
            var whole = SecretValue.FromEntries(new[] { new SecretEntry("k", SecretValue.FromString("part-value")) });
            SecretReference.TryParse("x.K", out var reference, out _);
            using var part = reference!.Select(whole);
            whole.Dispose();
            Assert.Equal("part-value", part.GetText());
        }
    }
}
