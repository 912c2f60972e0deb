using System;
using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Codecs;
using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Identity;
using Secrets.Core.Names;
using Secrets.Core.Values;

namespace Secrets.Core.Store
{
    /// <summary>
    /// Changes of who may do what (docs/FORMAT.md, "Sharing: members and access"): each one a store
    /// log entry checked and made on the newest state under the lock, then the new versions that
    /// changing who can read always writes.
    /// </summary>
    internal sealed class AccessChanges
    {
        private readonly StoreContext _store;
        private readonly VersionWriter _writer;
        private readonly Rotation _rotation;
        private readonly StoreMembers _queries;

        public AccessChanges(StoreContext store, VersionWriter writer, Rotation rotation, StoreMembers queries)
        {
            _store = store;
            _writer = writer;
            _rotation = rotation;
            _queries = queries;
        }

        /// <summary>
        /// Adds a member (owner or admin) or an admin (owner). Adding an admin writes a new version of
        /// every secret, encrypted to them too; <paramref name="progress"/> hears each secret's name.
        /// </summary>
        public StoreMember AddMember(Recipient recipient, string name, MemberRole role, UnlockedIdentity actor, Action<string>? progress = null)
        {
            if (recipient == null)
            {
                throw new ArgumentNullException(nameof(recipient));
            }

            name = DisplayText.Normalize(name ?? string.Empty);
            if (name.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(name) > DisplayText.MaxBytes)
            {
                throw new InvalidInputException("InvalidMemberName", "Name", $"A member's name must be 1 to {DisplayText.MaxBytes} bytes of text.");
            }

            if (role == MemberRole.Owner)
            {
                throw new InvalidInputException("InvalidRole", "Role", "A store has one owner; add members as Member or Admin.");
            }

            return _store.Locked(() =>
            {
                AppendChecked(() =>
                {
                    _store.Policy.RequireRole(actor, role == MemberRole.Admin ? "add an admin" : "add members", ownerOnly: role == MemberRole.Admin);
                    if (_store.Log.Members.Everyone.Any(m => m.Recipient.Equals(recipient) || SameKeys(m.Recipient, recipient)))
                    {
                        var existing = _store.Log.Members.Everyone.First(m => m.Recipient.Equals(recipient) || SameKeys(m.Recipient, recipient));
                        throw new SecretsException("MemberExists", FailureKind.AlreadyExists, $"{recipient.Fingerprint} is already in the store as '{existing.Name}'.");
                    }

                    if (_store.Log.Members.Everyone.Any(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase)))
                    {
                        throw new SecretsException("MemberExists", FailureKind.AlreadyExists, $"The store already has a member named '{name}'; choose another name.");
                    }

                    return _store.Log.AppendMember(_store.Manifest.Id, "add-member", recipient, name, role, actor);
                });

                if (role == MemberRole.Admin)
                {
                    _writer.ResealAll(actor, progress);
                }

                return _queries.Find(recipient.Text);
            });
        }

        /// <summary>
        /// Removes a member and rotates every secret they had access to (every secret for an admin).
        /// The rotations come first, so that the member never keeps access to a version written
        /// after the removal, whatever point a crash interrupts. Returns the secrets rotated.
        /// </summary>
        public IReadOnlyList<string> RemoveMember(string member, UnlockedIdentity actor, Action<string>? progress = null, Action<string, string>? notRotated = null)
        {
            return _store.Locked(() =>
            {
                var target = _queries.Find(member);
                if (target.Role == MemberRole.Owner)
                {
                    throw new SecretsException("CannotRemoveOwner", FailureKind.InvalidOperation, $"'{target.Name}' owns the store and cannot be removed.");
                }

                _store.Policy.RequireRole(actor, target.Role == MemberRole.Admin ? "remove an admin" : "remove members", ownerOnly: target.Role == MemberRole.Admin);
                var actorKey = Base64.Encode(actor.Recipient.SigningKey);
                var revoked = new SortedSet<string>(StringComparer.Ordinal);
                var removedRole = target.Role;

                // Record first, then rotate: every rotated version is written under the entries that
                // end the member's access, so a version they forge afterwards, claiming an older
                // entry, is out of order and refused. Each entry is decided on the newest state: a
                // writer that does not share our lock may change it between two of ours.
                for (bool removed = false; !removed;)
                {
                    foreach (var canonical in _store.Policy.SecretsGranting(target.SigningKey))
                    {
                        AppendChecked(() =>
                        {
                            var now = DateTime.UtcNow;
                            var current = _store.Log.Members.BySigningKey(target.SigningKey);
                            if (current == null || !_store.Log.Grants(canonical).Any(g => g.SigningKey == target.SigningKey))
                            {
                                return true;
                            }

                            _store.Policy.RequireRole(actor, current.Role == MemberRole.Admin ? "remove an admin" : "remove members", ownerOnly: current.Role == MemberRole.Admin);
                            var grants = AccessGrant.WithLevel(_store.Log.Grants(canonical), target.SigningKey, AccessLevel.None, actorKey, now);
                            return _store.Log.AppendAccess(_store.Manifest.Id, SecretName.Parse(canonical), grants, now, actor);
                        });
                        revoked.Add(canonical);
                    }

                    AppendChecked(() =>
                    {
                        var current = _store.Log.Members.BySigningKey(target.SigningKey);
                        if (current == null)
                        {
                            // Removed by another writer at the same moment; what this removal revoked is still rotated.
                            removed = true;
                            return true;
                        }

                        if (_store.Policy.SecretsGranting(target.SigningKey).Count > 0)
                        {
                            // Granted access meanwhile: revoke that first.
                            return true;
                        }

                        _store.Policy.RequireRole(actor, current.Role == MemberRole.Admin ? "remove an admin" : "remove members", ownerOnly: current.Role == MemberRole.Admin);
                        removedRole = current.Role;
                        removed = true;
                        return _store.Log.AppendMember(_store.Manifest.Id, "remove-member", current.Recipient, null, null, actor);
                    });
                }

                var toRotate = removedRole == MemberRole.Admin ? _store.AllSecrets() : revoked.ToList();
                var rotated = new List<string>();
                foreach (var canonical in toRotate)
                {
                    var problem = _writer.TryReseal(SecretName.Parse(canonical), actor, out bool resealed);
                    if (problem != null)
                    {
                        notRotated?.Invoke(canonical, problem);
                    }
                    else if (resealed)
                    {
                        rotated.Add(canonical);
                        progress?.Invoke(canonical);
                    }
                }

                return rotated;
            });
        }

        /// <summary>Changes a member's role (owner only); promoting or demoting an admin rewrites every secret.</summary>
        public StoreMember SetMemberRole(string member, MemberRole role, UnlockedIdentity actor, Action<string>? progress = null)
        {
            if (role == MemberRole.Owner)
            {
                throw new InvalidInputException("InvalidRole", "Role", "The owner is named by the store's manifest; a member can be Member or Admin.");
            }

            return _store.Locked(() =>
            {
                StoreMember? unchanged = null;
                var target = _queries.Find(member);
                AppendChecked(() =>
                {
                    target = _store.Log.Members.BySigningKey(target.SigningKey) ?? _queries.Find(member);
                    if (target.Role == MemberRole.Owner)
                    {
                        throw new SecretsException("CannotChangeOwner", FailureKind.InvalidOperation, $"'{target.Name}' owns the store; the owner's role cannot change.");
                    }

                    _store.Policy.RequireRole(actor, "change roles", ownerOnly: true);
                    if (target.Role == role)
                    {
                        unchanged = target;
                        return true;
                    }

                    return _store.Log.AppendMember(_store.Manifest.Id, "set-role", target.Recipient, null, role, actor);
                });

                if (unchanged != null)
                {
                    return unchanged;
                }

                _writer.ResealAll(actor, progress);
                return _queries.Find(target.Recipient.Text);
            });
        }

        /// <summary>
        /// Gives a member an access level to a secret (Manage needed), and writes a new version
        /// encrypted for the new list of readers.
        /// </summary>
        public SecretRecord Grant(string name, string member, AccessLevel level, UnlockedIdentity actor)
        {
            if (level == AccessLevel.None)
            {
                throw new InvalidInputException("InvalidAccess", "Access", "Grant Read, Write or Manage; use Revoke-SecretAccess to take access away.");
            }

            return ChangeAccess(name, member, level, actor);
        }

        /// <summary>Takes a member's access to a secret away and rotates its data key (Manage needed).</summary>
        public SecretRecord Revoke(string name, string member, UnlockedIdentity actor) => ChangeAccess(name, member, AccessLevel.None, actor);

        private SecretRecord ChangeAccess(string name, string member, AccessLevel level, UnlockedIdentity actor)
        {
            var secretName = SecretName.Parse(name);
            return _store.Locked(() =>
            {
                bool unchanged = false;
                AppendChecked(() =>
                {
                    var target = _queries.Find(member);
                    _writer.GetInfoTolerant(secretName);
                    _store.Policy.RequireAccess(actor, secretName, AccessLevel.Manage, level == AccessLevel.None ? "revoke access to" : "grant access to");
                    if (target.Role != MemberRole.Member)
                    {
                        throw new SecretsException("AccessImplicit", FailureKind.InvalidOperation,
                            $"'{target.Name}' is the store's {target.Role.ToString().ToLowerInvariant()} and always has manage access to every secret; that cannot be granted or revoked.");
                    }

                    var current = _store.Log.Grants(secretName.Canonical);
                    var existing = current.FirstOrDefault(g => g.SigningKey == target.SigningKey);
                    if (level == AccessLevel.None && existing == null)
                    {
                        // A revocation recorded but interrupted before the secret was written again:
                        // nothing to record, the new version below finishes it.
                        var status = _rotation.StatusOf(secretName);
                        if (status.NoLongerAllowed.Any(m => m.SigningKey == target.SigningKey))
                        {
                            return true;
                        }

                        throw new SecretsException("NoAccessToRevoke", FailureKind.InvalidOperation, $"'{target.Name}' has no access to '{secretName.Value}' to revoke.");
                    }

                    if (existing != null && existing.Level == level)
                    {
                        unchanged = true;
                        return true;
                    }

                    // Record the change, then write the new version (the same value, a fresh data key) for
                    // the readers it leaves, under the new entry. A newest version the actor cannot read
                    // (damaged, or not encrypted to them) does not stop the change: it is recorded, and
                    // the secret then needs a new value.
                    var now = DateTime.UtcNow;
                    var grants = AccessGrant.WithLevel(current, target.SigningKey, level, Base64.Encode(actor.Recipient.SigningKey), now);
                    return _store.Log.AppendAccess(_store.Manifest.Id, secretName, grants, now, actor);
                });

                if (unchanged)
                {
                    return _writer.GetInfoTolerant(secretName);
                }

                var notRotated = _writer.TryReseal(secretName, actor, out _);
                var record = _writer.GetInfoTolerant(secretName);
                record.NotRotatedReason = notRotated;
                return record;
            });
        }

        /// <summary>
        /// Appends one store log entry that <paramref name="decideAndAppend"/> checks and makes from
        /// the state loaded now, and loads the log again. The step returns false when another writer
        /// appended that entry number first (possible where the file system does not share locks):
        /// the log is loaded again and the step runs again, its checks included, so that no entry is
        /// made against a state it was not checked against and no change is lost. A step that finds
        /// nothing to append returns true.
        /// </summary>
        private void AppendChecked(Func<bool> decideAndAppend)
        {
            while (true)
            {
                int head = _store.Log.Head;
                if (decideAndAppend())
                {
                    _store.Refresh();
                    return;
                }

                _store.Refresh();
                if (_store.Log.Head <= head)
                {
                    // The name of the next entry is taken by something the log does not list.
                    throw StoreLog.Invalid(_store.Log.EntryPath(head + 1), "it is in the way of the next entry but is not a store log entry");
                }
            }
        }

        private static bool SameKeys(Recipient a, Recipient b) =>
            Crypto.Sensitive.FixedTimeEquals(a.EncryptionKey, b.EncryptionKey) || Crypto.Sensitive.FixedTimeEquals(a.SigningKey, b.SigningKey);
    }
}
