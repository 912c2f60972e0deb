using System;
using System.Globalization;
using System.Linq;
using Secrets.Core.Names;
using Secrets.Core.Codecs;
using Secrets.Core.Crypto;
using Secrets.Core.Format;
using Secrets.Core.Store;
using Secrets.Core.Values;

namespace Secrets.Fuzz.Targets
{
    /// <summary>
    /// Secret version files (<c>SecretFileFormat.Parse</c>). The input is signed again by its
    /// writer when that is a known key. Contract: a file is refused with a <see cref="FormatProblem"/>
    /// that becomes an error naming the file, or it is accepted and then (1) is the one encoding
    /// of what was parsed: writing the parsed header again gives the same bytes; (2) a tombstone
    /// written again by the writer is the same file; (3) a secret the owner can decrypt has a value
    /// that re-encodes to the same bytes, and writing the value again gives a file that parses to
    /// the same header and value.
    /// </summary>
    internal static class VersionFileTarget
    {
        public const string Path = "/fuzz/store/secrets/fuzz/v1.secret";

        public static void Check(byte[] input)
        {
            var data = Lines.ResignBy(input, "writer");
            SecretFileHeader header;
            try
            {
                header = SecretFileFormat.Parse(data);
            }
            catch (FormatProblem problem)
            {
                Expect.Refused(problem, "SecretFileInvalid", Path);
                return;
            }

            Expect.Trace($"accepted: {(header.IsTombstone ? "tombstone" : header.Type.ToString())} {header.Name} v{header.Version}");
            int signatureLine = Lines.LastLineStart(data);
            var body = Canonical(header);
            Expect.SameBytes(data.AsSpan(0, signatureLine), body, "the accepted version file written again from what was parsed");
            Expect.That(header.Data == data, "the header does not keep the bytes it was parsed from");

            var writer = Keys.BySigningKey(Base64.Encode(header.Writer));
            if (header.IsTombstone)
            {
                if (writer != null)
                {
                    var again = SecretFileFormat.WriteTombstone(header.StoreId, SecretName.Parse(header.Name), header.Version, header.Created, writer,
                        header.LogSeq, Previous(header));
                    Expect.SameBytes(data, again, "the tombstone written again by its writer");
                }

                return;
            }

            if (!header.Recipients.Any(r => r.Recipient.AsSpan().SequenceEqual(Keys.Owner.Recipient.EncryptionKey)))
            {
                return;
            }

            SecretValue? value;
            try
            {
                value = SecretFileFormat.Decrypt(header, Keys.Owner);
            }
            catch (FormatProblem problem)
            {
                Expect.Refused(problem, "SecretFileInvalid", Path);
                return;
            }

            Expect.That(value != null, "the owner is a recipient but gets no value");
            using (value)
            {
                Expect.That(value!.Type == header.Type, $"a {value.Type} value from a file of type {header.Type}");
                Expect.Trace("decrypted and re-encoded");
                ValueCodecTarget.RoundTrip(value);
                if (writer == null)
                {
                    return;
                }

                var written = SecretFileFormat.WriteSecret(header.StoreId, SecretName.Parse(header.Name), header.Version, value, header.Metadata,
                    header.Created, writer, new[] { Keys.Owner.Recipient }, header.LogSeq, Previous(header));
                var reread = SecretFileFormat.Parse(written);
                Expect.SameBytes(Canonical(header, withKeys: false), Canonical(reread, withKeys: false), "the header of the secret written again");
                using var valueAgain = SecretFileFormat.Decrypt(reread, Keys.Owner);
                Expect.That(valueAgain != null && ValueCodecTarget.Same(value, valueAgain), "the value of the secret written again");
            }
        }

        private static PreviousVersion? Previous(SecretFileHeader header) =>
            header.PreviousVersion == 0 ? null : new PreviousVersion(header.PreviousVersion, header.Previous!);

        /// <summary>The lines of a version file before its signature, from a parsed header (FORMAT.md's order).</summary>
        private static byte[] Canonical(SecretFileHeader header, bool withKeys = true)
        {
            var lines = new LineWriter();
            lines.Line(SecretFileFormat.Magic, header.IsTombstone ? "tombstone" : "secret");
            lines.Line("store", Base64.Encode(header.StoreId));
            lines.Line("name", header.Name);
            lines.Line("version", header.Version.ToString(CultureInfo.InvariantCulture));
            if (!header.IsTombstone)
            {
                lines.Line("type", header.Type.ToString());
            }

            lines.Line("created", SecretMetadata.FormatTimestamp(header.Created));
            lines.Line("writer", Base64.Encode(header.Writer));
            if (header.LogSeq > 0)
            {
                lines.Line("log", header.LogSeq.ToString(CultureInfo.InvariantCulture));
            }

            if (header.PreviousVersion > 0)
            {
                lines.Line("previous", header.PreviousVersion.ToString(CultureInfo.InvariantCulture), Base64.Encode(header.Previous!));
            }

            if (header.IsTombstone)
            {
                return lines.ToArray();
            }

            foreach (var entry in header.Metadata)
            {
                lines.Line("meta", entry.Key, MetadataValue(entry.Value));
            }

            if (!withKeys)
            {
                return lines.ToArray();
            }

            lines.Line("commit", Base64.Encode(header.KeyCommitment));
            foreach (var recipient in header.Recipients)
            {
                lines.Line("recipient", Base64.Encode(recipient.Recipient), Base64.Encode(recipient.Ephemeral), Base64.Encode(recipient.Nonce),
                    Base64.Encode(recipient.Wrapped));
            }

            Expect.That(header.PayloadLineOffset == lines.Length, "the payload line offset is not where the payload line starts");
            lines.Line("payload", Base64.Encode(header.PayloadNonce), Base64.Encode(header.Ciphertext));
            return lines.ToArray();
        }

        /// <summary>A metadata value as FORMAT.md writes it ("Metadata").</summary>
        private static string MetadataValue(object value)
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
                    Expect.That(d.Kind == DateTimeKind.Utc, "a metadata time that is not UTC");
                    return "d:" + SecretMetadata.FormatTimestamp(d);
                default:
                    throw new ContractViolation($"a metadata value of type {value.GetType().Name}");
            }
        }
    }
}
