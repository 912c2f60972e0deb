using System;
using System.IO;
using System.Linq;
using System.Text;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Leaks
{
    /// <summary>The failure paths of reading and writing, driven with a value that must never show.</summary>
    public class StoreFailureMessageTests
    {
        private static readonly byte[] ValueBytes = Encoding.UTF8.GetBytes(NoValueIn.Value);

        [Theory]
        [InlineData("ByteArray")]
        [InlineData("SecureString")]
        [InlineData("PSCredential")]
        public void TypeLineDisagreeingWithTheValue(string typeLine)
        {
            using var t = new TestStore();
            var error = ForgedRead(t, typeLine, FileForge.Padded(0x01, ValueBytes));
            Assert.Contains("the value is a String", error.Message);
        }

        [Fact]
        public void PlaintextWithoutPadding()
        {
            using var t = new TestStore();
            var plaintext = new byte[64];
            plaintext[0] = 0x01;
            ValueBytes.CopyTo(plaintext, 1);
            plaintext[63] = 0x41;
            Assert.Contains("invalid padding", ForgedRead(t, "String", plaintext).Message);
        }

        [Fact]
        public void StringThatIsNotUtf8()
        {
            using var t = new TestStore();
            var body = ValueBytes.Concat(new byte[] { 0xff, 0xfe }).ToArray();
            Assert.Contains("not valid UTF-8", ForgedRead(t, "String", FileForge.Padded(0x01, body)).Message);
        }

        [Fact]
        public void CredentialWithAUserNameRunningPastTheEnd()
        {
            using var t = new TestStore();
            var body = new byte[] { 0, 0, 1, 0 }.Concat(ValueBytes).ToArray();
            ForgedRead(t, "PSCredential", FileForge.Padded(0x03, body));
        }

        [Fact]
        public void HashtableWithTrailingBytes()
        {
            using var t = new TestStore();
            var entry = new byte[] { 0, 0, 0, 1, 0, 0, 0, 1, (byte)'k', 0x01, 0, 0, 0, (byte)ValueBytes.Length }.Concat(ValueBytes).Concat(ValueBytes).ToArray();
            ForgedRead(t, "Hashtable", FileForge.Padded(0x05, entry));
        }

        [Fact]
        public void TamperedPayloadResignedByTheOwner()
        {
            using var t = new TestStore();
            Write(t, "a");
            var path = t.VersionFile("a", 1);
            var fields = FileEdits.Fields(File.ReadAllBytes(path), "payload");
            var ciphertext = Secrets.Core.Codecs.Base64.Decode(fields[1])!;
            ciphertext[3] ^= 0x10;
            var edited = FileEdits.ReplaceLine(File.ReadAllBytes(path), "payload", $"payload {fields[0]} {Secrets.Core.Codecs.Base64.Encode(ciphertext)}");
            File.WriteAllBytes(path, FileEdits.Resign(edited, t.Owner));

            Assert.IsType<InvalidFileException>(NoValueIn.Throws(() => t.OpenAsNewReader().Read("a", t.Owner)));
        }

        [Fact]
        public void NotARecipient()
        {
            using var t = new TestStore();
            using var stranger = UnlockedIdentity.Generate("stranger");
            Write(t, "a");
            var error = Assert.IsType<NotARecipientException>(NoValueIn.Throws(() => t.Reopen().Read("a", stranger)));
            Assert.Equal("NotARecipient", error.ErrorId);
            Assert.Equal(FailureKind.Permission, error.Kind);
        }

        [Fact]
        public void Rollback()
        {
            using var t = new TestStore();
            Write(t, "a");
            Write(t, "a");
            t.Store.Read("a", t.Owner).Dispose();
            File.Delete(t.VersionFile("a", 2));
            Assert.IsType<SecurityViolationException>(NoValueIn.Throws(() => t.Reopen().Read("a", t.Owner)));
            using var value = SecretValue.FromString(NoValueIn.Value);
            Assert.IsType<SecurityViolationException>(NoValueIn.Throws(() => t.Store.Write("a", value, null, t.Owner, WriteMode.CreateOrUpdate)));
        }

        [Theory]
        [InlineData("bad name")]
        [InlineData("bad.name")]
        [InlineData("")]
        [InlineData("/")]
        public void InvalidNameGivenWithAValue(string name)
        {
            using var t = new TestStore();
            using var value = SecretValue.FromString(NoValueIn.Value);
            Assert.IsType<InvalidInputException>(NoValueIn.Throws(() => t.Store.Write(name, value, null, t.Owner, WriteMode.CreateOnly)));
        }

        [Fact]
        public void ExistingSecretWrittenAgainWithCreateOnly()
        {
            using var t = new TestStore();
            Write(t, "a");
            using var value = SecretValue.FromString(NoValueIn.Value);
            Assert.IsType<SecretExistsException>(NoValueIn.Throws(() => t.Store.Write("a", value, null, t.Owner, WriteMode.CreateOnly)));
        }

        [Fact]
        public void WriterWhoIsNotTheOwner()
        {
            using var t = new TestStore();
            using var stranger = UnlockedIdentity.Generate("stranger");
            using var value = SecretValue.FromString(NoValueIn.Value);
            NoValueIn.Throws(() => t.Store.Write("a", value, null, stranger, WriteMode.CreateOnly));
        }

        [Fact]
        public void ValueOfTheWrongKindAskedFor()
        {
            using var bytes = SecretValue.FromBytes(ValueBytes);
            NoValueIn.Throws(() => bytes.GetText());
            NoValueIn.Throws(() => bytes.GetChars());
            using var table = SecretValue.FromEntries(new[] { new SecretEntry("k", SecretValue.FromString(NoValueIn.Value)) });
            NoValueIn.Throws(() => table.GetBytes());
            NoValueIn.Throws(() => table.GetText());
        }

        [Fact]
        public void TextValueThatIsNotUtf8()
        {
            var bytes = ValueBytes.Append((byte)0xc3).ToArray();
            NoValueIn.Throws(() => SecretValue.FromUtf8(SecretType.String, bytes));
            NoValueIn.Throws(() => SecretValue.FromCredential("u", bytes));
        }

        [Fact]
        public void DisposedValueAskedFor()
        {
            var value = SecretValue.FromString(NoValueIn.Value);
            value.Dispose();
            NoValueIn.Throws(() => value.GetText());
        }

        [Fact]
        public void ToStringNeverShowsTheValue()
        {
            using var text = SecretValue.FromString(NoValueIn.Value);
            using var secure = SecretValue.FromUtf8(SecretType.SecureString, ValueBytes);
            using var credential = SecretValue.FromCredential("user", ValueBytes);
            using var bytes = SecretValue.FromBytes(ValueBytes);
            using var table = SecretValue.FromEntries(new[] { new SecretEntry("k", SecretValue.FromString(NoValueIn.Value)) });
            foreach (var value in new[] { text, secure, credential, bytes, table })
            {
                NoValueIn.Text(value.ToString(), value.Type + ".ToString()");
                Assert.Equal($"SecretValue({value.Type})", value.ToString());
            }

            NoValueIn.Text(table.Entries[0].ToString(), "SecretEntry.ToString()");
        }

        [Fact]
        public void RecordsAndIdentitiesShowNoKeysOrValues()
        {
            using var t = new TestStore();
            var record = Write(t, "a");
            NoValueIn.Text(record.ToString(), "SecretRecord.ToString()");
            var keys = Convert.ToBase64String(t.Owner.EncryptionPrivate.Concat(t.Owner.SigningPrivate).ToArray());
            Assert.DoesNotContain(Secrets.Core.Codecs.Base64.Encode(t.Owner.EncryptionPrivate), t.Owner.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(Secrets.Core.Codecs.Base64.Encode(t.Owner.SigningPrivate), t.Owner.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(keys.TrimEnd('='), t.Owner.ToString(), StringComparison.Ordinal);
        }

        private static Exception ForgedRead(TestStore t, string typeLine, byte[] paddedPlaintext)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(t.VersionFile("forged", 1))!);
            File.WriteAllBytes(t.VersionFile("forged", 1), FileForge.Secret(t.Store.Manifest.Id, "forged", 1, typeLine, paddedPlaintext, t.Owner, new[] { t.Owner.Recipient }));
            var error = Assert.IsType<InvalidFileException>(NoValueIn.Throws(() => t.Reopen().Read("forged", t.Owner)));
            Assert.Equal("SecretFileInvalid", error.ErrorId);
            return error;
        }

        private static SecretRecord Write(TestStore t, string name)
        {
            using var value = SecretValue.FromString(NoValueIn.Value);
            return t.Store.Write(name, value, null, t.Owner, WriteMode.CreateOrUpdate);
        }
    }
}
