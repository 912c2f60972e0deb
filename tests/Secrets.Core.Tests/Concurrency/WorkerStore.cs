using System;
using System.IO;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Secrets.Core.Tests.Support;

namespace Secrets.Core.Tests.Concurrency
{
    /// <summary>A store owned by an identity file (no passphrase), so that worker processes can write to it.</summary>
    public sealed class WorkerStore : IDisposable
    {
        private readonly TempFolder _folder = new TempFolder();

        public WorkerStore(int keepVersions)
        {
            IdentityPath = _folder.Combine("worker.identity");
            StorePath = _folder.Combine("store");
            StateRoot = _folder.Combine("state");
            Owner = IdentityFile.Create(IdentityPath, "worker", null).Unlock(null);
            SecretStore.Create(StorePath, Owner, keepVersions, StateRoot);
        }

        public string IdentityPath { get; }
        public string StorePath { get; }
        public string StateRoot { get; }
        public UnlockedIdentity Owner { get; }

        public SecretStore Open() => SecretStore.Open(StorePath, StateRoot);

        public Worker Start(string command, params string[] args) => Start(null, command, args);

        public Worker Start(System.Collections.Generic.IDictionary<string, string>? environment, string command, params string[] args)
        {
            var all = new string[args.Length + 4];
            all[0] = command;
            all[1] = StorePath;
            all[2] = StateRoot;
            all[3] = IdentityPath;
            args.CopyTo(all, 4);
            return Worker.Start(environment, all);
        }

        public void Dispose()
        {
            Owner.Dispose();
            _folder.Dispose();
        }
    }
}
