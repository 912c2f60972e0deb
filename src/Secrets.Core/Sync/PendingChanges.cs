using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Secrets.Core.Codecs;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Identity;
using Secrets.Core.Names;
using Secrets.Core.Store;
using Secrets.Core.Values;

namespace Secrets.Core.Sync
{
    /// <summary>
    /// This user's changes that the others have not seen: the store log entries and version files
    /// added since the commit both sides started from, read back as the changes they made (a value
    /// written, access granted…), in the order they were made. A version that only re-encrypted
    /// the same value for new readers is not a change of its own: the change of access that caused
    /// it is, and replaying it re-encrypts the secret for the merged readers.
    /// </summary>
    internal static class PendingChanges
    {
        /// <param name="local">The store as this user has it, verified.</param>
        /// <param name="baseLogHead">How many log entries the starting commit had.</param>
        /// <param name="baseNewest">For each secret folder this user changed, its newest version in the starting commit (0: none).</param>
        /// <param name="baseKeepVersions">The keep-versions setting of the starting commit.</param>
        /// <param name="me">Who is syncing: every change must be theirs, since only they can sign it again.</param>
        public static List<SyncChange> Read(SecretStore local, int baseLogHead, IReadOnlyDictionary<string, int> baseNewest, int baseKeepVersions, UnlockedIdentity me)
        {
            var context = local.Context;
            var log = context.Log;
            var changes = new List<SyncChange>();
            var myKey = Base64.Encode(me.Recipient.SigningKey);

            if (baseLogHead > log.Head)
            {
                throw new SecretsException("SyncBaseInvalid", FailureKind.InvalidData,
                    $"The store log of '{local.Path}' has {log.Head} entries, fewer than the {baseLogHead} of the commit it started from: entries were deleted in the working tree.")
                {
                    RecommendedAction = "Restore the store's log folder with 'git checkout', then sync again.",
                };
            }

            for (int seq = baseLogHead + 1; seq <= log.Head; seq++)
            {
                var entry = EntryLines.Parse(log.Entries[seq - 1]);
                RequireMine(entry.Get("signer"), myKey, $"store log entry {seq}", local, me);
                changes.AddRange(FromEntry(entry, seq, log, baseLogHead));
            }

            foreach (var pair in baseNewest.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var canonical = SecretName.CanonicalFromFolder(pair.Key);
                if (canonical == null)
                {
                    continue;
                }

                changes.AddRange(FromVersions(local, SecretName.Parse(canonical), pair.Value, myKey, me));
            }

            if (local.Manifest.KeepVersions != baseKeepVersions)
            {
                changes.Add(new SyncChange { Kind = SyncChangeKind.KeepVersions, KeepVersions = local.Manifest.KeepVersions, LogSeq = log.Head, Order = int.MaxValue });
            }

            // The order they were made in: a version written under entry L came after entry L and
            // before entry L+1; versions under the same entry by the time they were written.
            return changes
                .OrderBy(c => c.LogSeq)
                .ThenBy(c => c.Order)
                .ThenBy(c => c.Created)
                .ToList();
        }

        private static IEnumerable<SyncChange> FromEntry(EntryLines entry, int seq, StoreLog log, int baseLogHead)
        {
            var action = entry.Get("action");
            var before = log.MembersAt(seq - 1);
            var after = log.MembersAt(seq);
            var created = DateTime.Parse(entry.Get("created"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
            if (action == "set-access")
            {
                var secret = SecretName.Parse(entry.Get("secret"));
                var old = log.GrantsAt(secret.Canonical, seq - 1);
                var now = log.GrantsAt(secret.Canonical, seq);
                var atBase = log.GrantsAt(secret.Canonical, baseLogHead);
                foreach (var key in old.Select(g => g.SigningKey).Union(now.Select(g => g.SigningKey)).Distinct().OrderBy(k => k, StringComparer.Ordinal))
                {
                    var from = old.FirstOrDefault(g => g.SigningKey == key)?.Level ?? AccessLevel.None;
                    var to = now.FirstOrDefault(g => g.SigningKey == key)?.Level ?? AccessLevel.None;
                    if (from == to)
                    {
                        continue;
                    }

                    var member = before.BySigningKey(key) ?? after.BySigningKey(key);
                    if (member == null)
                    {
                        continue;
                    }

                    yield return new SyncChange
                    {
                        Kind = SyncChangeKind.Access,
                        Secret = secret.Value,
                        Member = member.Recipient,
                        MemberName = member.Name,
                        From = from,
                        To = to,
                        AtBase = atBase.FirstOrDefault(g => g.SigningKey == key)?.Level ?? AccessLevel.None,
                        LogSeq = seq,
                        Created = created,
                    };
                }

                yield break;
            }

            var recipient = Recipient.Parse(entry.Get("member"));
            var key2 = Base64.Encode(recipient.SigningKey);
            var who = after.BySigningKey(key2) ?? before.BySigningKey(key2);
            var change = new SyncChange
            {
                Member = recipient,
                MemberName = who?.Name ?? recipient.Fingerprint,
                Role = who?.Role ?? MemberRole.Member,
                LogSeq = seq,
                Created = created,
            };
            switch (action)
            {
                case "add-member":
                    change.Kind = SyncChangeKind.AddMember;
                    break;
                case "remove-member":
                    change.Kind = SyncChangeKind.RemoveMember;
                    break;
                default:
                    change.Kind = SyncChangeKind.SetRole;
                    break;
            }

            yield return change;
        }

        private static IEnumerable<SyncChange> FromVersions(SecretStore local, SecretName name, int baseNewest, string myKey, UnlockedIdentity me)
        {
            var versions = VersionReader.ListVersions(local.Context.FolderOf(name));
            var reader = local.Reader;
            int newest = versions.Count == 0 ? 0 : versions[versions.Count - 1].Version;
            SecretFileHeader? previous = null;
            var previousFile = versions.LastOrDefault(v => v.Version <= baseNewest);
            if (previousFile.File != null && previousFile.Version == baseNewest)
            {
                previous = TryRead(reader, previousFile.File, name, previousFile.Version);
            }

            foreach (var (number, file) in versions.Where(v => v.Version > baseNewest))
            {
                var header = reader.ReadVerified(file, name, number, newest: number == newest);
                RequireMine(Base64.Encode(header.Writer), myKey, $"'{file}'", local, me);
                var change = Classify(header, previous, file, reader, me);
                if (change != null)
                {
                    yield return change;
                }

                previous = header;
            }
        }

        private static SyncChange? Classify(SecretFileHeader header, SecretFileHeader? previous, string file, VersionReader reader, UnlockedIdentity me)
        {
            var change = new SyncChange { Secret = header.Name, LogSeq = header.LogSeq, Order = 1, Created = header.Created, Metadata = header.Metadata.Clone() };
            if (header.IsTombstone)
            {
                change.Kind = SyncChangeKind.Remove;
                return change;
            }

            var value = reader.DecryptFor(header, me, file);
            bool live = previous != null && !previous.IsTombstone;
            SecretValue? before = null;
            try
            {
                before = live ? SecretFileFormat.Decrypt(previous!, me) : null;
                bool sameValue = before != null && before.Type == value.Type && SameBytes(before, value);
                var metadataChanges = MetadataChanges(live ? previous!.Metadata : SecretMetadata.Empty, header.Metadata);
                if (sameValue && metadataChanges.Count == 0)
                {
                    // Written again for new readers: the change of access replays it.
                    value.Dispose();
                    return null;
                }

                foreach (var pair in metadataChanges)
                {
                    change.MetadataChanges[pair.Key] = pair.Value;
                }

                if (sameValue)
                {
                    change.Kind = SyncChangeKind.Metadata;
                    value.Dispose();
                    return change;
                }

                change.Kind = SyncChangeKind.Write;
                change.Value = value;
                return change;
            }
            finally
            {
                before?.Dispose();
            }
        }

        private static bool SameBytes(SecretValue a, SecretValue b)
        {
            var x = ValueCodec.EncodePadded(a);
            var y = ValueCodec.EncodePadded(b);
            try
            {
                return x.Length == y.Length && Sensitive.FixedTimeEquals(x, y);
            }
            finally
            {
                Array.Clear(x, 0, x.Length);
                Array.Clear(y, 0, y.Length);
            }
        }

        /// <summary>The metadata keys that differ: set to a new value, or removed (null).</summary>
        public static Dictionary<string, object?> MetadataChanges(SecretMetadata before, SecretMetadata after)
        {
            var result = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in after)
            {
                if (!before.TryGetValue(pair.Key, out var old) || !Equals(old, pair.Value) || !before.Keys.Contains(pair.Key, StringComparer.Ordinal))
                {
                    result[pair.Key] = pair.Value;
                }
            }

            foreach (var key in before.Keys)
            {
                if (!after.ContainsKey(key))
                {
                    result[key] = null;
                }
            }

            return result;
        }

        private static SecretFileHeader? TryRead(VersionReader reader, string file, SecretName name, int version)
        {
            try
            {
                return reader.ReadVerified(file, name, version, newest: false);
            }
            catch (SecretsException)
            {
                return null;
            }
        }

        private static void RequireMine(string signer, string myKey, string what, SecretStore local, UnlockedIdentity me)
        {
            if (signer != myKey)
            {
                var member = local.Context.Log.Members.BySigningKey(signer);
                var name = member?.Name ?? (Base64.Decode(signer, 32) is byte[] key && local.Manifest.Owner.SigningKey.SequenceEqual(key) ? local.Manifest.OwnerName : "someone else");
                throw new SecretsException("SyncNeedsOtherIdentity", FailureKind.InvalidOperation,
                    $"{what} was written by {name}, not by the identity syncing ({me.Recipient.Fingerprint}), and it must be written again on top of the others' changes: only its writer can sign it.")
                {
                    RecommendedAction = $"Sync with {name}'s identity (-Identity), or restore the store's files with 'git checkout' to drop that change.",
                };
            }
        }

        /// <summary>The lines of a store log entry by their first word (the entry was verified when the log was read).</summary>
        private sealed class EntryLines
        {
            private readonly Dictionary<string, string> _lines = new Dictionary<string, string>(StringComparer.Ordinal);

            public static EntryLines Parse(byte[] data)
            {
                var result = new EntryLines();
                foreach (var line in Encoding.UTF8.GetString(data).Split('\n'))
                {
                    int space = line.IndexOf(' ');
                    if (space > 0 && !result._lines.ContainsKey(line.Substring(0, space)))
                    {
                        result._lines[line.Substring(0, space)] = line.Substring(space + 1);
                    }
                }

                return result;
            }

            public string Get(string key) => _lines.TryGetValue(key, out var value) ? value : string.Empty;
        }
    }
}
