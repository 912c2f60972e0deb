using System;
using System.IO;
using Secrets.Core.Crypto;
using Secrets.Core.Identity;
using Secrets.Core.Store;

namespace Secrets.Core.Tests
{
    /// <summary>A temporary folder with a state root, an owner identity and a store; deleted on dispose.</summary>
    public sealed class TestStore : IDisposable
    {
        /// <summary>Cheapest parameters the format accepts: tests of the KDF itself use the defaults.</summary>
        public static readonly KdfParameters FastKdf = new KdfParameters(KdfParameters.MinMemoryKiB, 1, 1);

        public TestStore(int keepVersions = StoreManifest.DefaultKeepVersions)
        {
            Root = Path.Combine(Path.GetTempPath(), "secrets-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Root);
            StateRoot = Path.Combine(Root, "state");
            Owner = UnlockedIdentity.Generate("alice");
            StorePath = Path.Combine(Root, "store");
            Store = SecretStore.Create(StorePath, Owner, keepVersions, StateRoot);
        }

        public string Root { get; }
        public string StateRoot { get; }
        public string StorePath { get; }
        public UnlockedIdentity Owner { get; }
        public SecretStore Store { get; }

        /// <summary>The store opened again, as another process would.</summary>
        public SecretStore Reopen() => SecretStore.Open(StorePath, StateRoot);

        /// <summary>
        /// The store opened by someone with a state of their own who has seen nothing of it yet: for
        /// tests of what every reader checks in a file, apart from what a reader who saw it remembers.
        /// </summary>
        public SecretStore OpenAsNewReader() => SecretStore.Open(StorePath, Path.Combine(Root, "state-" + System.Guid.NewGuid().ToString("N")));

        public string VersionFile(string folder, int version) => Path.Combine(StorePath, "secrets", folder, $"v{version}.secret");

        public void Dispose()
        {
            Owner.Dispose();
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
