using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Secrets.Core.Values;

namespace Secrets.Benchmarks
{
    /// <summary>
    /// A store of N secrets written through the core API, built once per size and per process,
    /// with an identity stored without a passphrase (no Argon2 on any path). Every secret is a short
    /// string with one metadata entry, one version each; the names spread over a few prefixes
    /// ("app/…", "db/…", "ci/…", "web/…") like a real store.
    /// </summary>
    public sealed class StoreFixture
    {
        private static readonly object Gate = new object();
        private static readonly Dictionary<int, StoreFixture> Built = new Dictionary<int, StoreFixture>();
        private static readonly string[] Prefixes = { "app", "db", "ci", "web" };
        private static string? _root;

        private StoreFixture(int size, SecretStore store, UnlockedIdentity identity, string stateRoot, TimeSpan setupTime)
        {
            Size = size;
            StateRoot = stateRoot;
            Store = store;
            Identity = identity;
            SetupTime = setupTime;
        }

        public int Size { get; }

        public SecretStore Store { get; }

        public UnlockedIdentity Identity { get; }

        /// <summary>The local state (pinned owner, versions seen) of the benchmark's user.</summary>
        public string StateRoot { get; }

        /// <summary>How long writing the store took.</summary>
        public TimeSpan SetupTime { get; }

        /// <summary>The name of the i-th secret (0-based).</summary>
        public static string NameOf(int index) =>
            Prefixes[index % Prefixes.Length] + "/secret-" + index.ToString("D6", CultureInfo.InvariantCulture);

        /// <summary>The store of that size, written on first use in this process.</summary>
        public static StoreFixture Get(int size)
        {
            lock (Gate)
            {
                if (!Built.TryGetValue(size, out var fixture))
                {
                    fixture = Build(size);
                    Built[size] = fixture;
                }

                return fixture;
            }
        }

        /// <summary>Deletes every store this process wrote.</summary>
        public static void DeleteAll()
        {
            lock (Gate)
            {
                if (_root != null && Directory.Exists(_root))
                {
                    Directory.Delete(_root, recursive: true);
                }

                _root = null;
                Built.Clear();
            }
        }

        private static StoreFixture Build(int size)
        {
            if (_root == null)
            {
                _root = Path.Combine(Path.GetTempPath(), "secrets-benchmarks", Guid.NewGuid().ToString("N"));
                AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteAll();
            }

            var folder = Path.Combine(_root, size.ToString(CultureInfo.InvariantCulture));
            var stateRoot = Path.Combine(folder, "state");
            var identityPath = Path.Combine(folder, "bench.identity");
            IdentityFile.Create(identityPath, "bench", passphrase: null);
            var identity = IdentityFile.Load(identityPath).Unlock(null);
            var store = SecretStore.Create(Path.Combine(folder, "store"), identity, StoreManifest.DefaultKeepVersions, stateRoot);

            var clock = Stopwatch.StartNew();
            var metadata = new SecretMetadata();
            metadata.Set("owner", "benchmarks");
            for (int i = 0; i < size; i++)
            {
                using var value = SecretValue.FromString("value of secret " + i.ToString(CultureInfo.InvariantCulture));
                store.Write(NameOf(i), value, metadata, identity, WriteMode.CreateOnly);
            }

            clock.Stop();
            Console.WriteLine($"// Store of {size} secrets written in {clock.Elapsed.TotalSeconds:0.0} s ({clock.Elapsed.TotalMilliseconds / size:0.00} ms per secret).");
            return new StoreFixture(size, store, identity, stateRoot, clock.Elapsed);
        }
    }
}
