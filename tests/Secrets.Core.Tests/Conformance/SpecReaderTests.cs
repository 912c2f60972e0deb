using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Xunit;
using static Secrets.Core.Tests.Conformance.SpecReader;

namespace Secrets.Core.Tests.Conformance
{
    /// <summary>The vectors read by <see cref="SpecReader"/>, which follows docs/FORMAT.md and shares no code with the core.</summary>
    public class SpecReaderTests
    {
        private static byte[] Read(params string[] path) => File.ReadAllBytes(Path.Combine(Vectors.Folder, Path.Combine(path)));

        private static byte[] OwnerKeys => IdentityKeys(Read("unprotected.identity"), null);

        [Fact]
        public void HandOversWrittenByTheCoreVerifyAsTheSpecSays()
        {
            using var team = new Sharing.Team();
            team.Alice.Store.SetMemberRole("carol", Core.Store.MemberRole.Admin, team.Alice.Identity);
            team.Alice.Store.HandOver("carol", team.Alice.Identity);
            var manifestPath = Path.Combine(team.StorePath, "store.manifest");
            var alice = team.Alice.Identity.Recipient.Text;
            var carol = team.Carol.Identity.Recipient.Text;
            Assert.Equal(carol, TrustedOwner(File.ReadAllBytes(manifestPath), alice));

            // The revision after the hand-over is signed by the new owner; the chain still leads from alice.
            team.Carol.Store.SetKeepVersions(3, team.Carol.Identity);
            team.Carol.Store.SetMemberRole("bob", Core.Store.MemberRole.Admin, team.Carol.Identity);
            team.Carol.Store.HandOver("bob", team.Carol.Identity);
            var data = File.ReadAllBytes(manifestPath);
            Assert.Equal(team.Bob.Identity.Recipient.Text, TrustedOwner(data, alice));
            Assert.Equal(team.Bob.Identity.Recipient.Text, TrustedOwner(data, carol));
            Assert.Throws<System.Security.SecurityException>(() => TrustedOwner(data, Vectors.OwnerRecipient));

            // One bit of a hand-over's signature changed.
            var text = Encoding.ASCII.GetString(data);
            int line = text.IndexOf("\nhandover ", System.StringComparison.Ordinal) + 1;
            int end = text.IndexOf('\n', line);
            var fields = text[line..end].Split(' ');
            var signature = B64(fields[5]);
            signature[0] ^= 1;
            fields[5] = System.Convert.ToBase64String(signature).TrimEnd('=');
            var tampered = Encoding.ASCII.GetBytes(text[..line] + string.Join(" ", fields) + text[end..]);
            Assert.Throws<System.Security.SecurityException>(() => TrustedOwner(tampered, alice));
        }

        [Fact]
        public void IdentitiesDecodeToKeysMatchingTheirPublicLines()
        {
            Assert.Equal(64, OwnerKeys.Length);
            var reader = IdentityKeys(Read("passphrase.identity"), Vectors.PassphraseBytes);
            Assert.Equal(64, reader.Length);
            Assert.Throws<AuthenticationTagMismatchException>(() => IdentityKeys(Read("passphrase.identity"), Encoding.UTF8.GetBytes("wrong")));
        }

        [Theory]
        [InlineData(Vectors.OwnerRecipient, Vectors.OwnerFingerprint)]
        [InlineData(Vectors.ReaderRecipient, Vectors.ReaderFingerprint)]
        public void FingerprintIsTheFirstEightBytesOfSha256(string recipient, string fingerprint)
        {
            var hex = string.Concat(SHA256.HashData(Bech32(recipient, "secrets")).Take(8).Select(b => b.ToString("x2")));
            Assert.Equal(fingerprint, $"{hex[..4]}-{hex[4..8]}-{hex[8..12]}-{hex[12..]}");
        }

        [Fact]
        public void ManifestIsSignedByItsOwner()
        {
            var manifest = new Lines(Read("store", "store.manifest"));
            Assert.Equal(Vectors.StoreIdHex, string.Concat(B64(manifest.One("id").Fields[1]).Select(b => b.ToString("x2"))));
            var owner = Bech32(manifest.One("owner").Fields[1], "secrets");
            Assert.True(VerifySignature(manifest, owner[32..]));
        }

        [Theory]
        [InlineData("vectors.string", 1)]
        [InlineData("vectors.string", 2)]
        [InlineData("vectors.string", 3)]
        [InlineData("vectors.secure-string", 1)]
        [InlineData("vectors.credential", 1)]
        [InlineData("vectors.bytes", 1)]
        [InlineData("vectors.hashtable", 1)]
        [InlineData("~con.mixed-case", 1)]
        [InlineData("vectors.removed", 2)]
        public void EveryVersionIsSignedByTheOwnerForThisStoreNameAndVersion(string folder, int version)
        {
            var file = new Lines(Read("store", "secrets", folder, $"v{version}.secret"));
            var manifest = new Lines(Read("store", "store.manifest"));
            var ownerSigning = Bech32(manifest.One("owner").Fields[1], "secrets")[32..];
            Assert.Equal(ownerSigning, B64(file.One("writer").Fields[1]));
            Assert.True(VerifySignature(file, ownerSigning));
            Assert.Equal(manifest.One("id").Fields[1], file.One("store").Fields[1]);
            Assert.Equal(version.ToString(), file.One("version").Fields[1]);
            var name = file.One("name").Fields[1].ToLowerInvariant();
            Assert.Equal(folder, (name.StartsWith("con/") ? "~" : string.Empty) + name.Replace('/', '.'));
        }

        [Theory]
        [InlineData("vectors.string", 1, "String", 0x01, "first value")]
        [InlineData("vectors.string", 3, "String", 0x01, "hello, world ✓")]
        [InlineData("vectors.secure-string", 1, "SecureString", 0x02, "p@ss wörd 🔑")]
        [InlineData("~con.mixed-case", 1, "String", 0x01, "device name")]
        public void TextValuesDecrypt(string folder, int version, string type, byte typeByte, string text)
        {
            var data = Read("store", "secrets", folder, $"v{version}.secret");
            Assert.Equal(type, new Lines(data).One("type").Fields[1]);
            var (actualType, body) = Decrypt(data, OwnerKeys);
            Assert.Equal(typeByte, actualType);
            Assert.Equal(text, Encoding.UTF8.GetString(body));
        }

        [Fact]
        public void CredentialDecrypts()
        {
            var (type, body) = Decrypt(Read("store", "secrets", "vectors.credential", "v1.secret"), OwnerKeys);
            Assert.Equal(0x03, type);
            int offset = 0;
            Assert.Equal(@"CORP\jürgen", Str(body, ref offset));
            Assert.Equal("hunter2 ✓", Encoding.UTF8.GetString(body[offset..]));
        }

        [Fact]
        public void BytesDecrypt()
        {
            var (type, body) = Decrypt(Read("store", "secrets", "vectors.bytes", "v1.secret"), OwnerKeys);
            Assert.Equal(0x04, type);
            Assert.Equal(Vectors.Bytes, body);
        }

        [Fact]
        public void HashtableDecrypts()
        {
            var (type, body) = Decrypt(Read("store", "secrets", "vectors.hashtable", "v1.secret"), OwnerKeys);
            Assert.Equal(0x05, type);
            Assert.Equal(5u, U32(body, 0));
            int offset = 4;
            var entries = Enumerable.Range(0, 5).Select(_ =>
            {
                var key = Str(body, ref offset);
                byte entryType = body[offset];
                int length = (int)U32(body, offset + 1);
                var value = body[(offset + 5)..(offset + 5 + length)];
                offset += 5 + length;
                return (key, entryType, value);
            }).ToList();
            Assert.Equal(body.Length, offset);
            Assert.Equal(new[] { "host", "Password", "login", "cert", "empty" }, entries.Select(e => e.key));
            Assert.Equal(new byte[] { 0x01, 0x02, 0x03, 0x04, 0x01 }, entries.Select(e => e.entryType));
            Assert.Equal("db.example.org", Encoding.UTF8.GetString(entries[0].value));
            Assert.Equal("s3cr3t ✓", Encoding.UTF8.GetString(entries[1].value));
            int credential = 0;
            Assert.Equal("svc", Str(entries[2].value, ref credential));
            Assert.Equal("pw", Encoding.UTF8.GetString(entries[2].value[credential..]));
            Assert.Equal(Vectors.Cert, entries[3].value);
            Assert.Empty(entries[4].value);
        }

        [Fact]
        public void MetadataIsSignedPlainTextInCanonicalOrder()
        {
            var file = new Lines(Read("store", "secrets", "vectors.string", "v3.secret"));
            var meta = file.All("meta").Select(f => $"{f[1]} {f[2]}").ToList();
            Assert.Equal(new[]
            {
                "big l:9000000000",
                "count i:-42",
                "empty s:",
                "enabled b:false",
                "Environment s:" + System.Convert.ToBase64String(Encoding.UTF8.GetBytes("prod")).TrimEnd('='),
                "expires d:2026-11-23T07:32:00.1234567Z",
                "note s:" + System.Convert.ToBase64String(Encoding.UTF8.GetBytes("metadata-only version")).TrimEnd('='),
                "rotated b:true",
                "unicode s:" + System.Convert.ToBase64String(Encoding.UTF8.GetBytes("Grüße ✓ 🔑")).TrimEnd('='),
            }, meta);
        }
    }
}
