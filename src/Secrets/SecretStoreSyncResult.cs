using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Sync;

namespace Secrets
{
    /// <summary>What Sync-SecretStore did: what it received, what it sent, and what the merged store did not allow.</summary>
    public sealed class SecretStoreSyncResult
    {
        internal SecretStoreSyncResult(SyncResult result)
        {
            Store = result.Store;
            Remote = result.Remote;
            Branch = result.Branch;
            Received = result.Received;
            Changes = result.Changes.ToArray();
            Sent = result.Changes.Count(c => c.Applied);
            NotApplied = result.NotApplied.ToArray();
            Commit = result.Commit;
            Pushed = result.Pushed;
            Retries = result.Retries;
        }

        /// <summary>The store folder.</summary>
        public string Store { get; }

        /// <summary>The git remote synced with.</summary>
        public string Remote { get; }

        /// <summary>The remote branch synced with.</summary>
        public string Branch { get; }

        /// <summary>How many of the others' commits were merged.</summary>
        public int Received { get; }

        /// <summary>How many of this user's changes were made again on top of the others' and kept.</summary>
        public int Sent { get; }

        /// <summary>This user's changes that had to be made again on top of the others', and what became of each.</summary>
        public IReadOnlyList<SyncChangeResult> Changes { get; }

        /// <summary>The changes that the merged store does not allow, each with the reason.</summary>
        public IReadOnlyList<SyncChangeResult> NotApplied { get; }

        /// <summary>The commit the branch is at after the sync.</summary>
        public string? Commit { get; }

        /// <summary>Whether commits were pushed.</summary>
        public bool Pushed { get; }

        /// <summary>How many times the sync started again because someone else pushed first.</summary>
        public int Retries { get; }

        public override string ToString() => $"{Remote}/{Branch}: {Received} received, {Sent} re-based, {NotApplied.Count} not applied";
    }
}
