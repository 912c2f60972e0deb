using Org.BouncyCastle.Security;

namespace Secrets.Core.Crypto
{
    /// <summary>Cryptographically secure random bytes.</summary>
    internal static class RandomBytes
    {
        private static readonly SecureRandom Rng = new SecureRandom();

        public static SecureRandom Generator => Rng;

        public static byte[] Get(int length)
        {
            var bytes = new byte[length];
            lock (Rng)
            {
                Rng.NextBytes(bytes);
            }
            return bytes;
        }
    }
}
