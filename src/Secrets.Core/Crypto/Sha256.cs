using Org.BouncyCastle.Crypto.Digests;

namespace Secrets.Core.Crypto
{
    internal static class Sha256
    {
        public static byte[] Hash(byte[] data, int offset, int count)
        {
            var digest = new Sha256Digest();
            digest.BlockUpdate(data, offset, count);
            var output = new byte[digest.GetDigestSize()];
            digest.DoFinal(output, 0);
            return output;
        }

        public static byte[] Hash(byte[] data) => Hash(data, 0, data.Length);
    }
}
