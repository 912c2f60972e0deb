using System;
using System.IO;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Platform;
using Secrets.Core.Tests.Support;
using Xunit;

namespace Secrets.Core.Tests.Identity
{
    [Collection("Secrets home")]
    public class IdentityNamesTests
    {
        [Theory]
        [InlineData("default", true)]
        [InlineData("Work", true)]
        [InlineData("ci_build-01", true)]
        [InlineData("", false)]
        [InlineData("a.b", false)]
        [InlineData("a/b", false)]
        [InlineData("./work", false)]
        [InlineData("work.identity", false)]
        [InlineData("con", false)]
        [InlineData("NUL", false)]
        [InlineData("com1", false)]
        [InlineData("with space", false)]
        [InlineData("é", false)]
        public void NamesAreLettersDigitsUnderscoresAndHyphens(string text, bool valid)
        {
            Assert.Equal(valid, IdentityNames.IsName(text));
            Assert.False(IdentityNames.IsName(new string('a', 65)));
            Assert.True(IdentityNames.IsName(new string('a', 64)));
        }

        [Fact]
        public void ANameNamesAFileOfTheHomeAndAnythingElseIsAPath()
        {
            using var home = new TempHome();
            Assert.Equal(home.Combine("identities", "work.identity"), IdentityNames.Resolve("Work"));
            Assert.Equal(Path.GetFullPath("work.identity"), IdentityNames.Resolve("work.identity"));
            Assert.Equal(home.Combine("identities", "default.identity"), SecretsPaths.DefaultIdentityPath);

            Environment.SetEnvironmentVariable(SecretsPaths.IdentityVariable, "work");
            Assert.Equal(home.Combine("identities", "work.identity"), SecretsPaths.DefaultIdentityPath);
            Environment.SetEnvironmentVariable(SecretsPaths.IdentityVariable, home.Combine("elsewhere.identity"));
            Assert.Equal(home.Combine("elsewhere.identity"), SecretsPaths.DefaultIdentityPath);

            Assert.Equal("work", IdentityNames.NameOf(home.Combine("identities", "work.identity")));
            Assert.Null(IdentityNames.NameOf(home.Combine("elsewhere.identity")));
            Assert.Equal("elsewhere", IdentityNames.LabelOf(home.Combine("elsewhere.identity")));
            var error = Assert.Throws<InvalidInputException>(() => IdentityNames.PathOf("a b"));
            Assert.Equal("InvalidIdentityName", error.ErrorId);
        }

        [Fact]
        public void RetiringMovesTheFileUnchangedAndListsIt()
        {
            using var home = new TempHome();
            var path = IdentityNames.PathOf("default");
            var created = IdentityFile.Create(path, "tester", null);
            var bytes = File.ReadAllBytes(path);
            IdentityFile.Create(IdentityNames.PathOf("work"), "tester", null);

            var first = IdentityNames.Retire(path);
            IdentityFile.Create(path, "tester", null);
            var second = IdentityNames.Retire(path);

            Assert.False(File.Exists(path));
            Assert.NotEqual(first, second);
            Assert.Equal(bytes, File.ReadAllBytes(first));
            Assert.Equal(created.Recipient, IdentityFile.ReadRecipient(first));
            Assert.Equal(new[] { first, second }.OrderBy(p => p, StringComparer.Ordinal), IdentityNames.ListRetired());
            Assert.Equal(new[] { IdentityNames.PathOf("work") }, IdentityNames.List());
            Assert.Equal("default", IdentityNames.RetiredName(first));
            Assert.InRange(IdentityNames.RetiredAt(first)!.Value, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddSeconds(1));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(first));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(IdentityNames.RetiredDirectory));
            }
        }
    }
}
