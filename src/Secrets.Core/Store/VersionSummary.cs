using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Secrets.Core.Codecs;
using Secrets.Core.Format;
using Secrets.Core.Values;

namespace Secrets.Core.Store
{
    /// <summary>
    /// What a version file says, once parsed and its signature verified: everything but the
    /// encrypted payload and the wrapped keys. It is what the store's cache keeps of a version,
    /// and holds no secret value.
    /// </summary>
    internal sealed class VersionSummary
    {
        private VersionSummary(string name, int version, SecretType type, bool isTombstone, DateTime created, byte[] writer, int logSeq,
            SecretMetadata metadata, IReadOnlyList<byte[]> recipients, byte[] hash, int previousVersion, byte[]? previous)
        {
            Name = name;
            Version = version;
            Type = type;
            IsTombstone = isTombstone;
            Created = created;
            Writer = writer;
            WriterKey = Base64.Encode(writer);
            LogSeq = logSeq;
            Metadata = metadata;
            Recipients = recipients;
            Hash = hash;
            PreviousVersion = previousVersion;
            Previous = previous;
        }

        public string Name { get; }

        public int Version { get; }

        public SecretType Type { get; }

        public bool IsTombstone { get; }

        public DateTime Created { get; }

        public byte[] Writer { get; }

        /// <summary>The writer's Ed25519 key, base64 (how the store log names people).</summary>
        public string WriterKey { get; }

        public int LogSeq { get; }

        public SecretMetadata Metadata { get; }

        /// <summary>The X25519 keys the version is encrypted to.</summary>
        public IReadOnlyList<byte[]> Recipients { get; }

        /// <summary>SHA-256 of the whole file.</summary>
        public byte[] Hash { get; }

        public int PreviousVersion { get; }

        public byte[]? Previous { get; }

        public static VersionSummary Of(SecretFileHeader header) =>
            new VersionSummary(header.Name, header.Version, header.Type, header.IsTombstone, header.Created, header.Writer, header.LogSeq,
                header.Metadata, header.Recipients.Select(r => r.Recipient).ToList(), header.Hash, header.PreviousVersion, header.Previous);

        /// <summary>Writes the summary; <paramref name="writeKey"/> writes each 32-byte key (writer, recipients), which many summaries share.</summary>
        public void WriteTo(BinaryWriter writer, Action<byte[]> writeKey)
        {
            writer.Write(Name);
            writer.Write(Version);
            writer.Write((int)Type);
            writer.Write(IsTombstone);
            writer.Write(Created.Ticks);
            writeKey(Writer);
            writer.Write(LogSeq);
            writer.Write(Metadata.Count);
            foreach (var entry in Metadata)
            {
                writer.Write(entry.Key);
                switch (entry.Value)
                {
                    case string s:
                        writer.Write('s');
                        writer.Write(s);
                        break;
                    case int i:
                        writer.Write('i');
                        writer.Write(i);
                        break;
                    case long l:
                        writer.Write('l');
                        writer.Write(l);
                        break;
                    case bool b:
                        writer.Write('b');
                        writer.Write(b);
                        break;
                    case DateTime d:
                        writer.Write('d');
                        writer.Write(d.Ticks);
                        break;
                    default:
                        throw new InvalidOperationException("Unexpected metadata type.");
                }
            }

            writer.Write(Recipients.Count);
            foreach (var recipient in Recipients)
            {
                writeKey(recipient);
            }

            writer.Write(Hash);
            writer.Write(PreviousVersion);
            if (Previous != null)
            {
                writer.Write(Previous);
            }
        }

        /// <summary>
        /// Reads what <see cref="WriteTo"/> wrote, each key through <paramref name="readKey"/>, each count
        /// through <paramref name="readCount"/> (which refuses one larger than what follows it).
        /// </summary>
        public static VersionSummary ReadFrom(BinaryReader reader, Func<byte[]> readKey, Func<BinaryReader, int, int> readCount)
        {
            var name = reader.ReadString();
            int version = reader.ReadInt32();
            var type = (SecretType)reader.ReadInt32();
            bool tombstone = reader.ReadBoolean();
            var created = new DateTime(reader.ReadInt64(), DateTimeKind.Utc);
            var writer = readKey();
            int logSeq = reader.ReadInt32();
            var metadata = new SecretMetadata();
            int entries = readCount(reader, 3);
            for (int i = 0; i < entries; i++)
            {
                var key = reader.ReadString();
                switch (reader.ReadChar())
                {
                    case 's':
                        metadata.Set(key, reader.ReadString());
                        break;
                    case 'i':
                        metadata.Set(key, reader.ReadInt32());
                        break;
                    case 'l':
                        metadata.Set(key, reader.ReadInt64());
                        break;
                    case 'b':
                        metadata.Set(key, reader.ReadBoolean());
                        break;
                    case 'd':
                        metadata.Set(key, new DateTime(reader.ReadInt64(), DateTimeKind.Utc));
                        break;
                    default:
                        throw new InvalidDataException("Unknown metadata type in the cache.");
                }
            }

            int count = readCount(reader, 4);
            var recipients = new List<byte[]>(count);
            for (int i = 0; i < count; i++)
            {
                recipients.Add(readKey());
            }

            var hash = reader.ReadBytes(32);
            int previousVersion = reader.ReadInt32();
            var previous = previousVersion > 0 ? reader.ReadBytes(32) : null;
            return new VersionSummary(name, version, type, tombstone, created, writer, logSeq, metadata, recipients, hash, previousVersion, previous);
        }
    }
}
