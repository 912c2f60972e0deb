using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Codecs;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Identity;
using Secrets.Core.Names;

namespace Secrets.Core.Store
{
    /// <summary>
    /// Every "may this person do this to this secret" of a store, answered from its manifest and
    /// store log (docs/FORMAT.md, "Sharing: members and access"): access levels, who must be a
    /// recipient, who may write a version readers accept, who may change members and roles.
    /// </summary>
    internal sealed class AccessPolicy
    {
        private readonly StoreContext _store;

        public AccessPolicy(StoreContext store) => _store = store;

        private StoreLog Log => _store.Log;

        /// <summary>The access of the person with this Ed25519 key (base64) to a secret now.</summary>
        public AccessLevel AccessOf(string signingKey, string canonicalName) => Log.AccessOf(signingKey, canonicalName);

        public AccessLevel AccessOf(Recipient who, SecretName name) => AccessOf(Base64.Encode(who.SigningKey), name.Canonical);

        /// <summary>Who every new version of the secret is encrypted to: the owner, the admins and every member with read access.</summary>
        public IReadOnlyCollection<Recipient> RecipientsOf(SecretName name) => Log.Members.RecipientsOf(Log.Grants(name.Canonical));

        /// <summary>Throws AccessDenied unless the identity has at least <paramref name="needed"/> on the secret now.</summary>
        public void RequireAccess(UnlockedIdentity who, SecretName name, AccessLevel needed, string what)
        {
            var key = Base64.Encode(who.Recipient.SigningKey);
            var member = Log.Members.BySigningKey(key);
            var has = Log.AccessOf(key, name.Canonical);
            if (has >= needed)
            {
                return;
            }

            string message;
            if (member == null)
            {
                message = $"Your identity ({who.Recipient.Fingerprint}) is not a member of the store at '{_store.Path}'. Ask its owner ({_store.Manifest.OwnerName}) to add you: give them the recipient string from Get-SecretIdentity.";
            }
            else if (needed == AccessLevel.Manage && what == "create")
            {
                message = $"Only the owner and admins create secrets in a shared store; you ({member.Name}) are a member. Ask {Managers(name)} to create '{name.Value}' and grant you access.";
            }
            else
            {
                message = $"To {what} '{name.Value}' you need {needed.ToString().ToLowerInvariant()} access; you ({member.Name}) have {has.ToString().ToLowerInvariant()}. Ask someone who can grant it: {Managers(name)}.";
            }

            throw new SecretsException("AccessDenied", FailureKind.Permission, message) { FilePath = _store.Path };
        }

        /// <summary>Throws AccessDenied unless the actor is the owner, or an admin when <paramref name="ownerOnly"/> is false.</summary>
        public void RequireRole(UnlockedIdentity actor, string what, bool ownerOnly)
        {
            var role = Log.Members.RoleOf(Base64.Encode(actor.Recipient.SigningKey));
            if (role == MemberRole.Owner || (!ownerOnly && role == MemberRole.Admin))
            {
                return;
            }

            var who = role == null ? $"your identity ({actor.Recipient.Fingerprint}) is not in the store" : $"you are a {role.ToString()!.ToLowerInvariant()}";
            var allowed = ownerOnly ? $"the owner ({_store.Manifest.OwnerName})" : $"the owner ({_store.Manifest.OwnerName}) and admins";
            throw new SecretsException("AccessDenied", FailureKind.Permission, $"Only {allowed} may {what}; {who}.") { FilePath = _store.Path };
        }

        /// <summary>
        /// Whether readers accept a version of <paramref name="name"/> by its writer: write access
        /// (manage, for a tombstone) in the state it was written under and, for the newest version,
        /// now; and, for a value, encrypted to the owner. Throws what readers report otherwise.
        /// </summary>
        public void CheckVersion(VersionSummary version, SecretName name, bool newest, string file)
        {
            var writer = version.WriterKey;
            var needed = version.IsTombstone ? AccessLevel.Manage : AccessLevel.Write;
            var then = Log.MembersAt(version.LogSeq).AccessOf(writer, Log.GrantsAt(name.Canonical, version.LogSeq));
            var now = newest ? Log.AccessOf(writer, name.Canonical) : then;
            if (then < needed || now < needed)
            {
                var who = Log.Members.BySigningKey(writer)?.Name ?? Log.MembersAt(version.LogSeq).BySigningKey(writer)?.Name;
                var what = needed == AccessLevel.Manage ? "manage access (needed to remove a secret)" : "write access";
                var by = who == null ? $"a key that is not in the store (ed25519:{writer.Substring(0, 8)})" : $"'{who}', who {(then < needed ? "did not have" : "no longer has")} {what}";
                throw new SecurityViolationException("UnauthorizedWriter", file,
                    $"The file '{file}' is signed by {by}. Readers do not accept this version of '{name.Value}'.")
                {
                    RecommendedAction = "Do not trust this version. Older versions may still be read with -Version; someone with write access can write a new one with Set-Secret.",
                };
            }

            // Every version is encrypted to the owner (as of the entry it was written under: a store can
            // be handed over), so that a writer can never lock the owner out of a secret (nor stop them
            // from rotating it when someone's access ends).
            var owner = Log.MembersAt(version.LogSeq).Owner.Recipient;
            if (!version.IsTombstone && !version.Recipients.Any(r => Sensitive.FixedTimeEquals(r, owner.EncryptionKey)))
            {
                throw new InvalidFileException("SecretFileInvalid", file, "it is not encrypted to the store's owner, as every version must be");
            }
        }

        /// <summary>The display name of a writer: a member now, or when the version was written, else their key.</summary>
        public string WriterName(VersionSummary version) =>
            Log.Members.BySigningKey(version.WriterKey)?.Name ?? Log.MembersAt(version.LogSeq).BySigningKey(version.WriterKey)?.Name ?? "ed25519:" + version.WriterKey.Substring(0, 8);

        /// <summary>The member (now, or when they were last in the store) whose X25519 key this is.</summary>
        public StoreMember? MemberByEncryptionKey(byte[] key)
        {
            for (int seq = Log.Head; seq >= 0; seq--)
            {
                var found = Log.MembersAt(seq).Everyone.FirstOrDefault(m => Sensitive.FixedTimeEquals(m.Recipient.EncryptionKey, key));
                if (found != null)
                {
                    return found;
                }
            }

            return null;
        }

        /// <summary>The canonical names of the secrets whose access list has a line for the key, in order.</summary>
        public List<string> SecretsGranting(string signingKey) =>
            Log.SecretsWithAccessLists.Where(s => Log.Grants(s).Any(g => g.SigningKey == signingKey)).OrderBy(s => s, System.StringComparer.Ordinal).ToList();

        private string Managers(SecretName name)
        {
            var grants = Log.Grants(name.Canonical);
            var managers = Log.Members.Everyone.Where(m => Log.Members.AccessOf(m.SigningKey, grants) == AccessLevel.Manage)
                .Select(m => $"{m.Name} ({m.Role.ToString().ToLowerInvariant()})");
            return string.Join(", ", managers);
        }
    }
}
