using System;
using System.Collections.Generic;
using System.IO;
using Secrets.Core.Format;
using Secrets.Core.Store;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Tamper
{
    /// <summary>Any change to a version file is refused; none ever yields a value.</summary>
    public class VersionFileDamageTests
    {
        private const string Name = "flip/me";

        [Fact]
        public void EverySingleByteDamageIsDetected()
        {
            // A flipped bit at every offset (rotating through the bit positions) and each byte
            // replaced by a few telling values; the parser test below flips every bit.
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

        [Fact]
        public void TheParserAloneRefusesEverySingleByteDamage()
        {
            // Every byte is covered by the signature or is the signature, so even without the
            // store's name, version and store checks no damage gets through.
            using var t = new TestStore();
            var original = WriteSmallSecret(t);
            SecretFileFormat.Parse(original);
            int count = 0;
            foreach (var (what, data) in Mutations.SingleByte(original, allBits: true))
            {
                Assert.Throws<FormatProblem>(() => SecretFileFormat.Parse(data));
                count++;
            }

            Assert.True(count >= original.Length * 12, $"only {count} variants");
        }

        private static void AssertEveryVariantRefused(Func<byte[], IEnumerable<(string What, byte[] Data)>> variants)
        {
            using var t = new TestStore();
            var original = WriteSmallSecret(t);
            var path = t.VersionFile("flip.me", 1);
            var reader = t.Reopen();
            int count = 0;
            foreach (var (what, data) in variants(original))
            {
                File.WriteAllBytes(path, data);
                Detected.Tampering(() => reader.Read(Name, t.Owner).Dispose(), what);
                count++;
            }

            Assert.True(count > 0);

            // Not vacuous: the original file still reads.
            File.WriteAllBytes(path, original);
            using var value = reader.Read(Name, t.Owner);
            Assert.Equal("tiny", value.GetText());
        }

        /// <summary>A small secret with one metadata line, read once (so its version is seen); returns its file.</summary>
        private static byte[] WriteSmallSecret(TestStore t)
        {
            var metadata = new SecretMetadata();
            metadata.Set("env", "prod");
            using (var value = SecretValue.FromString("tiny"))
            {
                t.Store.Write(Name, value, metadata, t.Owner, WriteMode.CreateOnly);
            }

            t.Store.Read(Name, t.Owner).Dispose();
            return File.ReadAllBytes(t.VersionFile("flip.me", 1));
        }
    }
}
