using System;
using System.Linq;
using Secrets.Core.Errors;

namespace Secrets.Core.Sync
{
    /// <summary>The git working tree a store is in, and where it syncs to: the branch, the remote and the remote's branch.</summary>
    internal sealed class SyncRepository
    {
        private SyncRepository(Git git, string storeInRepo, string branch, string remote, string remoteBranch)
        {
            Git = git;
            StoreInRepo = storeInRepo;
            Branch = branch;
            Remote = remote;
            RemoteBranch = remoteBranch;
        }

        /// <summary>Git at the top of the working tree.</summary>
        public Git Git { get; }

        /// <summary>The store's folder relative to the top of the working tree, with '/' ("" when it is the top).</summary>
        public string StoreInRepo { get; }

        public string Branch { get; }

        public string Remote { get; }

        public string RemoteBranch { get; }

        /// <summary>The remote-tracking ref fetching updates.</summary>
        public string Tracking => $"refs/remotes/{Remote}/{RemoteBranch}";

        public static SyncRepository Find(string storePath, SyncOptions options)
        {
            var inStore = new Git(storePath, options.Trace);
            var top = inStore.TryRun("rev-parse", "--show-toplevel");
            if (top.ExitCode != 0)
            {
                throw new SecretsException("StoreNotInGit", FailureKind.InvalidOperation,
                    $"The store at '{storePath}' is not in a git working tree, so there is nothing to sync it with.")
                {
                    RecommendedAction = "Put it in git: 'git init', 'git add .', 'git commit -m store' and 'git remote add origin <url>' in the store's folder; or clone the team's repository and use the store in it.",
                };
            }

            var prefix = inStore.Run("rev-parse", "--show-prefix").Trim().TrimEnd('/');
            var git = new Git(top.Output.Trim(), options.Trace);
            var branchResult = git.TryRun("symbolic-ref", "--short", "-q", "HEAD");
            if (branchResult.ExitCode != 0)
            {
                throw new SecretsException("SyncDetachedHead", FailureKind.InvalidOperation,
                    $"The git working tree at '{git.WorkTree}' is not on a branch (detached HEAD), so there is no branch to sync.")
                {
                    RecommendedAction = "Check out the branch the store is shared on ('git switch main'), then sync again.",
                };
            }

            var branch = branchResult.Output.Trim();
            var remotes = git.Run("remote").Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries).Select(r => r.Trim()).ToList();
            var configured = Config(git, $"branch.{branch}.remote");
            var remote = options.Remote ?? (configured != null && configured != "." ? configured : null)
                ?? (remotes.Contains("origin") ? "origin" : remotes.Count == 1 ? remotes[0] : null);
            if (remote == null || !remotes.Contains(remote))
            {
                throw new SecretsException("SyncNoRemote", FailureKind.InvalidOperation,
                    remote == null
                        ? $"The git repository at '{git.WorkTree}' has {(remotes.Count == 0 ? "no remote" : "several remotes and none is 'origin' or the branch's upstream")} to sync with."
                        : $"The git repository at '{git.WorkTree}' has no remote named '{remote}' (it has: {string.Join(", ", remotes)}).")
                {
                    RecommendedAction = remotes.Count == 0 ? "Add the shared repository: 'git remote add origin <url>'." : "Name the remote with -Remote.",
                };
            }

            var merge = options.Remote == null || options.Remote == configured ? Config(git, $"branch.{branch}.merge") : null;
            var remoteBranch = merge != null && merge.StartsWith("refs/heads/", StringComparison.Ordinal) ? merge.Substring("refs/heads/".Length) : branch;
            return new SyncRepository(git, prefix, branch, remote, remoteBranch);
        }

        private static string? Config(Git git, string key)
        {
            var result = git.TryRun("config", "--get", key);
            var value = result.Output.Trim();
            return result.ExitCode == 0 && value.Length > 0 ? value : null;
        }
    }
}
