using System.Text;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;

namespace Secrets.Core.Crypto
{
    /// <summary>HKDF-SHA-256 (RFC 5869) with ASCII labels.</summary>
    internal static class Hkdf
    {
        public static byte[] DeriveKey(byte[] inputKey, byte[]? salt, string info, int length = 32)
        {
            var generator = new HkdfBytesGenerator(new Sha256Digest());
            generator.Init(new HkdfParameters(inputKey, salt, Encoding.ASCII.GetBytes(info)));
            var output = new byte[length];
            generator.GenerateBytes(output, 0, length);
            return output;
        }
    }
}
