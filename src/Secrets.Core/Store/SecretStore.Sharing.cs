using System;
using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Codecs;
using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Identity;
using Secrets.Core.Values;
using Secrets.Core.Names;

namespace Secrets.Core.Store
{
    /// <summary>
    /// Sharing (docs/FORMAT.md, "Sharing: members and access"): members, access lists, and the
    /// new versions that changing who can read always writes.
    /// </summary>
    public sealed partial class SecretStore
    {
        /// <summary>The owner, then the admins and members by name.</summary>
        public IReadOnlyList<StoreMember> GetMembers() =>
            new[] { _log.Members.Owner }.Concat(_log.Members.Members.OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase)).ToList();

        /// <summary>
        /// Finds a member (or the owner) by display name (case-insensitive), fingerprint or
        /// recipient string. Throws UnknownMember naming who is in the store.
        /// </summary>
        public StoreMember FindMember(string member)
        {
            if (string.IsNullOrWhiteSpace(member))
            {
                throw new InvalidInputException("UnknownMember", "Member", "The member name is empty.");
            }

            var text = member.Trim();
            var found = _log.Members.Everyone.FirstOrDefault(m =>
                string.Equals(m.Name, text, StringComparison.OrdinalIgnoreCase)
                || string.Equals(m.Recipient.Fingerprint, text, StringComparison.OrdinalIgnoreCase)
                || string.Equals(m.Recipient.Text, text, StringComparison.OrdinalIgnoreCase));
            if (found != null)
            {
                return found;
            }

            var names = string.Join(", ", GetMembers().Select(m => m.Name));
            throw new SecretsException("UnknownMember", FailureKind.NotFound, $"The store at '{Path}' has no member '{text}'. Its members: {names}.")
            {
                RecommendedAction = "Name a member by display name, fingerprint or recipient string (Get-SecretStoreMember lists them), or add them with Add-SecretStoreMember.",
            };
        }

        /// <summary>The caller's access to a secret (None when not a member).</summary>
        public AccessLevel AccessOf(Recipient who, string name) =>
            _log.AccessOf(Base64.Encode(who.SigningKey), SecretName.Parse(name).Canonical);

        /// <summary>Who has what access to a secret: the owner and admins (implicit), then members with grants.</summary>
        public IReadOnlyList<SecretAccessEntry> GetAccess(string name)
        {
            var secretName = SecretName.Parse(name);
            var record = GetInfo(name);
            var members = _log.Members;
            var result = members.Everyone.Where(m => m.Role != MemberRole.Member)
                .Select(m => new SecretAccessEntry(record.Name, m, AccessLevel.Manage, true, null, null)).ToList();
            foreach (var grant in _log.Grants(secretName.Canonical))
            {
                var member = members.BySigningKey(grant.SigningKey);
                if (member != null && member.Role == MemberRole.Member)
                {
                    var by = members.BySigningKey(grant.GrantedBy)?.Name ?? "ed25519:" + grant.GrantedBy.Substring(0, 8);
                    result.Add(new SecretAccessEntry(record.Name, member, grant.Level, false, by, grant.Granted));
                }
            }

            // Whoever can still decrypt the newest version although their access ended: the secret
            // was not written again after the change (an interrupted rotation).
            foreach (var stale in RotationOf(secretName, ReadHeaderTolerant(secretName).Header).NoLongerAllowed)
            {
                result.Add(new SecretAccessEntry(record.Name, stale, AccessLevel.None, false, null, null) { RotationPending = true });
            }

            return result;
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

            return Locked(() =>
            {
                AppendChecked(() =>
                {
                    RequireRole(actor, role == MemberRole.Admin ? "add an admin" : "add members", ownerOnly: role == MemberRole.Admin);
                    if (_log.Members.Everyone.Any(m => m.Recipient.Equals(recipient) || SameKeys(m.Recipient, recipient)))
                    {
                        var existing = _log.Members.Everyone.First(m => m.Recipient.Equals(recipient) || SameKeys(m.Recipient, recipient));
                        throw new SecretsException("MemberExists", FailureKind.AlreadyExists, $"{recipient.Fingerprint} is already in the store as '{existing.Name}'.");
                    }

                    if (_log.Members.Everyone.Any(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase)))
                    {
                        throw new SecretsException("MemberExists", FailureKind.AlreadyExists, $"The store already has a member named '{name}'; choose another name.");
                    }

                    return _log.AppendMember(Manifest.Id, "add-member", recipient, name, role, actor);
                });

                if (role == MemberRole.Admin)
                {
                    ResealAll(actor, progress);
                }

                return FindMember(recipient.Text);
            });
        }

        /// <summary>
        /// Removes a member and rotates every secret they had access to (every secret for an admin).
        /// The rotations come first, so that the member never keeps access to a version written
        /// after the removal, whatever point a crash interrupts. Returns the secrets rotated.
        /// </summary>
        public IReadOnlyList<string> RemoveMember(string member, UnlockedIdentity actor, Action<string>? progress = null, Action<string, string>? notRotated = null)
        {
            return Locked(() =>
            {
                var target = FindMember(member);
                if (target.Role == MemberRole.Owner)
                {
                    throw new SecretsException("CannotRemoveOwner", FailureKind.InvalidOperation, $"'{target.Name}' owns the store and cannot be removed.");
                }

                RequireRole(actor, target.Role == MemberRole.Admin ? "remove an admin" : "remove members", ownerOnly: target.Role == MemberRole.Admin);
                var actorKey = Base64.Encode(actor.Recipient.SigningKey);
                var revoked = new SortedSet<string>(StringComparer.Ordinal);
                var removedRole = target.Role;

                // Record first, then rotate: every rotated version is written under the entries that
                // end the member's access, so a version they forge afterwards, claiming an older
                // entry, is out of order and refused. Each entry is decided on the newest state: a
                // writer that does not share our lock may change it between two of ours.
                for (bool removed = false; !removed;)
                {
                    foreach (var canonical in SecretsGranting(target.SigningKey))
                    {
                        AppendChecked(() =>
                        {
                            var now = DateTime.UtcNow;
                            var current = _log.Members.BySigningKey(target.SigningKey);
                            if (current == null || !_log.Grants(canonical).Any(g => g.SigningKey == target.SigningKey))
                            {
                                return true;
                            }

                            RequireRole(actor, current.Role == MemberRole.Admin ? "remove an admin" : "remove members", ownerOnly: current.Role == MemberRole.Admin);
                            var grants = AccessGrant.WithLevel(_log.Grants(canonical), target.SigningKey, AccessLevel.None, actorKey, now);
                            return _log.AppendAccess(Manifest.Id, SecretName.Parse(canonical), grants, now, actor);
                        });
                        revoked.Add(canonical);
                    }

                    AppendChecked(() =>
                    {
                        var current = _log.Members.BySigningKey(target.SigningKey);
                        if (current == null)
                        {
                            // Removed by another writer at the same moment; what this removal revoked is still rotated.
                            removed = true;
                            return true;
                        }

                        if (SecretsGranting(target.SigningKey).Count > 0)
                        {
                            // Granted access meanwhile: revoke that first.
                            return true;
                        }

                        RequireRole(actor, current.Role == MemberRole.Admin ? "remove an admin" : "remove members", ownerOnly: current.Role == MemberRole.Admin);
                        removedRole = current.Role;
                        removed = true;
                        return _log.AppendMember(Manifest.Id, "remove-member", current.Recipient, null, null, actor);
                    });
                }

                var toRotate = removedRole == MemberRole.Admin ? AllSecrets() : revoked.ToList();
                var rotated = new List<string>();
                foreach (var canonical in toRotate)
                {
                    var problem = TryReseal(SecretName.Parse(canonical), actor, out bool resealed);
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

            return Locked(() =>
            {
                StoreMember? unchanged = null;
                var target = FindMember(member);
                AppendChecked(() =>
                {
                    target = _log.Members.BySigningKey(target.SigningKey) ?? FindMember(member);
                    if (target.Role == MemberRole.Owner)
                    {
                        throw new SecretsException("CannotChangeOwner", FailureKind.InvalidOperation, $"'{target.Name}' owns the store; the owner's role cannot change.");
                    }

                    RequireRole(actor, "change roles", ownerOnly: true);
                    if (target.Role == role)
                    {
                        unchanged = target;
                        return true;
                    }

                    return _log.AppendMember(Manifest.Id, "set-role", target.Recipient, null, role, actor);
                });

                if (unchanged != null)
                {
                    return unchanged;
                }

                ResealAll(actor, progress);
                return FindMember(target.Recipient.Text);
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
            return Locked(() =>
            {
                bool unchanged = false;
                AppendChecked(() =>
                {
                    var target = FindMember(member);
                    GetInfoTolerant(secretName);
                    RequireAccess(actor, secretName, AccessLevel.Manage, level == AccessLevel.None ? "revoke access to" : "grant access to");
                    if (target.Role != MemberRole.Member)
                    {
                        throw new SecretsException("AccessImplicit", FailureKind.InvalidOperation,
                            $"'{target.Name}' is the store's {target.Role.ToString().ToLowerInvariant()} and always has manage access to every secret; that cannot be granted or revoked.");
                    }

                    var current = _log.Grants(secretName.Canonical);
                    var existing = current.FirstOrDefault(g => g.SigningKey == target.SigningKey);
                    if (level == AccessLevel.None && existing == null)
                    {
                        // A revocation recorded but interrupted before the secret was written again:
                        // nothing to record, the new version below finishes it.
                        var status = RotationOf(secretName, ReadHeaderTolerant(secretName).Header);
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
                    return _log.AppendAccess(Manifest.Id, secretName, grants, now, actor);
                });

                if (unchanged)
                {
                    return GetInfo(secretName.Value);
                }

                var notRotated = TryReseal(secretName, actor, out _);
                var record = GetInfoTolerant(secretName);
                record.NotRotatedReason = notRotated;
                return record;
            });
        }

        /// <summary>The newest valid version's record (after a revocation the newest file may be one the revoked member wrote).</summary>
        private SecretRecord GetInfoTolerant(SecretName name)
        {
            try
            {
                return GetInfo(name.Value);
            }
            catch (SecretsException e) when (e is InvalidFileException || e.ErrorId == "UnauthorizedWriter")
            {
                var versions = ListVersions(FolderOf(name));
                var valid = NewestValid(versions, name) ?? throw e;
                return ToRecord(valid, System.IO.Path.Combine(FolderOf(name), $"v{valid.Version}.secret"), versions.Select(v => v.Version).ToList());
            }
        }

        /// <summary>Reseals, or returns why it could not (the newest version is unreadable to the actor or invalid).</summary>
        private string? TryReseal(SecretName name, UnlockedIdentity actor, out bool resealed)
        {
            resealed = false;
            try
            {
                resealed = Reseal(name, actor);
                return null;
            }
            catch (SecretsException e) when (e is NotARecipientException || e is InvalidFileException || e.ErrorId == "UnauthorizedWriter")
            {
                return e.Message;
            }
        }

        /// <summary>
        /// Writes a new version of a secret with the same value and metadata, encrypted with a fresh
        /// data key to the readers the newest state names, signed by the actor. It follows a change
        /// of access just recorded, so the newest version is taken as valid if it was when it was
        /// written (its writer may be the member whose access just ended). A removed secret gets a
        /// new tombstone. Returns false when the secret has no versions. The lock is held.
        /// </summary>
        private bool Reseal(SecretName name, UnlockedIdentity actor)
        {
            var folder = FolderOf(name);
            if (ListVersions(folder).Count == 0)
            {
                return false;
            }

            WriteVersionLocked(name, actor, (version, current, previous) =>
            {
                if (current!.IsTombstone)
                {
                    return SecretFileFormat.WriteTombstone(Manifest.Id, SecretName.Parse(current.Name), version, DateTime.UtcNow, actor, _log.Head, previous);
                }

                using var value = DecryptFor(current, actor, CurrentFile(name, current.Version));
                return SecretFileFormat.WriteSecret(Manifest.Id, SecretName.Parse(current.Name), version, value, current.Metadata, DateTime.UtcNow, actor,
                    RecipientsOf(name), _log.Head, previous);
            }, newestAsWritten: true);
            return true;
        }

        private List<string> ResealAll(UnlockedIdentity actor, Action<string>? progress)
        {
            var rotated = new List<string>();
            foreach (var canonical in AllSecrets())
            {
                if (Reseal(SecretName.Parse(canonical), actor))
                {
                    rotated.Add(canonical);
                    progress?.Invoke(canonical);
                }
            }

            return rotated;
        }

        /// <summary>The canonical names of every secret folder, in order.</summary>
        private List<string> AllSecrets()
        {
            var result = new List<string>();
            var root = System.IO.Path.Combine(Path, SecretsFolder);
            if (System.IO.Directory.Exists(root))
            {
                foreach (var directory in System.IO.Directory.EnumerateDirectories(root))
                {
                    var canonical = SecretName.CanonicalFromFolder(System.IO.Path.GetFileName(directory));
                    if (canonical != null)
                    {
                        result.Add(canonical);
                    }
                }
            }

            result.Sort(StringComparer.Ordinal);
            return result;
        }

        private void RequireRole(UnlockedIdentity actor, string what, bool ownerOnly)
        {
            var role = _log.Members.RoleOf(Base64.Encode(actor.Recipient.SigningKey));
            if (role == MemberRole.Owner || (!ownerOnly && role == MemberRole.Admin))
            {
                return;
            }

            var who = role == null ? $"your identity ({actor.Recipient.Fingerprint}) is not in the store" : $"you are a {role.ToString()!.ToLowerInvariant()}";
            var allowed = ownerOnly ? $"the owner ({Manifest.OwnerName})" : $"the owner ({Manifest.OwnerName}) and admins";
            throw new SecretsException("AccessDenied", FailureKind.Permission, $"Only {allowed} may {what}; {who}.") { FilePath = Path };
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
                int head = _log.Head;
                if (decideAndAppend())
                {
                    Refresh();
                    return;
                }

                Refresh();
                if (_log.Head <= head)
                {
                    // The name of the next entry is taken by something the log does not list.
                    throw StoreLog.Invalid(_log.EntryPath(head + 1), "it is in the way of the next entry but is not a store log entry");
                }
            }
        }

        /// <summary>The canonical names of the secrets whose access list has a line for the key, in order.</summary>
        private List<string> SecretsGranting(string signingKey) =>
            _log.SecretsWithAccessLists.Where(s => _log.Grants(s).Any(g => g.SigningKey == signingKey)).OrderBy(s => s, StringComparer.Ordinal).ToList();

        private T Locked<T>(Func<T> action)
        {
            using (StoreLock.Acquire(Path, LockTimeout))
            {
                Refresh();
                return action();
            }
        }

        private static bool SameKeys(Recipient a, Recipient b) =>
            Crypto.Sensitive.FixedTimeEquals(a.EncryptionKey, b.EncryptionKey) || Crypto.Sensitive.FixedTimeEquals(a.SigningKey, b.SigningKey);
    }
}
