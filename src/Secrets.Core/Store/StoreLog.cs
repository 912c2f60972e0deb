using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Secrets.Core.Codecs;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Identity;
using Secrets.Core.Platform;
using Secrets.Core.Values;

namespace Secrets.Core.Store
{
    /// <summary>
    /// The store log of a shared store (docs/FORMAT.md, "Sharing: members and access"): one
    /// hash-chained list of membership and access changes, each entry checked against the state
    /// the entries before it built, from the owner key.
    /// </summary>
    internal sealed class StoreLog
    {
        public const string FolderName = "log";
        public const string Extension = "entry";
        public const int MaxEntryBytes = 1024 * 1024;

        private static readonly Regex EntryFile = new Regex(@"^([1-9][0-9]{0,9})\.entry$", RegexOptions.CultureInvariant);

        private readonly List<Membership> _membership;
        private readonly Dictionary<string, List<(int Seq, IReadOnlyList<AccessGrant> Grants)>> _access;

        private StoreLog(string folder, List<Membership> membership, Dictionary<string, List<(int, IReadOnlyList<AccessGrant>)>> access, byte[]? headHash)
        {
            Folder = folder;
            _membership = membership;
            _access = access;
            HeadHash = headHash;
        }

        public string Folder { get; }

        /// <summary>Number of entries (0: the store is not shared).</summary>
        public int Head => _membership.Count - 1;

        public byte[]? HeadHash { get; }

        public Membership Members => _membership[_membership.Count - 1];

        public Membership MembersAt(int seq) => _membership[seq];

        /// <summary>The names (canonical) of the secrets that have an access list.</summary>
        public IEnumerable<string> SecretsWithAccessLists => _access.Keys;

        /// <summary>A secret's access list now.</summary>
        public IReadOnlyList<AccessGrant> Grants(string canonicalName) => GrantsAt(canonicalName, Head);

        /// <summary>A secret's access list after entry <paramref name="seq"/>.</summary>
        public IReadOnlyList<AccessGrant> GrantsAt(string canonicalName, int seq)
        {
            if (!_access.TryGetValue(canonicalName, out var history))
            {
                return Array.Empty<AccessGrant>();
            }

            IReadOnlyList<AccessGrant> result = Array.Empty<AccessGrant>();
            foreach (var (entrySeq, grants) in history)
            {
                if (entrySeq > seq)
                {
                    break;
                }

                result = grants;
            }

            return result;
        }

        public AccessLevel AccessOf(string signingKey, string canonicalName) => Members.AccessOf(signingKey, Grants(canonicalName));

        public static StoreLog Load(string storePath, StoreManifest manifest)
        {
            var folder = Path.Combine(storePath, FolderName);
            var owner = new StoreMember(manifest.Owner, manifest.OwnerName, MemberRole.Owner, manifest.OwnerName, manifest.Created);
            var membership = new List<Membership> { new Membership(owner, new Dictionary<string, StoreMember>(StringComparer.Ordinal)) };
            var access = new Dictionary<string, List<(int, IReadOnlyList<AccessGrant>)>>(StringComparer.Ordinal);
            byte[]? previousHash = null;
            var files = ListEntries(folder);
            for (int i = 0; i < files.Count; i++)
            {
                var file = files[i];
                var data = AtomicFile.ReadAll(file, MaxEntryBytes, problem => Invalid(file, problem));
                try
                {
                    Apply(data, manifest.Id, i + 1, previousHash, membership, access);
                }
                catch (FormatProblem problem) when (problem.LaterFormat != null)
                {
                    throw problem.ToException("StoreLogInvalid", file);
                }
                catch (FormatProblem problem)
                {
                    throw Invalid(file, problem.Message);
                }

                previousHash = Sha256.Hash(data);
            }

            return new StoreLog(folder, membership, access, previousHash);
        }

        /// <summary>
        /// Appends a membership change (the caller holds the store lock and has checked it). False
        /// when another writer appended the next entry first (see <see cref="Append"/>).
        /// </summary>
        public bool AppendMember(byte[] storeId, string action, Recipient member, string? name, MemberRole? role, UnlockedIdentity signer) =>
            Append(storeId, signer, lines =>
            {
                lines.Line("action", action);
                lines.Line("member", member.Text);
                if (name != null)
                {
                    lines.TextLine("member-name", name);
                }

                if (role != null)
                {
                    lines.Line("role", role == MemberRole.Admin ? "admin" : "member");
                }
            }, DateTime.UtcNow);

        /// <summary>
        /// Appends a secret's new access list (the caller holds the store lock and has checked it).
        /// False when another writer appended the next entry first (see <see cref="Append"/>).
        /// </summary>
        public bool AppendAccess(byte[] storeId, SecretName name, IReadOnlyList<AccessGrant> grants, DateTime created, UnlockedIdentity signer) =>
            Append(storeId, signer, lines =>
            {
                lines.Line("action", "set-access");
                lines.Line("secret", name.Value);
                foreach (var grant in grants.OrderBy(g => g.SigningKey, StringComparer.Ordinal))
                {
                    lines.Line("grant", grant.SigningKey, AccessGrant.LevelText(grant.Level), grant.GrantedBy, SecretMetadata.FormatTimestamp(grant.Granted));
                }
            }, created);

        /// <summary>
        /// Publishes entry <see cref="Head"/> + 1 under a name that must be free. Where the file system
        /// does not share locks, another writer can publish that entry first: then nothing is written
        /// and the result is false; the caller loads the log again and decides anew, since the change
        /// was checked against a state that is no longer the newest.
        /// </summary>
        private bool Append(byte[] storeId, UnlockedIdentity signer, Action<LineWriter> body, DateTime created)
        {
            var lines = new LineWriter();
            lines.Line(SecretFileFormat.Magic, "log");
            lines.Line("store", Base64.Encode(storeId));
            int seq = Head + 1;
            lines.Line("seq", seq.ToString(CultureInfo.InvariantCulture));
            lines.Line("previous", seq == 1 ? "-" : Base64.Encode(HeadHash!));
            body(lines);
            lines.Line("created", SecretMetadata.FormatTimestamp(created));
            lines.Line("signer", Base64.Encode(signer.Recipient.SigningKey));
            var unsigned = lines.ToArray();
            lines.Line("signature", Base64.Encode(signer.Sign(unsigned, unsigned.Length)));
            Directory.CreateDirectory(Folder);
            try
            {
                AtomicFile.Write(EntryPath(seq), lines.ToArray(), overwrite: false, ownerOnly: false);
                return true;
            }
            catch (FileExistsException)
            {
                return false;
            }
        }

        /// <summary>The file of entry <paramref name="seq"/>.</summary>
        public string EntryPath(int seq) => Path.Combine(Folder, $"{seq}.{Extension}");

        private static List<string> ListEntries(string folder)
        {
            var numbered = new SortedDictionary<long, string>();
            if (Directory.Exists(folder))
            {
                foreach (var file in Directory.EnumerateFiles(folder, "*." + Extension))
                {
                    var match = EntryFile.Match(Path.GetFileName(file));
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
                    throw Invalid(Path.Combine(folder, $"{expected}.{Extension}"), $"entry {expected} is missing before entry {pair.Key} (the log has a gap)");
                }

                result.Add(pair.Value);
                expected++;
            }

            return result;
        }

        /// <summary>Parses entry <paramref name="seq"/> and applies it to the state the entries before it built; throws <see cref="FormatProblem"/>.</summary>
        internal static void Apply(byte[] data, byte[] storeId, int seq, byte[]? previousHash, List<Membership> membership,
            Dictionary<string, List<(int, IReadOnlyList<AccessGrant>)>> access)
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
                    membership.Add(ApplyMember(reader, data, action, before));
                    return;
                case "set-access":
                    ApplyAccess(reader, data, seq, before, access);
                    membership.Add(before);
                    return;
                default:
                    throw new FormatProblem($"'{action}' is not a store log action (add-member, remove-member, set-role, set-access)");
            }
        }

        private static Membership ApplyMember(LineReader reader, byte[] data, string action, Membership before)
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

            var (created, signer) = ReadTrailer(reader, data);
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

        private static void ApplyAccess(LineReader reader, byte[] data, int seq, Membership members, Dictionary<string, List<(int, IReadOnlyList<AccessGrant>)>> access)
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

            var (created, signer) = ReadTrailer(reader, data);
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

            if (history == null)
            {
                history = new List<(int, IReadOnlyList<AccessGrant>)>();
                access[canonical] = history;
            }

            history.Add((seq, grants));
        }

        private static (DateTime Created, string Signer) ReadTrailer(LineReader reader, byte[] data)
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
            if (!Ed25519Signing.IsValidPublicKey(signer) || !Ed25519Signing.Verify(signer, signature, data, signatureLine.Offset))
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

        internal static SecurityViolationException Invalid(string file, string problem) =>
            new SecurityViolationException("StoreLogInvalid", file, $"The store log entry '{file}' is not valid: {problem}. Someone may have changed who may do what by hand.")
            {
                RecommendedAction = "Do not use this store until its owner has checked its 'log' folder (for example in the history of the git repository).",
            };
    }
}
