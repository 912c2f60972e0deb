using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using Secrets.Core.Codecs;
using Secrets.Core.Crypto;
using Secrets.Core.Format;

namespace Secrets.Core.Store
{
    /// <summary>
    /// The shape every log shares (docs/FORMAT.md, "Sharing"): numbered files without gaps, each
    /// naming the SHA-256 of the previous entry, each signed by its <c>signer</c>.
    /// </summary>
    internal static class LogChain
    {
        public const int MaxEntryBytes = 1024 * 1024;

        /// <summary>The entry files of a log folder, in order; throws when numbers have gaps.</summary>
        public static List<string> ListEntries(string folder, string extension, Func<string, string, Exception> invalid)
        {
            var pattern = new Regex(@"^([1-9][0-9]{0,9})\." + Regex.Escape(extension) + "$", RegexOptions.CultureInvariant);
            var numbered = new SortedDictionary<long, string>();
            if (Directory.Exists(folder))
            {
                foreach (var file in Directory.EnumerateFiles(folder, "*." + extension))
                {
                    var match = pattern.Match(Path.GetFileName(file));
                    if (match.Success && long.TryParse(match.Groups[1].Value, out long n) && n <= int.MaxValue)
                    {
                        numbered[n] = file;
                    }
                }
            }

            var result = new List<string>(numbered.Count);
            long expected = 1;
            foreach (var pair in numbered)
            {
                if (pair.Key != expected)
                {
                    throw invalid(Path.Combine(folder, $"{expected}.{extension}"), $"entry {expected} is missing (the log has a gap before entry {pair.Key})");
                }

                result.Add(pair.Value);
                expected++;
            }

            return result;
        }

        /// <summary>Checks the common lines: magic, store, seq, previous; returns the reader positioned after 'previous'.</summary>
        public static LineReader ReadHeader(byte[] data, string kind, byte[] storeId, int seq, byte[]? previousHash, Func<string, Exception> invalid,
            Action<LineReader>? afterStore = null)
        {
            var reader = LineReader.Parse(data);
            var magic = reader.Expect(SecretFileFormat.Magic, 2);
            if (magic.Fields[1] != kind)
            {
                throw invalid($"it is a '{magic.Fields[1]}' file, not a {kind} entry");
            }

            var store = Base64.Decode(reader.Expect("store", 2).Fields[1], 16);
            if (store == null || !Sensitive.FixedTimeEquals(store, storeId))
            {
                throw invalid("it belongs to another store");
            }

            afterStore?.Invoke(reader);
            var seqLine = reader.Expect("seq", 2);
            if (!Identity.IdentityFile.TryParseUInt(seqLine.Fields[1], out int actual) || actual != seq)
            {
                throw invalid($"it holds entry number {seqLine.Fields[1]} but is named for entry {seq}");
            }

            var previousLine = reader.Expect("previous", 2);
            if (seq == 1)
            {
                if (previousLine.Fields[1] != "-")
                {
                    throw invalid("entry 1 must have 'previous -'");
                }
            }
            else
            {
                var previous = Base64.Decode(previousLine.Fields[1], 32);
                if (previous == null || previousHash == null || !Sensitive.FixedTimeEquals(previous, previousHash))
                {
                    throw invalid($"it does not follow entry {seq - 1} (the chain of hashes is broken: an entry was replaced or reordered)");
                }
            }

            return reader;
        }

        /// <summary>Reads the trailing 'created', 'signer' and 'signature' lines and verifies the signature.</summary>
        public static (DateTime Created, byte[] Signer) ReadTrailer(LineReader reader, byte[] data, Func<string, Exception> invalid)
        {
            var createdLine = reader.Expect("created", 2);
            if (!Values.SecretMetadata.TryParseTimestamp(createdLine.Fields[1], out var created))
            {
                throw invalid($"line {createdLine.Number} holds an invalid timestamp");
            }

            var signer = Base64.Decode(reader.Expect("signer", 2).Fields[1], Ed25519Signing.PublicKeySize)
                ?? throw invalid("the 'signer' line is not a 32-byte key in base64");
            var signatureLine = reader.Expect("signature", 2);
            reader.ExpectEnd();
            var signature = Base64.Decode(signatureLine.Fields[1], Ed25519Signing.SignatureSize)
                ?? throw invalid("the signature is not 64 bytes of base64");
            if (!Ed25519Signing.IsValidPublicKey(signer) || !Ed25519Signing.Verify(signer, signature, data, signatureLine.Offset))
            {
                throw invalid("the signature does not verify (the file was modified after it was signed)");
            }

            return (created, signer);
        }

        public static byte[] ReadEntry(string file, Func<string, Exception> invalid) =>
            Platform.AtomicFile.ReadAll(file, MaxEntryBytes, size => invalid($"it is {size} bytes; a log entry is at most {MaxEntryBytes}"));
    }
}
