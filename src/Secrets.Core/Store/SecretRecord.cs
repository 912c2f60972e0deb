using System;
using System.Collections.Generic;
using Secrets.Core.Values;

namespace Secrets.Core.Store
{
    /// <summary>What is known about one version of a secret without decrypting it.</summary>
    public sealed class SecretRecord
    {
        internal SecretRecord(string name, int version, SecretType type, DateTime modified, string modifiedBy, string writerKey,
            SecretMetadata metadata, IReadOnlyList<int> versions, string filePath, string storePath)
        {
            Name = name;
            Version = version;
            Type = type;
            Modified = modified;
            ModifiedBy = modifiedBy;
            WriterKey = writerKey;
            Metadata = metadata;
            Versions = versions;
            FilePath = filePath;
            StorePath = storePath;
        }

        /// <summary>The name as written by this version.</summary>
        public string Name { get; }

        public int Version { get; }

        public SecretType Type { get; }

        /// <summary>When this version was written (UTC).</summary>
        public DateTime Modified { get; }

        /// <summary>Display name of the writer.</summary>
        public string ModifiedBy { get; }

        /// <summary>The writer's Ed25519 public key, base64.</summary>
        public string WriterKey { get; }

        public SecretMetadata Metadata { get; }

        /// <summary>Every version of the secret still kept, ascending.</summary>
        public IReadOnlyList<int> Versions { get; }

        public string FilePath { get; }

        public string StorePath { get; }

        /// <summary>
        /// When this version was written over a newest file that was damaged or not signed by an
        /// allowed writer: that file and why it was invalid (the file is kept, the new version wins).
        /// </summary>
        public string? ReplacedInvalidFile { get; internal set; }

        public string? ReplacedInvalidReason { get; internal set; }

        /// <summary>
        /// After a revocation: why the secret's data key could not be rotated (its newest version
        /// could not be read by the revoker), or null when it was. The revocation itself is recorded
        /// either way; the secret then needs a new value.
        /// </summary>
        public string? NotRotatedReason { get; internal set; }

        public override string ToString() => $"{Name} v{Version} ({Type})";
    }

    /// <summary>One result of a listing: a record, or the error that prevented reading it.</summary>
    public sealed class ListedSecret
    {
        internal ListedSecret(string canonicalName, SecretRecord? record, Errors.SecretsException? error)
        {
            CanonicalName = canonicalName;
            Record = record;
            Error = error;
        }

        public string CanonicalName { get; }

        public SecretRecord? Record { get; }

        public Errors.SecretsException? Error { get; }

        /// <summary>The viewer's access to the secret, when the listing was made for a viewer.</summary>
        public AccessLevel? Access { get; internal set; }
    }

    /// <summary>How a write treats an existing secret.</summary>
    public enum WriteMode
    {
        /// <summary>Fail if the secret exists (New-Secret, Set-Secret -NoClobber).</summary>
        CreateOnly,

        /// <summary>Create or write a new version (Set-Secret).</summary>
        CreateOrUpdate,
    }

    /// <summary>The steps of a write, in order; tests inject failures between them.</summary>
    public enum WriteStep
    {
        LockAcquired,
        TempFileWritten,
        Renamed,
        SeenRecorded,
        Pruned,
    }
}
