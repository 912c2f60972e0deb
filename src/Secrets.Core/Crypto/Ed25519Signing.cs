using System;
using System.Text;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Secrets.Core.Crypto
{
    /// <summary>Ed25519 signatures over "secrets/v1 signature\n" ‖ signed bytes.</summary>
    internal static class Ed25519Signing
    {
        public const int PublicKeySize = 32;
        public const int PrivateKeySize = 32;
        public const int SignatureSize = 64;

        private static readonly byte[] Context = Encoding.ASCII.GetBytes(Labels.Signature);

        public static byte[] Sign(byte[] privateKey, byte[] publicKey, byte[] data, int count)
        {
            var message = WithContext(data, count);
            var signature = new byte[SignatureSize];
            Ed25519.Sign(privateKey, 0, publicKey, 0, message, 0, message.Length, signature, 0);
            return signature;
        }

        public static bool Verify(byte[] publicKey, byte[] signature, byte[] data, int count)
        {
            if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize)
            {
                return false;
            }

            var message = WithContext(data, count);
            return Ed25519.Verify(signature, 0, publicKey, 0, message, 0, message.Length);
        }

        public static byte[] PublicFromPrivate(byte[] privateKey)
        {
            var publicKey = new byte[PublicKeySize];
            Ed25519.GeneratePublicKey(privateKey, 0, publicKey, 0);
            return publicKey;
        }

        public static byte[] NewPrivateKey()
        {
            var key = new byte[PrivateKeySize];
            lock (RandomBytes.Generator)
            {
                Ed25519.GeneratePrivateKey(RandomBytes.Generator, key);
            }
            return key;
        }

        public static bool IsValidPublicKey(byte[] publicKey) =>
            publicKey.Length == PublicKeySize && Ed25519.ValidatePublicKeyFull(publicKey, 0);

        private static byte[] WithContext(byte[] data, int count)
        {
            if (count < 0 || count > data.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(count));
            }

            var message = new byte[Context.Length + count];
            Buffer.BlockCopy(Context, 0, message, 0, Context.Length);
            Buffer.BlockCopy(data, 0, message, Context.Length, count);
            return message;
        }
    }
}
