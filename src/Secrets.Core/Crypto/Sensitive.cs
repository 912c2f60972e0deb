using System;

namespace Secrets.Core.Crypto
{
    /// <summary>Zeroing of key material and plaintext.</summary>
    public static class Sensitive
    {
        /// <summary>Overwrites the array with zeros; null is ignored.</summary>
        public static void Zero(byte[]? data)
        {
            if (data != null)
            {
                Array.Clear(data, 0, data.Length);
            }
        }

        /// <summary>Overwrites the array with zeros; null is ignored.</summary>
        public static void Zero(char[]? data)
        {
            if (data != null)
            {
                Array.Clear(data, 0, data.Length);
            }
        }

        /// <summary>Compares two byte arrays in time that depends only on their lengths.</summary>
        public static bool FixedTimeEquals(byte[] a, byte[] b) =>
            Org.BouncyCastle.Utilities.Arrays.FixedTimeEquals(a, b);
    }
}
