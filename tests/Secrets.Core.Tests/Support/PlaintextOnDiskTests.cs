using System.Linq;
using System.Text;
using Secrets.Core.Codecs;
using Xunit;

namespace Secrets.Core.Tests.Support
{
    /// <summary>The leak check itself: it must find a value in every form it claims to.</summary>
    public class PlaintextOnDiskTests
    {
        private static readonly byte[] Plaintext = Encoding.UTF8.GetBytes("NEW-PLAINTEXT-a7c3e9f1-never-on-disk");

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(5)]
        public void FindsBase64OfThePlaintextAtAnyAlignment(int prefixBytes)
        {
            var encoded = Base64.Encode(Enumerable.Repeat((byte)0x5a, prefixBytes).Concat(Plaintext).Concat(new byte[] { 1, 2 }).ToArray());
            Assert.True(PlaintextOnDisk.HoldsPlaintext(Encoding.ASCII.GetBytes("payload x " + encoded + "\n"), Plaintext));
        }

        [Fact]
        public void FindsRawPlaintext()
        {
            Assert.True(PlaintextOnDisk.HoldsPlaintext(new byte[] { 1, 2 }.Concat(Plaintext).ToArray(), Plaintext));
        }

        [Fact]
        public void DoesNotFindWhatIsNotThere()
        {
            Assert.False(PlaintextOnDisk.HoldsPlaintext(Encoding.ASCII.GetBytes("payload " + Base64.Encode(Encoding.UTF8.GetBytes("other text entirely, long enough"))), Plaintext));
        }
    }
}
