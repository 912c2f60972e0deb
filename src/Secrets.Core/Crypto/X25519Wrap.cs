using System;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace Secrets.Core.Crypto
{
    /// <summary>One recipient's wrapped copy of a file key (a "recipient" line).</summary>
    internal sealed class WrappedKey
    {
        public const int WrappedSize = 32 + Aead.TagSize;

        public WrappedKey(byte[] recipient, byte[] ephemeral, byte[] nonce, byte[] wrapped)
        {
            Recipient = recipient;
            Ephemeral = ephemeral;
            Nonce = nonce;
            Wrapped = wrapped;
        }

        public byte[] Recipient { get; }
        public byte[] Ephemeral { get; }
        public byte[] Nonce { get; }
        public byte[] Wrapped { get; }
    }

    /// <summary>
    /// Wraps a 32-byte file key for an X25519 recipient: ephemeral X25519, HKDF-SHA-256 over
    /// (ephemeral ‖ recipient), ChaCha20-Poly1305. The construction age uses, with a random nonce.
    /// </summary>
    internal static class X25519Wrap
    {
        public const int KeySize = 32;

        public static WrappedKey Wrap(byte[] fileKey, byte[] recipient)
        {
            if (fileKey.Length != 32)
            {
                throw new ArgumentException("The file key must be 32 bytes.", nameof(fileKey));
            }

            if (recipient.Length != KeySize)
            {
                throw new ArgumentException("An X25519 key is 32 bytes.", nameof(recipient));
            }

            var ephemeralPrivate = new byte[KeySize];
            var ephemeralPublic = new byte[KeySize];
            var shared = new byte[KeySize];
            byte[]? wrapKey = null;
            try
            {
                lock (RandomBytes.Generator)
                {
                    X25519.GeneratePrivateKey(RandomBytes.Generator, ephemeralPrivate);
                }
                X25519.GeneratePublicKey(ephemeralPrivate, 0, ephemeralPublic, 0);
                if (!X25519.CalculateAgreement(ephemeralPrivate, 0, recipient, 0, shared, 0))
                {
                    throw new ArgumentException("The recipient key is a low-order point.", nameof(recipient));
                }

                wrapKey = Hkdf.DeriveKey(shared, Concat(ephemeralPublic, recipient), Labels.X25519Wrap);
                var nonce = RandomBytes.Get(Aead.NonceSize);
                var wrapped = Aead.Seal(wrapKey, nonce, fileKey, null);
                return new WrappedKey((byte[])recipient.Clone(), ephemeralPublic, nonce, wrapped);
            }
            finally
            {
                Sensitive.Zero(ephemeralPrivate);
                Sensitive.Zero(shared);
                Sensitive.Zero(wrapKey);
            }
        }

        /// <summary>Unwraps the file key; null when the stanza does not authenticate.</summary>
        public static byte[]? Unwrap(WrappedKey stanza, byte[] privateKey)
        {
            var shared = new byte[KeySize];
            byte[]? wrapKey = null;
            try
            {
                if (!X25519.CalculateAgreement(privateKey, 0, stanza.Ephemeral, 0, shared, 0))
                {
                    return null;
                }

                wrapKey = Hkdf.DeriveKey(shared, Concat(stanza.Ephemeral, stanza.Recipient), Labels.X25519Wrap);
                var fileKey = Aead.Open(wrapKey, stanza.Nonce, stanza.Wrapped, null);
                if (fileKey != null && fileKey.Length != 32)
                {
                    Sensitive.Zero(fileKey);
                    return null;
                }

                return fileKey;
            }
            finally
            {
                Sensitive.Zero(shared);
                Sensitive.Zero(wrapKey);
            }
        }

        public static byte[] PublicFromPrivate(byte[] privateKey)
        {
            var publicKey = new byte[KeySize];
            X25519.GeneratePublicKey(privateKey, 0, publicKey, 0);
            return publicKey;
        }

        public static byte[] NewPrivateKey()
        {
            var key = new byte[KeySize];
            lock (RandomBytes.Generator)
            {
                X25519.GeneratePrivateKey(RandomBytes.Generator, key);
            }
            return key;
        }

        private static byte[] Concat(byte[] a, byte[] b)
        {
            var result = new byte[a.Length + b.Length];
            Buffer.BlockCopy(a, 0, result, 0, a.Length);
            Buffer.BlockCopy(b, 0, result, a.Length, b.Length);
            return result;
        }
    }
}
