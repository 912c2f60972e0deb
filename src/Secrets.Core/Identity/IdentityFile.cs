using System;
using System.IO;
using Secrets.Core.Crypto;
using Secrets.Core.Codecs;
using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Platform;
using Secrets.Core.Values;

namespace Secrets.Core.Identity
{
    /// <summary>How an identity's private keys are protected at rest.</summary>
    public enum IdentityProtection
    {
        /// <summary>Encrypted with a key derived from a passphrase by Argon2id.</summary>
        Passphrase,

        /// <summary>Stored in clear in an owner-only file, for unattended automation.</summary>
        None,
    }

    /// <summary>
    /// An identity file (docs/FORMAT.md, "Identities"): its public part, readable without the
    /// passphrase, and the protected private keys.
    /// </summary>
    public sealed class IdentityFile
    {
        public const string Magic = "secrets/v1";
        public const int MaxFileBytes = 64 * 1024;
        private const int PrivateKeysSize = 64;

        private readonly byte[] _keyField;
        private readonly byte[]? _nonce;
        private readonly byte[]? _salt;
        private readonly byte[] _data;
        private readonly int _keyLineOffset;

        private IdentityFile(string path, string name, DateTime created, Recipient recipient, IdentityProtection protection,
            KdfParameters? kdf, byte[]? salt, byte[]? nonce, byte[] keyField, byte[] data, int keyLineOffset)
        {
            Path = path;
            Name = name;
            Created = created;
            Recipient = recipient;
            Protection = protection;
            Kdf = kdf;
            _salt = salt;
            _nonce = nonce;
            _keyField = keyField;
            _data = data;
            _keyLineOffset = keyLineOffset;
        }

        public string Path { get; }
        public string Name { get; }
        public DateTime Created { get; }
        public Recipient Recipient { get; }
        public IdentityProtection Protection { get; }
        public KdfParameters? Kdf { get; }

        /// <summary>
        /// Creates a new identity file (fails if one exists). With a passphrase the private keys are
        /// encrypted under Argon2id; with null they are written in clear to an owner-only file.
        /// </summary>
        public static IdentityFile Create(string path, string name, byte[]? passphrase, KdfParameters? kdf = null, bool overwrite = false)
        {
            if (path == null)
            {
                throw new ArgumentNullException(nameof(path));
            }

            name = DisplayText.Normalize(name ?? string.Empty);
            if (name.Length == 0)
            {
                throw new InvalidInputException("InvalidIdentityName", "Name", "The identity name must not be empty.");
            }

            if (System.Text.Encoding.UTF8.GetByteCount(name) > DisplayText.MaxBytes)
            {
                throw new InvalidInputException("InvalidIdentityName", "Name", $"The identity name must be 1 to {DisplayText.MaxBytes} bytes of text.");
            }

            DisplayText.Validate(name, "identity name");
            path = System.IO.Path.GetFullPath(path);
            if (!overwrite && File.Exists(path))
            {
                throw new SecretsException("IdentityExists", FailureKind.AlreadyExists, $"An identity already exists at '{path}'.")
                {
                    FilePath = path,
                    RecommendedAction = "Use it (Get-SecretIdentity), or give another -Path. Replacing it would lose access to every secret encrypted to it.",
                };
            }

            using var identity = UnlockedIdentity.Generate(name);
            var content = Serialize(identity, DateTime.UtcNow, passphrase, passphrase == null ? null : kdf ?? KdfParameters.Default);
            FilePermissions.CreateOwnerOnlyDirectory(System.IO.Path.GetDirectoryName(path)!);
            AtomicFile.Write(path, content, overwrite, ownerOnly: true);
            return Load(path);
        }

        /// <summary>
        /// The recipient (public keys) of an identity file, for showing or comparing it: the bytes
        /// read, which for an identity without a passphrase hold its private keys, are zeroed at once.
        /// </summary>
        public static Recipient ReadRecipient(string path)
        {
            var file = Load(path);
            var recipient = file.Recipient;
            file.ClearKeyMaterial();
            return recipient;
        }

        /// <summary>
        /// Zeroes the bytes read from the file (for an identity without a passphrase, its private
        /// keys); the object can no longer unlock. Call it once the object has served.
        /// </summary>
        public void ClearKeyMaterial()
        {
            Sensitive.Zero(_data);
            Sensitive.Zero(_keyField);
        }

        /// <summary>Reads the public part of an identity file and checks its integrity.</summary>
        /// <summary>
        /// The identity at <paramref name="path"/>, unlocked, when it has no passphrase (checked as
        /// <see cref="Unlock"/> checks it); null when it has one. Read again only when its file changed.
        /// </summary>
        public static UnlockedIdentity? UnlockUnprotected(string path) => UnprotectedIdentities.TryUnlock(path);

        public static IdentityFile Load(string path)
        {
            path = System.IO.Path.GetFullPath(path);
            if (!File.Exists(path))
            {
                throw new IdentityNotFoundException(path);
            }

            var data = AtomicFile.ReadAll(path, MaxFileBytes, problem => new InvalidFileException("IdentityFileInvalid", path, problem), allowLink: true);
            try
            {
                return Parse(path, data);
            }
            catch (FormatProblem problem)
            {
                throw problem.ToException("IdentityFileInvalid", path);
            }
        }

        /// <summary>
        /// Decrypts the private keys. Throws <see cref="WrongPassphraseException"/> when the
        /// passphrase is wrong and <see cref="InvalidFileException"/> when the file is damaged.
        /// </summary>
        public UnlockedIdentity Unlock(byte[]? passphrase)
        {
            byte[]? keys = null;
            byte[]? kek = null;
            try
            {
                if (Protection == IdentityProtection.None)
                {
                    CheckPermissions();
                    keys = (byte[])_keyField.Clone();
                }
                else
                {
                    if (passphrase == null)
                    {
                        throw new IdentityLockedException(Path);
                    }

                    kek = PassphraseKdf.DeriveKey(passphrase, _salt!, Kdf!);
                    keys = Aead.Open(kek, _nonce!, _keyField, KeyAad(_data, _keyLineOffset));
                    if (keys == null)
                    {
                        throw new WrongPassphraseException(Path);
                    }
                }

                var encryption = new byte[32];
                var signing = new byte[32];
                Buffer.BlockCopy(keys, 0, encryption, 0, 32);
                Buffer.BlockCopy(keys, 32, signing, 0, 32);
                var unlocked = new UnlockedIdentity(Name, Path, encryption, signing);
                if (!Sensitive.FixedTimeEquals(unlocked.Recipient.EncryptionKey, Recipient.EncryptionKey)
                    || !Sensitive.FixedTimeEquals(unlocked.Recipient.SigningKey, Recipient.SigningKey))
                {
                    unlocked.Dispose();
                    throw new InvalidFileException("IdentityFileInvalid", Path, "the private keys do not match the public keys");
                }

                return unlocked;
            }
            finally
            {
                Sensitive.Zero(keys);
                Sensitive.Zero(kek);
            }
        }

        /// <summary>
        /// For an identity without a passphrase, which only its file's permissions protect: throws
        /// <see cref="UnprotectedIdentityFileException"/> when group or others have any access to
        /// the file (Unix mode 0077), unless <see cref="SecretsPaths.IgnoreIdentityPermissionsVariable"/>
        /// is set. Not checked on Windows, nor where the runtime cannot tell the mode.
        /// </summary>
        public void CheckPermissions()
        {
            if (Protection != IdentityProtection.None || SecretsPaths.IgnoreIdentityPermissions)
            {
                return;
            }

            if (FilePermissions.TryGetUnixMode(Path, out int mode) && (mode & FilePermissions.GroupOrOthers) != 0)
            {
                throw new UnprotectedIdentityFileException(Path, FilePermissions.FormatUnixMode(mode), SecretsPaths.IgnoreIdentityPermissionsVariable);
            }
        }

        /// <summary>
        /// Rewrites the file with another protection (a new passphrase, or none), keeping the keys.
        /// </summary>
        public IdentityFile ChangeProtection(UnlockedIdentity unlocked, byte[]? newPassphrase, KdfParameters? kdf = null)
        {
            if (unlocked == null)
            {
                throw new ArgumentNullException(nameof(unlocked));
            }

            if (!unlocked.Recipient.Equals(Recipient))
            {
                throw new ArgumentException("The unlocked identity is not the one in this file.", nameof(unlocked));
            }

            var content = Serialize(unlocked, Created, newPassphrase, newPassphrase == null ? null : kdf ?? KdfParameters.Default);
            AtomicFile.Write(Path, content, overwrite: true, ownerOnly: true);
            return Load(Path);
        }

        /// <summary>
        /// Writes an identity file for keys restored from a backup (<see cref="IdentityBackup"/>),
        /// with its original name and creation time, protected by <paramref name="passphrase"/>
        /// (null: none). Fails if a file exists unless <paramref name="overwrite"/>.
        /// </summary>
        public static IdentityFile Restore(string path, UnlockedIdentity identity, DateTime created, byte[]? passphrase, KdfParameters? kdf = null, bool overwrite = false)
        {
            if (path == null)
            {
                throw new ArgumentNullException(nameof(path));
            }

            if (identity == null)
            {
                throw new ArgumentNullException(nameof(identity));
            }

            path = System.IO.Path.GetFullPath(path);
            if (!overwrite && File.Exists(path))
            {
                throw new SecretsException("IdentityExists", FailureKind.AlreadyExists, $"An identity already exists at '{path}'.")
                {
                    FilePath = path,
                    RecommendedAction = "Restore it as another identity (-Identity), or add -Force to replace it (the old one is kept, retired).",
                };
            }

            var content = Serialize(identity, created, passphrase, passphrase == null ? null : kdf ?? KdfParameters.Default);
            FilePermissions.CreateOwnerOnlyDirectory(System.IO.Path.GetDirectoryName(path)!);
            AtomicFile.Write(path, content, overwrite, ownerOnly: true);
            return Load(path);
        }

        public override string ToString() => $"{Name} ({Recipient.Fingerprint}, {Protection})";

        internal static byte[] Serialize(UnlockedIdentity identity, DateTime created, byte[]? passphrase, KdfParameters? kdf)
        {
            var writer = new LineWriter();
            writer.Line(Magic, "identity");
            writer.TextLine("name", identity.Name);
            writer.Line("created", SecretMetadata.FormatTimestamp(created));
            writer.Line("public", identity.Recipient.Text);
            var keys = new byte[PrivateKeysSize];
            byte[]? kek = null;
            try
            {
                Buffer.BlockCopy(identity.EncryptionPrivate, 0, keys, 0, 32);
                Buffer.BlockCopy(identity.SigningPrivate, 0, keys, 32, 32);
                if (passphrase == null)
                {
                    writer.Line("kdf", "none");
                    writer.Line("key", Base64.Encode(keys));
                }
                else
                {
                    var salt = RandomBytes.Get(KdfParameters.SaltSize);
                    writer.Line("kdf", "argon2id", kdf!.MemoryKiB.ToString(), kdf.Iterations.ToString(), kdf.Parallelism.ToString(), Base64.Encode(salt));
                    var header = writer.ToArray();
                    kek = PassphraseKdf.DeriveKey(passphrase, salt, kdf);
                    var nonce = RandomBytes.Get(Aead.NonceSize);
                    var sealedKeys = Aead.Seal(kek, nonce, keys, KeyAad(header, header.Length));
                    writer.Line("key", Base64.Encode(nonce), Base64.Encode(sealedKeys));
                }

                var body = writer.ToArray();
                writer.Line("check", Base64.Encode(Sha256.Hash(body)));
                return writer.ToArray();
            }
            finally
            {
                Sensitive.Zero(keys);
                Sensitive.Zero(kek);
            }
        }

        /// <summary>Parses the bytes of the identity file at <paramref name="path"/>; throws <see cref="FormatProblem"/>.</summary>
        internal static IdentityFile Parse(string path, byte[] data)
        {
            var reader = LineReader.Parse(data);
            CheckIntegrityFirst(data);
            var magic = reader.Expect(Magic, 2);
            if (magic.Fields[1] != "identity")
            {
                throw new FormatProblem($"it is a '{magic.Fields[1]}' file, not an identity");
            }

            var name = DisplayText.Parse(reader.ExpectKey("name"));
            var createdLine = reader.Expect("created", 2);
            if (!SecretMetadata.TryParseTimestamp(createdLine.Fields[1], out var created))
            {
                throw new FormatProblem($"line {createdLine.Number} has an invalid timestamp");
            }

            var publicLine = reader.Expect("public", 2);
            if (!Recipient.TryParse(publicLine.Fields[1], out var recipient, out var problem) || publicLine.Fields[1] != recipient!.Text)
            {
                throw new FormatProblem($"line {publicLine.Number} is not a valid recipient: {problem}");
            }

            var kdfLine = reader.ExpectKey("kdf");
            var keyLine = reader.ExpectKey("key");
            var checkLine = reader.Expect("check", 2);
            reader.ExpectEnd();

            // Integrity first: a damaged file must not be reported as a wrong passphrase.
            var check = Base64.Decode(checkLine.Fields[1], 32);
            if (check == null || !Sensitive.FixedTimeEquals(check, Sha256.Hash(data, 0, checkLine.Offset)))
            {
                throw new FormatProblem("its checksum does not match (the file is damaged)");
            }

            if (kdfLine.Fields.Length == 2 && kdfLine.Fields[1] == "none")
            {
                if (keyLine.Fields.Length != 2)
                {
                    throw new FormatProblem($"line {keyLine.Number} ('key') must hold one value");
                }

                var keys = Base64.Decode(keyLine.Fields[1], PrivateKeysSize)
                    ?? throw new FormatProblem($"line {keyLine.Number} ('key') is not 64 bytes of base64");
                return new IdentityFile(path, name, created, recipient, IdentityProtection.None, null, null, null, keys, data, keyLine.Offset);
            }

            if (kdfLine.Fields.Length != 6 || kdfLine.Fields[1] != "argon2id")
            {
                throw new FormatProblem($"line {kdfLine.Number} ('kdf') must be 'kdf none' or 'kdf argon2id <memory> <iterations> <parallelism> <salt>'");
            }

            if (!TryParseUInt(kdfLine.Fields[2], out int memory) || !TryParseUInt(kdfLine.Fields[3], out int iterations)
                || !TryParseUInt(kdfLine.Fields[4], out int parallelism))
            {
                throw new FormatProblem($"line {kdfLine.Number} ('kdf') has an invalid number");
            }

            KdfParameters kdf;
            try
            {
                kdf = new KdfParameters(memory, iterations, parallelism);
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new FormatProblem($"line {kdfLine.Number} ('kdf'): {e.Message.Split('\n')[0].Trim()}");
            }

            var salt = Base64.Decode(kdfLine.Fields[5], KdfParameters.SaltSize)
                ?? throw new FormatProblem($"line {kdfLine.Number} ('kdf') has a salt that is not 16 bytes of base64");
            if (keyLine.Fields.Length != 3)
            {
                throw new FormatProblem($"line {keyLine.Number} ('key') must hold a nonce and a ciphertext");
            }

            var nonce = Base64.Decode(keyLine.Fields[1], Aead.NonceSize)
                ?? throw new FormatProblem($"line {keyLine.Number} ('key') has a nonce that is not 12 bytes of base64");
            var sealedKeys = Base64.Decode(keyLine.Fields[2], PrivateKeysSize + Aead.TagSize)
                ?? throw new FormatProblem($"line {keyLine.Number} ('key') has a ciphertext that is not 80 bytes of base64");
            return new IdentityFile(path, name, created, recipient, IdentityProtection.Passphrase, kdf, salt, nonce, sealedKeys, data, keyLine.Offset);
        }

        /// <summary>
        /// Verifies the trailing 'check' line before reading anything else, so that damage anywhere,
        /// even in the first line, is reported as damage (not as a newer format or a wrong passphrase).
        /// </summary>
        private static void CheckIntegrityFirst(byte[] data)
        {
            int end = data.Length - 1;
            int start = end;
            while (start > 0 && data[start - 1] != (byte)'\n')
            {
                start--;
            }

            var last = System.Text.Encoding.ASCII.GetString(data, start, end - start);
            var fields = last.Split(' ');
            var check = fields.Length == 2 && fields[0] == "check" ? Base64.Decode(fields[1], 32) : null;
            if (check == null)
            {
                throw new FormatProblem("its last line is not 'check <SHA-256>' (the file is damaged or truncated)");
            }

            if (!Sensitive.FixedTimeEquals(check, Sha256.Hash(data, 0, start)))
            {
                throw new FormatProblem("its checksum does not match (the file is damaged)");
            }
        }

        private static byte[] KeyAad(byte[] data, int keyLineOffset)
        {
            var label = System.Text.Encoding.ASCII.GetBytes(Labels.IdentityKeyAad);
            var aad = new byte[label.Length + keyLineOffset];
            Buffer.BlockCopy(label, 0, aad, 0, label.Length);
            Buffer.BlockCopy(data, 0, aad, label.Length, keyLineOffset);
            return aad;
        }

        internal static bool TryParseUInt(string text, out int value)
        {
            value = 0;
            if (text.Length == 0 || text.Length > 10 || (text.Length > 1 && text[0] == '0'))
            {
                return false;
            }

            long result = 0;
            foreach (char c in text)
            {
                if (c < '0' || c > '9')
                {
                    return false;
                }

                result = result * 10 + (c - '0');
            }

            if (result > int.MaxValue)
            {
                return false;
            }

            value = (int)result;
            return true;
        }
    }
}
