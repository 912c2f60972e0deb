using System;
using System.Collections.Generic;
using System.IO;
using Secrets.Core.Store;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Tamper
{
    /// <summary>Any change to store.manifest is refused by Open and by writers.</summary>
    public class ManifestDamageTests
    {
        [Fact]
        public void EverySingleByteDamageIsDetectedOnOpen()
        {
            AssertEveryVariantRefused(original => Mutations.SingleByte(original, allBits: false));
        }

        [Fact]
        public void EveryTruncationIsDetectedOnOpen()
        {
            AssertEveryVariantRefused(Mutations.Truncations);
        }

        [Fact]
        public void AnythingAppendedIsDetectedOnOpen()
        {
            AssertEveryVariantRefused(Mutations.Extensions);
        }

        [Fact]
        public void WritersRereadTheManifestAndRefuseADamagedOne()
        {
            using var t = new TestStore();
            var path = Path.Combine(t.StorePath, StoreManifest.FileName);
            var damaged = File.ReadAllBytes(path);
            damaged[damaged.Length / 2] ^= 0x04;
            File.WriteAllBytes(path, damaged);

            using var value = SecretValue.FromString("v");
            var error = Detected.InvalidFile(() => t.Store.Write("a", value, null, t.Owner, WriteMode.CreateOnly), "ManifestInvalid", path);
            Assert.False(Directory.Exists(Path.Combine(t.StorePath, "secrets", "a")));
        }

        private static void AssertEveryVariantRefused(Func<byte[], IEnumerable<(string What, byte[] Data)>> variants)
        {
            using var t = new TestStore();
            var path = Path.Combine(t.StorePath, StoreManifest.FileName);
            var original = File.ReadAllBytes(path);
            int count = 0;
            foreach (var (what, data) in variants(original))
            {
                File.WriteAllBytes(path, data);
                Detected.Tampering(() => SecretStore.Open(t.StorePath, t.StateRoot), what);
                count++;
            }

            Assert.True(count > 0);
            File.WriteAllBytes(path, original);
            Assert.Equal(t.Store.Manifest.IdHex, SecretStore.Open(t.StorePath, t.StateRoot).Manifest.IdHex);
        }
    }
}
