using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Format;

namespace Secrets.Core.Identity
{
    /// <summary>
    /// An identity backup (docs/FORMAT.md, "Identity backups"): the identity's keys, name and
    /// creation time, encrypted under a passphrase of its own (Argon2id with the parameters written
    /// in the backup, ChaCha20-Poly1305), written as lines of Crockford base32 that can be printed
    /// and typed back, each with a CRC-16 that names the line a mistyped character is on.
    /// </summary>
    public sealed class IdentityBackup
    {
        public const string ErrorId = "IdentityBackupInvalid";
        public const int Version = 1;
        public const int MaxTextChars = 16 * 1024;
        internal const int BytesPerLine = 20;
        internal const int MaxLines = 20;
        private const string HeaderWords = "SECRETS IDENTITY BACKUP";
        private const int HeaderSize = 35;
        private const int CheckSize = 8;
        private const int PrivateKeysSize = 64;
        private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

        private readonly byte[] _blob;

        private IdentityBackup(string source, string fingerprint, KdfParameters kdf, byte[] blob)
        {
            Source = source;
            Fingerprint = fingerprint;
            Kdf = kdf;
            _blob = blob;
        }

        /// <summary>RFC 9106 §4's second option with twice the memory of an identity: a backup lies around longer.</summary>
        public static KdfParameters DefaultKdf => new KdfParameters(128 * 1024, 3, 4);

        /// <summary>Where the backup was read from (a file, or a description of the text), for messages.</summary>
        public string Source { get; }

        /// <summary>The fingerprint the backup's header names (checked against the keys when opened).</summary>
        public string Fingerprint { get; }

        public KdfParameters Kdf { get; }

        /// <summary>
        /// The backup of <paramref name="identity"/> under <paramref name="passphrase"/>, as the
        /// lines of its text (LF-terminated).
        /// </summary>
        public static string Write(UnlockedIdentity identity, DateTime created, byte[] passphrase, KdfParameters? kdf = null)
        {
            if (identity == null)
            {
                throw new ArgumentNullException(nameof(identity));
            }

            if (passphrase == null || passphrase.Length == 0)
            {
                throw new ArgumentException("A backup needs a passphrase.", nameof(passphrase));
            }

            kdf ??= DefaultKdf;
            var name = Encoding.UTF8.GetBytes(identity.Name);
            var plain = new byte[8 + PrivateKeysSize + name.Length];
            byte[]? key = null;
            try
            {
                WriteInt64(plain, 0, created.ToUniversalTime().Ticks);
                Buffer.BlockCopy(identity.EncryptionPrivate, 0, plain, 8, 32);
                Buffer.BlockCopy(identity.SigningPrivate, 0, plain, 40, 32);
                Buffer.BlockCopy(name, 0, plain, 72, name.Length);

                var header = new byte[HeaderSize];
                header[0] = Version;
                WriteInt32(header, 1, kdf.MemoryKiB);
                header[5] = (byte)kdf.Iterations;
                header[6] = (byte)kdf.Parallelism;
                var salt = RandomBytes.Get(KdfParameters.SaltSize);
                var nonce = RandomBytes.Get(Aead.NonceSize);
                Buffer.BlockCopy(salt, 0, header, 7, 16);
                Buffer.BlockCopy(nonce, 0, header, 23, 12);
                key = PassphraseKdf.DeriveKey(passphrase, salt, kdf);
                var sealedPart = Aead.Seal(key, nonce, plain, Aad(header));

                var blob = new byte[HeaderSize + sealedPart.Length + CheckSize];
                Buffer.BlockCopy(header, 0, blob, 0, HeaderSize);
                Buffer.BlockCopy(sealedPart, 0, blob, HeaderSize, sealedPart.Length);
                Buffer.BlockCopy(Sha256.Hash(blob, 0, blob.Length - CheckSize), 0, blob, blob.Length - CheckSize, CheckSize);
                return Format(blob, identity.Recipient.Fingerprint);
            }
            finally
            {
                Sensitive.Zero(plain);
                Sensitive.Zero(key);
            }
        }

        /// <summary>
        /// Reads the text of a backup (a file's content, or lines typed back). Throws
        /// <see cref="InvalidFileException"/> (<see cref="ErrorId"/>) naming the line that is
        /// wrong, or <see cref="UnsupportedFormatException"/> for a later version.
        /// </summary>
        public static IdentityBackup Parse(string text, string source)
        {
            if (text == null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            try
            {
                return ParseText(text, source);
            }
            catch (FormatProblem problem)
            {
                throw problem.LaterFormat != null
                    ? new UnsupportedFormatException(source, $"identity backup version {problem.LaterFormat}")
                    : new InvalidFileException(ErrorId, source, problem.Message)
                    {
                        RecommendedAction = "Compare the backup with the printed or saved copy, line by line: the message names the line that does not check out.",
                    };
            }
        }

        /// <summary>
        /// Decrypts the backup. Throws <see cref="SecretsException"/> 'WrongPassphrase' when the
        /// passphrase does not open it (the backup itself checked out as undamaged). The identity
        /// returned has <paramref name="path"/> as its file, where it is to be restored.
        /// </summary>
        public UnlockedIdentity Open(byte[] passphrase, out DateTime created, string? path = null)
        {
            if (passphrase == null)
            {
                throw new ArgumentNullException(nameof(passphrase));
            }

            var header = new byte[HeaderSize];
            Buffer.BlockCopy(_blob, 0, header, 0, HeaderSize);
            var salt = new byte[16];
            var nonce = new byte[12];
            Buffer.BlockCopy(header, 7, salt, 0, 16);
            Buffer.BlockCopy(header, 23, nonce, 0, 12);
            var sealedPart = new byte[_blob.Length - HeaderSize - CheckSize];
            Buffer.BlockCopy(_blob, HeaderSize, sealedPart, 0, sealedPart.Length);
            byte[]? key = null;
            byte[]? plain = null;
            try
            {
                key = PassphraseKdf.DeriveKey(passphrase, salt, Kdf);
                plain = Aead.Open(key, nonce, sealedPart, Aad(header));
                if (plain == null)
                {
                    throw new SecretsException("WrongPassphrase", FailureKind.Authentication, $"The passphrase does not open the identity backup '{Source}'.")
                    {
                        FilePath = Source,
                        RecommendedAction = "Give the passphrase chosen when the backup was made (Export-SecretIdentity), not the identity's own passphrase if it differs.",
                    };
                }

                long ticks = ReadInt64(plain, 0);
                if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
                {
                    throw Damaged("its creation time is out of range");
                }

                created = new DateTime(ticks, DateTimeKind.Utc);
                string name;
                try
                {
                    name = new UTF8Encoding(false, true).GetString(plain, 72, plain.Length - 72);
                    DisplayText.Validate(name, "identity name");
                }
                catch (Exception e) when (e is ArgumentException || e is DecoderFallbackException)
                {
                    throw Damaged("its identity name is not valid text");
                }

                var encryption = new byte[32];
                var signing = new byte[32];
                Buffer.BlockCopy(plain, 8, encryption, 0, 32);
                Buffer.BlockCopy(plain, 40, signing, 0, 32);
                var unlocked = new UnlockedIdentity(name, path == null ? null : System.IO.Path.GetFullPath(path), encryption, signing);
                if (!string.Equals(unlocked.Recipient.Fingerprint, Fingerprint, StringComparison.Ordinal))
                {
                    unlocked.Dispose();
                    throw Damaged($"its keys are not those of the fingerprint {Fingerprint} in its first line");
                }

                return unlocked;
            }
            finally
            {
                Sensitive.Zero(key);
                Sensitive.Zero(plain);
            }
        }

        /// <summary>Writes a backup's text to an owner-only file, in one step; fails if one exists unless <paramref name="overwrite"/>.</summary>
        public static void WriteFile(string path, string text, bool overwrite)
        {
            path = System.IO.Path.GetFullPath(path);
            if (!overwrite && System.IO.File.Exists(path))
            {
                throw new SecretsException("BackupExists", FailureKind.AlreadyExists, $"The file '{path}' already exists.")
                {
                    FilePath = path,
                    RecommendedAction = "Give another -Path, or add -Force to replace it.",
                };
            }

            Platform.FilePermissions.CreateOwnerOnlyDirectory(System.IO.Path.GetDirectoryName(path)!);
            Platform.AtomicFile.Write(path, Encoding.ASCII.GetBytes(text), overwrite, ownerOnly: true);
        }

        /// <summary>Reads and parses a backup file (see <see cref="Parse"/>).</summary>
        public static IdentityBackup ReadFile(string path)
        {
            path = System.IO.Path.GetFullPath(path);
            if (!System.IO.File.Exists(path))
            {
                throw new SecretsException("BackupNotFound", FailureKind.NotFound, $"There is no backup file '{path}'.")
                {
                    FilePath = path,
                    RecommendedAction = "Give the file Export-SecretIdentity -Path wrote, or type the printed backup back with -Text.",
                };
            }

            var data = Platform.AtomicFile.ReadAll(path, MaxTextChars, problem => new InvalidFileException(ErrorId, path, problem), allowLink: true);
            string text;
            try
            {
                text = new UTF8Encoding(false, true).GetString(data);
            }
            catch (DecoderFallbackException)
            {
                throw new InvalidFileException(ErrorId, path, "it is not text: it is not an identity backup");
            }

            return Parse(text, path);
        }

        private InvalidFileException Damaged(string problem) => new InvalidFileException(ErrorId, Source, problem);

        private static byte[] Aad(byte[] header)
        {
            var label = Encoding.ASCII.GetBytes(Labels.IdentityBackupAad);
            var aad = new byte[label.Length + header.Length];
            Buffer.BlockCopy(label, 0, aad, 0, label.Length);
            Buffer.BlockCopy(header, 0, aad, label.Length, header.Length);
            return aad;
        }

        private static string Format(byte[] blob, string fingerprint)
        {
            int lines = (blob.Length + BytesPerLine - 1) / BytesPerLine;
            var text = new StringBuilder();
            text.Append(HeaderWords).Append(' ').Append(Version).Append(' ').Append(lines).Append(' ').Append(fingerprint).Append('\n');
            for (int i = 0; i < lines; i++)
            {
                int offset = i * BytesPerLine;
                int count = Math.Min(BytesPerLine, blob.Length - offset);
                var data = Encode(blob, offset, count);
                text.Append((i + 1).ToString("00", CultureInfo.InvariantCulture));
                for (int g = 0; g < data.Length; g += 4)
                {
                    text.Append(' ').Append(data, g, Math.Min(4, data.Length - g));
                }

                text.Append(' ').Append(EncodeCheck(LineCheck(i + 1, blob, offset, count))).Append('\n');
            }

            return text.ToString();
        }

        private static IdentityBackup ParseText(string text, string source)
        {
            if (text.Length > MaxTextChars)
            {
                throw new FormatProblem($"it is longer than {MaxTextChars} characters, far more than a backup");
            }

            var physical = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
            int headerLine = 0;
            int expected = 0;
            string fingerprint = string.Empty;
            var blob = new List<byte>();
            int next = 1;
            for (int n = 0; n < physical.Length; n++)
            {
                var line = physical[n].Trim();
                int number = n + 1;
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                var words = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                if (headerLine == 0)
                {
                    ParseHeader(words, number, out expected, out fingerprint);
                    headerLine = number;
                    continue;
                }

                if (next > expected)
                {
                    throw new FormatProblem($"line {number} follows the last data line ({expected:00}); the first line says the backup has {expected} lines");
                }

                if (!int.TryParse(Unconfuse(words[0]), NumberStyles.None, CultureInfo.InvariantCulture, out int dataLine) || dataLine != next)
                {
                    throw new FormatProblem($"line {number} should be data line {next:00} but starts with '{Shorten(words[0])}': a line is missing, repeated or out of order");
                }

                var chars = string.Join(string.Empty, words, 1, words.Length - 1);
                if (chars.Length < 5)
                {
                    throw new FormatProblem($"data line {dataLine:00} (line {number}) is too short: a line ends with a four-character check");
                }

                int count = dataLine < expected ? BytesPerLine : -1;
                var bytes = Decode(chars.Substring(0, chars.Length - 4), dataLine, number);
                if (count > 0 && bytes.Length != count)
                {
                    throw new FormatProblem($"data line {dataLine:00} (line {number}) has {bytes.Length * 8 / 5} characters of data instead of 32: a character is missing or added");
                }

                var check = DecodeCheck(chars.Substring(chars.Length - 4), dataLine, number);
                if (check != LineCheck(dataLine, bytes, 0, bytes.Length))
                {
                    throw new FormatProblem($"data line {dataLine:00} (line {number}) does not match its check (the last four characters): a character of that line is mistyped or damaged");
                }

                blob.AddRange(bytes);
                next++;
            }

            if (headerLine == 0)
            {
                throw new FormatProblem("it has no first line 'SECRETS IDENTITY BACKUP 1 …': it is not an identity backup");
            }

            if (next <= expected)
            {
                throw new FormatProblem($"data line {next:00} is missing: the first line says the backup has {expected} lines");
            }

            var data = blob.ToArray();
            if (data.Length < HeaderSize + 8 + PrivateKeysSize + 1 + Aead.TagSize + CheckSize)
            {
                throw new FormatProblem($"it holds {data.Length} bytes, too few for an identity backup");
            }

            var sum = Sha256.Hash(data, 0, data.Length - CheckSize);
            var stored = new byte[CheckSize];
            var computed = new byte[CheckSize];
            Buffer.BlockCopy(data, data.Length - CheckSize, stored, 0, CheckSize);
            Buffer.BlockCopy(sum, 0, computed, 0, CheckSize);
            if (!Sensitive.FixedTimeEquals(stored, computed))
            {
                throw new FormatProblem("its overall checksum does not match (the backup is damaged although each line checks out)");
            }

            if (data[0] != Version)
            {
                throw new FormatProblem($"its data says version {data[0]}, not the {Version} of its first line");
            }

            int memory = ReadInt32(data, 1);
            KdfParameters kdf;
            try
            {
                kdf = new KdfParameters(memory, data[5], data[6]);
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new FormatProblem($"its Argon2id parameters are out of range: {e.Message.Split('\n')[0].Trim()}");
            }

            return new IdentityBackup(source, fingerprint, kdf, data);
        }

        private static void ParseHeader(string[] words, int number, out int lines, out string fingerprint)
        {
            if (words.Length < 4 || !string.Equals(string.Join(" ", words, 0, 3), HeaderWords, StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatProblem($"line {number} is not 'SECRETS IDENTITY BACKUP 1 <lines> <fingerprint>': it is not an identity backup, or its first line is mistyped");
            }

            for (int i = 3; i < words.Length; i++)
            {
                words[i] = Unconfuse(words[i]);
            }

            if (words[3] != "1")
            {
                if (IdentityFile.TryParseUInt(words[3], out int later) && later > Version)
                {
                    throw FormatProblem.Later(later.ToString(CultureInfo.InvariantCulture));
                }

                throw new FormatProblem($"line {number} names backup version '{Shorten(words[3])}'; this reader knows version {Version}");
            }

            if (words.Length != 6 || !IdentityFile.TryParseUInt(words[4], out lines) || lines < 1 || lines > MaxLines)
            {
                throw new FormatProblem($"line {number} must end with the number of data lines (1 to {MaxLines}) and the identity's fingerprint");
            }

            fingerprint = words[5];
            if (fingerprint.Length != 19 || !IsFingerprint(fingerprint))
            {
                throw new FormatProblem($"line {number} does not end with a fingerprint like 3f2a-91c0-5be7-0d14");
            }
        }

        private static bool IsFingerprint(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                bool ok = i % 5 == 4 ? c == '-' : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Reads what is easily typed for a digit as that digit: O as 0, I and L as 1.</summary>
        private static string Unconfuse(string word) =>
            word.ToLowerInvariant().Replace('o', '0').Replace('i', '1').Replace('l', '1');

        private static string Shorten(string text) => text.Length <= 12 ? text : text.Substring(0, 12) + "…";

        /// <summary>Crockford base32 without padding: 5 bits per character, the last one's unused low bits zero.</summary>
        internal static string Encode(byte[] data, int offset, int count)
        {
            var text = new StringBuilder((count * 8 + 4) / 5);
            int buffer = 0;
            int bits = 0;
            for (int i = offset; i < offset + count; i++)
            {
                buffer = (buffer << 8) | data[i];
                bits += 8;
                while (bits >= 5)
                {
                    text.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                    bits -= 5;
                }
            }

            if (bits > 0)
            {
                text.Append(Alphabet[(buffer << (5 - bits)) & 31]);
            }

            return text.ToString();
        }

        private static byte[] Decode(string chars, int dataLine, int number)
        {
            var bytes = new List<byte>(chars.Length * 5 / 8);
            int buffer = 0;
            int bits = 0;
            for (int i = 0; i < chars.Length; i++)
            {
                buffer = (buffer << 5) | Value(chars[i], dataLine, number);
                bits += 5;
                if (bits >= 8)
                {
                    bytes.Add((byte)(buffer >> (bits - 8)));
                    bits -= 8;
                }

                buffer &= 0xFF;
            }

            if (bits >= 5 || (buffer & ((1 << bits) - 1)) != 0)
            {
                throw new FormatProblem($"data line {dataLine:00} (line {number}) does not end where a byte ends: a character is missing, added or mistyped");
            }

            return bytes.ToArray();
        }

        private static int Value(char c, int dataLine, int number)
        {
            c = char.ToUpperInvariant(c);
            c = c == 'O' ? '0' : c == 'I' || c == 'L' ? '1' : c;
            int value = Alphabet.IndexOf(c);
            if (value < 0)
            {
                throw new FormatProblem($"data line {dataLine:00} (line {number}) holds '{(char.IsControl(c) ? '?' : c)}', which backups do not use (they use 0-9 and A-Z without I, L, O and U)");
            }

            return value;
        }

        private static string EncodeCheck(int check) => Encode(new[] { (byte)(check >> 8), (byte)check }, 0, 2).Substring(0, 4);

        private static int DecodeCheck(string chars, int dataLine, int number)
        {
            int value = 0;
            foreach (char c in chars)
            {
                value = (value << 5) | Value(c, dataLine, number);
            }

            // Four characters hold 20 bits: the 16 of the check, then four zero bits.
            return (value & 0xF) != 0 ? -1 : value >> 4;
        }

        /// <summary>CRC-16/CCITT (polynomial 0x1021, initial 0xFFFF) of the line number and the line's bytes.</summary>
        internal static int LineCheck(int lineNumber, byte[] data, int offset, int count)
        {
            int crc = 0xFFFF;
            crc = Crc(crc, (byte)lineNumber);
            for (int i = offset; i < offset + count; i++)
            {
                crc = Crc(crc, data[i]);
            }

            return crc;
        }

        private static int Crc(int crc, byte b)
        {
            crc ^= b << 8;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xFFFF : (crc << 1) & 0xFFFF;
            }

            return crc;
        }

        private static void WriteInt32(byte[] buffer, int offset, int value)
        {
            buffer[offset] = (byte)(value >> 24);
            buffer[offset + 1] = (byte)(value >> 16);
            buffer[offset + 2] = (byte)(value >> 8);
            buffer[offset + 3] = (byte)value;
        }

        private static int ReadInt32(byte[] buffer, int offset) =>
            (buffer[offset] << 24) | (buffer[offset + 1] << 16) | (buffer[offset + 2] << 8) | buffer[offset + 3];

        private static void WriteInt64(byte[] buffer, int offset, long value)
        {
            WriteInt32(buffer, offset, (int)(value >> 32));
            WriteInt32(buffer, offset + 4, (int)value);
        }

        private static long ReadInt64(byte[] buffer, int offset) =>
            ((long)ReadInt32(buffer, offset) << 32) | (uint)ReadInt32(buffer, offset + 4);
    }
}
