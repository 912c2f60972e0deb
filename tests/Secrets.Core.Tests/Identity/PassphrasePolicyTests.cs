using System.Text;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Xunit;

namespace Secrets.Core.Tests.Identity
{
    public class PassphrasePolicyTests
    {
        [Theory]
        [InlineData("x", true)]
        [InlineData("1234567", true)]
        [InlineData("seven77", true)]
        [InlineData("eight888", false)]
        [InlineData("😀😀😀😀😀😀😀", true)]
        [InlineData("😀😀😀😀😀😀😀😀", false)]
        [InlineData("ééééééé", true)]
        [InlineData("correct horse battery", false)]
        public void TheMinimumCountsCharactersNotBytes(string passphrase, bool tooShort)
        {
            Assert.Equal(tooShort, PassphrasePolicy.Check(Encoding.UTF8.GetBytes(passphrase)).TooShort);
        }

        [Theory]
        [InlineData("password", true)]
        [InlineData("PassWord123", true)]
        [InlineData("qwertyuiop", true)]
        [InlineData("123456", true)]
        [InlineData("correct horse battery staple", true)]
        [InlineData("violet kettle orbit", false)]
        [InlineData("password1234567", false)]
        public void CommonPasswordsAreFoundWhateverTheirCase(string passphrase, bool common)
        {
            Assert.Equal(common, PassphrasePolicy.Check(Encoding.UTF8.GetBytes(passphrase)).IsCommon);
        }

        [Fact]
        public void AShortPassphraseIsRefusedUnlessForcedAndNeverShown()
        {
            var passphrase = Encoding.UTF8.GetBytes("abc1");
            var error = Assert.Throws<InvalidInputException>(() => PassphrasePolicy.Enforce(passphrase, false, "Password", "add -Force"));
            Assert.Equal("PassphraseTooShort", error.ErrorId);
            Assert.Equal("Password", error.ParameterName);
            Assert.DoesNotContain("abc1", error.Message);
            Assert.Contains("add -Force", error.Message);
            Assert.True(PassphrasePolicy.Enforce(passphrase, true, "Password", "add -Force").TooShort);
            Assert.DoesNotContain("abc1", PassphrasePolicy.CommonWarning);
        }
    }
}
