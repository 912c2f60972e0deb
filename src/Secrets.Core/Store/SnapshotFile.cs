using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Secrets.Core.Crypto;
using Secrets.Core.Platform;

namespace Secrets.Core.Store
{
    /// <summary>
    /// What a process verified of a store, kept for the next process of the same user (local state,
    /// <c>state/&lt;store id&gt;/snapshots/&lt;hash of the folder&gt;</c>, owner-only): the store log's
    /// entries as verified and the stamps of their files, and each secret's newest version summary
    /// with the stamp of its file. Nothing in it is secret. A process trusts an entry only while the
    /// file it came from keeps the same settled stamp; a snapshot that is damaged or of another
    /// format is ignored (everything is verified again).
    /// </summary>
    internal static class SnapshotFile
    {
        private const string Magic = "secrets/v1 snapshot 4";

        public static string PathFor(string stateRoot, string storeIdHex, string storePath)
        {
            var hash = Sha256.Hash(System.Text.Encoding.UTF8.GetBytes(LocalState.CanonicalPath(storePath)));
            return Path.Combine(stateRoot, storeIdHex, "snapshots", BitConverter.ToString(hash, 0, 16).Replace("-", string.Empty).ToLowerInvariant());
        }

        /// <summary>
        /// Writes what was verified. A stamp that is not settled now is left out (the next process
        /// checks that file in full): a change made in the same tick as the stamp was taken would not
        /// show in it, and this process may not have read that change's notification yet. Returns
        /// false when something was left out that a later save can keep (once its stamp settled).
        /// </summary>
        public static bool Write(string file, string storePath, IReadOnlyList<byte[]> entries, IReadOnlyList<FileStamp?> entryStamps,
            IEnumerable<KeyValuePair<string, SecretSummaries.Entry>> secrets, (FileStamp Stamp, List<string> Folders)? names)
        {
            bool complete = true;
            bool Keep(FileStamp stamp)
            {
                if (stamp.IsSettled)
                {
                    return true;
                }

                // A stamp that can settle will; one that cannot (no status-change time) never will.
                complete &= !stamp.IsStrong;
                return false;
            }

            using var memory = new MemoryStream();
            using (var writer = new BinaryWriter(memory, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(storePath);
                writer.Write(entries.Count);
                for (int i = 0; i < entries.Count; i++)
                {
                    writer.Write(entries[i].Length);
                    writer.Write(entries[i]);
                    var stamp = i < entryStamps.Count ? entryStamps[i] : null;
                    if (stamp.HasValue && !Keep(stamp.Value))
                    {
                        stamp = null;
                    }

                    writer.Write(stamp.HasValue);
                    stamp?.WriteTo(writer);
                }

                // Keys (writers, recipients) are written once, then named by their number: a store has few.
                var keys = new Dictionary<string, int>(StringComparer.Ordinal);
                void WriteKey(byte[] key)
                {
                    var text = Convert.ToBase64String(key);
                    if (keys.TryGetValue(text, out int number))
                    {
                        writer.Write(number);
                        return;
                    }

                    writer.Write(keys.Count);
                    writer.Write(key.Length);
                    writer.Write(key);
                    keys[text] = keys.Count;
                }

                var list = new List<KeyValuePair<string, SecretSummaries.Entry>>();
                foreach (var pair in secrets)
                {
                    if (Keep(pair.Value.Stamp) & Keep(pair.Value.FolderStamp))
                    {
                        list.Add(pair);
                    }
                }

                writer.Write(list.Count);
                foreach (var pair in list)
                {
                    // Folder and file are kept relative to the store: half the bytes to read and hash.
                    writer.Write(Relative(storePath, pair.Key));
                    writer.Write(Relative(pair.Key, pair.Value.File));
                    pair.Value.Stamp.WriteTo(writer);
                    pair.Value.FolderStamp.WriteTo(writer);
                    writer.Write(pair.Value.Versions.Count);
                    foreach (var version in pair.Value.Versions)
                    {
                        writer.Write(version);
                    }

                    pair.Value.Newest.WriteTo(writer, WriteKey);
                }

                if (names.HasValue && !Keep(names.Value.Stamp))
                {
                    names = null;
                }

                writer.Write(names.HasValue);
                if (names.HasValue)
                {
                    names.Value.Stamp.WriteTo(writer);
                    writer.Write(names.Value.Folders.Count);
                    foreach (var name in names.Value.Folders)
                    {
                        writer.Write(name);
                    }
                }
            }

            var body = memory.ToArray();
            var content = new byte[body.Length + 32];
            Buffer.BlockCopy(body, 0, content, 0, body.Length);
            Buffer.BlockCopy(Sha256.Hash(body), 0, content, body.Length, 32);
            var folder = Path.GetDirectoryName(file)!;
            FilePermissions.CreateOwnerOnlyDirectory(Path.GetDirectoryName(folder)!);
            FilePermissions.CreateOwnerOnlyDirectory(folder);
            AtomicFile.Write(file, content, overwrite: true, ownerOnly: true);
            return complete;
        }

        /// <summary>The snapshot in <paramref name="file"/>, or null when there is none that can be used.</summary>
        public static Snapshot? Read(string file, string storePath)
        {
            byte[] content;
            try
            {
                if (!File.Exists(file))
                {
                    return null;
                }

                content = File.ReadAllBytes(file);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return null;
            }

            if (content.Length < 32)
            {
                return null;
            }

            // The content is parsed while its hash is computed (on another core where there is one);
            // nothing parsed is used unless the hash matches. The parser bounds every count by the bytes
            // left, so that damaged content can only make it fail.
            var hashing = Task.Run(() => Sha256.Hash(content, 0, content.Length - 32));
            var snapshot = Parse(content, storePath);
            return Sensitive.FixedTimeEquals(hashing.Result, Slice(content, content.Length - 32, 32)) ? snapshot : null;
        }

        private static Snapshot? Parse(byte[] content, string storePath)
        {
            try
            {
                using var reader = new BinaryReader(new MemoryStream(content, 0, content.Length - 32), System.Text.Encoding.UTF8);
                if (reader.ReadString() != Magic || reader.ReadString() != storePath)
                {
                    return null;
                }

                var snapshot = new Snapshot();
                int entries = Count(reader, 5);
                for (int i = 0; i < entries; i++)
                {
                    snapshot.Entries.Add(reader.ReadBytes(Count(reader, 1)));
                    snapshot.EntryStamps.Add(reader.ReadBoolean() ? FileStamp.ReadFrom(reader) : (FileStamp?)null);
                }

                var keys = new List<byte[]>();
                byte[] ReadKey()
                {
                    int number = reader.ReadInt32();
                    if (number == keys.Count)
                    {
                        int length = reader.ReadInt32();
                        keys.Add(length >= 0 && length <= 64 ? reader.ReadBytes(length) : throw new InvalidDataException("A key of the snapshot is too long."));
                    }

                    return number >= 0 && number < keys.Count ? keys[number] : throw new InvalidDataException("A key number of the snapshot is out of range.");
                }

                int secrets = Count(reader, 8);
                for (int i = 0; i < secrets; i++)
                {
                    var folder = Path.Combine(storePath, reader.ReadString());
                    var versionFile = Path.Combine(folder, reader.ReadString());
                    var stamp = FileStamp.ReadFrom(reader);
                    var folderStamp = FileStamp.ReadFrom(reader);
                    var versions = new int[Count(reader, 4)];
                    for (int v = 0; v < versions.Length; v++)
                    {
                        versions[v] = reader.ReadInt32();
                    }

                    snapshot.Secrets.Add(new KeyValuePair<string, SecretSummaries.Entry>(folder, new SecretSummaries.Entry(versionFile, stamp, folderStamp, VersionSummary.ReadFrom(reader, ReadKey, Count), versions)));
                }

                if (reader.ReadBoolean())
                {
                    snapshot.NamesStamp = FileStamp.ReadFrom(reader);
                    int names = Count(reader, 2);
                    for (int i = 0; i < names; i++)
                    {
                        snapshot.Names.Add(reader.ReadString());
                    }
                }

                return snapshot;
            }
            catch (Exception e) when (e is EndOfStreamException || e is InvalidDataException || e is IOException || e is ArgumentException)
            {
                return null;
            }
        }

        /// <summary>A count read from the snapshot, refused when the bytes left cannot hold that many items of <paramref name="itemBytes"/> bytes.</summary>
        private static int Count(BinaryReader reader, int itemBytes)
        {
            int count = reader.ReadInt32();
            long left = reader.BaseStream.Length - reader.BaseStream.Position;
            return count >= 0 && (long)count * itemBytes <= left ? count : throw new InvalidDataException("A count in the snapshot is larger than what follows it.");
        }

        /// <summary>The path below <paramref name="root"/> (which it must be under), or the whole path when it is not.</summary>
        private static string Relative(string root, string path) =>
            path.Length > root.Length + 1 && path.StartsWith(root, StringComparison.Ordinal) && path[root.Length] == Path.DirectorySeparatorChar
                ? path.Substring(root.Length + 1)
                : path;

        private static byte[] Slice(byte[] data, int offset, int count)
        {
            var result = new byte[count];
            Buffer.BlockCopy(data, offset, result, 0, count);
            return result;
        }

        public sealed class Snapshot
        {
            public List<byte[]> Entries { get; } = new List<byte[]>();

            public List<FileStamp?> EntryStamps { get; } = new List<FileStamp?>();

            public List<KeyValuePair<string, SecretSummaries.Entry>> Secrets { get; } = new List<KeyValuePair<string, SecretSummaries.Entry>>();

            /// <summary>The folder names of the store's secrets folder, read after it had <see cref="NamesStamp"/> (null when not kept).</summary>
            public List<string> Names { get; } = new List<string>();

            public FileStamp? NamesStamp { get; set; }
        }
    }
}
