using System.Linq;
using BenchmarkDotNet.Attributes;
using Secrets.Core.Store;
using Secrets.Core.Values;

namespace Secrets.Benchmarks
{
    /// <summary>
    /// The cost of each store operation as the store grows from 100 to 10,000 secrets. Set, Get and
    /// Info touch one secret and should cost the same at every size; List reads every secret's
    /// newest header, so its cost per secret (the "Per secret" column) should stay flat instead.
    /// </summary>
    public class StoreBenchmarks
    {
        private StoreFixture _fixture = null!;
        private SecretStore _store = null!;
        private string _name = string.Empty;
        private SecretValue _value = null!;

        /// <summary>How many secrets the store holds.</summary>
        [Params(100, 1_000, 10_000)]
        public int Secrets { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _fixture = StoreFixture.Get(Secrets);

            // Open the store as a command would; the operations below reuse it.
            _store = SecretStore.Open(_fixture.Store.Path, _fixture.StateRoot);

            // A secret in the middle of the store, already read once (its version is recorded as seen).
            _name = StoreFixture.NameOf(Secrets / 2);
            _value = SecretValue.FromString("a new value, written again and again");
            _store.Read(_name, _fixture.Identity).Dispose();
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            _value.Dispose();

            // A process of its own per case (BenchmarkDotNet's default toolchain): delete the store now,
            // the process may be ended before its exit handlers run. In process, Program deletes the
            // stores after the last case.
            if (!Program.SharesStoresAcrossCases)
            {
                StoreFixture.DeleteAll();
            }
        }

        /// <summary>Set-Secret: writes a new version of one secret (lock, sign, encrypt, flush, prune).</summary>
        [Benchmark]
        public int Set() => _store.Write(_name, _value, null, _fixture.Identity, WriteMode.CreateOrUpdate).Version;

        /// <summary>Get-Secret: reads, verifies and decrypts the newest version of one secret.</summary>
        [Benchmark]
        public int Get()
        {
            using var value = _store.Read(_name, _fixture.Identity);
            return value.Type == SecretType.String ? 1 : 0;
        }

        /// <summary>Get-SecretInfo -Name: reads and verifies one secret's newest header, without decrypting.</summary>
        [Benchmark]
        public int Info() => _store.GetInfo(_name).Version;

        /// <summary>Get-SecretInfo: reads and verifies the newest header of every secret.</summary>
        [Benchmark]
        public int List() => _store.List().Count(listed => listed.Record != null);
    }
}
