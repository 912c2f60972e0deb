using System;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Platform;

namespace Secrets.Core.Store
{
    /// <summary>
    /// What only the owner changes in the signed manifest (docs/FORMAT.md, "Store manifest"): how
    /// many versions writers keep, and who owns the store ("Owner hand-over"). Each change is the
    /// manifest's next revision, written under the lock and recorded as seen.
    /// </summary>
    internal sealed class OwnerChanges
    {
        private readonly StoreContext _store;
        private readonly StoreMembers _members;

        public OwnerChanges(StoreContext store, StoreMembers members)
        {
            _store = store;
            _members = members;
        }

        /// <summary>Changes how many versions of each secret writers keep (owner only).</summary>
        public void SetKeepVersions(int keepVersions, UnlockedIdentity owner)
        {
            if (owner == null)
            {
                throw new ArgumentNullException(nameof(owner));
            }

            StoreManifest.CheckKeepVersions(keepVersions);
            _store.Locked(() =>
            {
                var manifestPath = System.IO.Path.Combine(_store.Path, StoreManifest.FileName);
                var current = _store.Manifest;
                if (!owner.Recipient.Equals(current.Owner))
                {
                    throw new SecretsException("NotStoreOwner", FailureKind.Permission,
                        $"Only the store's owner ({current.OwnerName}, {current.Owner.Fingerprint}) can change its settings.") { FilePath = manifestPath };
                }

                var updated = current.WithKeepVersions(keepVersions);
                AtomicFile.Write(manifestPath, updated.Serialize(owner), overwrite: true, ownerOnly: false);
                _store.State.RecordSeenManifest(updated.Revision);
                _store.Adopt(updated);
            });
        }

        /// <summary>
        /// Hands the store over to <paramref name="newOwner"/> (a member's name, fingerprint or
        /// recipient string), who must be an admin: the manifest's next revision names them as owner
        /// with a hand-over signed by <paramref name="owner"/>, who becomes an admin
        /// (docs/FORMAT.md, "Owner hand-over"). Readers who pinned the former owner accept the new
        /// one through that signature. Nothing is encrypted again: every secret is already
        /// encrypted to both. Returns the new owner.
        /// </summary>
        public StoreMember HandOver(string newOwner, UnlockedIdentity owner)
        {
            if (newOwner == null)
            {
                throw new ArgumentNullException(nameof(newOwner));
            }

            if (owner == null)
            {
                throw new ArgumentNullException(nameof(owner));
            }

            return _store.Locked(() =>
            {
                var manifestPath = System.IO.Path.Combine(_store.Path, StoreManifest.FileName);
                var current = _store.Manifest;
                if (!owner.Recipient.Equals(current.Owner))
                {
                    throw new SecretsException("NotStoreOwner", FailureKind.Permission,
                        $"Only the store's owner ({current.OwnerName}, {current.Owner.Fingerprint}) can hand the store over; your identity is {owner.Name} ({owner.Recipient.Fingerprint}).")
                    {
                        FilePath = manifestPath,
                    };
                }

                var target = _members.Find(newOwner);
                if (target.Role == MemberRole.Owner)
                {
                    throw new InvalidInputException("AlreadyStoreOwner", "Owner", $"'{target.Name}' ({target.Recipient.Fingerprint}) already owns the store at '{_store.Path}'.");
                }

                if (target.Role != MemberRole.Admin)
                {
                    throw new SecretsException("NewOwnerNotAdmin", FailureKind.InvalidOperation,
                        $"'{target.Name}' is a member of the store at '{_store.Path}'; only an admin can become its owner (every secret is already encrypted to admins).")
                    {
                        FilePath = manifestPath,
                        RecommendedAction = $"Make them an admin first: Set-SecretStoreMember -Name '{target.Name}' -Role Admin.",
                    };
                }

                var updated = current.WithHandOver(target.Recipient, target.Name, _store.Log.Head, owner);
                AtomicFile.Write(manifestPath, updated.Serialize(owner), overwrite: true, ownerOnly: false);
                _store.State.RecordSeenManifest(updated.Revision);

                // Read back as every reader does: the pinned owner is replaced through the hand-over.
                _store.Refresh();
                return _store.Log.Members.Owner;
            });
        }
    }
}
