using System;
using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Identity;
using Secrets.Core.Names;
using Secrets.Core.Values;

namespace Secrets.Core.Store
{
    /// <summary>
    /// A secret's versions: writing, changing the metadata of and removing a secret through the
    /// version writer, each after the access policy allowed it, and reading versions and history
    /// through the version reader.
    /// </summary>
    public sealed partial class SecretStore
    {
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
    }
}
