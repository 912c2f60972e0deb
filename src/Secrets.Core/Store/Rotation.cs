using System;
using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Identity;
using Secrets.Core.Names;

namespace Secrets.Core.Store
{
    /// <summary>
    /// Rotations left unfinished: a change of who may read a secret is recorded in the store log
    /// first, then the secret is written again for its new readers. A process stopped between the
    /// two leaves the newest version encrypted to someone who may no longer read it (or not to a
    /// new reader). The store notices it, shows it, and finishes it at the next change of access,
    /// in Repair-SecretStore, and with any new version.
    /// </summary>
    internal sealed class Rotation
    {
        private readonly StoreContext _store;
        private readonly VersionReader _reader;
        private readonly VersionWriter _writer;

        public Rotation(StoreContext store, VersionReader reader, VersionWriter writer)
        {
            _store = store;
            _reader = reader;
            _writer = writer;
        }

        /// <summary>Who the newest version of a secret is encrypted to, compared with who may read it now.</summary>
        public RotationStatus GetStatus(string name) => StatusOf(SecretName.Parse(name));

        /// <summary>The status of the newest version readers accept, else of the newest valid one.</summary>
        public RotationStatus StatusOf(SecretName name) => Of(name, ReadHeaderTolerant(name).Header);

        /// <summary>
        /// Writes the secret again for the readers the store log names now, when its newest version
        /// is encrypted to anyone else (or misses a reader). Needs manage access and a readable
        /// newest version. Returns the new version, or null when there was nothing to finish.
        /// </summary>
        public SecretRecord? Finish(string name, UnlockedIdentity actor)
        {
            if (actor == null)
            {
                throw new ArgumentNullException(nameof(actor));
            }

            var secretName = SecretName.Parse(name);
            return _store.Locked(() =>
            {
                var status = StatusOf(secretName);
                if (!status.IsPending)
                {
                    return null;
                }

                _store.Policy.RequireAccess(actor, secretName, AccessLevel.Manage, "finish re-encrypting");
                _writer.Reseal(secretName, actor);
                return _writer.GetInfoTolerant(secretName);
            });
        }

        public RotationStatus Of(SecretName name, SecretFileHeader? newest)
        {
            if (newest == null || newest.IsTombstone || _store.Log.Head == 0)
            {
                return new RotationStatus(name.Value, Array.Empty<StoreMember>(), Array.Empty<StoreMember>());
            }

            var allowed = _store.Policy.RecipientsOf(name);
            var extra = newest.Recipients
                .Where(r => !allowed.Any(a => Sensitive.FixedTimeEquals(a.EncryptionKey, r.Recipient)))
                .Select(r => _store.Policy.MemberByEncryptionKey(r.Recipient))
                .Where(m => m != null)
                .Select(m => m!)
                .ToList();
            var missing = allowed
                .Where(a => !newest.Recipients.Any(r => Sensitive.FixedTimeEquals(a.EncryptionKey, r.Recipient)))
                .Select(a => _store.Policy.MemberByEncryptionKey(a.EncryptionKey)!)
                .ToList();
            return new RotationStatus(newest.Name, extra, missing);
        }

        /// <summary>The newest version readers accept, else the newest valid one (a rotation is judged on what readers see).</summary>
        public (SecretFileHeader? Header, string? File, IReadOnlyList<int> Versions) ReadHeaderTolerant(SecretName name)
        {
            try
            {
                var (header, file, versions) = _reader.ReadHeader(name, null);
                return (header, file, versions);
            }
            catch (SecretsException e) when (e is InvalidFileException || e.ErrorId == "UnauthorizedWriter")
            {
                var versions = VersionReader.ListVersions(_store.FolderOf(name));
                var valid = _reader.NewestValid(versions, name);
                return (valid, valid == null ? null : _store.FileOf(name, valid.Version), versions.Select(v => v.Version).ToList());
            }
        }
    }

    /// <summary>How the newest version of a secret compares with who may read it now.</summary>
    public sealed class RotationStatus
    {
        internal RotationStatus(string secret, IReadOnlyList<StoreMember> noLongerAllowed, IReadOnlyList<StoreMember> notYetRecipients)
        {
            Secret = secret;
            NoLongerAllowed = noLongerAllowed;
            NotYetRecipients = notYetRecipients;
        }

        public string Secret { get; }

        /// <summary>People the newest version is encrypted to who may no longer read the secret.</summary>
        public IReadOnlyList<StoreMember> NoLongerAllowed { get; }

        /// <summary>People who may read the secret and are not recipients of its newest version yet.</summary>
        public IReadOnlyList<StoreMember> NotYetRecipients { get; }

        /// <summary>Whether the secret needs to be written again for its readers.</summary>
        public bool IsPending => NoLongerAllowed.Count > 0 || NotYetRecipients.Count > 0;

        public override string ToString() =>
            IsPending
                ? $"{Secret}: still encrypted to {Names(NoLongerAllowed)}; not yet to {Names(NotYetRecipients)}"
                : $"{Secret}: encrypted to its readers";

        private static string Names(IReadOnlyList<StoreMember> members) => members.Count == 0 ? "nobody" : string.Join(", ", members.Select(m => m.Name));
    }
}
