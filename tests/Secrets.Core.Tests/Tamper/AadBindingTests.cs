using System.IO;
using System.Linq;
using System.Text;
using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Store;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Tamper
{
    /// <summary>
    /// The payload's associated data binds the header: even the owner re-signing an edited header
    /// cannot move a value to another name, version, type, store or metadata. Read by someone who
    /// has not seen the store before (a reader who has is stopped earlier: the file they saw was replaced).
    /// </summary>
    public class AadBindingTests
    {
        [Fact]
        public void EditWithoutANewSignatureFailsTheSignature()
        {
            using var t = new TestStore();
            Write(t, "a", "value");
            var path = t.VersionFile("a", 1);
            File.WriteAllBytes(path, FileEdits.ReplaceLine(File.ReadAllBytes(path), "created", "created 2020-01-01T00:00:00.0000000Z"));

            var error = Detected.InvalidFile(() => t.OpenAsNewReader().GetInfo("a"), "SecretFileInvalid", path);
            Assert.Contains("signature does not verify", error.Message);
        }

        [Fact]
        public void NameEditedAndResignedByTheOwnerFailsToDecrypt()
        {
            using var t = new TestStore();
            Write(t, "a", "value of a");
            Write(t, "b", "value of b");
            var forged = FileEdits.Resign(FileEdits.ReplaceLine(File.ReadAllBytes(t.VersionFile("a", 1)), "name", "name b"), t.Owner);
            File.WriteAllBytes(t.VersionFile("b", 1), forged);

            // The header is valid and signed by the owner; only the payload's AAD catches it.
            var reader = t.OpenAsNewReader();
            Assert.Equal("b", reader.GetInfo("b").Name);
            AssertPayloadRefused(() => reader.Read("b", t.Owner), t.VersionFile("b", 1));
        }

        [Fact]
        public void VersionEditedAndResignedByTheOwnerFailsToDecrypt()
        {
            using var t = new TestStore();
            Write(t, "a", "old value");
            // Version 2 of a file follows version 1: the edit adds the 'previous' line a later version has.
            var lines = FileEdits.Lines(FileEdits.ReplaceLine(File.ReadAllBytes(t.VersionFile("a", 1)), "version", "version 2")).ToList();
            lines.Insert(lines.FindIndex(l => l.StartsWith("writer ")) + 1, "previous 1 " + Secrets.Core.Codecs.Base64.Encode(FileForge.HashOf(t.VersionFile("a", 1))));
            var forged = FileEdits.Resign(FileEdits.Join(lines.ToArray()), t.Owner);
            File.WriteAllBytes(t.VersionFile("a", 2), forged);

            var reader = t.OpenAsNewReader();
            Assert.Equal(2, reader.GetInfo("a").Version);
            AssertPayloadRefused(() => reader.Read("a", t.Owner), t.VersionFile("a", 2));
        }

        [Theory]
        [InlineData("SecureString")]
        [InlineData("ByteArray")]
        [InlineData("PSCredential")]
        [InlineData("Hashtable")]
        public void TypeEditedAndResignedByTheOwnerFailsToDecrypt(string type)
        {
            using var t = new TestStore();
            Write(t, "a", "a string");
            var path = t.VersionFile("a", 1);
            File.WriteAllBytes(path, FileEdits.Resign(FileEdits.ReplaceLine(File.ReadAllBytes(path), "type", "type " + type), t.Owner));

            var reader = t.OpenAsNewReader();
            Assert.Equal(type, reader.GetInfo("a").Type.ToString());
            AssertPayloadRefused(() => reader.Read("a", t.Owner), path);
        }

        [Fact]
        public void StoreIdEditedAndResignedByTheOwnerFailsToDecrypt()
        {
            using var t = new TestStore();
            var otherPath = Path.Combine(t.Root, "other");
            var other = SecretStore.Create(otherPath, t.Owner, stateRoot: t.StateRoot);
            using (var value = SecretValue.FromString("from the other store"))
            {
                other.Write("a", value, null, t.Owner, WriteMode.CreateOnly);
            }

            var storeLine = "store " + Secrets.Core.Codecs.Base64.Encode(t.Store.Manifest.Id);
            var forged = FileEdits.Resign(FileEdits.ReplaceLine(File.ReadAllBytes(Path.Combine(otherPath, "secrets", "a", "v1.secret")), "store", storeLine), t.Owner);
            Directory.CreateDirectory(Path.GetDirectoryName(t.VersionFile("a", 1))!);
            File.WriteAllBytes(t.VersionFile("a", 1), forged);

            AssertPayloadRefused(() => t.OpenAsNewReader().Read("a", t.Owner), t.VersionFile("a", 1));
        }

        [Fact]
        public void MetadataEditedAndResignedByTheOwnerFailsToDecrypt()
        {
            using var t = new TestStore();
            var metadata = new SecretMetadata();
            metadata.Set("env", "test");
            using (var value = SecretValue.FromString("v"))
            {
                t.Store.Write("a", value, metadata, t.Owner, WriteMode.CreateOnly);
            }

            var path = t.VersionFile("a", 1);
            var prod = "s:" + Secrets.Core.Codecs.Base64.Encode(Encoding.UTF8.GetBytes("prod"));
            File.WriteAllBytes(path, FileEdits.Resign(FileEdits.ReplaceLine(File.ReadAllBytes(path), "meta", "meta env " + prod), t.Owner));

            var reader = t.OpenAsNewReader();
            Assert.Equal("prod", reader.GetInfo("a").Metadata["env"]);
            AssertPayloadRefused(() => reader.Read("a", t.Owner), path);
        }

        [Theory]
        [InlineData("name", "name b")]
        [InlineData("version", "version 7")]
        [InlineData("type", "type SecureString")]
        [InlineData("created", "created 2020-01-01T00:00:00.0000000Z")]
        public void DecryptionBindsTheHeaderBytesEvenWithoutASignatureCheck(string key, string line)
        {
            // A reader that skipped the signature: the header is parsed from the original file,
            // then pointed at edited bytes, exactly as if those bytes had been read.
            using var t = new TestStore();
            Write(t, "a", "bound value");
            var original = File.ReadAllBytes(t.VersionFile("a", 1));

            var genuine = SecretFileFormat.Parse(original);
            using (var value = SecretFileFormat.Decrypt(genuine, t.Owner))
            {
                Assert.Equal("bound value", value!.GetText());
            }

            var edited = FileEdits.ReplaceLine(original, key, line);
            var header = SecretFileFormat.Parse(original);
            header.Data = edited;
            header.PayloadLineOffset = PayloadOffset(edited);
            var problem = Assert.Throws<FormatProblem>(() => SecretFileFormat.Decrypt(header, t.Owner));
            Assert.Contains("payload does not decrypt", problem.Message);
        }

        private static int PayloadOffset(byte[] data)
        {
            var text = Encoding.UTF8.GetString(data);
            return Encoding.UTF8.GetByteCount(text.Substring(0, text.IndexOf("\npayload ", System.StringComparison.Ordinal) + 1));
        }

        private static void AssertPayloadRefused(System.Func<SecretValue> read, string path)
        {
            var error = Detected.InvalidFile(() => read().Dispose(), "SecretFileInvalid", path);
            Assert.Contains("payload does not decrypt", error.Message);
        }

        private static void Write(TestStore t, string name, string text)
        {
            using var value = SecretValue.FromString(text);
            t.Store.Write(name, value, null, t.Owner, WriteMode.CreateOrUpdate);
        }
    }
}
