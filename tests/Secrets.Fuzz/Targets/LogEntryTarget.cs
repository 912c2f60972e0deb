using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Secrets.Core.Names;
using Secrets.Core.Codecs;
using Secrets.Core.Crypto;
using Secrets.Core.Format;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Secrets.Core.Values;

namespace Secrets.Fuzz.Targets
{
    /// <summary>
    /// Store log entries (<c>LogReplay.Apply</c>, what <c>StoreLog.Load</c> does with each entry it
    /// read), replayed in order on a store owned by the vectors' owner. The input is one or more
    /// entries, each ending with its 'signature' line; each is signed again by its signer when that
    /// is a known key. Contract: an entry is refused with a <see cref="FormatProblem"/> that becomes
    /// StoreLogInvalid naming the entry's file and leaves the state as it was, or it is applied,
    /// adds exactly one state, and is the one encoding of its change: written again from the state
    /// it built (members, names, roles, access lists) it gives the same bytes.
    /// </summary>
    internal static class LogEntryTarget
    {
        /// <summary>At most this many entries of one input are replayed.</summary>
        public const int MaxEntries = 32;

        public static string PathOf(int seq) => $"/fuzz/store/log/{seq}.entry";

        public static void Check(byte[] input)
        {
            var owner = new StoreMember(Keys.Owner.Recipient, Keys.OwnerName, MemberRole.Owner, Keys.OwnerName, Keys.StoreCreated);
            var membership = new List<Membership> { new Membership(owner, new Dictionary<string, StoreMember>(StringComparer.Ordinal)) };
            var access = new Dictionary<string, List<(int, IReadOnlyList<AccessGrant>)>>(StringComparer.Ordinal);
            byte[]? previousHash = null;
            var entries = Lines.SplitAfterSignatures(input, MaxEntries);
            for (int i = 0; i < entries.Count; i++)
            {
                int seq = i + 1;
                var path = PathOf(seq);
                var data = Lines.ResignBy(entries[i], "signer");
                var accessBefore = access.ToDictionary(p => p.Key, p => p.Value.Count);
                try
                {
                    LogReplay.Apply(data, Keys.StoreId, seq, previousHash, membership, access);
                }
                catch (FormatProblem problem)
                {
                    // As StoreLog.Load reports it.
                    Expect.Refused(problem.LaterFormat != null ? problem.ToException("StoreLogInvalid", path) : StoreLog.Invalid(path, problem.Message), path);
                    Expect.That(membership.Count == seq && access.Count == accessBefore.Count && access.All(p => p.Value.Count == accessBefore[p.Key]),
                        "a refused entry changed the state");
                    return;
                }

                Expect.Trace($"entry {seq} applied");
                Expect.That(membership.Count == seq + 1, "an entry applied without adding exactly one state");
                Canonical(data, seq, previousHash, membership[seq - 1], membership[seq], access, accessBefore);
                previousHash = Sha256.Hash(data);
            }
        }

        /// <summary>The entry written again from the state it built (FORMAT.md, "Sharing") is the entry.</summary>
        private static void Canonical(byte[] data, int seq, byte[]? previousHash, Membership before, Membership after,
            Dictionary<string, List<(int, IReadOnlyList<AccessGrant>)>> access, Dictionary<string, int> accessBefore)
        {
            int signatureLine = Lines.LastLineStart(data);
            var lines = Lines.Of(data, signatureLine);
            string Value(string key) => lines.First(l => l.Fields[0] == key).Fields[1];

            var writer = new LineWriter();
            writer.Line(SecretFileFormat.Magic, "log");
            writer.Line("store", Base64.Encode(Keys.StoreId));
            writer.Line("seq", seq.ToString(CultureInfo.InvariantCulture));
            writer.Line("previous", seq == 1 ? "-" : Base64.Encode(previousHash!));
            var action = Value("action");
            writer.Line("action", action);
            var signer = Value("signer");
            DateTime created;
            switch (action)
            {
                case "add-member":
                case "set-role":
                {
                    var key = Base64.Encode(Recipient.Parse(Value("member")).SigningKey);
                    var member = after.BySigningKey(key);
                    Expect.That(member != null && member.Role != MemberRole.Owner, $"{action} applied without a member in the state");
                    Expect.That(member!.AddedBy == (before.BySigningKey(signer)?.Name ?? "?"), $"{action} applied with the wrong 'added by'");
                    Expect.That(after.Members.Count() == before.Members.Count() + (action == "add-member" ? 1 : 0), $"{action} changed the number of members wrongly");
                    writer.Line("member", member.Recipient.Text);
                    if (action == "add-member")
                    {
                        writer.TextLine("member-name", member.Name);
                    }

                    writer.Line("role", member.Role == MemberRole.Admin ? "admin" : "member");
                    created = member.Added;
                    break;
                }

                case "remove-member":
                {
                    var recipient = Recipient.Parse(Value("member"));
                    Expect.That(after.BySigningKey(Base64.Encode(recipient.SigningKey)) == null, "remove-member applied but the member is still there");
                    Expect.That(after.Members.Count() == before.Members.Count() - 1, "remove-member changed the number of members wrongly");
                    writer.Line("member", recipient.Text);
                    created = Timestamp(Value("created"));
                    break;
                }

                case "set-access":
                {
                    var name = SecretName.Parse(Value("secret"));
                    Expect.That(access.TryGetValue(name.Canonical, out var history), "set-access applied without an access list");
                    var changed = access.Where(p => !accessBefore.TryGetValue(p.Key, out int count) || count != p.Value.Count).Select(p => p.Key).ToList();
                    Expect.That(changed.Count == 1 && changed[0] == name.Canonical, "set-access changed the access list of other secrets");
                    var (entrySeq, grants) = history![history.Count - 1];
                    Expect.That(entrySeq == seq, "set-access recorded under another entry");
                    Expect.That(after == before, "set-access changed the members");
                    writer.Line("secret", name.Value);
                    foreach (var grant in grants)
                    {
                        writer.Line("grant", grant.SigningKey, AccessGrant.LevelText(grant.Level), grant.GrantedBy, SecretMetadata.FormatTimestamp(grant.Granted));
                    }

                    created = Timestamp(Value("created"));
                    break;
                }

                default:
                    throw new ContractViolation($"an entry with action '{action}' applied");
            }

            writer.Line("created", SecretMetadata.FormatTimestamp(created));
            writer.Line("signer", signer);
            Expect.SameBytes(data.AsSpan(0, signatureLine), writer.ToArray(), $"entry {seq} written again from the state it built");
        }

        private static DateTime Timestamp(string text)
        {
            Expect.That(SecretMetadata.TryParseTimestamp(text, out var time), "an entry applied with an invalid timestamp");
            return time;
        }
    }
}
