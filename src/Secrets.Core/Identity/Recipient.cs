using System;
using System.Linq;
using Secrets.Core.Crypto;
using Secrets.Core.Codecs;
using Secrets.Core.Errors;

namespace Secrets.Core.Identity
{
    /// <summary>
    /// The public half of an identity: an X25519 key (to encrypt to) and an Ed25519 key (to verify
    /// signatures), exchanged as a Bech32 recipient string <c>secrets1…</c>.
    /// </summary>
    public sealed class Recipient : IEquatable<Recipient>
    {
        public const string Prefix = "secrets";

        private readonly byte[] _encryptionKey;
        private readonly byte[] _signingKey;

        internal Recipient(byte[] encryptionKey, byte[] signingKey)
        {
            if (encryptionKey.Length != X25519Wrap.KeySize || encryptionKey.All(b => b == 0))
            {
                throw new ArgumentException("The X25519 key must be 32 bytes and not all zero.", nameof(encryptionKey));
            }

            if (!Ed25519Signing.IsValidPublicKey(signingKey))
            {
                throw new ArgumentException("The Ed25519 key is not a valid public key.", nameof(signingKey));
            }

            _encryptionKey = (byte[])encryptionKey.Clone();
            _signingKey = (byte[])signingKey.Clone();
            var raw = new byte[64];
            Buffer.BlockCopy(_encryptionKey, 0, raw, 0, 32);
            Buffer.BlockCopy(_signingKey, 0, raw, 32, 32);
            Text = Bech32.Encode(Prefix, raw);
            var hash = Sha256.Hash(raw);
            var hex = string.Concat(hash.Take(8).Select(b => b.ToString("x2")));
            Fingerprint = $"{hex.Substring(0, 4)}-{hex.Substring(4, 4)}-{hex.Substring(8, 4)}-{hex.Substring(12, 4)}";
        }

        /// <summary>The recipient string to hand to others.</summary>
        public string Text { get; }

        /// <summary>A short form for display, e.g. 3f2a-91c0-5be7-0d14.</summary>
        public string Fingerprint { get; }

        internal byte[] EncryptionKey => _encryptionKey;

        internal byte[] SigningKey => _signingKey;

        /// <summary>Parses a recipient string; throws <see cref="InvalidInputException"/> (InvalidRecipient) saying what is wrong.</summary>
        public static Recipient Parse(string text)
        {
            if (!TryParse(text, out var recipient, out var problem))
            {
                throw new InvalidInputException("InvalidRecipient", "Recipient", $"'{Shorten(text)}' is not a Secrets recipient: {problem}.");
            }

            return recipient!;
        }

        public static bool TryParse(string? text, out Recipient? recipient, out string problem)
        {
            recipient = null;
            if (string.IsNullOrWhiteSpace(text))
            {
                problem = "it is empty";
                return false;
            }

            if (!Bech32.TryDecode(text!.Trim(), Prefix, out var data, out problem))
            {
                return false;
            }

            if (data.Length != 64)
            {
                problem = $"it holds {data.Length} bytes instead of 64";
                return false;
            }

            var encryption = new byte[32];
            var signing = new byte[32];
            Buffer.BlockCopy(data, 0, encryption, 0, 32);
            Buffer.BlockCopy(data, 32, signing, 0, 32);
            if (encryption.All(b => b == 0))
            {
                problem = "its X25519 key is all zeros";
                return false;
            }

            if (!Ed25519Signing.IsValidPublicKey(signing))
            {
                problem = "its Ed25519 key is not a valid point";
                return false;
            }

            recipient = new Recipient(encryption, signing);
            problem = string.Empty;
            return true;
        }

        public bool Equals(Recipient? other) => other != null && other.Text == Text;

        public override bool Equals(object? obj) => Equals(obj as Recipient);

        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

        public override string ToString() => Text;

        private static string Shorten(string? text) =>
            text == null ? string.Empty : text.Length <= 40 ? text : text.Substring(0, 40) + "…";
    }
}
