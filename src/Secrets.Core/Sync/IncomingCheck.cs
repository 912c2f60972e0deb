using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Names;
using Secrets.Core.Store;

namespace Secrets.Core.Sync
{
    /// <summary>
    /// Checks what was fetched before any of it reaches the working tree's store (docs/FORMAT.md,
    /// "Syncing through git"). Two checks: what the commits did to the store's files, from the
    /// commits alone (no file rewritten, no log entry removed, no newest version taken away), and
    /// what the fetched store holds, read by the store's own reader in a checkout of its own (every
    /// file of every secret the commits changed verified, the log replayed), kept between syncs so
    /// that each sync checks out and verifies only what changed.
    /// </summary>
    internal sealed class IncomingCheck
    {
        private readonly Git _git;
        private readonly string _storeInRepo;
        private readonly string _syncFolder;

        /// <param name="git">Git in the working tree that holds the store.</param>
        /// <param name="storeInRepo">The store's folder relative to the top of the working tree ("" at the top), with '/'.</param>
        /// <param name="syncFolder">This user's folder for the sync of this store (local state).</param>
        public IncomingCheck(Git git, string storeInRepo, string syncFolder)
        {
            _git = git;
            _storeInRepo = storeInRepo;
            _syncFolder = syncFolder;
        }

        /// <summary>The fetched commit verified by the last sync (null before the first).</summary>
        public string? LastVerified
        {
            get
            {
                var file = Path.Combine(_syncFolder, "verified");
                var text = File.Exists(file) ? File.ReadAllText(file).Trim() : null;
                return text != null && _git.Resolve(text) != null ? text : null;
            }
        }

        /// <summary>
        /// Verifies <paramref name="fetched"/> against the commit this user's store started from
        /// (<paramref name="start"/>) and the last fetched commit verified; throws
        /// <see cref="SyncRefusedException"/> naming the commit and the file when it does not verify.
        /// </summary>
        public void Verify(string start, string fetched, StoreManifest local, Action<string>? progress)
        {
            var last = LastVerified;
            var changed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var from in new[] { last, start }.Where(c => c != null && c != fetched).Distinct())
            {
                CheckChanges(from!, fetched, changed);
            }

            progress?.Invoke("Verifying the fetched store");
            var tree = Path.Combine(_syncFolder, "tree");
            bool fresh = PrepareCheckout(tree, fetched);
            var store = Open(Path.Combine(tree, _storeInRepo), fetched, last ?? start);
            if (!Sensitive.FixedTimeEquals(store.Manifest.Id, local.Id) || !(store.Manifest.IsOwnedThrough(local.Owner) || local.IsOwnedThrough(store.Manifest.Owner)))
            {
                throw Refused(fetched, null, Path.Combine(_storeInRepo, StoreManifest.FileName), "it is another store (its id or owner differs from this one's)");
            }

            IEnumerable<string> secrets = fresh ? store.Context.AllSecrets().Select(c => SecretName.Parse(c).Folder) : changed;
            foreach (var folder in secrets.OrderBy(f => f, StringComparer.Ordinal))
            {
                var canonical = SecretName.CanonicalFromFolder(folder);
                if (canonical == null)
                {
                    continue;
                }

                var findings = new List<StoreFinding>();
                store.Checker.CheckSecret(SecretName.Parse(canonical), findings);
                var bad = findings.FirstOrDefault(f => f.Kind == StoreFindingKind.InvalidFile || f.Kind == StoreFindingKind.NotInHistory);
                if (bad != null)
                {
                    throw Refused(fetched, last ?? start, InRepo(tree, bad.File), bad.Message);
                }
            }

            File.WriteAllText(Path.Combine(_syncFolder, "verified"), fetched + "\n");
        }

        /// <summary>What the commits did to the store's files: only what honest writers do.</summary>
        private void CheckChanges(string from, string to, HashSet<string> changedFolders)
        {
            var prefix = _storeInRepo.Length == 0 ? string.Empty : _storeInRepo + "/";
            var newestBefore = new Dictionary<string, int>(StringComparer.Ordinal);
            var newestAfter = new Dictionary<string, int>(StringComparer.Ordinal);
            var added = new List<(string Folder, int Version, string Path)>();
            foreach (var (status, path) in _git.Diff(from, to, _storeInRepo))
            {
                var inStore = path.Substring(prefix.Length);
                var parts = inStore.Split('/');
                if (inStore == StoreManifest.FileName)
                {
                    if (status != 'M')
                    {
                        throw Refused(to, from, path, status == 'D' ? "it deletes the store manifest" : "it changes the kind of the store manifest");
                    }
                }
                else if (parts.Length == 2 && parts[0] == StoreLog.FolderName)
                {
                    if (status != 'A')
                    {
                        throw Refused(to, from, path, status == 'D'
                            ? "it removes a store log entry, which could undo a change of access (entries are never removed)"
                            : "it rewrites a store log entry (entries are never rewritten)");
                    }
                }
                else if (parts.Length == 3 && parts[0] == SecretStore.SecretsFolder && VersionReader.VersionOf(parts[2]) > 0)
                {
                    var folder = parts[1];
                    changedFolders.Add(folder);
                    int version = VersionReader.VersionOf(parts[2]);
                    switch (status)
                    {
                        case 'A':
                            added.Add((folder, version, path));
                            break;
                        case 'D':
                            break;
                        default:
                            throw Refused(to, from, path, "it rewrites a version file (versions are never rewritten: a new value is a new version)");
                    }

                    if (!newestBefore.ContainsKey(folder))
                    {
                        newestBefore[folder] = Newest(from, prefix + SecretStore.SecretsFolder + "/" + folder);
                        newestAfter[folder] = Newest(to, prefix + SecretStore.SecretsFolder + "/" + folder);
                    }
                }
            }

            foreach (var folder in newestBefore.Keys)
            {
                if (newestAfter[folder] < newestBefore[folder])
                {
                    var path = prefix + SecretStore.SecretsFolder + "/" + folder + "/v" + newestBefore[folder] + ".secret";
                    throw Refused(to, from, path, $"it takes away version {newestBefore[folder]}, the newest, so that an older version would be read (rollback)");
                }
            }

            foreach (var (folder, version, path) in added)
            {
                if (version <= newestBefore[folder])
                {
                    throw Refused(to, from, path, $"it adds version {version} below the newest version before it ({newestBefore[folder]}): it is not part of the secret's history");
                }
            }
        }

        private int Newest(string commit, string folder) =>
            _git.ListFolder(commit, folder).Select(VersionReader.VersionOf).DefaultIfEmpty(0).Max();

        /// <summary>Checks out the fetched commit in this sync's own working tree; true when it was made anew.</summary>
        private bool PrepareCheckout(string tree, string commit)
        {
            if (File.Exists(Path.Combine(tree, ".git")) && _git.TryRun("-C", tree, "checkout", "-q", "--detach", "-f", commit).ExitCode == 0)
            {
                return false;
            }

            if (Directory.Exists(tree))
            {
                _git.TryRun("worktree", "remove", "--force", tree);
                if (Directory.Exists(tree))
                {
                    Directory.Delete(tree, recursive: true);
                }
            }

            _git.TryRun("worktree", "prune");
            Platform.FilePermissions.CreateOwnerOnlyDirectory(_syncFolder);
            _git.Run("worktree", "add", "-q", "--detach", "-f", tree, commit);

            // A new checkout has seen nothing: what it checks comes from the last verified state.
            var state = Path.Combine(_syncFolder, "state");
            if (Directory.Exists(state))
            {
                Directory.Delete(state, recursive: true);
            }

            return true;
        }

        private SecretStore Open(string storePath, string fetched, string from)
        {
            try
            {
                return SecretStore.Open(storePath, Path.Combine(_syncFolder, "state"));
            }
            catch (StoreNotFoundException)
            {
                throw Refused(fetched, from, Path.Combine(_storeInRepo, StoreManifest.FileName), "the fetched commit has no store there");
            }
            catch (SecretsException e) when (e.Kind == FailureKind.Security || e.Kind == FailureKind.InvalidData)
            {
                throw Refused(fetched, from, e.FilePath == null ? _storeInRepo : InRepo(Path.Combine(_syncFolder, "tree"), e.FilePath), e.Message);
            }
        }

        private string InRepo(string tree, string? file)
        {
            if (file == null)
            {
                return _storeInRepo;
            }

            var full = Path.GetFullPath(file);
            var root = Path.GetFullPath(tree).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            return full.StartsWith(root, StringComparison.Ordinal) ? full.Substring(root.Length).Replace(Path.DirectorySeparatorChar, '/') : file;
        }

        private SyncRefusedException Refused(string fetched, string? from, string path, string problem)
        {
            // The problem names files in this sync's own checkout: name them as in the repository.
            var tree = Path.GetFullPath(Path.Combine(_syncFolder, "tree")).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            problem = problem.Replace(tree, string.Empty);
            var found = _git.LastCommitTouching(from, fetched, path);
            string commit = fetched, described = $"commit {fetched.Substring(0, Math.Min(12, fetched.Length))}";
            if (found != null)
            {
                var space = found.IndexOf(' ');
                var separator = found.IndexOf('\0');
                commit = found.Substring(0, space);
                described = $"commit {commit.Substring(0, 12)} by {found.Substring(space + 1, separator - space - 1)} (\"{found.Substring(separator + 1)}\")";
            }

            return new SyncRefusedException(commit, described, path, problem);
        }
    }

    /// <summary>A fetched commit that does not verify: nothing of it was merged.</summary>
    public sealed class SyncRefusedException : SecretsException
    {
        internal SyncRefusedException(string commit, string described, string file, string problem)
            : base("SyncRefused", FailureKind.Security,
                $"The fetched changes were not merged: {described} brings '{file}': {problem.TrimEnd('.')}. The store here is as it was.")
        {
            Commit = commit;
            FilePath = file;
            RecommendedAction = "Tell the store's owner: the commit must be reverted in the shared repository (git revert), or the file replaced by an honest writer. Until then, this store keeps working but cannot sync.";
        }

        /// <summary>The commit that brought the file.</summary>
        public string Commit { get; }
    }
}
