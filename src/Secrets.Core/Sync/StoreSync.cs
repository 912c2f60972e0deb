using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Platform;
using Secrets.Core.Store;

namespace Secrets.Core.Sync
{
    /// <summary>How to sync a store.</summary>
    public sealed class SyncOptions
    {
        /// <summary>The remote to sync with (default: the branch's upstream remote, else 'origin', else the only remote).</summary>
        public string? Remote { get; set; }

        /// <summary>Merge what the others pushed and commit this user's changes, but do not push.</summary>
        public bool NoPush { get; set; }

        /// <summary>How many times to start again when someone else pushed first.</summary>
        public int MaxAttempts { get; set; } = 5;

        /// <summary>Called with each step (progress bar).</summary>
        public Action<string>? Progress { get; set; }

        /// <summary>Called with each git command run (verbose output).</summary>
        public Action<string>? Trace { get; set; }
    }

    /// <summary>What a sync did.</summary>
    public sealed class SyncResult
    {
        internal SyncResult(string store, string remote, string branch)
        {
            Store = store;
            Remote = remote;
            Branch = branch;
        }

        /// <summary>The store folder.</summary>
        public string Store { get; }

        public string Remote { get; }

        /// <summary>The remote branch synced with.</summary>
        public string Branch { get; }

        /// <summary>How many commits of the others' were merged.</summary>
        public int Received { get; internal set; }

        /// <summary>This user's changes that were waiting, and what became of each.</summary>
        public IReadOnlyList<SyncChangeResult> Changes { get; internal set; } = Array.Empty<SyncChangeResult>();

        /// <summary>The changes that the merged store does not allow, with the reason.</summary>
        public IReadOnlyList<SyncChangeResult> NotApplied => Changes.Where(c => !c.Applied).ToList();

        /// <summary>The commit the branch is at after the sync.</summary>
        public string? Commit { get; internal set; }

        /// <summary>Whether this user's commits were pushed (false with nothing to push, or -NoPush).</summary>
        public bool Pushed { get; internal set; }

        /// <summary>How many times the sync started again because someone pushed first.</summary>
        public int Retries { get; internal set; }

        public override string ToString() => $"Sync of {Store} with {Remote}/{Branch}: {Received} received, {Changes.Count(c => c.Applied)} sent, {NotApplied.Count} not applied";
    }

    /// <summary>
    /// Syncs a store kept in a git working tree with the repository the others push to (docs/FORMAT.md,
    /// "Syncing through git"): commits this user's changes, fetches, verifies what was fetched before
    /// anything of it reaches the store, then either fast-forwards or writes this user's changes again
    /// on top of the others' (<see cref="Rebase"/>), commits and pushes, and starts again when someone
    /// pushed first. Nothing is lost on failure: until the push, this user's original changes stay in a
    /// commit that the next sync takes up again.
    /// </summary>
    public static class StoreSync
    {
        internal const string PendingRef = "refs/secrets/sync-pending";
        internal const string OntoRef = "refs/secrets/sync-onto";

        public static SyncResult Sync(string storePath, Func<UnlockedIdentity> identity, SyncOptions? options = null, string? stateRoot = null)
        {
            options ??= new SyncOptions();
            stateRoot ??= SecretsPaths.StateDirectory;
            storePath = StoreContext.FullPath(storePath);
            var repo = SyncRepository.Find(storePath, options);

            // The store's id names this user's sync folder. The manifest is verified when the store
            // is opened, after an interrupted sync is taken up (until then, the working tree may
            // hold less than this user has seen).
            var id = StoreIdOf(storePath);
            var pathHash = BitConverter.ToString(Sha256.Hash(System.Text.Encoding.UTF8.GetBytes(LocalState.CanonicalPath(storePath)))).Replace("-", string.Empty).Substring(0, 32).ToLowerInvariant();
            var syncFolder = Path.Combine(stateRoot, id, "sync", pathHash);
            FilePermissions.CreateOwnerOnlyDirectory(Path.Combine(stateRoot, id));
            FilePermissions.CreateOwnerOnlyDirectory(Path.Combine(stateRoot, id, "sync"));
            FilePermissions.CreateOwnerOnlyDirectory(syncFolder);

            using (StoreLock.Acquire(syncFolder, TimeSpan.FromMinutes(2)))
            {
                var result = new SyncResult(storePath, repo.Remote, repo.RemoteBranch);

                var session = new SyncSession(repo, storePath, stateRoot, syncFolder, identity, options, result);
                session.Run();
                return result;
            }
        }

        private static string StoreIdOf(string storePath)
        {
            var file = Path.Combine(storePath, StoreManifest.FileName);
            if (!File.Exists(file))
            {
                throw new StoreNotFoundException(storePath);
            }

            try
            {
                return StoreManifest.Parse(AtomicFile.ReadAll(file, StoreManifest.MaxFileBytes, problem => new InvalidFileException("ManifestInvalid", file, problem))).IdHex;
            }
            catch (Format.FormatProblem problem)
            {
                throw problem.ToException("ManifestInvalid", file);
            }
        }
    }
}
