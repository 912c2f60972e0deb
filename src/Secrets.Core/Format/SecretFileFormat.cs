using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Secrets.Core.Crypto;
using Secrets.Core.Codecs;
using Secrets.Core.Identity;
using Secrets.Core.Values;
using Secrets.Core.Names;

namespace Secrets.Core.Format
{
    /// <summary>A parsed and signature-checked version file (docs/FORMAT.md, "Secret version files").</summary>
    internal sealed class SecretFileHeader
    {
        public bool IsTombstone { get; set; }
        public byte[] StoreId { get; set; } = Array.Empty<byte>();
        public string Name { get; set; } = string.Empty;
        public int Version { get; set; }
        public SecretType Type { get; set; }
        public DateTime Created { get; set; }
        public byte[] Writer { get; set; } = Array.Empty<byte>();

        /// <summary>The newest store log entry when the file was written (0: none).</summary>
        public int LogSeq { get; set; }

        /// <summary>
        /// The version this one follows (0: none, the history starts here) and the SHA-256 of its file.
        /// </summary>
        public int PreviousVersion { get; set; }

        public byte[]? Previous { get; set; }
        public SecretMetadata Metadata { get; set; } = SecretMetadata.Empty;
        /// <summary>The commitment to the file key that every recipient's unwrapped key must match.</summary>
        public byte[] KeyCommitment { get; set; } = Array.Empty<byte>();
        public List<WrappedKey> Recipients { get; } = new List<WrappedKey>();
        public byte[] PayloadNonce { get; set; } = Array.Empty<byte>();
        public byte[] Ciphertext { get; set; } = Array.Empty<byte>();
        public int PayloadLineOffset { get; set; }
        public byte[] Data { get; set; } = Array.Empty<byte>();

        /// <summary>SHA-256 of the whole file: what the next version's 'previous' line names.</summary>
        public byte[] Hash => _hash ??= Crypto.Sha256.Hash(Data, 0, Data.Length);

        private byte[]? _hash;
    }

    /// <summary>The version a new version follows, and the SHA-256 of its file (the 'previous' line).</summary>
    internal sealed class PreviousVersion
    {
        public PreviousVersion(int version, byte[] hash)
        {
            Version = version;
            Hash = hash;
        }

        public int Version { get; }

        public byte[] Hash { get; }
    }

    /// <summary>Writes and reads version files. Parse checks syntax, lengths and the signature.</summary>
    internal static class SecretFileFormat
    {
        public const string Magic = "secrets/v1";
        public const int MaxFileBytes = 32 * 1024 * 1024;
        public const int MaxRecipients = 1024;
        public const int MaxMetadataLines = SecretMetadata.MaxEntries;
        private const int MinCiphertext = ValueCodec.PaddingBlock + Aead.TagSize;

        public static byte[] WriteSecret(byte[] storeId, SecretName name, int version, SecretValue value, SecretMetadata metadata,
            DateTime created, UnlockedIdentity writer, IReadOnlyCollection<Recipient> recipients, int logSeq = 0, PreviousVersion? previous = null)
        {
            if (recipients.Count == 0 || recipients.Count > MaxRecipients)
            {
                throw new ArgumentException($"A secret needs 1 to {MaxRecipients} recipients.", nameof(recipients));
            }

            var lines = new LineWriter();
            lines.Line(Magic, "secret");
            lines.Line("store", Base64.Encode(storeId));
            lines.Line("name", name.Value);
            lines.Line("version", version.ToString(CultureInfo.InvariantCulture));
            lines.Line("type", value.Type.ToString());
            lines.Line("created", SecretMetadata.FormatTimestamp(created));
            lines.Line("writer", Base64.Encode(writer.Recipient.SigningKey));
            WriteLogLine(lines, logSeq);
            WritePreviousLine(lines, version, previous);
            foreach (var entry in metadata)
            {
                lines.Line("meta", entry.Key, EncodeMetadataValue(entry.Value));
            }

            byte[] fileKey = RandomBytes.Get(32);
            byte[]? payloadKey = null;
            byte[]? plaintext = null;
            try
            {
                // One file key for every recipient: readers check the key they unwrap against this
                // signed commitment, so no writer can give different recipients different values.
                lines.Line("commit", Base64.Encode(Commitment(fileKey)));
                foreach (var recipient in recipients.Distinct())
                {
                    var stanza = X25519Wrap.Wrap(fileKey, recipient.EncryptionKey);
                    lines.Line("recipient", Base64.Encode(stanza.Recipient), Base64.Encode(stanza.Ephemeral), Base64.Encode(stanza.Nonce), Base64.Encode(stanza.Wrapped));
                }

                var header = lines.ToArray();
                payloadKey = Hkdf.DeriveKey(fileKey, null, Labels.PayloadKey);
                plaintext = ValueCodec.EncodePadded(value);
                var nonce = RandomBytes.Get(Aead.NonceSize);
                var ciphertext = Aead.Seal(payloadKey, nonce, plaintext, WithLabel(Labels.PayloadAad, header, header.Length));
                lines.Line("payload", Base64.Encode(nonce), Base64.Encode(ciphertext));
            }
            finally
            {
                Sensitive.Zero(fileKey);
                Sensitive.Zero(payloadKey);
                Sensitive.Zero(plaintext);
            }

            return Sign(lines, writer);
        }

        public static byte[] WriteTombstone(byte[] storeId, SecretName name, int version, DateTime created, UnlockedIdentity writer, int logSeq = 0, PreviousVersion? previous = null)
        {
            var lines = new LineWriter();
            lines.Line(Magic, "tombstone");
            lines.Line("store", Base64.Encode(storeId));
            lines.Line("name", name.Value);
            lines.Line("version", version.ToString(CultureInfo.InvariantCulture));
            lines.Line("created", SecretMetadata.FormatTimestamp(created));
            lines.Line("writer", Base64.Encode(writer.Recipient.SigningKey));
            WriteLogLine(lines, logSeq);
            WritePreviousLine(lines, version, previous);
            return Sign(lines, writer);
        }

        /// <summary>Parses strictly and verifies the signature by the key on the 'writer' line.</summary>
        public static SecretFileHeader Parse(byte[] data)
        {
            var reader = LineReader.Parse(data);
            var header = new SecretFileHeader { Data = data };
            var magic = reader.Expect(Magic, 2);
            if (magic.Fields[1] == "tombstone")
            {
                header.IsTombstone = true;
            }
            else if (magic.Fields[1] != "secret")
            {
                throw new FormatProblem($"it is a '{magic.Fields[1]}' file, not a secret version");
            }

            header.StoreId = Base64.Decode(reader.Expect("store", 2).Fields[1], 16) ?? throw new FormatProblem("the 'store' line is not 16 bytes of base64");
            var nameLine = reader.Expect("name", 2);
            var nameProblem = SecretName.Validate(nameLine.Fields[1]);
            if (nameProblem != null)
            {
                throw new FormatProblem($"line {nameLine.Number} holds an invalid name");
            }

            header.Name = nameLine.Fields[1];
            var versionLine = reader.Expect("version", 2);
            if (!IdentityFile.TryParseUInt(versionLine.Fields[1], out int version) || version < 1)
            {
                throw new FormatProblem($"line {versionLine.Number} holds an invalid version number");
            }

            header.Version = version;
            if (!header.IsTombstone)
            {
                var typeLine = reader.Expect("type", 2);
                if (!TryParseType(typeLine.Fields[1], out var type))
                {
                    throw new FormatProblem($"line {typeLine.Number} holds an unknown type");
                }

                header.Type = type;
            }

            var createdLine = reader.Expect("created", 2);
            if (!SecretMetadata.TryParseTimestamp(createdLine.Fields[1], out var created))
            {
                throw new FormatProblem($"line {createdLine.Number} holds an invalid timestamp");
            }

            header.Created = created;
            header.Writer = Base64.Decode(reader.Expect("writer", 2).Fields[1], Ed25519Signing.PublicKeySize)
                ?? throw new FormatProblem("the 'writer' line is not a 32-byte key in base64");
            if (reader.TryTake("log", out var logLine))
            {
                if (logLine.Fields.Length != 2 || !IdentityFile.TryParseUInt(logLine.Fields[1], out int logSeq) || logSeq < 1)
                {
                    throw new FormatProblem($"line {logLine.Number} ('log') must hold a positive entry number");
                }

                header.LogSeq = logSeq;
            }

            if (reader.TryTake("previous", out var previousLine))
            {
                if (previousLine.Fields.Length != 3 || !IdentityFile.TryParseUInt(previousLine.Fields[1], out int previousVersion)
                    || previousVersion < 1 || previousVersion >= header.Version)
                {
                    throw new FormatProblem($"line {previousLine.Number} ('previous') must hold a lower version number and a hash");
                }

                header.PreviousVersion = previousVersion;
                header.Previous = Base64.Decode(previousLine.Fields[2], Sha256Size)
                    ?? throw new FormatProblem($"line {previousLine.Number} ('previous') does not hold 32 bytes of base64");
            }

            if (!header.IsTombstone)
            {
                header.Metadata = ParseMetadata(reader);
                header.KeyCommitment = Base64.Decode(reader.Expect("commit", 2).Fields[1], CommitmentSize)
                    ?? throw new FormatProblem("the 'commit' line is not 32 bytes of base64");
                ParseRecipients(reader, header);
                var payload = reader.Expect("payload", 3);
                header.PayloadLineOffset = payload.Offset;
                header.PayloadNonce = Base64.Decode(payload.Fields[1], Aead.NonceSize) ?? throw new FormatProblem("the payload nonce is not 12 bytes of base64");
                var ciphertext = Base64.Decode(payload.Fields[2]) ?? throw new FormatProblem("the payload is not valid base64");
                if (ciphertext.Length < MinCiphertext || (ciphertext.Length - Aead.TagSize) % ValueCodec.PaddingBlock != 0)
                {
                    throw new FormatProblem($"the payload has {ciphertext.Length} bytes, which no padded value encrypts to");
                }

                header.Ciphertext = ciphertext;
            }

            var signatureLine = reader.Expect("signature", 2);
            reader.ExpectEnd();
            var signature = Base64.Decode(signatureLine.Fields[1], Ed25519Signing.SignatureSize)
                ?? throw new FormatProblem("the signature is not 64 bytes of base64");
            if (!Ed25519Signing.VerifyFile(header.Writer, signature, data, signatureLine.Offset))
            {
                throw new FormatProblem("the signature does not verify (the file was modified after it was written)");
            }

            return header;
        }

        /// <summary>
        /// Decrypts for the reader; null when the reader is not a recipient. Throws
        /// <see cref="FormatProblem"/> when unwrapping or decryption fails or the type disagrees.
        /// </summary>
        public static SecretValue? Decrypt(SecretFileHeader header, UnlockedIdentity reader)
        {
            var mine = header.Recipients.FirstOrDefault(r => Sensitive.FixedTimeEquals(r.Recipient, reader.Recipient.EncryptionKey));
            if (mine == null)
            {
                return null;
            }

            byte[]? fileKey = null;
            byte[]? payloadKey = null;
            byte[]? plaintext = null;
            try
            {
                fileKey = X25519Wrap.Unwrap(mine, reader.EncryptionPrivate) ?? throw new FormatProblem("the file key for your identity does not decrypt");
                if (!CommitsTo(header, fileKey))
                {
                    throw new FormatProblem("the file key for your identity is not the key the file commits to (its readers were given different keys)");
                }

                payloadKey = Hkdf.DeriveKey(fileKey, null, Labels.PayloadKey);
                plaintext = Aead.Open(payloadKey, header.PayloadNonce, header.Ciphertext, WithLabel(Labels.PayloadAad, header.Data, header.PayloadLineOffset))
                    ?? throw new FormatProblem("the payload does not decrypt (it was modified)");
                var value = ValueCodec.DecodePadded(plaintext);
                if (value.Type != header.Type)
                {
                    value.Dispose();
                    throw new FormatProblem($"the value is a {value.Type} but the file says {header.Type}");
                }

                return value;
            }
            finally
            {
                Sensitive.Zero(fileKey);
                Sensitive.Zero(payloadKey);
                Sensitive.Zero(plaintext);
            }
        }

        /// <summary>Whether <paramref name="fileKey"/> is the key the file commits to (constant time).</summary>
        internal static bool CommitsTo(SecretFileHeader header, byte[] fileKey)
        {
            var commitment = Commitment(fileKey);
            try
            {
                return Sensitive.FixedTimeEquals(commitment, header.KeyCommitment);
            }
            finally
            {
                Sensitive.Zero(commitment);
            }
        }

        /// <summary>HKDF-SHA-256(file key, no salt, "secrets/v1 key commitment"), 32 bytes (docs/FORMAT.md, "Payload encryption").</summary>
        private static byte[] Commitment(byte[] fileKey) => Hkdf.DeriveKey(fileKey, null, Labels.KeyCommitment);

        private const int CommitmentSize = 32;

        internal static bool TryParseType(string text, out SecretType type)
        {
            foreach (SecretType candidate in Enum.GetValues(typeof(SecretType)))
            {
                if (candidate.ToString() == text)
                {
                    type = candidate;
                    return true;
                }
            }

            type = default;
            return false;
        }

        private const int Sha256Size = 32;

        /// <summary>A version names the one it follows: the secret's history is a hash chain.</summary>
        private static void WritePreviousLine(LineWriter lines, int version, PreviousVersion? previous)
        {
            if (previous == null)
            {
                return;
            }

            if (previous.Version < 1 || previous.Version >= version || previous.Hash.Length != Sha256Size)
            {
                throw new ArgumentException("A version follows a lower version, named by the SHA-256 of its file.", nameof(previous));
            }

            lines.Line("previous", previous.Version.ToString(CultureInfo.InvariantCulture), Base64.Encode(previous.Hash));
        }

        private static void WriteLogLine(LineWriter lines, int logSeq)
        {
            if (logSeq > 0)
            {
                lines.Line("log", logSeq.ToString(CultureInfo.InvariantCulture));
            }
        }

        private static byte[] Sign(LineWriter lines, UnlockedIdentity writer)
        {
            var body = lines.ToArray();
            var signature = writer.Sign(body, body.Length);
            lines.Line("signature", Base64.Encode(signature));
            return lines.ToArray();
        }

        private static byte[] WithLabel(string label, byte[] data, int count)
        {
            var prefix = System.Text.Encoding.ASCII.GetBytes(label);
            var result = new byte[prefix.Length + count];
            Buffer.BlockCopy(prefix, 0, result, 0, prefix.Length);
            Buffer.BlockCopy(data, 0, result, prefix.Length, count);
            return result;
        }

        private static SecretMetadata ParseMetadata(LineReader reader)
        {
            var metadata = new SecretMetadata();
            string? previous = null;
            while (reader.TryTake("meta", out var line))
            {
                if (line.Fields.Length != 3)
                {
                    throw new FormatProblem($"line {line.Number} ('meta') must hold a key and a value");
                }

                var key = line.Fields[1];
                if (!SecretMetadata.IsValidKey(key))
                {
                    throw new FormatProblem($"line {line.Number} holds an invalid metadata key");
                }

                var canonical = SecretMetadata.Canonical(key);
                if (previous != null && string.CompareOrdinal(previous, canonical) >= 0)
                {
                    throw new FormatProblem($"line {line.Number}: metadata keys must be unique and in ascending order");
                }

                if (metadata.Count >= MaxMetadataLines)
                {
                    throw new FormatProblem($"the file has more than {MaxMetadataLines} metadata lines");
                }

                previous = canonical;
                metadata.Set(key, DecodeMetadataValue(line.Fields[2], line.Number));
            }

            return metadata;
        }

        private static void ParseRecipients(LineReader reader, SecretFileHeader header)
        {
            while (reader.TryTake("recipient", out var line))
            {
                if (line.Fields.Length != 5)
                {
                    throw new FormatProblem($"line {line.Number} ('recipient') must hold four values");
                }

                if (header.Recipients.Count >= MaxRecipients)
                {
                    throw new FormatProblem($"the file has more than {MaxRecipients} recipients");
                }

                var key = Base64.Decode(line.Fields[1], 32);
                var ephemeral = Base64.Decode(line.Fields[2], 32);
                var nonce = Base64.Decode(line.Fields[3], Aead.NonceSize);
                var wrapped = Base64.Decode(line.Fields[4], WrappedKey.WrappedSize);
                if (key == null || ephemeral == null || nonce == null || wrapped == null)
                {
                    throw new FormatProblem($"line {line.Number} ('recipient') has a value of the wrong length or not in base64");
                }

                if (header.Recipients.Any(r => Sensitive.FixedTimeEquals(r.Recipient, key)))
                {
                    throw new FormatProblem($"line {line.Number} repeats a recipient");
                }

                header.Recipients.Add(new WrappedKey(key, ephemeral, nonce, wrapped));
            }

            if (header.Recipients.Count == 0)
            {
                throw new FormatProblem("the file has no 'recipient' line");
            }
        }

        private static string EncodeMetadataValue(object value)
        {
            switch (value)
            {
                case string s:
                    return "s:" + Base64.Encode(System.Text.Encoding.UTF8.GetBytes(s));
                case int i:
                    return "i:" + i.ToString(CultureInfo.InvariantCulture);
                case long l:
                    return "l:" + l.ToString(CultureInfo.InvariantCulture);
                case bool b:
                    return b ? "b:true" : "b:false";
                case DateTime d:
                    return "d:" + SecretMetadata.FormatTimestamp(d);
                default:
                    throw new ArgumentException("Unsupported metadata value type.", nameof(value));
            }
        }

        private static object DecodeMetadataValue(string text, int lineNumber)
        {
            if (text.Length < 2 || text[1] != ':')
            {
                throw new FormatProblem($"line {lineNumber} holds a metadata value without a type prefix");
            }

            var body = text.Substring(2);
            switch (text[0])
            {
                case 's':
                    var bytes = Base64.Decode(body);
                    if (bytes == null || bytes.Length > SecretMetadata.MaxStringBytes)
                    {
                        throw new FormatProblem($"line {lineNumber} holds an invalid string value");
                    }

                    try
                    {
                        return new System.Text.UTF8Encoding(false, true).GetString(bytes);
                    }
                    catch (System.Text.DecoderFallbackException)
                    {
                        throw new FormatProblem($"line {lineNumber} holds a string value that is not UTF-8");
                    }

                case 'i':
                    if (IsCanonicalInteger(body) && int.TryParse(body, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int i))
                    {
                        return i;
                    }

                    break;
                case 'l':
                    if (IsCanonicalInteger(body) && long.TryParse(body, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
                    {
                        return l;
                    }

                    break;
                case 'b':
                    if (body == "true" || body == "false")
                    {
                        return body == "true";
                    }

                    break;
                case 'd':
                    if (SecretMetadata.TryParseTimestamp(body, out var d))
                    {
                        return d;
                    }

                    break;
            }

            throw new FormatProblem($"line {lineNumber} holds an invalid metadata value");
        }

        private static bool IsCanonicalInteger(string text)
        {
            var digits = text.StartsWith("-", StringComparison.Ordinal) ? text.Substring(1) : text;
            return digits.Length > 0 && digits.All(c => c >= '0' && c <= '9') && (digits.Length == 1 || digits[0] != '0') && text != "-0";
        }
    }
}
