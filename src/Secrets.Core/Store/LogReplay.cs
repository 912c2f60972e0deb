using System;
using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Codecs;
using Secrets.Core.Crypto;
using Secrets.Core.Format;
using Secrets.Core.Identity;
using Secrets.Core.Names;
using Secrets.Core.Values;

namespace Secrets.Core.Store
{
    /// <summary>
    /// Replays one store log entry: parses it strictly, checks it against the state the entries
    /// before it built (who may make which change, the hash chain, the grants' rules) and applies it.
    /// </summary>
    internal static class LogReplay
    {
        /// <summary>
        /// Checks entry <paramref name="seq"/> against the state the entries before it built and applies it
        /// (docs/FORMAT.md, "Sharing"). With <paramref name="verifySignature"/> false, the entry is one this
        /// user verified before (kept in the local cache of the log): everything is checked but the signature.
        /// </summary>
        public static void Apply(byte[] data, byte[] storeId, int seq, byte[]? previousHash, List<Membership> membership,
            Dictionary<string, List<(int, IReadOnlyList<AccessGrant>)>> access, bool verifySignature = true)
        {
            var before = membership[membership.Count - 1];
            var reader = LineReader.Parse(data);
            var magic = reader.Expect(SecretFileFormat.Magic, 2);
            if (magic.Fields[1] != "log")
            {
                throw new FormatProblem($"it is a '{magic.Fields[1]}' file, not a store log entry");
            }

            var store = Base64.Decode(reader.Expect("store", 2).Fields[1], 16);
            if (store == null || !Sensitive.FixedTimeEquals(store, storeId))
            {
                throw new FormatProblem("it belongs to another store");
            }

            var seqLine = reader.Expect("seq", 2);
            if (!IdentityFile.TryParseUInt(seqLine.Fields[1], out int actual) || actual != seq)
            {
                throw new FormatProblem($"it holds entry number {seqLine.Fields[1]} but is named for entry {seq}");
            }

            var previousLine = reader.Expect("previous", 2);
            if (seq == 1 ? previousLine.Fields[1] != "-" : !MatchesHash(previousLine.Fields[1], previousHash!))
            {
                throw new FormatProblem(seq == 1 ? "entry 1 must have 'previous -'" : $"it does not follow entry {seq - 1} (the chain of hashes is broken: an entry was replaced, removed or reordered)");
            }

            var action = reader.Expect("action", 2).Fields[1];
            switch (action)
            {
                case "add-member":
                case "remove-member":
                case "set-role":
                    membership.Add(ApplyMember(reader, data, action, before, verifySignature));
                    return;
                case "set-access":
                    ApplyAccess(reader, data, seq, before, access, verifySignature);
                    membership.Add(before);
                    return;
                default:
                    throw new FormatProblem($"'{action}' is not a store log action (add-member, remove-member, set-role, set-access)");
            }
        }

        /// <summary>
        /// Applies the hand-overs of the manifest that take effect after entry <paramref name="seq"/>
        /// (docs/FORMAT.md, "Owner hand-over"): the new owner must be an admin in the state the
        /// entries built; they become the owner, the former owner an admin. Returns a problem, or null.
        /// </summary>
        public static string? ApplyHandOvers(StoreManifest manifest, int seq, List<Membership> membership)
        {
            foreach (var handOver in manifest.HandOvers.Where(h => h.Log == seq))
            {
                var before = membership[membership.Count - 1];
                if (!before.Owner.Recipient.Equals(handOver.From) || before.Owner.Name != handOver.FromName)
                {
                    return $"the manifest hands the store over from '{handOver.FromName}' ({handOver.From.Fingerprint}) after this entry, who is not the owner then";
                }

                var to = before.BySigningKey(Base64.Encode(handOver.To.SigningKey));
                if (to == null || to.Role != MemberRole.Admin || !to.Recipient.Equals(handOver.To))
                {
                    return $"the manifest hands the store over after this entry to {handOver.To.Fingerprint}, who is not an admin then (only an admin can become the owner)";
                }

                var owner = new StoreMember(to.Recipient, to.Name, MemberRole.Owner, handOver.FromName, handOver.Created);
                var former = new StoreMember(handOver.From, handOver.FromName, MemberRole.Admin, handOver.FromName, handOver.Created);
                membership[membership.Count - 1] = before.HandedOver(owner, former);
            }

            if (manifest.HandOvers.Count > 0 && manifest.HandOvers[manifest.HandOvers.Count - 1].Log == seq && membership[membership.Count - 1].Owner.Name != manifest.OwnerName)
            {
                return $"the manifest names the owner '{manifest.OwnerName}', but the store knows them as '{membership[membership.Count - 1].Owner.Name}'";
            }

            return null;
        }

        private static Membership ApplyMember(LineReader reader, byte[] data, string action, Membership before, bool verifySignature)
        {
            var memberLine = reader.Expect("member", 2);
            if (!Recipient.TryParse(memberLine.Fields[1], out var recipient, out var problem) || recipient!.Text != memberLine.Fields[1])
            {
                throw new FormatProblem($"line {memberLine.Number} is not a valid recipient: {problem}");
            }

            string? name = action == "add-member" ? DisplayText.Parse(reader.ExpectKey("member-name")) : null;
            MemberRole? role = null;
            if (action != "remove-member")
            {
                var roleText = reader.Expect("role", 2).Fields[1];
                role = roleText == "admin" ? MemberRole.Admin : roleText == "member" ? MemberRole.Member
                    : throw new FormatProblem($"'{roleText}' is not a role (member, admin)");
            }

            var (created, signer) = ReadTrailer(reader, data, verifySignature);
            var signerRole = before.RoleOf(signer);
            var signerName = before.BySigningKey(signer)?.Name ?? "?";
            var key = Base64.Encode(recipient.SigningKey);
            var existing = before.BySigningKey(key);
            bool byOwner = signerRole == MemberRole.Owner;
            bool byAdmin = signerRole == MemberRole.Admin;
            switch (action)
            {
                case "add-member":
                    if (!(byOwner || (byAdmin && role == MemberRole.Member)))
                    {
                        throw new FormatProblem(Unentitled(signer, before, role == MemberRole.Admin ? "add an admin (only the owner may)" : "add members"));
                    }

                    if (existing != null || before.Everyone.Any(m => Sensitive.FixedTimeEquals(m.Recipient.EncryptionKey, recipient.EncryptionKey)))
                    {
                        throw new FormatProblem($"it adds {recipient.Fingerprint}, who is already in the store");
                    }

                    if (before.Everyone.Any(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase)))
                    {
                        throw new FormatProblem($"it adds a second member named '{name}'");
                    }

                    var added = new StoreMember(recipient, name!, role!.Value, signerName, created);
                    return before.With(m => m[key] = added);
                case "remove-member":
                    if (existing == null || existing.Role == MemberRole.Owner || !existing.Recipient.Equals(recipient))
                    {
                        throw new FormatProblem($"it removes {recipient.Fingerprint}, who is not a member");
                    }

                    if (!(byOwner || (byAdmin && existing.Role == MemberRole.Member)))
                    {
                        throw new FormatProblem(Unentitled(signer, before, existing.Role == MemberRole.Admin ? "remove an admin (only the owner may)" : "remove members"));
                    }

                    return before.With(m => m.Remove(key));
                default:
                    if (existing == null || existing.Role == MemberRole.Owner || !existing.Recipient.Equals(recipient))
                    {
                        throw new FormatProblem($"it changes the role of {recipient.Fingerprint}, who is not a member");
                    }

                    if (!byOwner)
                    {
                        throw new FormatProblem(Unentitled(signer, before, "change roles (only the owner may)"));
                    }

                    return before.With(m => m[key] = existing.WithRole(role!.Value, signerName, created));
            }
        }

        private static void ApplyAccess(LineReader reader, byte[] data, int seq, Membership members, Dictionary<string, List<(int, IReadOnlyList<AccessGrant>)>> access, bool verifySignature)
        {
            var secretLine = reader.Expect("secret", 2);
            if (!SecretName.TryParse(secretLine.Fields[1], out var name))
            {
                throw new FormatProblem($"line {secretLine.Number} holds an invalid secret name");
            }

            var grants = new List<AccessGrant>();
            string? previousKey = null;
            while (reader.TryTake("grant", out var line))
            {
                if (line.Fields.Length != 5)
                {
                    throw new FormatProblem($"line {line.Number} ('grant') must hold four values");
                }

                var level = AccessGrant.ParseLevel(line.Fields[2]);
                if (Base64.Decode(line.Fields[1], 32) == null || Base64.Decode(line.Fields[3], 32) == null || level == AccessLevel.None
                    || !SecretMetadata.TryParseTimestamp(line.Fields[4], out var at))
                {
                    throw new FormatProblem($"line {line.Number} ('grant') is not '<key> <read|write|manage> <granter key> <timestamp>'");
                }

                if (previousKey != null && string.CompareOrdinal(previousKey, line.Fields[1]) >= 0)
                {
                    throw new FormatProblem($"line {line.Number}: grants must be unique and in ascending order of key");
                }

                previousKey = line.Fields[1];
                grants.Add(new AccessGrant(line.Fields[1], level, line.Fields[3], at));
            }

            var (created, signer) = ReadTrailer(reader, data, verifySignature);
            var canonical = name!.Canonical;
            access.TryGetValue(canonical, out var history);
            IReadOnlyList<AccessGrant> previous = history == null ? Array.Empty<AccessGrant>() : history[history.Count - 1].Item2;
            var signerAccess = members.AccessOf(signer, previous);
            if (signerAccess != AccessLevel.Manage)
            {
                var who = members.BySigningKey(signer)?.Name;
                throw new FormatProblem(who == null
                    ? $"it changes who may use '{name.Value}' but is signed by ed25519:{signer.Substring(0, 8)}, who is not in the store"
                    : $"it changes who may use '{name.Value}' but is signed by '{who}', who has {signerAccess.ToString().ToLowerInvariant()} access (manage is needed)");
            }

            foreach (var grant in grants.Where(g => !previous.Contains(g)))
            {
                // Unchanged lines are copied as they are; a new or changed line is the signer's, made now, for a member.
                if (members.RoleOf(grant.SigningKey) != MemberRole.Member)
                {
                    throw new FormatProblem($"it grants access to ed25519:{grant.SigningKey.Substring(0, 8)}, who is not a member (the owner and admins need no grant)");
                }

                if (grant.GrantedBy != signer || grant.Granted != created)
                {
                    throw new FormatProblem($"it holds a grant for '{members.BySigningKey(grant.SigningKey)!.Name}' that its signer did not make at the time of the entry");
                }
            }

            // A new list each time: the logs of earlier states share the old one.
            history = history == null ? new List<(int, IReadOnlyList<AccessGrant>)>() : new List<(int, IReadOnlyList<AccessGrant>)>(history);
            history.Add((seq, grants));
            access[canonical] = history;
        }

        private static (DateTime Created, string Signer) ReadTrailer(LineReader reader, byte[] data, bool verifySignature)
        {
            var createdLine = reader.Expect("created", 2);
            if (!SecretMetadata.TryParseTimestamp(createdLine.Fields[1], out var created))
            {
                throw new FormatProblem($"line {createdLine.Number} holds an invalid timestamp");
            }

            var signer = Base64.Decode(reader.Expect("signer", 2).Fields[1], Ed25519Signing.PublicKeySize)
                ?? throw new FormatProblem("the 'signer' line is not a 32-byte key in base64");
            var signatureLine = reader.Expect("signature", 2);
            reader.ExpectEnd();
            var signature = Base64.Decode(signatureLine.Fields[1], Ed25519Signing.SignatureSize)
                ?? throw new FormatProblem("the signature is not 64 bytes of base64");
            if (verifySignature && (!Ed25519Signing.IsValidPublicKey(signer) || !Ed25519Signing.Verify(signer, signature, data, signatureLine.Offset)))
            {
                throw new FormatProblem("the signature does not verify (the file was modified after it was signed)");
            }

            return (created, Base64.Encode(signer));
        }

        private static bool MatchesHash(string text, byte[] hash)
        {
            var decoded = Base64.Decode(text, 32);
            return decoded != null && Sensitive.FixedTimeEquals(decoded, hash);
        }

        private static string Unentitled(string signer, Membership before, string what)
        {
            var who = before.BySigningKey(signer);
            return who == null
                ? $"it is signed by ed25519:{signer.Substring(0, 8)}, who is not in the store and may not {what}"
                : $"it is signed by '{who.Name}', a {who.Role.ToString().ToLowerInvariant()}, who may not {what}";
        }
    }
}
