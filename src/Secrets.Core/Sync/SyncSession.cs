using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Identity;
using Secrets.Core.Store;

namespace Secrets.Core.Sync
{
    /// <summary>One run of <see cref="StoreSync.Sync"/>: the steps, in git, and the re-base of this user's changes.</summary>
    internal sealed class SyncSession
    {
        private readonly SyncRepository _repo;
        private readonly Git _git;
        private readonly string _storePath;
        private readonly string _stateRoot;
        private readonly Func<UnlockedIdentity> _identity;
        private readonly SyncOptions _options;
        private readonly SyncResult _result;
        private readonly IncomingCheck _check;
        private readonly string _prefix;
        private UnlockedIdentity? _me;

        public SyncSession(SyncRepository repo, string storePath, string stateRoot, string syncFolder, Func<UnlockedIdentity> identity, SyncOptions options, SyncResult result)
        {
            _repo = repo;
            _git = repo.Git;
            _storePath = storePath;
            _stateRoot = stateRoot;
            _identity = identity;
            _options = options;
            _result = result;
            _check = new IncomingCheck(_git, repo.StoreInRepo, syncFolder);
            _prefix = repo.StoreInRepo.Length == 0 ? string.Empty : repo.StoreInRepo + "/";
        }

        /// <summary>Called at each step between moving the branch and committing; a test throws from it to simulate a crash.</summary>
        internal static Action<string>? Fault { get; set; }

        private UnlockedIdentity Me => _me ??= _identity();

        private string StorePathSpec => Git.PathSpec(_repo.StoreInRepo);

        public void Run()
        {
            Recover();
            for (int attempt = 1; ; attempt++)
            {
                Progress("Committing the changes made here");
                CommitLocal();
                Progress($"Fetching from {_repo.Remote}");
                var upstream = Fetch();
                var head = _git.Resolve("HEAD");
                _result.Commit = head;
                if (upstream == null)
                {
                    // The remote has no such branch yet: this store starts it.
                    if (head != null && !_options.NoPush)
                    {
                        Push(head);
                    }

                    return;
                }

                if (head == null)
                {
                    _git.Run("reset", "-q", "--keep", upstream);
                    _result.Commit = upstream;
                    return;
                }

                var start = _git.MergeBase(head, upstream) ?? throw new SecretsException("SyncUnrelatedHistories", FailureKind.InvalidOperation,
                    $"The branch '{_repo.Branch}' and {_repo.Remote}/{_repo.RemoteBranch} have no commit in common: they are different repositories' histories.")
                {
                    RecommendedAction = "Clone the shared repository and use the store in that clone.",
                };

                if (start != upstream)
                {
                    RequireOnlyStoreChanges(start, head);
                    Progress("Verifying what was fetched");
                    _check.Verify(start, upstream, SecretStore.Open(_storePath, _stateRoot).Manifest, _options.Progress);
                    _result.Received += int.Parse(_git.Run("rev-list", "--count", start + ".." + upstream).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                    if (start == head)
                    {
                        Progress("Merging");
                        _git.Run("merge", "-q", "--ff-only", upstream);
                        Forget();
                        _result.Commit = upstream;
                        return;
                    }

                    Progress("Writing the changes made here again on top of the others'");
                    head = RebaseOnto(start, head, upstream);
                    _result.Commit = head;
                }

                if (head == upstream || _options.NoPush)
                {
                    return;
                }

                Progress($"Pushing to {_repo.Remote}");
                if (Push(head))
                {
                    return;
                }

                if (attempt >= _options.MaxAttempts)
                {
                    throw new SecretsException("SyncBusy", FailureKind.Busy,
                        $"Others pushed to {_repo.Remote}/{_repo.RemoteBranch} each time this sync tried ({attempt} times). The changes made here are committed locally and were merged with everything fetched so far.")
                    {
                        RecommendedAction = "Sync again in a moment.",
                    };
                }

                _result.Retries++;
            }
        }

        /// <summary>Takes up a sync that stopped between moving the branch and committing its result.</summary>
        private void Recover()
        {
            var pending = _git.Resolve(StoreSync.PendingRef);
            var onto = _git.Resolve(StoreSync.OntoRef);
            if (pending == null || onto == null)
            {
                DropRefs();
                return;
            }

            if (_git.Resolve("HEAD") == onto)
            {
                Progress("Taking up the sync that was interrupted");
                _git.Run("add", "-A", "--", StorePathSpec);
                var touched = Folders(_git.Run("diff", "--cached", "--name-only", "-z", onto, "--", StorePathSpec));
                _git.Run("reset", "-q", "--", StorePathSpec);
                _git.Run("checkout", "-q", "--", StorePathSpec);
                _git.Run("clean", "-fdq", "--", StorePathSpec);
                _git.Run("reset", "-q", "--keep", pending);
                AlignSeenState(pending, touched);
                Forget();
            }

            DropRefs();
        }

        private void CommitLocal()
        {
            _git.Run("add", "-A", "--", StorePathSpec);
            bool hasHead = _git.Resolve("HEAD") != null;
            var staged = hasHead
                ? _git.Run("diff", "--cached", "--name-status", "--no-renames", "-z", "HEAD", "--", StorePathSpec)
                : _git.Run("diff", "--cached", "--name-status", "--no-renames", "-z", "--", StorePathSpec);
            var fields = Git.SplitZ(staged);
            if (fields.Count == 0)
            {
                return;
            }

            var described = new List<string>();
            for (int i = 0; i + 1 < fields.Count; i += 2)
            {
                if (fields[i] == "A")
                {
                    var text = Describe(fields[i + 1]);
                    if (text != null)
                    {
                        described.Add(text);
                    }
                }
            }

            Commit(described.Count == 0 ? new List<string> { "store files changed" } : described, onlyStore: true);
        }

        private string? Fetch()
        {
            var result = _git.TryRun("fetch", "-q", _repo.Remote, $"+refs/heads/{_repo.RemoteBranch}:{_repo.Tracking}");
            if (result.ExitCode != 0)
            {
                if (result.Error.IndexOf("couldn't find remote ref", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return null;
                }

                throw new GitException(new[] { "fetch", _repo.Remote }, result.ExitCode, result.Error.Trim());
            }

            return _git.Resolve(_repo.Tracking);
        }

        /// <summary>Pushes; false when someone else pushed first (fetch and merge again).</summary>
        private bool Push(string head)
        {
            var arguments = new List<string> { "push", "-q" };
            if (_git.TryRun("config", "--get", $"branch.{_repo.Branch}.remote").ExitCode != 0)
            {
                arguments.Add("--set-upstream");
            }

            arguments.Add(_repo.Remote);
            arguments.Add($"HEAD:refs/heads/{_repo.RemoteBranch}");
            var result = _git.TryRun(arguments);
            if (result.ExitCode == 0)
            {
                _result.Pushed = true;
                _result.Commit = head;
                return true;
            }

            var said = result.Error;
            if (said.Contains("[rejected]") || said.Contains("non-fast-forward") || said.Contains("fetch first")
                || said.Contains("failed to update ref") || said.Contains("cannot lock ref") || said.Contains("[remote rejected]") && said.Contains("lock"))
            {
                return false;
            }

            throw new GitException(arguments, result.ExitCode, said.Trim());
        }

        private void RequireOnlyStoreChanges(string start, string head)
        {
            if (_prefix.Length == 0)
            {
                return;
            }

            var outside = Git.SplitZ(_git.Run("diff", "--name-only", "-z", start, head)).Where(p => !p.StartsWith(_prefix, StringComparison.Ordinal)).ToList();
            if (outside.Count > 0)
            {
                throw new SecretsException("SyncOtherChanges", FailureKind.InvalidOperation,
                    $"The branch '{_repo.Branch}' has commits that are not pushed yet and change files outside the store ({string.Join(", ", outside.Take(5))}{(outside.Count > 5 ? ", …" : string.Empty)}); a sync moves only the store.")
                {
                    RecommendedAction = "Push or rebase those commits first ('git pull --rebase', then 'git push'), then sync again.",
                };
            }
        }

        /// <summary>
        /// Moves the branch to the fetched commit and makes this user's changes (start..head) again on
        /// top of it; returns the new commit (the fetched one when nothing of this user's applied).
        /// </summary>
        private string RebaseOnto(string start, string head, string upstream)
        {
            var baseNewest = new Dictionary<string, int>(StringComparer.Ordinal);
            bool manifestChanged = false;
            foreach (var (_, path) in _git.Diff(start, head, _repo.StoreInRepo))
            {
                var parts = path.Substring(_prefix.Length).Split('/');
                if (parts.Length == 3 && parts[0] == SecretStore.SecretsFolder && !baseNewest.ContainsKey(parts[1]))
                {
                    baseNewest[parts[1]] = Newest(start, parts[1]);
                }

                manifestChanged |= parts.Length == 1 && parts[0] == StoreManifest.FileName;
            }

            int baseLogHead = LogHead(start);
            var local = SecretStore.Open(_storePath, _stateRoot);
            var baseManifest = manifestChanged ? ManifestAt(start) : local.Manifest;
            int baseKeep = baseManifest.KeepVersions;
            if (local.Manifest.HandOvers.Count != baseManifest.HandOvers.Count)
            {
                // A hand-over is signed for one revision of the manifest: it cannot be made again on top of others' changes.
                throw new SecretsException("SyncHandOverConflict", FailureKind.InvalidOperation,
                    $"You handed the store at '{_storePath}' over to '{local.Manifest.OwnerName}', and others changed it meanwhile; a hand-over cannot be merged with their changes.")
                {
                    FilePath = Path.Combine(_storePath, StoreManifest.FileName),
                    RecommendedAction = "Nothing was changed by this sync. Agree with the others that nobody syncs changes until your hand-over is pushed (a sync with no others' changes pushes it), or ask the new owner to resolve it with you; hand a synced store over right after a sync, and sync at once.",
                };
            }

            var changes = PendingChanges.Read(local, baseLogHead, baseNewest, baseKeep, Me);
            try
            {
                _git.Run("update-ref", StoreSync.PendingRef, head);
                _git.Run("update-ref", StoreSync.OntoRef, upstream);
                var moved = _git.TryRun("reset", "-q", "--keep", upstream);
                if (moved.ExitCode != 0)
                {
                    DropRefs();
                    throw new SecretsException("SyncWorkingTreeBusy", FailureKind.InvalidOperation,
                        $"The fetched commits change files that have uncommitted changes here: {moved.Error.Trim()}")
                    {
                        RecommendedAction = "Commit or stash the changes outside the store, then sync again.",
                    };
                }

                Fault?.Invoke("moved");
                AlignSeenState(upstream, baseNewest.Keys);
                Forget();
                var store = SecretStore.Open(_storePath, _stateRoot);
                _result.Changes = new Rebase(store, Me, baseNewest).Apply(changes);
                Forget();
                Fault?.Invoke("rebased");
                _git.Run("add", "-A", "--", StorePathSpec);
                if (_git.TryRun("diff", "--cached", "--quiet", "HEAD", "--", StorePathSpec).ExitCode != 0)
                {
                    var applied = _result.Changes.Where(c => c.Applied).Select(c => c.Change).ToList();
                    Commit(applied.Count == 0 ? new List<string> { "store files changed" } : applied, onlyStore: true);
                }

                DropRefs();
                return _git.Resolve("HEAD")!;
            }
            finally
            {
                foreach (var change in changes)
                {
                    change.Dispose();
                }
            }
        }

        /// <summary>
        /// Sets what this user has seen of the secrets, the log and the manifest to what a commit
        /// holds, where this user's own changes that are written again had taken it higher.
        /// </summary>
        private void AlignSeenState(string commit, IEnumerable<string> folders)
        {
            var manifest = ManifestAt(commit);
            var state = new LocalState(_stateRoot, manifest.IdHex);
            state.ResetSeenLogAndManifestToShared(LogHead(commit), manifest.Revision);
            foreach (var folder in folders)
            {
                int newest = Newest(commit, folder);
                var data = newest == 0 ? null : _git.ReadFile(commit, $"{_prefix}{SecretStore.SecretsFolder}/{folder}/v{newest}.secret");
                state.ResetSeenToShared(folder, data == null ? 0 : newest, data == null ? null : Sha256.Hash(data));
            }
        }

        private StoreManifest ManifestAt(string commit)
        {
            var data = _git.ReadFile(commit, _prefix + StoreManifest.FileName)
                ?? throw new SecretsException("SyncBaseInvalid", FailureKind.InvalidData, $"Commit {commit} has no store manifest at '{_prefix}{StoreManifest.FileName}'.");
            try
            {
                return StoreManifest.Parse(data);
            }
            catch (FormatProblem problem)
            {
                throw problem.ToException("ManifestInvalid", $"{commit}:{_prefix}{StoreManifest.FileName}");
            }
        }

        private int LogHead(string commit) =>
            _git.ListFolder(commit, _prefix + StoreLog.FolderName).Count(n => n.EndsWith("." + StoreLog.Extension, StringComparison.Ordinal));

        private int Newest(string commit, string folder) =>
            _git.ListFolder(commit, $"{_prefix}{SecretStore.SecretsFolder}/{folder}").Select(VersionReader.VersionOf).DefaultIfEmpty(0).Max();

        private HashSet<string> Folders(string namesZ)
        {
            var result = new HashSet<string>(StringComparer.Ordinal);
            foreach (var path in Git.SplitZ(namesZ))
            {
                var parts = path.Substring(Math.Min(_prefix.Length, path.Length)).Split('/');
                if (parts.Length == 3 && parts[0] == SecretStore.SecretsFolder)
                {
                    result.Add(parts[1]);
                }
            }

            return result;
        }

        /// <summary>A file this user added, in words for the commit message (no value: names and actions only).</summary>
        private string? Describe(string path)
        {
            var parts = path.Substring(_prefix.Length).Split('/');
            var full = Path.Combine(_git.WorkTree, path.Replace('/', Path.DirectorySeparatorChar));
            try
            {
                if (parts.Length == 3 && parts[0] == SecretStore.SecretsFolder && VersionReader.VersionOf(parts[2]) > 0)
                {
                    var header = SecretFileFormat.Parse(File.ReadAllBytes(full));
                    return header.IsTombstone ? $"removed '{header.Name}'" : $"wrote '{header.Name}' (version {header.Version})";
                }

                if (parts.Length == 2 && parts[0] == StoreLog.FolderName)
                {
                    var lines = Encoding.UTF8.GetString(File.ReadAllBytes(full)).Split('\n');
                    string Field(string key) => lines.FirstOrDefault(l => l.StartsWith(key + " ", StringComparison.Ordinal))?.Substring(key.Length + 1) ?? string.Empty;
                    var action = Field("action");
                    return action == "set-access" ? $"changed access to '{Field("secret")}'" : $"{action} (store log entry {Field("seq")})";
                }
            }
            catch (Exception e) when (e is IOException || e is FormatProblem || e is UnauthorizedAccessException)
            {
            }

            return null;
        }

        private void Commit(List<string> changes, bool onlyStore)
        {
            var arguments = new List<string>();
            if (_git.TryRun("config", "--get", "user.email").ExitCode != 0)
            {
                // A CI runner often has no git identity: commit as the store's user.
                arguments.AddRange(new[] { "-c", "user.name=" + (_me?.Name ?? "Secrets"), "-c", "user.email=secrets-sync@localhost" });
            }

            arguments.AddRange(new[] { "commit", "-q", "--no-verify", "--cleanup=verbatim", "-F", "-" });
            if (onlyStore)
            {
                arguments.AddRange(new[] { "--", StorePathSpec });
            }

            var result = _git.TryRun(arguments, CommitMessage(changes));
            if (result.ExitCode != 0)
            {
                throw new GitException(arguments, result.ExitCode, result.Error.Trim());
            }
        }

        /// <summary>The subject, then one line per change, at most <see cref="MaxListedChanges"/> (a first sync may add thousands of secrets).</summary>
        internal static string CommitMessage(IReadOnlyList<string> changes)
        {
            var message = new StringBuilder(CommitSubject(changes)).Append("\n\n");
            foreach (var change in changes.Take(MaxListedChanges))
            {
                message.Append("- ").Append(change).Append('\n');
            }

            if (changes.Count > MaxListedChanges)
            {
                message.Append("- and ").Append(changes.Count - MaxListedChanges).Append(" more\n");
            }

            return message.ToString();
        }

        internal const int MaxListedChanges = 100;

        internal static string CommitSubject(IReadOnlyList<string> changes)
        {
            var subject = "Secrets: " + string.Join("; ", changes.Take(3));
            if (changes.Count > 3)
            {
                subject += $"; and {changes.Count - 3} more";
            }

            return subject.Length > 200 ? subject.Substring(0, 197) + "..." : subject;
        }

        private void DropRefs()
        {
            _git.TryRun("update-ref", "-d", StoreSync.PendingRef);
            _git.TryRun("update-ref", "-d", StoreSync.OntoRef);
        }

        private void Forget() => StoreCache.For(_storePath, _stateRoot).Forget();

        private void Progress(string step) => _options.Progress?.Invoke(step);
    }
}
