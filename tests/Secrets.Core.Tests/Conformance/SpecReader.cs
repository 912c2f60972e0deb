using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC.Rfc7748;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Secrets.Core.Tests.Conformance
{
    /// <summary>
    /// A reader written from docs/FORMAT.md alone, sharing no code with Secrets.Core: .NET's own
    /// SHA-256, HKDF, ChaCha20-Poly1305 and base64; BouncyCastle only for X25519, Ed25519 and
    /// Argon2id, which .NET does not have. If it reads the vectors, the spec describes the files.
    /// </summary>
    public static class SpecReader
    {
        /// <summary>A file's lines with the byte offset where each starts ("every byte before this line").</summary>
        public sealed class Lines
        {
            public Lines(byte[] data)
            {
                Data = data;
                int start = 0;
                for (int i = 0; i < data.Length; i++)
                {
                    if (data[i] == (byte)'\n')
                    {
                        Entries.Add((start, Encoding.UTF8.GetString(data, start, i - start).Split(' ')));
                        start = i + 1;
                    }
                }

                if (start != data.Length)
                {
                    throw new FormatException("the file does not end with LF");
                }
            }

            public byte[] Data { get; }

            public List<(int Offset, string[] Fields)> Entries { get; } = new List<(int, string[])>();

            public (int Offset, string[] Fields) One(string key) => Entries.Single(e => e.Fields[0] == key);

            public IEnumerable<string[]> All(string key) => Entries.Where(e => e.Fields[0] == key).Select(e => e.Fields);

            public byte[] Before(string key) => Data[..One(key).Offset];
        }

        public static byte[] B64(string text)
        {
            var decoded = Convert.FromBase64String(text + new string('=', (4 - text.Length % 4) % 4));
            if (Convert.ToBase64String(decoded).TrimEnd('=') != text)
            {
                throw new FormatException("not canonical base64");
            }

            return decoded;
        }

        public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

        public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

        /// <summary>BIP 173 Bech32 with checksum constant 1 and no length limit; returns the 8-bit data.</summary>
        public static byte[] Bech32(string text, string hrp)
        {
            const string charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
            int separator = text.LastIndexOf('1');
            if (text.Substring(0, separator) != hrp)
            {
                throw new FormatException("wrong prefix");
            }

            var values = text.Substring(separator + 1).Select(c => charset.IndexOf(c)).ToList();
            var expanded = hrp.Select(c => c >> 5).Append(0).Concat(hrp.Select(c => c & 31)).Concat(values);
            uint[] generator = { 0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3 };
            uint check = 1;
            foreach (var v in expanded)
            {
                uint top = check >> 25;
                check = ((check & 0x1ffffff) << 5) ^ (uint)v;
                for (int i = 0; i < 5; i++)
                {
                    check ^= ((top >> i) & 1) != 0 ? generator[i] : 0;
                }
            }

            if (check != 1)
            {
                throw new FormatException("bad checksum");
            }

            var bytes = new List<byte>();
            int acc = 0, bits = 0;
            foreach (var v in values.Take(values.Count - 6))
            {
                acc = (acc << 5) | v;
                bits += 5;
                if (bits >= 8)
                {
                    bits -= 8;
                    bytes.Add((byte)((acc >> bits) & 0xff));
                }
            }

            return bytes.ToArray();
        }

        public static bool VerifySignature(Lines file, byte[] ed25519Public)
        {
            var signature = B64(file.One("signature").Fields[1]);
            var message = Concat(Ascii("secrets/v1 signature\n"), file.Before("signature"));
            return Ed25519.Verify(signature, 0, ed25519Public, 0, message, 0, message.Length);
        }

        /// <summary>
        /// The owner a reader who pinned <paramref name="pinned"/> (a recipient string) trusts in a
        /// manifest ("Owner hand-over"): the owner itself, or through hand-overs from the pinned owner,
        /// every signature verifying. Throws when the manifest is not to be trusted.
        /// </summary>
        public static string TrustedOwner(byte[] manifestData, string pinned)
        {
            var manifest = new Lines(manifestData);
            var id = manifest.One("id").Fields[1];
            var owner = manifest.One("owner").Fields[1];
            var handOvers = new List<(string From, string Name, string Revision, string Log, string Created, byte[] Signature)>();
            var entries = manifest.Entries;
            for (int i = 0; i < entries.Count; i++)
            {
                if (entries[i].Fields[0] == "handover")
                {
                    var f = entries[i].Fields;
                    var next = entries[i + 1].Fields;
                    if (next[0] != "handover-name")
                    {
                        throw new FormatException("a handover line without its handover-name");
                    }

                    handOvers.Add((f[1], string.Join(" ", next.Skip(1)), f[2], f[3], f[4], B64(f[5])));
                }
            }

            int revision = int.Parse(manifest.One("revision").Fields[1]);
            for (int i = 0; i < handOvers.Count; i++)
            {
                var h = handOvers[i];
                var to = i + 1 < handOvers.Count ? handOvers[i + 1].From : owner;
                var message = Ascii("secrets/v1 owner handover\n" + $"store {id}\nfrom {h.From}\nfrom-name {h.Name}\nto {to}\nrevision {h.Revision}\nlog {h.Log}\ncreated {h.Created}\n");
                var fromSigning = Bech32(h.From, "secrets")[32..];
                if (!Ed25519.Verify(h.Signature, 0, fromSigning, 0, message, 0, message.Length))
                {
                    throw new System.Security.SecurityException("StoreOwnerChanged: a hand-over not signed by its former owner");
                }
            }

            var signer = handOvers.Count > 0 && int.Parse(handOvers[^1].Revision) == revision ? handOvers[^1].From : owner;
            if (!VerifySignature(manifest, Bech32(signer, "secrets")[32..]))
            {
                throw new FormatException("the manifest's signature does not verify");
            }

            if (owner != pinned && !handOvers.Any(h => h.From == pinned))
            {
                throw new System.Security.SecurityException("StoreOwnerChanged: the owner is not the pinned one, nor handed over from it");
            }

            return owner;
        }

        /// <summary>The 64 private key bytes of an identity file (X25519 scalar, then Ed25519 seed), checked against its public line.</summary>
        public static byte[] IdentityKeys(byte[] data, byte[]? passphrase)
        {
            var file = new Lines(data);
            if (!SHA256.HashData(file.Before("check")).SequenceEqual(B64(file.One("check").Fields[1])))
            {
                throw new FormatException("check does not match");
            }

            var kdf = file.One("kdf").Fields;
            var key = file.One("key").Fields;
            byte[] keys;
            if (kdf[1] == "none")
            {
                keys = B64(key[1]);
            }
            else
            {
                var parameters = new Argon2Parameters.Builder(Argon2Parameters.Argon2id)
                    .WithVersion(Argon2Parameters.Version13)
                    .WithMemoryAsKB(int.Parse(kdf[2]))
                    .WithIterations(int.Parse(kdf[3]))
                    .WithParallelism(int.Parse(kdf[4]))
                    .WithSalt(B64(kdf[5]))
                    .Build();
                var argon = new Argon2BytesGenerator();
                argon.Init(parameters);
                var kek = new byte[32];
                argon.GenerateBytes(passphrase!, kek);
                keys = Open(kek, B64(key[1]), B64(key[2]), Concat(Ascii("secrets/v1 identity key\n"), file.Before("key")));
            }

            var recipient = Bech32(file.One("public").Fields[1], "secrets");
            var x25519Public = new byte[32];
            X25519.ScalarMultBase(keys, 0, x25519Public, 0);
            var ed25519Public = new byte[32];
            Ed25519.GeneratePublicKey(keys, 32, ed25519Public, 0);
            if (!recipient.SequenceEqual(Concat(x25519Public, ed25519Public)))
            {
                throw new FormatException("private keys do not match the public line");
            }

            return keys;
        }

        /// <summary>Type byte and body of a version file's value, decrypted with the reader's 64 private key bytes.</summary>
        public static (byte Type, byte[] Body) Decrypt(byte[] data, byte[] keys)
        {
            var file = new Lines(data);
            var x25519Private = keys[..32];
            var mine = new byte[32];
            X25519.ScalarMultBase(x25519Private, 0, mine, 0);
            var stanza = file.All("recipient").Single(r => B64(r[1]).SequenceEqual(mine));
            var ephemeral = B64(stanza[2]);
            var shared = new byte[32];
            X25519.ScalarMult(x25519Private, 0, ephemeral, 0, shared, 0);
            var wrapKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, Concat(ephemeral, mine), Ascii("secrets/v1 X25519 wrap"));
            var fileKey = Open(wrapKey, B64(stanza[3]), B64(stanza[4]), Array.Empty<byte>());
            var commitment = HKDF.DeriveKey(HashAlgorithmName.SHA256, fileKey, 32, Array.Empty<byte>(), Ascii("secrets/v1 key commitment"));
            if (!CryptographicOperations.FixedTimeEquals(commitment, B64(file.One("commit").Fields[1])))
            {
                throw new FormatException("the file key does not match the key commitment");
            }

            var payloadKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, fileKey, 32, Array.Empty<byte>(), Ascii("secrets/v1 payload key"));
            var payload = file.One("payload").Fields;
            var padded = Open(payloadKey, B64(payload[1]), B64(payload[2]), Concat(Ascii("secrets/v1 payload\n"), file.Before("payload")));
            int end = padded.Length - 1;
            while (padded[end] == 0)
            {
                end--;
            }

            if (padded[end] != 0x80 || padded.Length % 64 != 0)
            {
                throw new FormatException("bad padding");
            }

            return (padded[0], padded[1..end]);
        }

        public static uint U32(byte[] data, int offset) => (uint)(data[offset] << 24 | data[offset + 1] << 16 | data[offset + 2] << 8 | data[offset + 3]);

        /// <summary>A 'str': u32 length and UTF-8 bytes.</summary>
        public static string Str(byte[] data, ref int offset)
        {
            int length = (int)U32(data, offset);
            var text = new UTF8Encoding(false, true).GetString(data, offset + 4, length);
            offset += 4 + length;
            return text;
        }

        private static byte[] Open(byte[] key, byte[] nonce, byte[] sealedData, byte[] aad)
        {
            var plaintext = new byte[sealedData.Length - 16];
            using var aead = new ChaCha20Poly1305(key);
            aead.Decrypt(nonce, sealedData[..^16], sealedData[^16..], plaintext, aad);
            return plaintext;
        }
    }
}
