using System;
using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Names;

namespace Secrets.Core.Store
{
    /// <summary>Who is in a store and who has what access to a secret, as the store log says now.</summary>
    internal sealed class StoreMembers
    {
        private readonly StoreContext _store;
        private readonly Rotation _rotation;

        public StoreMembers(StoreContext store, Rotation rotation)
        {
            _store = store;
            _rotation = rotation;
        }

        /// <summary>The owner, then the admins and members by name.</summary>
        public IReadOnlyList<StoreMember> All() =>
            new[] { _store.Log.Members.Owner }.Concat(_store.Log.Members.Members.OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase)).ToList();

        /// <summary>
        /// Finds a member (or the owner) by display name (case-insensitive), fingerprint or
        /// recipient string. Throws UnknownMember naming who is in the store.
        /// </summary>
        public StoreMember Find(string member)
        {
            if (string.IsNullOrWhiteSpace(member))
            {
                throw new InvalidInputException("UnknownMember", "Member", "The member name is empty.");
            }

            var text = member.Trim();
            var found = _store.Log.Members.Everyone.FirstOrDefault(m =>
                string.Equals(m.Name, text, StringComparison.OrdinalIgnoreCase)
                || string.Equals(m.Recipient.Fingerprint, text, StringComparison.OrdinalIgnoreCase)
                || string.Equals(m.Recipient.Text, text, StringComparison.OrdinalIgnoreCase));
            if (found != null)
            {
                return found;
            }

            var names = string.Join(", ", All().Select(m => m.Name));
            throw new SecretsException("UnknownMember", FailureKind.NotFound, $"The store at '{_store.Path}' has no member '{text}'. Its members: {names}.")
            {
                RecommendedAction = "Name a member by display name, fingerprint or recipient string (Get-SecretStoreMember lists them), or add them with Add-SecretStoreMember.",
            };
        }

        /// <summary>
        /// Who has what access to a secret: the owner and admins (implicit), members with grants, and
        /// whoever can still decrypt its newest version although their access ended.
        /// </summary>
        public IReadOnlyList<SecretAccessEntry> AccessTo(SecretName name, SecretRecord record)
        {
            var members = _store.Log.Members;
            var result = members.Everyone.Where(m => m.Role != MemberRole.Member)
                .Select(m => new SecretAccessEntry(record.Name, m, AccessLevel.Manage, true, null, null)).ToList();
            foreach (var grant in _store.Log.Grants(name.Canonical))
            {
                var member = members.BySigningKey(grant.SigningKey);
                if (member != null && member.Role == MemberRole.Member)
                {
                    var by = members.BySigningKey(grant.GrantedBy)?.Name ?? "ed25519:" + grant.GrantedBy.Substring(0, 8);
                    result.Add(new SecretAccessEntry(record.Name, member, grant.Level, false, by, grant.Granted));
                }
            }

            // The secret was not written again after the change that ended their access (an interrupted rotation).
            foreach (var stale in _rotation.StatusOf(name).NoLongerAllowed)
            {
                result.Add(new SecretAccessEntry(record.Name, stale, AccessLevel.None, false, null, null) { RotationPending = true });
            }

            return result;
        }
    }
}
