using System;
using System.Collections.Generic;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Secrets.Core.Values;

namespace Secrets.Core.Sync
{
    /// <summary>What kind of change this user made to a store and had not yet shared.</summary>
    public enum SyncChangeKind
    {
        /// <summary>A new value (a new secret, or a new version of one).</summary>
        Write,

        /// <summary>New metadata with the same value.</summary>
        Metadata,

        /// <summary>A secret removed.</summary>
        Remove,

        /// <summary>A member's access to a secret granted, changed or revoked.</summary>
        Access,

        /// <summary>A member added.</summary>
        AddMember,

        /// <summary>A member removed.</summary>
        RemoveMember,

        /// <summary>A member's role changed.</summary>
        SetRole,

        /// <summary>The store's keep-versions setting changed (owner).</summary>
        KeepVersions,
    }

    /// <summary>
    /// One change of this user's that sync replays on top of what the others shared first (the
    /// "re-base"). It holds what the change did, not the files it wrote: those are written again
    /// against the merged state.
    /// </summary>
    internal sealed class SyncChange : IDisposable
    {
        public SyncChangeKind Kind { get; set; }

        /// <summary>The secret's name as written (secret changes).</summary>
        public string? Secret { get; set; }

        /// <summary>The value written (<see cref="SyncChangeKind.Write"/>), held only for the sync.</summary>
        public SecretValue? Value { get; set; }

        /// <summary>Metadata keys set by the change (with their values) and removed by it (null value).</summary>
        public Dictionary<string, object?> MetadataChanges { get; } = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The whole metadata of the version written (secret changes).</summary>
        public SecretMetadata Metadata { get; set; } = SecretMetadata.Empty;

        /// <summary>The member the change is about (member and access changes).</summary>
        public Recipient? Member { get; set; }

        public string? MemberName { get; set; }

        public MemberRole Role { get; set; }

        /// <summary>Access before and after the change (<see cref="SyncChangeKind.Access"/>).</summary>
        public AccessLevel From { get; set; }

        public AccessLevel To { get; set; }

        /// <summary>The member's access to the secret in the state both sides started from.</summary>
        public AccessLevel AtBase { get; set; }

        public int KeepVersions { get; set; }

        /// <summary>The order the change was made in: the log entry it was made under, then the time.</summary>
        public int LogSeq { get; set; }

        public int Order { get; set; }

        public DateTime Created { get; set; }

        /// <summary>What the change was, in words (no value).</summary>
        public string Description => Kind switch
        {
            SyncChangeKind.Write => $"set '{Secret}'",
            SyncChangeKind.Metadata => $"changed the metadata of '{Secret}'",
            SyncChangeKind.Remove => $"removed '{Secret}'",
            SyncChangeKind.Access => To == AccessLevel.None
                ? $"revoked {MemberName}'s access to '{Secret}'"
                : $"granted {MemberName} {To.ToString().ToLowerInvariant()} access to '{Secret}'",
            SyncChangeKind.AddMember => $"added {MemberName} as {Role.ToString().ToLowerInvariant()}",
            SyncChangeKind.RemoveMember => $"removed member {MemberName}",
            SyncChangeKind.SetRole => $"made {MemberName} {Role.ToString().ToLowerInvariant()}",
            SyncChangeKind.KeepVersions => $"set keep-versions to {KeepVersions}",
            _ => Kind.ToString(),
        };

        public void Dispose() => Value?.Dispose();

        public override string ToString() => Description;
    }

    /// <summary>What became of one of this user's changes in a sync.</summary>
    public sealed class SyncChangeResult
    {
        internal SyncChangeResult(SyncChangeKind kind, string change, string? secret, bool applied, string? reason)
        {
            Kind = kind;
            Change = change;
            Secret = secret;
            Applied = applied;
            Reason = reason;
        }

        public SyncChangeKind Kind { get; }

        /// <summary>The change, in words.</summary>
        public string Change { get; }

        /// <summary>The secret it is about, when it is about one.</summary>
        public string? Secret { get; }

        /// <summary>Whether it is in the shared store now.</summary>
        public bool Applied { get; }

        /// <summary>Why it was not applied (or, when applied, what was noteworthy).</summary>
        public string? Reason { get; }

        public override string ToString() => Applied ? Change : $"{Change}: not applied ({Reason})";
    }
}
