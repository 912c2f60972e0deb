using System;
using System.IO;
using System.Linq;
using System.Text;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Tests.Support;
using Xunit;

namespace Secrets.Core.Tests.Identity
{
    /// <summary>Identity backups (docs/FORMAT.md, "Identity backups"): round trip, wrong passphrase, damage, mistyping.</summary>
    public class IdentityBackupTests
    {
        private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        private static readonly byte[] Passphrase = Encoding.UTF8.GetBytes("backup passphrase");
        private static readonly DateTime Created = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1234567);

        private static (UnlockedIdentity Identity, string Text) Backup(string name = "alice@laptop")
        {
            var identity = UnlockedIdentity.Generate(name);
            return (identity, IdentityBackup.Write(identity, Created, Passphrase, TestStore.FastKdf));
        }

        [Fact]
        public void ABackupOpensToTheSameKeysNameAndCreationTime()
        {
            var (identity, text) = Backup("Ünïcode name with spaces");
            using (identity)
            {
                var backup = IdentityBackup.Parse(text, "backup.txt");
                Assert.Equal(identity.Recipient.Fingerprint, backup.Fingerprint);
                Assert.Equal(TestStore.FastKdf.ToString(), backup.Kdf.ToString());
                using var opened = backup.Open(Passphrase, out var created);
                Assert.Equal(identity.Recipient, opened.Recipient);
                Assert.Equal(identity.Name, opened.Name);
                Assert.Equal(Created, created);
                Assert.True(opened.EncryptionPrivate.SequenceEqual(identity.EncryptionPrivate));
                Assert.True(opened.SigningPrivate.SequenceEqual(identity.SigningPrivate));
            }
        }

        [Fact]
        public void TheTextIsAHeaderAndNumberedLinesOfGroupsWithAFreshSaltEachTime()
        {
            var (identity, text) = Backup();
            using (identity)
            {
                var lines = text.TrimEnd('\n').Split('\n');
                Assert.Equal($"SECRETS IDENTITY BACKUP 1 {lines.Length - 1} {identity.Recipient.Fingerprint}", lines[0]);
                for (int i = 1; i < lines.Length; i++)
                {
                    var words = lines[i].Split(' ');
                    Assert.Equal(i.ToString("00"), words[0]);
                    Assert.All(words.Skip(1), w => Assert.InRange(w.Length, 1, 4));
                    Assert.All(words.Skip(1).SelectMany(w => w), c => Assert.Contains(c, Alphabet));
                    if (i < lines.Length - 1)
                    {
                        Assert.Equal(10, words.Length); // 32 characters of data in 8 groups, and the check
                    }
                }

                Assert.NotEqual(text, IdentityBackup.Write(identity, Created, Passphrase, TestStore.FastKdf));
                Assert.DoesNotContain(Convert.ToBase64String(identity.SigningPrivate), text);
            }
        }

        [Fact]
        public void AWrongPassphraseIsNotDamage()
        {
            var (identity, text) = Backup();
            identity.Dispose();
            var backup = IdentityBackup.Parse(text, "backup.txt");
            var error = Assert.Throws<SecretsException>(() => backup.Open(Encoding.UTF8.GetBytes("not the passphrase"), out _));
            Assert.Equal("WrongPassphrase", error.ErrorId);
            Assert.Equal(FailureKind.Authentication, error.Kind);
            Assert.Contains("'backup.txt'", error.Message);
            Assert.DoesNotContain("not the passphrase", error.Message + error.RecommendedAction);
        }

        [Fact]
        public void EveryMistypedCharacterIsFoundAndItsLineNamed()
        {
            var (identity, text) = Backup();
            identity.Dispose();
            var lines = text.TrimEnd('\n').Split('\n');
            int tried = 0;
            for (int line = 1; line < lines.Length; line++)
            {
                for (int at = 3; at < lines[line].Length; at++)
                {
                    char original = lines[line][at];
                    if (original == ' ')
                    {
                        continue;
                    }

                    foreach (char typed in Alphabet.Where(c => c != original))
                    {
                        var changed = (string[])lines.Clone();
                        changed[line] = lines[line].Substring(0, at) + typed + lines[line].Substring(at + 1);
                        var error = Assert.Throws<InvalidFileException>(() => IdentityBackup.Parse(string.Join("\n", changed), "typed"));
                        Assert.Equal(IdentityBackup.ErrorId, error.ErrorId);
                        Assert.Contains($"data line {line:00} (line {line + 1})", error.Message);
                        tried++;
                    }
                }
            }

            Assert.True(tried > 31 * 32 * (lines.Length - 2), $"only {tried} changes tried");
        }

        [Fact]
        public void TypedBackTextMayDifferInCaseSpacingLookalikesAndLineEnds()
        {
            var (identity, text) = Backup();
            using (identity)
            {
                var typed = "# my printed backup\r\n\r\n" + text.ToLowerInvariant().Replace("1", "l").Replace("0", "o").Replace("\n", "  \r\n").Replace(" ", "  ");
                using var opened = IdentityBackup.Parse(typed, "typed").Open(Passphrase, out _);
                Assert.Equal(identity.Recipient, opened.Recipient);
            }
        }

        [Fact]
        public void MissingRepeatedOrSwappedLinesAreNamed()
        {
            var (identity, text) = Backup();
            identity.Dispose();
            var lines = text.TrimEnd('\n').Split('\n').ToList();

            var missing = lines.Where((_, i) => i != 3).ToList();
            Assert.Contains("should be data line 03", Assert.Throws<InvalidFileException>(() => IdentityBackup.Parse(string.Join("\n", missing), "t")).Message);

            var last = lines.Take(lines.Count - 1).ToList();
            Assert.Contains($"data line {lines.Count - 1:00} is missing", Assert.Throws<InvalidFileException>(() => IdentityBackup.Parse(string.Join("\n", last), "t")).Message);

            var swapped = lines.ToList();
            (swapped[1], swapped[2]) = (swapped[2], swapped[1]);
            Assert.Contains("should be data line 01", Assert.Throws<InvalidFileException>(() => IdentityBackup.Parse(string.Join("\n", swapped), "t")).Message);

            var extra = lines.Concat(new[] { lines[1] }).ToList();
            Assert.Contains("follows the last data line", Assert.Throws<InvalidFileException>(() => IdentityBackup.Parse(string.Join("\n", extra), "t")).Message);

            Assert.Contains("not an identity backup", Assert.Throws<InvalidFileException>(() => IdentityBackup.Parse("secrets/v1 identity\n", "t")).Message);
            Assert.Contains("not an identity backup", Assert.Throws<InvalidFileException>(() => IdentityBackup.Parse(string.Empty, "t")).Message);
        }

        [Fact]
        public void DamageThatEveryLineCheckMissesIsStillDamageNotAWrongPassphrase()
        {
            var (identity, text) = Backup();
            identity.Dispose();
            var lines = text.TrimEnd('\n').Split('\n');

            // Line 03 rewritten with one byte changed and its check computed again: only the overall checksum sees it.
            var damaged = Rewrite(lines, 3, bytes => bytes[5] ^= 1);
            var error = Assert.Throws<InvalidFileException>(() => IdentityBackup.Parse(damaged, "backup.txt"));
            Assert.Equal(IdentityBackup.ErrorId, error.ErrorId);
            Assert.Contains("overall checksum", error.Message);
        }

        [Fact]
        public void ALaterVersionIsUnsupportedAndOutOfRangeArgon2ParametersRefused()
        {
            var (identity, text) = Backup();
            identity.Dispose();
            var later = text.Replace("SECRETS IDENTITY BACKUP 1 ", "SECRETS IDENTITY BACKUP 2 ");
            Assert.Equal("UnsupportedFormat", Assert.Throws<UnsupportedFormatException>(() => IdentityBackup.Parse(later, "b")).ErrorId);
            Assert.Contains("backup version", Assert.Throws<InvalidFileException>(() => IdentityBackup.Parse(text.Replace("BACKUP 1 ", "BACKUP x "), "b")).Message);
        }

        [Fact]
        public void TheBackupKeepsItsOwnArgon2Parameters()
        {
            Assert.Equal(128 * 1024, IdentityBackup.DefaultKdf.MemoryKiB);
            using var identity = UnlockedIdentity.Generate("a");
            var kdf = new KdfParameters(KdfParameters.MinMemoryKiB + 1024, 2, 2);
            var backup = IdentityBackup.Parse(IdentityBackup.Write(identity, Created, Passphrase, kdf), "b");
            Assert.Equal(kdf.ToString(), backup.Kdf.ToString());
            using var opened = backup.Open(Passphrase, out _);
            Assert.Equal(identity.Recipient, opened.Recipient);
        }

        [Fact]
        public void ARestoredIdentityFileUnlocksWithItsPassphraseAndIsNotWrittenOverAnother()
        {
            using var folder = new TempFolder();
            var (identity, text) = Backup();
            using (identity)
            {
                using var opened = IdentityBackup.Parse(text, "b").Open(Passphrase, out var created);
                var path = folder.Combine("restored.identity");
                var file = IdentityFile.Restore(path, opened, created, Passphrase, TestStore.FastKdf);
                Assert.Equal(Created, file.Created);
                Assert.Equal("alice@laptop", file.Name);
                using (var unlocked = IdentityFile.Load(path).Unlock(Passphrase))
                {
                    Assert.Equal(identity.Recipient, unlocked.Recipient);
                }

                var before = File.ReadAllBytes(path);
                Assert.Equal("IdentityExists", Assert.Throws<SecretsException>(() => IdentityFile.Restore(path, opened, created, null)).ErrorId);
                Assert.Equal(before, File.ReadAllBytes(path));
            }
        }

        private static string Rewrite(string[] lines, int dataLine, Action<byte[]> change)
        {
            var words = lines[dataLine].Split(' ');
            var chars = string.Concat(words.Skip(1).Take(words.Length - 2));
            var bytes = Base32Decode(chars);
            change(bytes);
            var data = IdentityBackup.Encode(bytes, 0, bytes.Length);
            int check = IdentityBackup.LineCheck(dataLine, bytes, 0, bytes.Length);
            var checkText = IdentityBackup.Encode(new[] { (byte)(check >> 8), (byte)check }, 0, 2);
            var copy = (string[])lines.Clone();
            copy[dataLine] = $"{dataLine:00} {data} {checkText}";
            return string.Join("\n", copy) + "\n";
        }

        private static byte[] Base32Decode(string chars)
        {
            var bytes = new System.Collections.Generic.List<byte>();
            int buffer = 0, bits = 0;
            foreach (char c in chars)
            {
                buffer = (buffer << 5) | Alphabet.IndexOf(c);
                bits += 5;
                if (bits >= 8)
                {
                    bytes.Add((byte)(buffer >> (bits - 8)));
                    bits -= 8;
                    buffer &= (1 << bits) - 1;
                }
            }

            return bytes.ToArray();
        }
    }
}
