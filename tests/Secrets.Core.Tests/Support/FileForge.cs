using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Secrets.Core.Codecs;
using Secrets.Core.Crypto;
using Secrets.Core.Identity;

namespace Secrets.Core.Tests.Support
{
    /// <summary>
    /// Builds version files line by line as docs/FORMAT.md describes them, with any type line and
    /// any plaintext, signed by any identity: files a correct writer never makes, but that carry a
    /// valid signature and a payload that authenticates.
    /// </summary>
    public static class FileForge
    {
        /// <param name="storeId">the store id line.</param>
        /// <param name="name">the name line.</param>
        /// <param name="version">the version line.</param>
        /// <param name="typeLine">the type line, as written.</param>
        /// <param name="paddedPlaintext">the plaintext the payload encrypts.</param>
        /// <param name="signer">who signs the file (the writer line).</param>
        /// <param name="recipients">who the file key is wrapped for.</param>
        /// <param name="metaLines">metadata lines, as written.</param>
        /// <param name="keyFor">the file key wrapped for a recipient, when it is not the file's key
        /// (a writer giving different readers different keys); the payload and the commitment use the file's key.</param>
        /// <param name="logSeq">the log line (0: none).</param>
        /// <param name="previous">the hash on the 'previous' line of a version after the first, which names the
        /// version before it (default: 32 zero bytes, a forger who does not care; <see cref="HashOf"/> of
        /// the file before it for one who does).</param>
        public static byte[] Secret(byte[] storeId, string name, int version, string typeLine, byte[] paddedPlaintext,
            UnlockedIdentity signer, IEnumerable<Recipient> recipients, IEnumerable<string>? metaLines = null,
            Func<Recipient, byte[]?>? keyFor = null, int logSeq = 0, byte[]? previous = null)
        {
            var lines = new List<string>
            {
                "secrets/v1 secret",
                "store " + Base64.Encode(storeId),
                "name " + name,
                "version " + version.ToString(CultureInfo.InvariantCulture),
                "type " + typeLine,
                "created 2026-01-02T03:04:05.0000000Z",
                "writer " + Base64.Encode(signer.Recipient.SigningKey),
            };
            if (logSeq > 0)
            {
                lines.Add("log " + logSeq.ToString(CultureInfo.InvariantCulture));
            }

            if (version > 1)
            {
                lines.Add($"previous {version - 1} " + Base64.Encode(previous ?? new byte[32]));
            }

            lines.AddRange(metaLines ?? Array.Empty<string>());
            var fileKey = RandomBytes.Get(32);
            lines.Add("commit " + Base64.Encode(Hkdf.DeriveKey(fileKey, null, "secrets/v1 key commitment")));
            foreach (var recipient in recipients)
            {
                var stanza = X25519Wrap.Wrap(keyFor?.Invoke(recipient) ?? fileKey, recipient.EncryptionKey);
                lines.Add($"recipient {Base64.Encode(stanza.Recipient)} {Base64.Encode(stanza.Ephemeral)} {Base64.Encode(stanza.Nonce)} {Base64.Encode(stanza.Wrapped)}");
            }

            var header = FileEdits.Join(lines.ToArray());
            var aad = Concat(Encoding.ASCII.GetBytes("secrets/v1 payload\n"), header);
            var payloadKey = Hkdf.DeriveKey(fileKey, null, "secrets/v1 payload key");
            var nonce = RandomBytes.Get(12);
            var ciphertext = Aead.Seal(payloadKey, nonce, paddedPlaintext, aad);
            lines.Add($"payload {Base64.Encode(nonce)} {Base64.Encode(ciphertext)}");
            return Signed(lines, signer);
        }

        public static byte[] Tombstone(byte[] storeId, string name, int version, UnlockedIdentity signer, byte[]? previous = null)
        {
            var lines = new List<string>
            {
                "secrets/v1 tombstone",
                "store " + Base64.Encode(storeId),
                "name " + name,
                "version " + version.ToString(CultureInfo.InvariantCulture),
                "created 2026-01-02T03:04:05.0000000Z",
                "writer " + Base64.Encode(signer.Recipient.SigningKey),
            };
            if (version > 1)
            {
                lines.Add($"previous {version - 1} " + Base64.Encode(previous ?? new byte[32]));
            }

            return Signed(lines, signer);
        }

        /// <summary>SHA-256 of a file, as the 'previous' line of the version after it names it; 32 zero bytes when it does not exist.</summary>
        public static byte[] HashOf(string path) =>
            System.IO.File.Exists(path) ? System.Security.Cryptography.SHA256.HashData(System.IO.File.ReadAllBytes(path)) : new byte[32];

        /// <summary>A type byte and body, padded as the format pads values.</summary>
        public static byte[] Padded(byte typeByte, byte[] body)
        {
            var padded = new byte[(body.Length + 2 + 63) / 64 * 64];
            padded[0] = typeByte;
            Buffer.BlockCopy(body, 0, padded, 1, body.Length);
            padded[body.Length + 1] = 0x80;
            return padded;
        }

        private static byte[] Signed(List<string> lines, UnlockedIdentity signer)
        {
            var body = FileEdits.Join(lines.ToArray());
            lines.Add("signature " + Base64.Encode(signer.Sign(body, body.Length)));
            return FileEdits.Join(lines.ToArray());
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
