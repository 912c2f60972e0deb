using System;
using System.Collections.Generic;
using Secrets.Core.Identity;
using Secrets.Core.Names;

namespace Secrets.Core.Store
{
    /// <summary>
    /// An encrypted secret store: a folder with a signed manifest and one folder per secret, one
    /// file per version (docs/FORMAT.md). Every operation touches only the secret it is about. This
    /// class is the store's API; the work is done by its parts (docs/ARCHITECTURE.md): the access
    /// policy, the version reader and writer, the changes of access, the owner's changes, the rotation
    /// and the check, over what this user verified of the store (its cache). Its members are grouped
    /// by what they do: opening (SecretStore.Opening.cs), versions (SecretStore.Versions.cs),
    /// listings (SecretStore.Listing.cs), and here the members, access and checks.
    /// </summary>
    public sealed partial class SecretStore
    {
        public const string SecretsFolder = "secrets";

        private readonly StoreContext _context;
        private readonly VersionReader _reader;
        private readonly VersionWriter _writer;
        private readonly Rotation _rotation;
        private readonly StoreMembers _members;
        private readonly AccessChanges _changes;
        private readonly StoreCheck _check;
        private readonly OwnerChanges _owner;

        private SecretStore(StoreContext context)
        {
            _context = context;
            _reader = new VersionReader(context);
            _writer = new VersionWriter(context, _reader);
            _rotation = new Rotation(context, _reader, _writer);
            _members = new StoreMembers(context, _rotation);
            _changes = new AccessChanges(context, _writer, _rotation, _members);
            _check = new StoreCheck(context, _reader, _writer, _rotation);
            _owner = new OwnerChanges(context, _members);
        }

        /// <summary>The store folder (full path).</summary>
        public string Path => _context.Path;

        public StoreManifest Manifest => _context.Manifest;

        /// <summary>How long a writer waits for the store lock.</summary>
        public TimeSpan LockTimeout
        {
            get => _context.LockTimeout;
            set => _context.LockTimeout = value;
        }

        /// <summary>Whether the store has members besides its owner (a store log).</summary>
        public bool IsShared => _context.Log.Head > 0;

        /// <summary>Called after each step of a write; a test throws from it to simulate a crash.</summary>
        internal Action<WriteStep>? FaultInjector
        {
            get => _context.FaultInjector;
            set => _context.FaultInjector = value;
        }

        internal LocalState State => _context.State;

        internal StoreContext Context => _context;

        internal VersionReader Reader => _reader;

        internal StoreCheck Checker => _check;

        /// <summary>Changes how many versions of each secret writers keep (owner only).</summary>
        public void SetKeepVersions(int keepVersions, UnlockedIdentity owner) => _owner.SetKeepVersions(keepVersions, owner);

        /// <summary>
        /// Hands the store over to <paramref name="newOwner"/> (a member's name, fingerprint or
        /// recipient string), who must be an admin: the manifest's next revision names them as owner
        /// with a hand-over signed by <paramref name="owner"/>, who becomes an admin
        /// (docs/FORMAT.md, "Owner hand-over"). Readers who pinned the former owner accept the new
        /// one through that signature. Nothing is encrypted again: every secret is already
        /// encrypted to both. Returns the new owner.
        /// </summary>
        public StoreMember HandOver(string newOwner, UnlockedIdentity owner) => _owner.HandOver(newOwner, owner);

        /// <summary>The owner, then the admins and members by name.</summary>
        public IReadOnlyList<StoreMember> GetMembers() => _members.All();

        /// <summary>Finds a member (or the owner) by display name, fingerprint or recipient string; UnknownMember names who is in the store.</summary>
        public StoreMember FindMember(string member) => _members.Find(member);

        /// <summary>The caller's access to a secret (None when not a member).</summary>
        public AccessLevel AccessOf(Recipient who, string name) => _context.Policy.AccessOf(who, SecretName.Parse(name));

        /// <summary>Who has what access to a secret: the owner and admins (implicit), members with grants, and anyone a rotation left behind.</summary>
        public IReadOnlyList<SecretAccessEntry> GetAccess(string name) => _members.AccessTo(SecretName.Parse(name), GetInfo(name));

        /// <summary>Adds a member (owner or admin) or an admin (owner); adding an admin writes every secret again, encrypted to them too.</summary>
        public StoreMember AddMember(Recipient recipient, string name, MemberRole role, UnlockedIdentity actor, Action<string>? progress = null) =>
            _changes.AddMember(recipient, name, role, actor, progress);

        /// <summary>Removes a member and rotates every secret they had access to (every secret for an admin); returns the secrets rotated.</summary>
        public IReadOnlyList<string> RemoveMember(string member, UnlockedIdentity actor, Action<string>? progress = null, Action<string, string>? notRotated = null) =>
            _changes.RemoveMember(member, actor, progress, notRotated);

        /// <summary>Changes a member's role (owner only); promoting or demoting an admin rewrites every secret.</summary>
        public StoreMember SetMemberRole(string member, MemberRole role, UnlockedIdentity actor, Action<string>? progress = null) =>
            _changes.SetMemberRole(member, role, actor, progress);

        /// <summary>Gives a member an access level to a secret (Manage needed), and writes a new version for the new list of readers.</summary>
        public SecretRecord Grant(string name, string member, AccessLevel level, UnlockedIdentity actor) => _changes.Grant(name, member, level, actor);

        /// <summary>Takes a member's access to a secret away and rotates its data key (Manage needed).</summary>
        public SecretRecord Revoke(string name, string member, UnlockedIdentity actor) => _changes.Revoke(name, member, actor);

        /// <summary>Who the newest version of a secret is encrypted to, compared with who may read it now.</summary>
        public RotationStatus GetRotationStatus(string name) => _rotation.GetStatus(name);

        /// <summary>Writes the secret again for the readers the store log names now, when a change of access left it behind; null when there was nothing to finish.</summary>
        public SecretRecord? FinishRotation(string name, UnlockedIdentity actor) => _rotation.Finish(name, actor);

        /// <summary>Checks every secret of the store as readers do; changes nothing.</summary>
        public IReadOnlyList<StoreFinding> Check(Action<string>? progress = null) => _check.Check(progress);

        /// <summary>Checks the store under its lock and repairs what <paramref name="approve"/> accepts (null: everything repairable).</summary>
        public IReadOnlyList<StoreFinding> Repair(UnlockedIdentity? actor, Func<StoreFinding, bool>? approve = null, Action<string>? progress = null) =>
            _check.Repair(actor, approve, progress);

        public override string ToString() => $"SecretStore({Path})";
    }
}
