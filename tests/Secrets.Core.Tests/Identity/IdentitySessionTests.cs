using System;
using System.Collections;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Threading;
using Secrets.Core.Identity;
using Secrets.Core.Tests.Support;
using Xunit;

namespace Secrets.Core.Tests.Identity
{
    /// <summary>
    /// The process-wide cache of unlocked identities. Every test of the cache is in this class, so
    /// none runs in parallel with another (ForgetAll clears the whole process).
    /// </summary>
    public class IdentitySessionTests
    {
        [Fact]
        public void RememberedIdentityIsReturnedAsACopyUntilForgotten()
        {
            using var folder = new TempFolder();
            var file = IdentityFiles.Unprotected(folder);
            using (var unlocked = file.Unlock(null))
            {
                var expires = IdentitySession.Remember(unlocked, TimeSpan.FromMinutes(5));
                Assert.InRange(expires, DateTime.UtcNow.AddMinutes(4), DateTime.UtcNow.AddMinutes(5));
                Assert.Equal(expires, IdentitySession.ExpiresAt(file.Path));
            }

            // The caller's copy is disposed; the cache kept its own.
            using (var copy = IdentitySession.TryGet(file.Path))
            {
                Assert.NotNull(copy);
                Assert.Equal(file.Recipient, copy!.Recipient);
            }

            // Each caller gets its own copy: disposing one leaves the cache intact.
            using (var again = IdentitySession.TryGet(file.Path))
            {
                Assert.False(again!.IsDisposed);
                Assert.Equal(file.Recipient, again.Recipient);
            }

            Assert.True(IdentitySession.Forget(file.Path));
            Assert.Null(IdentitySession.TryGet(file.Path));
            Assert.Null(IdentitySession.ExpiresAt(file.Path));
            Assert.False(IdentitySession.Forget(file.Path));
        }

        [Fact]
        public void ForgetZeroesTheCachedKeys()
        {
            using var folder = new TempFolder();
            var file = IdentityFiles.Unprotected(folder);
            using (var unlocked = file.Unlock(null))
            {
                IdentitySession.Remember(unlocked, TimeSpan.FromMinutes(5));
            }

            var cached = Cached(file.Path);
            Assert.False(cached.IsDisposed);
            Assert.Contains(PrivateKeys(cached), key => key.Any(b => b != 0));

            IdentitySession.Forget(file.Path);
            Assert.True(cached.IsDisposed);
            Assert.All(PrivateKeys(cached), key => Assert.All(key, b => Assert.Equal(0, b)));
        }

        [Fact]
        public void ExpiredIdentityIsLockedAndItsKeysZeroed()
        {
            using var folder = new TempFolder();
            var file = IdentityFiles.Unprotected(folder);
            using (var unlocked = file.Unlock(null))
            {
                IdentitySession.Remember(unlocked, TimeSpan.FromSeconds(1.5));
            }

            // Long enough to look at the cache before it expires, even on a busy machine.
            var cached = Cached(file.Path);
            using (var copy = IdentitySession.TryGet(file.Path))
            {
                Assert.NotNull(copy);
            }

            var clock = Stopwatch.StartNew();
            while (!cached.IsDisposed && clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Sleep(20);
            }

            Assert.True(cached.IsDisposed, "the timer did not lock the identity");
            Assert.All(PrivateKeys(cached), key => Assert.All(key, b => Assert.Equal(0, b)));
            Assert.Null(IdentitySession.TryGet(file.Path));
            Assert.Null(IdentitySession.ExpiresAt(file.Path));
        }

        [Fact]
        public void RememberingAgainReplacesAndZeroesTheEarlierCopy()
        {
            using var folder = new TempFolder();
            var file = IdentityFiles.Unprotected(folder);
            using var unlocked = file.Unlock(null);
            IdentitySession.Remember(unlocked, TimeSpan.FromMinutes(5));
            var first = Cached(file.Path);
            var expires = IdentitySession.Remember(unlocked, TimeSpan.FromMinutes(10));
            Assert.True(first.IsDisposed);
            Assert.Equal(expires, IdentitySession.ExpiresAt(file.Path));
            Assert.True(IdentitySession.Forget(file.Path));
        }

        [Fact]
        public void ForgetAllLocksEveryIdentity()
        {
            using var folder = new TempFolder();
            var a = IdentityFiles.Unprotected(folder, "a.identity");
            var b = IdentityFiles.Unprotected(folder, "b.identity");
            using (var ua = a.Unlock(null))
            using (var ub = b.Unlock(null))
            {
                IdentitySession.Remember(ua, TimeSpan.FromMinutes(5));
                IdentitySession.Remember(ub, TimeSpan.FromMinutes(5));
            }

            var cachedA = Cached(a.Path);
            var cachedB = Cached(b.Path);
            IdentitySession.ForgetAll();
            Assert.Null(IdentitySession.TryGet(a.Path));
            Assert.Null(IdentitySession.TryGet(b.Path));
            Assert.True(cachedA.IsDisposed);
            Assert.True(cachedB.IsDisposed);
        }

        [Fact]
        public void OnlyIdentitiesFromFilesAndPositiveTimeoutsAreAccepted()
        {
            using var generated = UnlockedIdentity.Generate("no file");
            Assert.Throws<ArgumentException>(() => IdentitySession.Remember(generated, TimeSpan.FromMinutes(1)));

            using var folder = new TempFolder();
            using var unlocked = IdentityFiles.Unprotected(folder).Unlock(null);
            Assert.Throws<ArgumentOutOfRangeException>(() => IdentitySession.Remember(unlocked, TimeSpan.Zero));
            Assert.Throws<ArgumentOutOfRangeException>(() => IdentitySession.Remember(unlocked, TimeSpan.FromSeconds(-1)));
            Assert.Null(IdentitySession.TryGet(unlocked.Path!));
        }

        /// <summary>The identity object the cache holds (not a copy), read through reflection.</summary>
        private static UnlockedIdentity Cached(string path)
        {
            var entries = (IDictionary)typeof(IdentitySession).GetField("Entries", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
            lock (entries)
            {
                var entry = entries[System.IO.Path.GetFullPath(path)]!;
                return (UnlockedIdentity)entry.GetType().GetProperty("Identity")!.GetValue(entry)!;
            }
        }

        /// <summary>The private key arrays themselves (the properties refuse access after dispose).</summary>
        private static byte[][] PrivateKeys(UnlockedIdentity identity) =>
            new[] { "_encryptionPrivate", "_signingPrivate" }
                .Select(name => (byte[])typeof(UnlockedIdentity).GetField(name, BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(identity)!)
                .ToArray();
    }
}
