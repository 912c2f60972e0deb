using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using Secrets.Core.Store;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Cache
{
    /// <summary>The saved snapshot of a store: read back as written, and ignored whenever it does not check out.</summary>
    [Collection("Settle window")]
    public sealed class SnapshotFileTests : IDisposable
    {
        public SnapshotFileTests() => StoreCache.SettleTime = TimeSpan.FromMilliseconds(150);

        public void Dispose() => StoreCache.SettleTime = TimeSpan.FromSeconds(2);

        private static (TestStore Store, string File) Saved()
        {
            var t = new TestStore();
            foreach (var name in new[] { "app/one", "app/two", "con/x" })
            {
                using var secret = SecretValue.FromString("v");
                t.Store.Write(name, secret, null, t.Owner, WriteMode.CreateOrUpdate);
            }

            // Saved by a listing once the files have settled (a stamp too recent is not kept).
            Thread.Sleep(300);
            Assert.All(t.Reopen().List(), l => Assert.Null(l.Error));
            var file = SnapshotFile.PathFor(t.StateRoot, t.Store.Manifest.IdHex, t.StorePath);
            Assert.True(File.Exists(file), "a listing saves the snapshot");
            return (t, file);
        }

        [Fact]
        public void ASavedSnapshotReadsBackWithTheStoresPathsAndTheWritersKey()
        {
            var (t, file) = Saved();
            using (t)
            {
                var snapshot = SnapshotFile.Read(file, t.StorePath);
                Assert.NotNull(snapshot);
                var folders = snapshot!.Secrets.Select(s => s.Key).OrderBy(f => f, StringComparer.Ordinal).ToList();
                Assert.Equal(new[] { "app.one", "app.two", "~con.x" }.Select(f => Path.Combine(t.StorePath, "secrets", f)), folders);
                Assert.All(snapshot.Secrets, s =>
                {
                    Assert.Equal(Path.Combine(s.Key, "v1.secret"), s.Value.File);
                    Assert.Equal(t.Owner.Recipient.SigningKey, s.Value.Newest.Writer);
                    Assert.Contains(s.Value.Newest.Recipients, r => r.SequenceEqual(t.Owner.Recipient.EncryptionKey));
                });

                // Another folder is another store: its snapshot is not taken up.
                Assert.Null(SnapshotFile.Read(file, t.StorePath + "-copy"));
            }
        }

        [Fact]
        public void ADamagedSnapshotIsIgnored()
        {
            var (t, file) = Saved();
            using (t)
            {
                var bytes = File.ReadAllBytes(file);
                bytes[bytes.Length / 2] ^= 0x01;
                File.WriteAllBytes(file, bytes);
                Assert.Null(SnapshotFile.Read(file, t.StorePath));
            }
        }

        [Fact]
        public void ACountLargerThanWhatFollowsIsRefusedEvenWithAMatchingHash()
        {
            var (t, file) = Saved();
            using (t)
            {
                var bytes = File.ReadAllBytes(file);

                // Magic, store path, log entries (none: the store is not shared), then the number of secrets.
                using var measure = new MemoryStream();
                using (var writer = new BinaryWriter(measure, System.Text.Encoding.UTF8, leaveOpen: true))
                {
                    writer.Write("secrets/v1 snapshot 4");
                    writer.Write(t.StorePath);
                }

                int at = (int)measure.Length + 4;
                Assert.Equal(0, BitConverter.ToInt32(bytes, at - 4));
                Assert.Equal(3, BitConverter.ToInt32(bytes, at));

                // The first secret: its folder and file (short strings: one length byte), two stamps, then its number of versions.
                at += 4;
                at += 1 + bytes[at];
                at += 1 + bytes[at];
                at += 2 * 41;
                Assert.Equal(1, BitConverter.ToInt32(bytes, at));
                BitConverter.GetBytes(int.MaxValue).CopyTo(bytes, at);
                SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)).CopyTo(bytes, bytes.Length - 32);
                File.WriteAllBytes(file, bytes);

                Assert.Null(SnapshotFile.Read(file, t.StorePath));
            }
        }

        [Fact]
        public void AStampTooRecentIsLeftOutAndKeptByALaterListing()
        {
            using var t = new TestStore();
            using (var secret = SecretValue.FromString("v"))
            {
                t.Store.Write("fresh", secret, null, t.Owner, WriteMode.CreateOrUpdate);
            }

            // Listed right after the write: verified, but its stamps are too recent to stand for its content.
            Assert.All(t.Reopen().List(), l => Assert.Null(l.Error));
            var file = SnapshotFile.PathFor(t.StateRoot, t.Store.Manifest.IdHex, t.StorePath);
            Assert.Empty(SnapshotFile.Read(file, t.StorePath)!.Secrets);

            Thread.Sleep(300);
            Assert.All(t.Reopen().List(), l => Assert.Null(l.Error));
            Assert.Single(SnapshotFile.Read(file, t.StorePath)!.Secrets);
        }
    }
}
