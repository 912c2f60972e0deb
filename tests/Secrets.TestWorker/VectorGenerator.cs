using System;
using System.IO;
using System.Linq;
using System.Text;
using Secrets.Core.Crypto;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Secrets.Core.Values;

namespace Secrets.TestWorker
{
    /// <summary>
    /// Writes the conformance vectors of tests/Secrets.Core.Tests/Vectors: two identities and a
    /// small store. Keys, nonces and timestamps are fresh on every run, so the committed files are
    /// generated once; Vectors/README.md lists what they hold and the tests check every value.
    /// </summary>
    public static class VectorGenerator
    {
        /// <summary>The passphrase of passphrase.identity (documented in Vectors/README.md).</summary>
        public const string Passphrase = "vector passphrase: Grüße ✓";

        public static void Generate(string directory)
        {
            directory = Path.GetFullPath(directory);
            if (Directory.Exists(Path.Combine(directory, "store")))
            {
                throw new InvalidOperationException($"'{directory}' already holds a vector store; delete it first.");
            }

            // The identity files' format does not change with the store's: existing ones are kept,
            // so that a new store of vectors keeps the documented keys.
            Directory.CreateDirectory(directory);
            var stateRoot = Path.Combine(Path.GetTempPath(), "secrets-vectors-state-" + Guid.NewGuid().ToString("N"));
            try
            {
                var ownerPath = Path.Combine(directory, "unprotected.identity");
                var passphrasePath = Path.Combine(directory, "passphrase.identity");
                if (File.Exists(ownerPath) && !OperatingSystem.IsWindows())
                {
                    // Git checks it out readable by everyone; an identity without a passphrase must be owner-only.
                    File.SetUnixFileMode(ownerPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                var ownerFile = File.Exists(ownerPath) ? IdentityFile.Load(ownerPath) : IdentityFile.Create(ownerPath, "Vector Owner", null);
                var passphraseFile = File.Exists(passphrasePath) ? IdentityFile.Load(passphrasePath) : IdentityFile.Create(passphrasePath, "Vector Reader ✓",
                    Encoding.UTF8.GetBytes(Passphrase), new KdfParameters(KdfParameters.MinMemoryKiB, 1, 1));
                using var owner = ownerFile.Unlock(null);
                var store = SecretStore.Create(Path.Combine(directory, "store"), owner, 5, stateRoot);

                Write(store, owner, "vectors/string", SecretValue.FromString("first value"), null);
                var metadata = new SecretMetadata();
                metadata.Set("Environment", "prod");
                metadata.Set("empty", string.Empty);
                metadata.Set("unicode", "Grüße ✓ 🔑");
                metadata.Set("count", -42);
                metadata.Set("big", 9000000000L);
                metadata.Set("rotated", true);
                metadata.Set("enabled", false);
                metadata.Set("expires", new DateTime(2026, 11, 23, 7, 32, 0, DateTimeKind.Utc).AddTicks(1234567));
                Write(store, owner, "vectors/string", SecretValue.FromString("hello, world ✓"), metadata);
                var withNote = metadata.Clone();
                withNote.Set("note", "metadata-only version");
                Print(store.SetMetadata("vectors/string", withNote, owner));

                Write(store, owner, "vectors/secure-string", SecretValue.FromUtf8(SecretType.SecureString, Encoding.UTF8.GetBytes("p@ss wörd 🔑")), null);
                Write(store, owner, "vectors/credential", SecretValue.FromCredential(@"CORP\jürgen", Encoding.UTF8.GetBytes("hunter2 ✓")), null);
                Write(store, owner, "vectors/bytes", SecretValue.FromBytes(new byte[] { 0x00, 0x01, 0x02, 0x7f, 0x80, 0xfe, 0xff, 0x00, 0x00 }), null);
                Write(store, owner, "vectors/hashtable", SecretValue.FromEntries(new[]
                {
                    new SecretEntry("host", SecretValue.FromString("db.example.org")),
                    new SecretEntry("Password", SecretValue.FromUtf8(SecretType.SecureString, Encoding.UTF8.GetBytes("s3cr3t ✓"))),
                    new SecretEntry("login", SecretValue.FromCredential("svc", Encoding.UTF8.GetBytes("pw"))),
                    new SecretEntry("cert", SecretValue.FromBytes(new byte[] { 0xde, 0xad, 0xbe, 0xef, 0x00 })),
                    new SecretEntry("empty", SecretValue.FromString(string.Empty)),
                }), null);
                Write(store, owner, "CON/Mixed-Case", SecretValue.FromString("device name"), null);
                Write(store, owner, "vectors/removed", SecretValue.FromString("gone"), null);
                Print(store.Remove("vectors/removed", owner));

                Console.Out.WriteLine($"owner {ownerFile.Recipient.Text} {ownerFile.Recipient.Fingerprint} created {ownerFile.Created:O}");
                Console.Out.WriteLine($"passphrase {passphraseFile.Recipient.Text} {passphraseFile.Recipient.Fingerprint} created {passphraseFile.Created:O}");
                Console.Out.WriteLine($"store id {store.Manifest.IdHex} created {store.Manifest.Created:O}");
            }
            finally
            {
                try
                {
                    Directory.Delete(stateRoot, recursive: true);
                }
                catch (IOException)
                {
                }

                // The lock file is never part of a store's content (the store's .gitignore lists it).
                File.Delete(Path.Combine(directory, "store", ".lock"));
            }
        }

        private static void Write(SecretStore store, UnlockedIdentity owner, string name, SecretValue value, SecretMetadata? metadata)
        {
            using (value)
            {
                Print(store.Write(name, value, metadata, owner, WriteMode.CreateOrUpdate));
            }
        }

        private static void Print(SecretRecord record) =>
            Console.Out.WriteLine($"{record.Name} v{record.Version} {record.Type} modified {record.Modified:O}");
    }
}
