using System;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace Secrets.Core.Crypto
{
    /// <summary>ChaCha20-Poly1305 (RFC 8439). A failed tag returns null: never partial plaintext.</summary>
    internal static class Aead
    {
        public const int KeySize = 32;
        public const int NonceSize = 12;
        public const int TagSize = 16;

        public static byte[] Seal(byte[] key, byte[] nonce, byte[] plaintext, byte[]? associatedData)
        {
            Check(key, nonce);
            var cipher = new ChaCha20Poly1305();
            cipher.Init(true, new AeadParameters(new KeyParameter(key), TagSize * 8, nonce, associatedData));
            var output = new byte[cipher.GetOutputSize(plaintext.Length)];
            int written = cipher.ProcessBytes(plaintext, 0, plaintext.Length, output, 0);
            cipher.DoFinal(output, written);
            return output;
        }

        /// <summary>Decrypts and authenticates; returns null when the tag does not verify.</summary>
        public static byte[]? Open(byte[] key, byte[] nonce, byte[] ciphertext, byte[]? associatedData)
        {
            Check(key, nonce);
            if (ciphertext.Length < TagSize)
            {
                return null;
            }

            var cipher = new ChaCha20Poly1305();
            cipher.Init(false, new AeadParameters(new KeyParameter(key), TagSize * 8, nonce, associatedData));
            var output = new byte[cipher.GetOutputSize(ciphertext.Length)];
            try
            {
                int written = cipher.ProcessBytes(ciphertext, 0, ciphertext.Length, output, 0);
                cipher.DoFinal(output, written);
                return output;
            }
            catch (InvalidCipherTextException)
            {
                Sensitive.Zero(output);
                return null;
            }
        }

        private static void Check(byte[] key, byte[] nonce)
        {
            if (key == null || key.Length != KeySize)
            {
                throw new ArgumentException("The key must be 32 bytes.", nameof(key));
            }

            if (nonce == null || nonce.Length != NonceSize)
            {
                throw new ArgumentException("The nonce must be 12 bytes.", nameof(nonce));
            }
        }
    }
}
