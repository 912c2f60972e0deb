using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Secrets.Core.Sync;
using Secrets.Core.Values;

namespace Secrets.Core.Tests.Sync
{
    /// <summary>One person's clone of the team's repository: their own working tree, Secrets state and identity.</summary>
    public sealed class Clone : IDisposable
    {
        public Clone(string name, string root, string remote)
        {
            Identity = UnlockedIdentity.Generate(name);
            Folder = Path.Combine(root, name);
            StateRoot = Path.Combine(root, "state-" + name);
            GitTeam.RunGit(root, "-c", "init.defaultBranch=main", "clone", "-q", remote, Folder);
            Git("config", "user.name", name);
            Git("config", "user.email", name + "@example.com");
        }

        public UnlockedIdentity Identity { get; }

        public string Folder { get; }

        /// <summary>The store inside the working tree (in a subfolder, as in a repository that holds more).</summary>
        public string StorePath => Path.Combine(Folder, "team-store");

        public string StateRoot { get; }

        public string Name => Identity.Name;

        public SecretStore Store => SecretStore.Open(StorePath, StateRoot);

        public SyncResult Sync(SyncOptions? options = null) => StoreSync.Sync(StorePath, () => Identity, options, StateRoot);

        public string Git(params string[] arguments) => GitTeam.RunGit(Folder, arguments);

        public string Read(string name, int? version = null)
        {
            using var value = Store.Read(name, Identity, version);
            return value.GetText();
        }

        public SecretRecord Write(string name, string value) =>
            Store.Write(name, SecretValue.FromString(value), null, Identity, WriteMode.CreateOrUpdate);

        /// <summary>The values of every version of a secret in its history, oldest first (read by this person).</summary>
        public List<string> History(string name) =>
            Store.GetHistory(name).Select(r => Read(name, r.Version)).ToList();

        /// <summary>
        /// The values a secret was given, oldest first: its history with the versions that only wrote
        /// the same value again for new readers (after a change of access) left out.
        /// </summary>
        public List<string> Values(string name)
        {
            var result = new List<string>();
            foreach (var value in History(name))
            {
                if (result.Count == 0 || result[result.Count - 1] != value)
                {
                    result.Add(value);
                }
            }

            return result;
        }

        /// <summary>Every store file of this clone and its content, to compare clones.</summary>
        public SortedDictionary<string, string> Files()
        {
            var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(StorePath, "*", SearchOption.AllDirectories))
            {
                var relative = file.Substring(StorePath.Length + 1);
                if (relative == ".lock")
                {
                    continue;
                }

                result[relative] = Convert.ToBase64String(Crypto.Sha256.Hash(File.ReadAllBytes(file)));
            }

            return result;
        }

        public void Dispose() => Identity.Dispose();
    }

    /// <summary>
    /// A bare repository and three clones: alice owns the store, bob is an admin, carol a member
    /// with write access to 'shared/db' and read access to 'shared/api'.
    /// </summary>
    public sealed class GitTeam : IDisposable
    {
        public GitTeam(int keepVersions = StoreManifest.MaxKeepVersions)
        {
            Root = Path.Combine(Path.GetTempPath(), "secrets-git", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Root);
            Remote = Path.Combine(Root, "remote.git");
            RunGit(Root, "init", "-q", "--bare", "-b", "main", Remote);
            Alice = new Clone("alice", Root, Remote);
            SecretStore.Create(Alice.StorePath, Alice.Identity, keepVersions, Alice.StateRoot);
            File.WriteAllText(Path.Combine(Alice.Folder, "README.md"), "The team's store is in team-store/.\n");
            Alice.Git("add", "README.md");
            Alice.Git("commit", "-q", "-m", "README");
            Bob = new Clone("bob", Root, Remote);
            Carol = new Clone("carol", Root, Remote);
            var store = Alice.Store;
            store.AddMember(Bob.Identity.Recipient, "bob", MemberRole.Admin, Alice.Identity);
            store.AddMember(Carol.Identity.Recipient, "carol", MemberRole.Member, Alice.Identity);
            Alice.Write("shared/db", "db-0");
            Alice.Write("shared/api", "api-0");
            Alice.Write("alice/only", "alice-0");
            store.Grant("shared/db", "carol", AccessLevel.Write, Alice.Identity);
            store.Grant("shared/api", "carol", AccessLevel.Read, Alice.Identity);
            Alice.Sync();
            Bob.Git("pull", "-q", "origin", "main");
            Carol.Git("pull", "-q", "origin", "main");
            Bob.Git("branch", "--set-upstream-to=origin/main");
            Carol.Git("branch", "--set-upstream-to=origin/main");
        }

        public string Root { get; }

        public string Remote { get; }

        public Clone Alice { get; }

        public Clone Bob { get; }

        public Clone Carol { get; }

        public IEnumerable<Clone> Everyone => new[] { Alice, Bob, Carol };

        /// <summary>Everyone syncs until a round changes nothing: then every clone holds the same store.</summary>
        public void Converge()
        {
            for (int round = 0; round < 4; round++)
            {
                foreach (var clone in Everyone)
                {
                    clone.Sync();
                }
            }
        }

        public static string RunGit(string directory, params string[] arguments)
        {
            var start = new ProcessStartInfo("git")
            {
                WorkingDirectory = directory,
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"git {string.Join(" ", arguments)} failed: {error.Result}");
            }

            return output;
        }

        public void Dispose()
        {
            foreach (var clone in Everyone)
            {
                clone.Dispose();
            }

            try
            {
                foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
                {
                    File.SetAttributes(file, FileAttributes.Normal);
                }

                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
