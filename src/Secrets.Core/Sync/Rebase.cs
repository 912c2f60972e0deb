using System;
using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Codecs;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Names;
using Secrets.Core.Store;
using Secrets.Core.Values;

namespace Secrets.Core.Sync
{
    /// <summary>
    /// Replays this user's changes, in the order they were made, on a store that holds what the
    /// others shared first: each change is made again through the store's own operations, so it is
    /// checked against the merged state (who may do what now), numbered after the others' entries
    /// and versions, chained to them, encrypted for the merged readers and signed again. The rules
    /// for changes both sides made to the same thing are in docs/FORMAT.md ("Merging concurrent
    /// changes").
    /// </summary>
    internal sealed class Rebase
    {
        private readonly SecretStore _store;
        private readonly UnlockedIdentity _me;
        private readonly IReadOnlyDictionary<string, int> _baseNewest;
        private readonly Dictionary<string, int> _theirNewest = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly int _theirLogHead;

        /// <param name="store">The store holding the others' state (the fetched commit), opened for this user.</param>
        /// <param name="me">Who is syncing, and makes the changes again.</param>
        /// <param name="baseNewest">For each secret folder this user changed, its newest version in the starting commit.</param>
        public Rebase(SecretStore store, UnlockedIdentity me, IReadOnlyDictionary<string, int> baseNewest)
        {
            _store = store;
            _me = me;
            _baseNewest = baseNewest;
            _theirLogHead = store.Context.Log.Head;
            foreach (var folder in baseNewest.Keys)
            {
                var versions = VersionReader.ListVersions(System.IO.Path.Combine(store.Context.SecretsRoot, folder));
                _theirNewest[folder] = versions.Count == 0 ? 0 : versions[versions.Count - 1].Version;
            }
        }

        public List<SyncChangeResult> Apply(IReadOnlyList<SyncChange> changes)
        {
            var results = new List<SyncChangeResult>();
            foreach (var change in changes)
            {
                if (CoveredByMemberRemoval(change, changes))
                {
                    continue;
                }

                string? note;
                bool applied;
                try
                {
                    (applied, note) = ApplyOne(change);
                }
                catch (SecretsException e) when (IsRefusal(e))
                {
                    (applied, note) = (false, e.Message);
                }

                results.Add(new SyncChangeResult(change.Kind, change.Description, change.Secret, applied, note));
            }

            return results;
        }

        private (bool Applied, string? Note) ApplyOne(SyncChange change)
        {
            switch (change.Kind)
            {
                case SyncChangeKind.Write:
                    return Write(change);
                case SyncChangeKind.Metadata:
                    return SetMetadata(change);
                case SyncChangeKind.Remove:
                    return Remove(change);
                case SyncChangeKind.Access:
                    return ChangeAccess(change);
                case SyncChangeKind.AddMember:
                    return AddMember(change);
                case SyncChangeKind.RemoveMember:
                    return RemoveMember(change);
                case SyncChangeKind.SetRole:
                    return SetRole(change);
                case SyncChangeKind.KeepVersions:
                    if (_store.Manifest.KeepVersions != change.KeepVersions)
                    {
                        _store.SetKeepVersions(change.KeepVersions, _me);
                    }

                    return (true, null);
                default:
                    throw new ArgumentOutOfRangeException(nameof(change));
            }
        }

        private (bool, string?) Write(SyncChange change)
        {
            var name = SecretName.Parse(change.Secret!);
            var current = Newest(name);
            SecretMetadata metadata;
            string? note = null;
            if (current != null && !current.Value.IsTombstone)
            {
                metadata = current.Value.Metadata.Clone();
                foreach (var pair in change.MetadataChanges)
                {
                    if (pair.Value == null)
                    {
                        metadata.Remove(pair.Key);
                    }
                    else
                    {
                        metadata.Set(pair.Key, pair.Value);
                    }
                }

                if (TheyChanged(name))
                {
                    note = $"'{name}' was also written by {current.Value.Writer} (version {current.Value.Version}); both values are kept as versions, this one newest";
                }
            }
            else
            {
                metadata = change.Metadata.Clone();
                if (current != null && TheyChanged(name))
                {
                    note = $"'{name}' had been removed by {current.Value.Writer}; this value brings it back";
                }
            }

            try
            {
                _store.Write(name.Value, change.Value!, metadata, _me, WriteMode.CreateOrUpdate);
            }
            catch (SecretsException e) when (IsRefusal(e) && current != null && current.Value.IsTombstone && TheyChanged(name))
            {
                return (false, $"'{name}' was removed by {current.Value.Writer} meanwhile, and writing it again would create it: {e.Message}");
            }

            return (true, note);
        }

        private (bool, string?) SetMetadata(SyncChange change)
        {
            var name = SecretName.Parse(change.Secret!);
            var current = Newest(name);
            if (current == null || current.Value.IsTombstone)
            {
                return (false, $"'{name}' was removed{(current == null ? string.Empty : " by " + current.Value.Writer)} meanwhile");
            }

            var metadata = current.Value.Metadata.Clone();
            foreach (var pair in change.MetadataChanges)
            {
                if (pair.Value == null)
                {
                    metadata.Remove(pair.Key);
                }
                else
                {
                    metadata.Set(pair.Key, pair.Value);
                }
            }

            _store.SetMetadata(name.Value, metadata, _me);
            return (true, null);
        }

        private (bool, string?) Remove(SyncChange change)
        {
            var name = SecretName.Parse(change.Secret!);
            var current = Newest(name);
            if (current == null || current.Value.IsTombstone)
            {
                return (true, current == null ? "it was not in the store any more" : $"'{name}' was removed by {current.Value.Writer} as well");
            }

            if (TheyChanged(name))
            {
                return (false, $"'{name}' was changed by {current.Value.Writer} (version {current.Value.Version}) meanwhile, and removing it would discard that change: read it, and remove it again if you still mean to");
            }

            _store.Remove(name.Value, _me);
            return (true, null);
        }

        private (bool, string?) ChangeAccess(SyncChange change)
        {
            var name = SecretName.Parse(change.Secret!);
            var key = Base64.Encode(change.Member!.SigningKey);
            var log = _store.Context.Log;
            var member = log.Members.BySigningKey(key);
            if (member == null)
            {
                return (false, $"{change.MemberName} is no longer a member of the store (removed meanwhile)");
            }

            var now = LevelIn(log.Grants(name.Canonical), key);
            var theirs = LevelIn(log.GrantsAt(name.Canonical, _theirLogHead), key);
            var target = change.To;
            if (theirs != change.AtBase)
            {
                // Both sides changed this member's access to this secret: the lower access stands.
                target = (AccessLevel)Math.Min((int)theirs, (int)change.To);
                if (target == now)
                {
                    var by = log.GrantsAt(name.Canonical, _theirLogHead).FirstOrDefault(g => g.SigningKey == key)?.GrantedBy;
                    return (false, $"{change.MemberName}'s access to '{name}' was changed to {Describe(theirs)} meanwhile{(by == null ? string.Empty : " by " + WhoIs(by))}; when both sides change the same access, the lower one stands");
                }
            }

            if (target == now)
            {
                return (true, null);
            }

            var record = target == AccessLevel.None
                ? _store.Revoke(name.Value, change.Member.Text, _me)
                : _store.Grant(name.Value, change.Member.Text, target, _me);
            string? note = target != change.To ? $"{Describe(target)} rather than {Describe(change.To)}: {change.MemberName}'s access was changed meanwhile, and the lower one stands" : null;
            if (record.NotRotatedReason != null)
            {
                note = (note == null ? string.Empty : note + "; ") + record.NotRotatedReason;
            }

            return (true, note);
        }

        private (bool, string?) AddMember(SyncChange change)
        {
            var existing = _store.Context.Log.Members.Everyone.FirstOrDefault(m => SameKeys(m.Recipient, change.Member!));
            if (existing != null)
            {
                return existing.Recipient.Equals(change.Member) && existing.Role == change.Role
                    ? (true, $"{existing.Name} was added by someone else as well")
                    : (false, $"the same key is already in the store as {existing.Name} ({existing.Role.ToString().ToLowerInvariant()})");
            }

            _store.AddMember(change.Member!, change.MemberName!, change.Role, _me);
            return (true, null);
        }

        private (bool, string?) RemoveMember(SyncChange change)
        {
            var member = _store.Context.Log.Members.BySigningKey(Base64.Encode(change.Member!.SigningKey));
            if (member == null)
            {
                return (true, $"{change.MemberName} was removed by someone else as well");
            }

            _store.RemoveMember(change.Member.Text, _me);
            return (true, null);
        }

        private (bool, string?) SetRole(SyncChange change)
        {
            var member = _store.Context.Log.Members.BySigningKey(Base64.Encode(change.Member!.SigningKey));
            if (member == null)
            {
                return (false, $"{change.MemberName} is no longer a member of the store (removed meanwhile)");
            }

            if (member.Role != change.Role)
            {
                _store.SetMemberRole(change.Member.Text, change.Role, _me);
            }

            return (true, null);
        }

        /// <summary>
        /// Removing a member first takes away their access to each secret, then removes them: the
        /// removal, replayed, does both, so those revocations are not replayed on their own.
        /// </summary>
        private static bool CoveredByMemberRemoval(SyncChange change, IReadOnlyList<SyncChange> changes) =>
            change.Kind == SyncChangeKind.Access && change.To == AccessLevel.None
            && changes.Any(c => c.Kind == SyncChangeKind.RemoveMember && c.LogSeq > change.LogSeq && c.Member!.Equals(change.Member));

        /// <summary>Whether the others added versions of the secret since the starting commit.</summary>
        private bool TheyChanged(SecretName name) =>
            _theirNewest.TryGetValue(name.Folder, out int theirs) && theirs > (_baseNewest.TryGetValue(name.Folder, out int atBase) ? atBase : 0);

        private (bool IsTombstone, SecretMetadata Metadata, string Writer, int Version)? Newest(SecretName name)
        {
            try
            {
                var (header, _, _, _) = _store.Reader.Read(name, null);
                return (header.IsTombstone, header.Metadata, _store.Context.Policy.WriterName(Store.VersionSummary.Of(header)), header.Version);
            }
            catch (SecretNotFoundException)
            {
                return null;
            }
        }

        private string WhoIs(string signingKey) =>
            _store.Context.Log.Members.Everyone.FirstOrDefault(m => Base64.Encode(m.Recipient.SigningKey) == signingKey)?.Name ?? "a former member";

        private static AccessLevel LevelIn(IReadOnlyList<AccessGrant> grants, string key) =>
            grants.FirstOrDefault(g => g.SigningKey == key)?.Level ?? AccessLevel.None;

        private static string Describe(AccessLevel level) => level == AccessLevel.None ? "no access" : level.ToString().ToLowerInvariant();

        private static bool SameKeys(Recipient a, Recipient b) =>
            Crypto.Sensitive.FixedTimeEquals(a.EncryptionKey, b.EncryptionKey) || Crypto.Sensitive.FixedTimeEquals(a.SigningKey, b.SigningKey);

        /// <summary>Failures that mean "this change is not allowed now", reported rather than stopping the sync.</summary>
        private static bool IsRefusal(SecretsException e) =>
            e.Kind == FailureKind.Permission || e.Kind == FailureKind.NotFound || e.Kind == FailureKind.InvalidOperation
            || e.Kind == FailureKind.AlreadyExists || e.Kind == FailureKind.InvalidArgument;
    }
}
