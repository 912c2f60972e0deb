using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Secrets.Core.Codecs;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Identity;
using Secrets.Core.Names;
using Secrets.Core.Platform;
using Secrets.Core.Values;

namespace Secrets.Core.Store
{
    /// <summary>
    /// An encrypted secret store: a folder with a signed manifest and one folder per secret, one
    /// file per version (docs/FORMAT.md). Every operation touches only the secret it is about. This
    /// class is the store's API; the work is done by its parts (docs/ARCHITECTURE.md): the access
    /// policy, the version reader and writer, the changes of access, the rotation and the check,
    /// over what this user verified of the store (its cache).
    /// </summary>
    public sealed class SecretStore
    {
        public const string SecretsFolder = "secrets";

        private readonly StoreContext _context;
        private readonly VersionReader _reader;
        private readonly VersionWriter _writer;
        private readonly Rotation _rotation;
        private readonly StoreMembers _members;
        private readonly AccessChanges _changes;
        private readonly StoreCheck _check;

        private SecretStore(StoreContext context)
        {
            _context = context;
            _reader = new VersionReader(context);
            _writer = new VersionWriter(context, _reader);
            _rotation = new Rotation(context, _reader, _writer);
            _members = new StoreMembers(context, _rotation);
            _changes = new AccessChanges(context, _writer, _rotation, _members);
            _check = new StoreCheck(context, _reader, _writer, _rotation);
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

        /// <summary>Whether the folder holds a store (has a manifest).</summary>
        public static bool Exists(string path) => File.Exists(System.IO.Path.Combine(System.IO.Path.GetFullPath(path), StoreManifest.FileName));

        /// <summary>Creates a store owned by <paramref name="owner"/> in an empty or missing folder.</summary>
        public static SecretStore Create(string path, UnlockedIdentity owner, int keepVersions = StoreManifest.DefaultKeepVersions, string? stateRoot = null)
        {
            if (owner == null)
            {
                throw new ArgumentNullException(nameof(owner));
            }

            StoreManifest.CheckKeepVersions(keepVersions);
            path = StoreContext.FullPath(path);
            CheckNoFileInTheWay(path);
            if (Exists(path))
            {
                throw new SecretsException("StoreExists", FailureKind.AlreadyExists, $"There is already a store at '{path}'.") { FilePath = path };
            }

            if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
            {
                throw new SecretsException("StoreFolderNotEmpty", FailureKind.InvalidOperation,
                    $"The folder '{path}' is not empty; a store needs an empty or new folder.")
                {
                    FilePath = path,
                    RecommendedAction = "Choose a new folder for the store.",
                };
            }

            Directory.CreateDirectory(System.IO.Path.Combine(path, SecretsFolder));
            File.WriteAllText(System.IO.Path.Combine(path, ".gitattributes"), "# Every file is signed byte for byte: no line-ending conversion.\n* binary\n");
            File.WriteAllText(System.IO.Path.Combine(path, ".gitignore"), ".lock\n*.tmp\n");
            var manifest = new StoreManifest(RandomBytes.Get(16), DateTime.UtcNow, owner.Recipient, owner.Name, keepVersions);
            try
            {
                AtomicFile.Write(System.IO.Path.Combine(path, StoreManifest.FileName), manifest.Serialize(owner), overwrite: false, ownerOnly: false);
            }
            catch (FileExistsException)
            {
                // Created by someone else at the same moment.
                throw new SecretsException("StoreExists", FailureKind.AlreadyExists, $"There is already a store at '{path}'.") { FilePath = path };
            }

            return Open(path, stateRoot);
        }

        /// <summary>Refuses a store path that is a file, or that lies under one (its folder could not be created).</summary>
        private static void CheckNoFileInTheWay(string path)
        {
            for (var current = path; !string.IsNullOrEmpty(current); current = System.IO.Path.GetDirectoryName(current))
            {
                if (Directory.Exists(current))
                {
                    return;
                }

                if (File.Exists(current))
                {
                    throw new InvalidInputException("StorePathIsFile", "Path", current == path
                        ? $"'{path}' is a file; a store is a folder. Give the path of a new or empty folder."
                        : $"'{current}' is a file, so the folder '{path}' cannot be created. Give the path of a new or empty folder.")
                    {
                        FilePath = path,
                    };
                }
            }
        }

        /// <summary>Opens a store: reads and verifies its manifest and store log, and pins its owner and id.</summary>
        public static SecretStore Open(string path, string? stateRoot = null)
        {
            path = StoreContext.FullPath(path);
            stateRoot ??= SecretsPaths.StateDirectory;
            if (!File.Exists(System.IO.Path.Combine(path, StoreManifest.FileName)))
            {
                throw new StoreNotFoundException(path);
            }

            var (manifest, log) = StoreCache.For(path, stateRoot).Load();
            return new SecretStore(new StoreContext(path, stateRoot, manifest, log));
        }

        /// <summary>Writes a new version of a secret. With null metadata, an update keeps the previous version's metadata.</summary>
        public SecretRecord Write(string name, SecretValue value, SecretMetadata? metadata, UnlockedIdentity writer, WriteMode mode)
        {
            if (value == null)
            {
                throw new ArgumentNullException(nameof(value));
            }

            var secretName = SecretName.Parse(name);
            return _writer.WriteVersion(secretName, writer, (version, current, previous) =>
            {
                if (mode == WriteMode.CreateOnly && current != null && !current.IsTombstone)
                {
                    throw new SecretExistsException(current.Name, current.Version);
                }

                _context.Policy.RequireAccess(writer, secretName, current == null ? AccessLevel.Manage : AccessLevel.Write, current == null ? "create" : "write");
                var effective = metadata ?? (current != null && !current.IsTombstone ? current.Metadata : SecretMetadata.Empty);
                return SecretFileFormat.WriteSecret(_context.Manifest.Id, secretName, version, value, effective, DateTime.UtcNow, writer, _context.Policy.RecipientsOf(secretName), _context.Log.Head, previous);
            }, replaceInvalidNewest: true);
        }

        /// <summary>Writes a new version with the same value and new metadata (the writer must be able to read the secret).</summary>
        public SecretRecord SetMetadata(string name, SecretMetadata metadata, UnlockedIdentity writer)
        {
            if (metadata == null)
            {
                throw new ArgumentNullException(nameof(metadata));
            }

            var secretName = SecretName.Parse(name);
            return _writer.WriteVersion(secretName, writer, (version, current, previous) =>
            {
                if (current == null || current.IsTombstone)
                {
                    throw new SecretNotFoundException(name, Path);
                }

                _context.Policy.RequireAccess(writer, secretName, AccessLevel.Write, "change the metadata of");
                using var value = _reader.DecryptFor(current, writer, _context.FileOf(secretName, current.Version));
                var renamed = SecretName.Parse(current.Name);
                return SecretFileFormat.WriteSecret(_context.Manifest.Id, renamed, version, value, metadata, DateTime.UtcNow, writer, _context.Policy.RecipientsOf(secretName), _context.Log.Head, previous);
            });
        }

        /// <summary>Removes a secret: writes a tombstone and deletes every older version.</summary>
        public SecretRecord Remove(string name, UnlockedIdentity writer)
        {
            var secretName = SecretName.Parse(name);
            SecretRecord? removed = null;
            _writer.WriteVersion(secretName, writer, (version, current, previous) =>
            {
                if (current == null || current.IsTombstone)
                {
                    throw new SecretNotFoundException(name, Path);
                }

                _context.Policy.RequireAccess(writer, secretName, AccessLevel.Manage, "remove");
                removed = _reader.ToRecord(current, _context.FileOf(secretName, current.Version), VersionReader.ListVersions(_context.FolderOf(secretName)).Select(v => v.Version).ToList());
                return SecretFileFormat.WriteTombstone(_context.Manifest.Id, SecretName.Parse(current.Name), version, DateTime.UtcNow, writer, _context.Log.Head, previous);
            }, replaceInvalidNewest: true);
            return removed!;
        }

        /// <summary>Reads and decrypts a secret (the newest version unless one is given).</summary>
        public SecretValue Read(string name, UnlockedIdentity reader, int? version = null) => Read(name, reader, version, out _);

        /// <summary>Reads and decrypts a secret and returns what is known about the version read.</summary>
        public SecretValue Read(string name, UnlockedIdentity reader, int? version, out SecretRecord record)
        {
            var secretName = SecretName.Parse(name);
            var (header, file, versions) = _reader.ReadHeader(secretName, version);
            record = _reader.ToRecord(header, file, versions);
            return _reader.DecryptFor(header, reader, file);
        }

        /// <summary>What is known about a secret (the newest version unless one is given), without decrypting.</summary>
        public SecretRecord GetInfo(string name, int? version = null)
        {
            var secretName = SecretName.Parse(name);
            var (header, file, versions) = _reader.ReadHeader(secretName, version);
            return _reader.ToRecord(header, file, versions);
        }

        /// <summary>
        /// Every version of a secret still kept, oldest first; tombstones are left out. The history
        /// is what the newest version names, one file after another; a file it does not reach
        /// (left behind by an interrupted pruning, or planted) is not part of it.
        /// </summary>
        public IReadOnlyList<SecretRecord> GetHistory(string name) => _reader.GetHistory(SecretName.Parse(name));

        /// <summary>
        /// Lists the secrets whose canonical name passes the filter, sorted by name. A secret that
        /// cannot be read is returned with its error instead of stopping the listing.
        /// </summary>
        public IEnumerable<ListedSecret> List(Func<string, bool>? canonicalNameFilter = null) => new StoreListing(_context, _reader).List(canonicalNameFilter);

        /// <summary>
        /// As <see cref="List(Func{string, bool})"/>, for the names that start with
        /// <paramref name="canonicalPrefix"/> (lowercase): only their folders are looked at.
        /// </summary>
        public IEnumerable<ListedSecret> List(string canonicalPrefix, Func<string, bool>? canonicalNameFilter = null) =>
            new StoreListing(_context, _reader).List(canonicalNameFilter, canonicalPrefix ?? string.Empty);

        /// <summary>One secret as a listing shows it (its error rather than an exception), or null when there is none.</summary>
        public ListedSecret? ListOne(string name) => new StoreListing(_context, _reader).One(SecretName.Parse(name));

        /// <summary>
        /// The listing a person sees: each secret with their access to it. In a shared store, only what
        /// they can read (their own, and what others shared with them); with no viewer, everything.
        /// </summary>
        public IEnumerable<ListedSecret> ListFor(Recipient? viewer, Func<string, bool>? canonicalNameFilter = null) => ListFor(viewer, string.Empty, canonicalNameFilter);

        /// <summary>
        /// As <see cref="ListFor(Recipient, Func{string, bool})"/>, for the names that start with
        /// <paramref name="canonicalPrefix"/>; with <paramref name="exact"/>, for that one name only.
        /// Only the folders of those names are looked at.
        /// </summary>
        public IEnumerable<ListedSecret> ListFor(Recipient? viewer, string canonicalPrefix, Func<string, bool>? canonicalNameFilter, bool exact = false)
        {
            var key = viewer == null ? null : Base64.Encode(viewer.SigningKey);
            IEnumerable<ListedSecret> listing;
            if (exact)
            {
                var one = SecretName.TryParse(canonicalPrefix, out var name) ? new StoreListing(_context, _reader).One(name!) : null;
                listing = one == null ? Array.Empty<ListedSecret>() : new[] { one };
            }
            else
            {
                listing = List(canonicalPrefix, canonicalNameFilter);
            }

            foreach (var listed in listing)
            {
                if (key != null)
                {
                    listed.Access = _context.Log.AccessOf(key, listed.CanonicalName);
                    if (IsShared && listed.Access < AccessLevel.Read)
                    {
                        continue;
                    }
                }

                yield return listed;
            }
        }

        /// <summary>Changes how many versions of each secret writers keep (owner only).</summary>
        public void SetKeepVersions(int keepVersions, UnlockedIdentity owner)
        {
            if (owner == null)
            {
                throw new ArgumentNullException(nameof(owner));
            }

            StoreManifest.CheckKeepVersions(keepVersions);
            _context.Locked(() =>
            {
                var manifestPath = System.IO.Path.Combine(Path, StoreManifest.FileName);
                var current = _context.Manifest;
                if (!owner.Recipient.Equals(current.Owner))
                {
                    throw new SecretsException("NotStoreOwner", FailureKind.Permission,
                        $"Only the store's owner ({current.OwnerName}, {current.Owner.Fingerprint}) can change its settings.") { FilePath = manifestPath };
                }

                var updated = current.WithKeepVersions(keepVersions);
                AtomicFile.Write(manifestPath, updated.Serialize(owner), overwrite: true, ownerOnly: false);
                State.RecordSeenManifest(updated.Revision);
                _context.Adopt(updated);
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

            return _context.Locked(() =>
            {
                var manifestPath = System.IO.Path.Combine(Path, StoreManifest.FileName);
                var current = _context.Manifest;
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
                    throw new InvalidInputException("AlreadyStoreOwner", "Owner", $"'{target.Name}' ({target.Recipient.Fingerprint}) already owns the store at '{Path}'.");
                }

                if (target.Role != MemberRole.Admin)
                {
                    throw new SecretsException("NewOwnerNotAdmin", FailureKind.InvalidOperation,
                        $"'{target.Name}' is a member of the store at '{Path}'; only an admin can become its owner (every secret is already encrypted to admins).")
                    {
                        FilePath = manifestPath,
                        RecommendedAction = $"Make them an admin first: Set-SecretStoreMember -Name '{target.Name}' -Role Admin.",
                    };
                }

                var updated = current.WithHandOver(target.Recipient, target.Name, _context.Log.Head, owner);
                AtomicFile.Write(manifestPath, updated.Serialize(owner), overwrite: true, ownerOnly: false);
                State.RecordSeenManifest(updated.Revision);

                // Read back as every reader does: the pinned owner is replaced through the hand-over.
                _context.Refresh();
                return _context.Log.Members.Owner;
            });
        }

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
