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

        /// <summary>Signs a message as it is, for a signature whose message carries its own label (the owner hand-over).</summary>
        public static byte[] SignMessage(byte[] privateKey, byte[] publicKey, byte[] message)
        {
            var signature = new byte[SignatureSize];
            Ed25519.Sign(privateKey, 0, publicKey, 0, message, 0, message.Length, signature, 0);
            return signature;
        }

        /// <summary>Verifies a signature over a message as it is (see <see cref="SignMessage"/>).</summary>
        public static bool VerifyMessage(byte[] publicKey, byte[] signature, byte[] message) =>
            publicKey.Length == PublicKeySize && signature.Length == SignatureSize && IsValidPublicKey(publicKey)
            && Ed25519.Verify(signature, 0, publicKey, 0, message, 0, message.Length);

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

        /// <summary>
        /// Full validation (RFC 8032 5.1.3, the point's order included), which costs about a scalar
        /// multiplication: a store has few writers, so keys found valid are remembered (a bounded set).
        /// </summary>
        public static bool IsValidPublicKey(byte[] publicKey)
        {
            if (publicKey.Length != PublicKeySize)
            {
                return false;
            }

            var key = Convert.ToBase64String(publicKey);
            if (ValidKeys.ContainsKey(key))
            {
                return true;
            }

            if (!Ed25519.ValidatePublicKeyFull(publicKey, 0))
            {
                return false;
            }

            if (ValidKeys.Count >= MaxRemembered)
            {
                ValidKeys.Clear();
            }

            ValidKeys[key] = true;
            return true;
        }

        /// <summary>
        /// Verifies a file's signature, or remembers that these exact bytes (by SHA-256) verified with
        /// this key before: the same bytes give the same answer, so a file read again unchanged is not
        /// verified again. Bounded; a file that fails is never remembered.
        /// </summary>
        public static bool VerifyFile(byte[] publicKey, byte[] signature, byte[] data, int count)
        {
            var id = Convert.ToBase64String(Sha256.Hash(data)) + Convert.ToBase64String(publicKey);
            if (VerifiedFiles.ContainsKey(id))
            {
                return true;
            }

            if (!IsValidPublicKey(publicKey) || !Verify(publicKey, signature, data, count))
            {
                return false;
            }

            if (VerifiedFiles.Count >= MaxRemembered)
            {
                VerifiedFiles.Clear();
            }

            VerifiedFiles[id] = true;
            return true;
        }

        private const int MaxRemembered = 100_000;
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> ValidKeys = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> VerifiedFiles = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();

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
