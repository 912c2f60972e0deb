using System;
using System.Collections.Generic;
using System.IO;
using Secrets.Core.Errors;
using Secrets.Core.Store;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Tamper
{
    /// <summary>A damaged tombstone is an invalid file, not a removed secret.</summary>
    public class TombstoneDamageTests
    {
        private const string Name = "gone";

        [Fact]
        public void EverySingleByteDamageIsDetected()
        {
            AssertEveryVariantRefused(original => Mutations.SingleByte(original, allBits: false));
        }

        [Fact]
        public void EveryTruncationIsDetected()
        {
            AssertEveryVariantRefused(Mutations.Truncations);
        }

        [Fact]
        public void AnythingAppendedIsDetected()
        {
            AssertEveryVariantRefused(Mutations.Extensions);
        }

        private static void AssertEveryVariantRefused(Func<byte[], IEnumerable<(string What, byte[] Data)>> variants)
        {
            using var t = new TestStore();
            using (var value = SecretValue.FromString("v"))
            {
                t.Store.Write(Name, value, null, t.Owner, WriteMode.CreateOnly);
            }

            t.Store.Remove(Name, t.Owner);
            var path = t.VersionFile(Name, 2);
            Assert.False(File.Exists(t.VersionFile(Name, 1)));
            var original = File.ReadAllBytes(path);
            var reader = t.Reopen();
            int count = 0;
            foreach (var (what, data) in variants(original))
            {
                File.WriteAllBytes(path, data);
                Detected.Tampering(() => reader.GetInfo(Name), what);
                count++;
            }

            Assert.True(count > 0);
            File.WriteAllBytes(path, original);
            Assert.Throws<SecretNotFoundException>(() => reader.GetInfo(Name));
        }
    }
}
