using System.Linq;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Values
{
    public class ByteArrayRoundTripTests
    {
        public static readonly TheoryData<byte[]> Arrays = new TheoryData<byte[]>
        {
            new byte[0],
            new byte[] { 0 },
            new byte[] { 1, 2, 3, 0, 0, 0 },
            new byte[] { 0x80 },
            new byte[] { 0x42, 0x80, 0x00 },
            Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(),
            Enumerable.Range(0, 256).Select(i => (byte)(255 - i)).ToArray(),
            new byte[62],
            new byte[63],
            new byte[64],
        };

        [Theory]
        [MemberData(nameof(Arrays))]
        public void BytesReadBackExactly(byte[] bytes)
        {
            using var t = new TestStore();
            using var read = RoundTrip.Through(t, SecretValue.FromBytes(bytes));
            Assert.Equal(SecretType.ByteArray, read.Type);
            Assert.Equal(bytes, read.GetBytes());
        }
    }
}
