using System;
using System.IO;
using System.Linq;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Conformance
{
    /// <summary>The committed vectors read with the current code: every value as Vectors/README.md gives it.</summary>
    public class VectorTests
    {
        [Fact]
        public void UnprotectedIdentity()
        {
            using var folder = new TempFolder();
            var file = IdentityFile.Load(Vectors.CopyIdentity(folder, "unprotected.identity"));
            Assert.Equal(Vectors.OwnerName, file.Name);
            Assert.Equal(Vectors.OwnerCreated, file.Created);
            Assert.Equal(IdentityProtection.None, file.Protection);
            Assert.Equal(Vectors.OwnerRecipient, file.Recipient.Text);
            Assert.Equal(Vectors.OwnerFingerprint, file.Recipient.Fingerprint);
            using var unlocked = file.Unlock(null);
            Assert.Equal(Vectors.OwnerRecipient, unlocked.Recipient.Text);
        }

        [Fact]
        public void PassphraseIdentity()
        {
            using var folder = new TempFolder();
            var file = IdentityFile.Load(Vectors.CopyIdentity(folder, "passphrase.identity"));
            Assert.Equal(Vectors.ReaderName, file.Name);
            Assert.Equal(Vectors.ReaderCreated, file.Created);
            Assert.Equal(IdentityProtection.Passphrase, file.Protection);
            Assert.Equal((KdfParameters.MinMemoryKiB, 1, 1), (file.Kdf!.MemoryKiB, file.Kdf.Iterations, file.Kdf.Parallelism));
            Assert.Equal(Vectors.ReaderRecipient, file.Recipient.Text);
            Assert.Equal(Vectors.ReaderFingerprint, file.Recipient.Fingerprint);
            Assert.Throws<WrongPassphraseException>(() => file.Unlock(System.Text.Encoding.UTF8.GetBytes("vector passphrase: Grusse ✓")));
            using var unlocked = file.Unlock(Vectors.PassphraseBytes);
            Assert.Equal(Vectors.ReaderRecipient, unlocked.Recipient.Text);
        }

        [Fact]
        public void Manifest()
        {
            using var folder = new TempFolder();
            var store = SecretStore.Open(Vectors.CopyStore(folder), folder.Combine("state"));
            Assert.Equal(Vectors.StoreIdHex, store.Manifest.IdHex);
            Assert.Equal(Vectors.StoreCreated, store.Manifest.Created);
            Assert.Equal(Vectors.OwnerRecipient, store.Manifest.Owner.Text);
            Assert.Equal(Vectors.OwnerName, store.Manifest.OwnerName);
            Assert.Equal(Vectors.KeepVersions, store.Manifest.KeepVersions);
            Assert.Equal(Vectors.OwnerRecipient + "\n", File.ReadAllText(folder.Combine("state", Vectors.StoreIdHex, "owner")));
        }

        [Fact]
        public void Listing()
        {
            using var folder = new TempFolder();
            var store = SecretStore.Open(Vectors.CopyStore(folder), folder.Combine("state"));
            var listed = store.List().ToList();
            Assert.Equal(Vectors.Listed, listed.Select(l => l.CanonicalName));
            Assert.All(listed, l => Assert.Null(l.Error));
            Assert.All(listed, l => Assert.Equal(Vectors.OwnerName, l.Record!.ModifiedBy));
        }

        [Fact]
        public void StringWithThreeVersionsAndMetadata()
        {
            using var v = new Reader();
            using (var value = v.Store.Read("vectors/string", v.Owner, null, out var record))
            {
                Assert.Equal((SecretType.String, "hello, world ✓"), (value.Type, value.GetText()));
                Assert.Equal(("vectors/string", 3), (record.Name, record.Version));
                Assert.Equal(new[] { 1, 2, 3 }, record.Versions);
                Assert.Equal(Utc("2026-12-05T07:54:01.6866750Z"), record.Modified);
                AssertMetadata(record.Metadata, withNote: true);
            }

            using (var value = v.Store.Read("vectors/string", v.Owner, 2, out var record))
            {
                Assert.Equal("hello, world ✓", value.GetText());
                Assert.Equal(Utc("2026-12-05T07:54:01.6559524Z"), record.Modified);
                AssertMetadata(record.Metadata, withNote: false);
            }

            using (var value = v.Store.Read("vectors/string", v.Owner, 1, out var record))
            {
                Assert.Equal("first value", value.GetText());
                Assert.Equal(Utc("2026-12-05T07:54:01.5330725Z"), record.Modified);
                Assert.Empty(record.Metadata);
            }

            Assert.Equal(new[] { 1, 2, 3 }, v.Store.GetHistory("VECTORS/STRING").Select(r => r.Version));
        }

        [Fact]
        public void SecureString()
        {
            using var v = new Reader();
            using var value = v.Store.Read("vectors/secure-string", v.Owner, null, out var record);
            Assert.Equal((SecretType.SecureString, "p@ss wörd 🔑"), (value.Type, value.GetText()));
            Assert.Equal((1, Utc("2026-12-05T07:54:01.7022438Z")), (record.Version, record.Modified));
        }

        [Fact]
        public void Credential()
        {
            using var v = new Reader();
            using var value = v.Store.Read("vectors/credential", v.Owner, null, out var record);
            Assert.Equal((SecretType.PSCredential, @"CORP\jürgen", "hunter2 ✓"), (value.Type, value.UserName, value.GetText()));
            Assert.Equal((1, Utc("2026-12-05T07:54:01.7188091Z")), (record.Version, record.Modified));
        }

        [Fact]
        public void ByteArrayWithTrailingZeros()
        {
            using var v = new Reader();
            using var value = v.Store.Read("vectors/bytes", v.Owner, null, out var record);
            Assert.Equal(SecretType.ByteArray, value.Type);
            Assert.Equal(Vectors.Bytes, value.GetBytes());
            Assert.Equal((1, Utc("2026-12-05T07:54:01.7336525Z")), (record.Version, record.Modified));
        }

        [Fact]
        public void HashtableOfEveryLeafType()
        {
            using var v = new Reader();
            using var value = v.Store.Read("vectors/hashtable", v.Owner, null, out var record);
            Assert.Equal(SecretType.Hashtable, value.Type);
            Assert.Equal((1, Utc("2026-12-05T07:54:01.7592078Z")), (record.Version, record.Modified));
            var e = value.Entries;
            Assert.Equal(new[] { "host", "Password", "login", "cert", "empty" }, e.Select(x => x.Key));
            Assert.Equal((SecretType.String, "db.example.org"), (e[0].Value.Type, e[0].Value.GetText()));
            Assert.Equal((SecretType.SecureString, "s3cr3t ✓"), (e[1].Value.Type, e[1].Value.GetText()));
            Assert.Equal((SecretType.PSCredential, "svc", "pw"), (e[2].Value.Type, e[2].Value.UserName, e[2].Value.GetText()));
            Assert.Equal(SecretType.ByteArray, e[3].Value.Type);
            Assert.Equal(Vectors.Cert, e[3].Value.GetBytes());
            Assert.Equal((SecretType.String, string.Empty), (e[4].Value.Type, e[4].Value.GetText()));
        }

        [Fact]
        public void DeviceNameFolderAndCasePreservedName()
        {
            using var v = new Reader();
            Assert.True(File.Exists(Path.Combine(v.StorePath, "secrets", "~con.mixed-case", "v1.secret")));
            using var value = v.Store.Read("con/mixed-case", v.Owner, null, out var record);
            Assert.Equal("device name", value.GetText());
            Assert.Equal(("CON/Mixed-Case", 1), (record.Name, record.Version));
            Assert.Equal(Utc("2026-12-05T07:54:01.7751565Z"), record.Modified);
        }

        [Fact]
        public void Tombstone()
        {
            using var v = new Reader();
            Assert.Equal(new[] { "v2.secret" }, Directory.GetFiles(Path.Combine(v.StorePath, "secrets", "vectors.removed")).Select(Path.GetFileName));
            Assert.Equal("SecretNotFound", Assert.Throws<SecretNotFoundException>(() => v.Store.Read("vectors/removed", v.Owner)).ErrorId);
            var seen = File.ReadAllText(Path.Combine(v.StateRoot, Vectors.StoreIdHex, "seen", "vectors.removed")).Trim().Split(' ');
            Assert.Equal("2", seen[0]);
            Assert.Equal(Secrets.Core.Codecs.Base64.Encode(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(v.StorePath, "secrets", "vectors.removed", "v2.secret")))), seen[1]);
        }

        [Fact]
        public void PassphraseIdentityIsNotARecipientOfTheStore()
        {
            using var v = new Reader();
            using var folder = new TempFolder();
            using var reader = IdentityFile.Load(Vectors.CopyIdentity(folder, "passphrase.identity")).Unlock(Vectors.PassphraseBytes);
            Assert.Throws<NotARecipientException>(() => v.Store.Read("vectors/string", reader));
        }

        private static void AssertMetadata(SecretMetadata metadata, bool withNote)
        {
            var expected = new (string Key, object Value)[]
            {
                ("big", 9000000000L),
                ("count", -42),
                ("empty", string.Empty),
                ("enabled", false),
                ("Environment", "prod"),
                ("expires", Vectors.Expires),
                ("note", "metadata-only version"),
                ("rotated", true),
                ("unicode", "Grüße ✓ 🔑"),
            }.Where(e => withNote || e.Key != "note").ToList();
            Assert.Equal(expected.Select(e => e.Key), metadata.Keys);
            foreach (var (key, value) in expected)
            {
                Assert.IsType(value.GetType(), metadata[key]);
                Assert.Equal(value, metadata[key]);
            }
        }

        private static DateTime Utc(string text) =>
            DateTime.SpecifyKind(DateTime.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);

        /// <summary>A copy of the vector store opened with a fresh state root, and its owner unlocked.</summary>
        private sealed class Reader : IDisposable
        {
            private readonly TempFolder _folder = new TempFolder();

            public Reader()
            {
                StorePath = Vectors.CopyStore(_folder);
                StateRoot = _folder.Combine("state");
                Store = SecretStore.Open(StorePath, StateRoot);
                Owner = IdentityFile.Load(Vectors.CopyIdentity(_folder, "unprotected.identity")).Unlock(null);
            }

            public string StorePath { get; }
            public string StateRoot { get; }
            public SecretStore Store { get; }
            public UnlockedIdentity Owner { get; }

            public void Dispose()
            {
                Owner.Dispose();
                _folder.Dispose();
            }
        }
    }
}
