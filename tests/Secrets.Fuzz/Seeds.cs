using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Secrets.Core.Crypto;
using Secrets.Core.Names;
using Secrets.Core.Format;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Secrets.Core.Values;

namespace Secrets.Fuzz
{
    /// <summary>
    /// Writes the seed corpus (files named seed-*) from the conformance vectors and from files the
    /// core's own writers make with the fuzz keys. Run once when a format changes; the fuzzer's
    /// finds (found-*) are kept beside them.
    /// </summary>
    internal static class Seeds
    {
        /// <summary>The targets to write seeds of (all when empty).</summary>
        private static string[] _only = Array.Empty<string>();

        /// <summary>Writes the seeds of every target, or of the targets named in <paramref name="only"/>.</summary>
        public static void Write(string corpus, string vectors, params string[] only)
        {
            _only = only;
            InteropSeeds.Write(corpus, Path.GetFullPath(Path.Combine(vectors, "..", "..", "Fixtures", "Interop")));
            if (only.Length > 0 && !only.Any(t => VectorTargets.Contains(t)))
            {
                return;
            }

            var created = new DateTime(2026, 12, 5, 8, 0, 0, DateTimeKind.Utc);

            // Version files: every vector, and a shared secret written by an admin under a log entry.
            foreach (var file in Directory.EnumerateFiles(Path.Combine(vectors, "store", "secrets"), "*.secret", SearchOption.AllDirectories))
            {
                var folder = Path.GetFileName(Path.GetDirectoryName(file)!);
                Put(corpus, "version-file", $"seed-{folder}-{Path.GetFileNameWithoutExtension(file)}", File.ReadAllBytes(file));
            }

            var metadata = new SecretMetadata();
            metadata.Set("owner", "ops ✓");
            metadata.Set("Port", 5432);
            metadata.Set("rotated", created);
            using (var value = SecretValue.FromString("shared value"))
            {
                var shared = SecretFileFormat.WriteSecret(Keys.StoreId, SecretName.Parse("Team/db"), 4, value, metadata, created, Keys.Admin,
                    new[] { Keys.Owner.Recipient, Keys.Admin.Recipient, Keys.Member.Recipient }, logSeq: 3,
                    previous: new PreviousVersion(3, new byte[32]));
                Put(corpus, "version-file", "seed-shared-v4", shared);
            }

            // The value encoding: every vector's decrypted value, and a few of our own.
            foreach (var file in Directory.EnumerateFiles(Path.Combine(vectors, "store", "secrets"), "v1.secret", SearchOption.AllDirectories))
            {
                var header = SecretFileFormat.Parse(File.ReadAllBytes(file));
                if (!header.IsTombstone)
                {
                    using var value = SecretFileFormat.Decrypt(header, Keys.Owner)!;
                    Put(corpus, "value-codec", $"seed-{header.Type}-{Path.GetFileName(Path.GetDirectoryName(file))}", ValueCodec.EncodePadded(value));
                }
            }

            using (var empty = SecretValue.FromString(string.Empty))
            using (var bytes = SecretValue.FromBytes(Enumerable.Range(0, 70).Select(i => (byte)(i * 37)).ToArray()))
            using (var table = SecretValue.FromEntries(new[]
            {
                new SecretEntry("Login", SecretValue.FromCredential(string.Empty, Encoding.UTF8.GetBytes("pw ✓"))),
                new SecretEntry("z", SecretValue.FromUtf8(SecretType.SecureString, Encoding.UTF8.GetBytes("🔑"))),
            }))
            {
                Put(corpus, "value-codec", "seed-empty-string", ValueCodec.EncodePadded(empty));
                Put(corpus, "value-codec", "seed-bytes-two-blocks", ValueCodec.EncodePadded(bytes));
                Put(corpus, "value-codec", "seed-hashtable-credential", ValueCodec.EncodePadded(table));
            }

            // Manifests: the vectors', and a later revision owned by an admin key with a name outside ASCII.
            Put(corpus, "manifest", "seed-vector", File.ReadAllBytes(Path.Combine(vectors, "store", "store.manifest")));
            Put(corpus, "manifest", "seed-revision-7",
                new StoreManifest(Keys.StoreId, created, Keys.Admin.Recipient, "Ada Ädmin ✓", StoreManifest.MaxKeepVersions, 7).Serialize(Keys.Admin));

            // Identities: both vectors, and one without a passphrase whose name is not ASCII.
            Put(corpus, "identity", "seed-unprotected", File.ReadAllBytes(Path.Combine(vectors, "unprotected.identity")));
            Put(corpus, "identity", "seed-passphrase", File.ReadAllBytes(Path.Combine(vectors, "passphrase.identity")));
            Put(corpus, "identity", "seed-member", IdentityFile.Serialize(Keys.Member, created, null, null));

            // Identity backups: of the owner and of a member whose name is not ASCII, at the minimum Argon2id cost.
            var quick = new KdfParameters(KdfParameters.MinMemoryKiB, 1, 1);
            var vectorPassphrase = Encoding.UTF8.GetBytes(Keys.VectorPassphrase);
            Put(corpus, "identity-backup", "seed-owner", Encoding.ASCII.GetBytes(IdentityBackup.Write(Keys.Owner, created, vectorPassphrase, quick)));
            Put(corpus, "identity-backup", "seed-member", Encoding.ASCII.GetBytes(IdentityBackup.Write(Keys.Member, created, vectorPassphrase, quick)));

            WriteLog(corpus, created);

            // Recipient strings: the vectors' (one in capitals, one with spaces around) and BIP 173's valid strings.
            var owner = Keys.Owner.Recipient.Text;
            foreach (var (name, text) in new[]
            {
                ("owner", owner),
                ("reader", "secrets1j8n9c7qmm7fn5tspy4phdtje8vdaeu3h8xn4qrrncrkkw9yvcgv3dvg06yaz3z49q539pvm3vcd4h995ez9dgnh78s9mlyh3xjj5cdsaw8szl"),
                ("owner-upper", owner.ToUpperInvariant()),
                ("owner-spaces", "  " + owner + "\n"),
                ("bip173-short", "A12UEL5L"),
                ("bip173-charset", "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw"),
                ("bip173-words", "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w"),
            })
            {
                Put(corpus, "recipient", "seed-" + name, Encoding.UTF8.GetBytes(text));
            }

            // -Values text: JSON and the YAML forms people write.
            foreach (var (name, text) in new[]
            {
                ("json", "{\"user\": \"svc\", \"password\": \"p@ss: w0rd\", \"port\": 5432, \"on\": true}"),
                ("json-escapes", "{\"a\\u00e9\": \"line\\nbreak\\t\\\"q\\\" \\\\ \\/ \\ud83d\\udd11\", \"empty\": \"\"}"),
                ("yaml", "user: svc\npassword: 'p@ss: w0rd'\nport: 5432\nempty: ''\n"),
                ("yaml-block", "# comment\ncert: |\n  line one\n  line two\nfolded: >-\n  a\n  b\n"),
                ("yaml-anchors", "--- !tag\nbase: &b shared\ncopy: *b\n\"quoted key\": \"x\"\n? complex\n: value\n...\n"),
                ("yaml-flow", "{ a: 1, 'b': \"2\", c: [not, allowed] }"),
                ("yaml-two-documents", "a: 1\n---\nb: 2\n"),
                ("yaml-unicode", "unicode: Grüße ✓ 🔑\n\"✓\": \"\\u00e9\\x41\\N\\_\"\n"),
                ("yaml-repeated-key", "Key: 1\nkey: 2\n"),
            })
            {
                Put(corpus, "structured-values", "seed-" + name, Encoding.UTF8.GetBytes(text));
            }
        }

        /// <summary>A store log written by the core's writer: admins, members, access, a role change, a removal.</summary>
        private static void WriteLog(string corpus, DateTime created)
        {
            var folder = Path.Combine(Path.GetTempPath(), "secrets-fuzz-seeds-" + Guid.NewGuid().ToString("N"));
            try
            {
                var manifest = new StoreManifest(Keys.StoreId, Keys.StoreCreated, Keys.Owner.Recipient, Keys.OwnerName, StoreManifest.DefaultKeepVersions);
                var steps = new List<Action<StoreLog>>
                {
                    log => log.AppendMember(Keys.StoreId, "add-member", Keys.Admin.Recipient, "Ada Admin", MemberRole.Admin, Keys.Owner),
                    log => log.AppendMember(Keys.StoreId, "add-member", Keys.Member.Recipient, "Max Müller", MemberRole.Member, Keys.Admin),
                    log => log.AppendAccess(Keys.StoreId, SecretName.Parse("Prod/DB"),
                        new[] { new AccessGrant(Keys.SigningKey(Keys.Member), AccessLevel.Read, Keys.SigningKey(Keys.Admin), created) }, created, Keys.Admin),
                    log => log.AppendMember(Keys.StoreId, "add-member", Keys.Other.Recipient, "Oscar Other", MemberRole.Member, Keys.Owner),
                    log => log.AppendMember(Keys.StoreId, "set-role", Keys.Member.Recipient, null, MemberRole.Admin, Keys.Owner),
                    log => log.AppendAccess(Keys.StoreId, SecretName.Parse("prod/db"), Array.Empty<AccessGrant>(), created.AddMinutes(1), Keys.Member),
                    log => log.AppendMember(Keys.StoreId, "remove-member", Keys.Other.Recipient, null, null, Keys.Admin),
                };

                var entries = new List<byte[]>();
                foreach (var step in steps)
                {
                    var log = StoreLog.Load(folder, manifest);
                    step(log);
                    entries.Add(File.ReadAllBytes(log.EntryPath(log.Head + 1)));
                }

                StoreLog.Load(folder, manifest);
                foreach (var count in new[] { 1, 3, 7 })
                {
                    Put(corpus, "log-entry", $"seed-entries-{count}", entries.Take(count).SelectMany(e => e).ToArray());
                }
            }
            finally
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
        }

        private static readonly string[] VectorTargets = { "identity", "log-entry", "manifest", "recipient", "structured-values", "value-codec", "version-file" };

        /// <summary>Writes CORPUS/TARGET/NAME, unless the target is not among those asked for.</summary>
        internal static void Put(string corpus, string target, string name, byte[] data)
        {
            if (_only.Length > 0 && !_only.Contains(target))
            {
                return;
            }

            var folder = Path.Combine(corpus, target);
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, name), data);
        }
    }
}
