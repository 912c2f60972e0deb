using System.Text;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Values
{
    public class CredentialRoundTripTests
    {
        public static readonly TheoryData<string, string> Credentials = new TheoryData<string, string>
        {
            { "alice", "hunter2" },
            { "alice", string.Empty },
            { string.Empty, "no user name" },
            { @"CORP\jürgen", "pässwörd ✓" },
            { "ユーザー@例え.jp", "🔑🔑" },
            { "user with spaces", " padded password " },
        };

        [Theory]
        [MemberData(nameof(Credentials))]
        public void CredentialReadsBackWithUserNameAndPassword(string userName, string password)
        {
            using var t = new TestStore();
            using var read = RoundTrip.Through(t, SecretValue.FromCredential(userName, Encoding.UTF8.GetBytes(password)));
            Assert.Equal(SecretType.PSCredential, read.Type);
            Assert.Equal(userName, read.UserName);
            Assert.Equal(Encoding.UTF8.GetBytes(password), read.GetBytes());
            Assert.Equal(password, read.GetText());
        }
    }
}
