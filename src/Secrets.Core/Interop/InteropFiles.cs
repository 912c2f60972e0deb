using System;
using System.Globalization;
using System.IO;
using System.Text;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Platform;
using Secrets.Core.Values;

namespace Secrets.Core.Interop
{
    /// <summary>What writing one file did: where, the copy kept of what it replaced, and whether anything changed.</summary>
    public sealed class WrittenFile
    {
        public WrittenFile(string path, string? backup, bool changed, int unixMode)
        {
            Path = path;
            Backup = backup;
            Changed = changed;
            UnixMode = unixMode;
        }

        public string Path { get; }

        /// <summary>The copy of the file it replaced, or null when there was none (or nothing changed).</summary>
        public string? Backup { get; }

        /// <summary>False when the file already held exactly this.</summary>
        public bool Changed { get; }

        /// <summary>The permission bits set on Unix (0600, or 0644 for a public key).</summary>
        public int UnixMode { get; }

        public override string ToString() => Path;
    }

    /// <summary>
    /// Files read and written by imports and exports. Reading takes regular files only, no further
    /// than 16 MiB, as text (UTF-8, or UTF-16 with a byte order mark). Writing makes the file
    /// owner-only before a byte is in it, replaces an existing file only when asked to (and only
    /// after keeping a copy of it beside it), and leaves a file that already holds the content as it is.
    /// </summary>
    public static class InteropFiles
    {
        public const int OwnerOnly = 0x180;   // 0600
        public const int PublicRead = 0x1A4;  // 0644

        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        /// <summary>Says which file a message is about: "the file '/home/me/.env'".</summary>
        public static string Describe(string path) => $"the file '{path}'";

        /// <summary>The bytes of a regular file of at most 16 MiB; throws <see cref="SecretsException"/> naming it.</summary>
        public static byte[] ReadBytes(string path)
        {
            var kind = FileKinds.NotRegular(path);
            if (kind != null)
            {
                throw new SecretsException("FileNotRegular", FailureKind.InvalidArgument, $"'{path}' is {kind}, not a regular file. Give the path of a file.") { FilePath = path };
            }

            if (!File.Exists(path))
            {
                throw new SecretsException("FileNotFound", FailureKind.NotFound, $"The file '{path}' does not exist.") { FilePath = path };
            }

            using var stream = RegularFile.OpenRead(path, allowLink: true, problem =>
                new SecretsException("FileNotRegular", FailureKind.InvalidArgument, $"'{path}' cannot be read: {problem}.") { FilePath = path });
            return ValueFile.ReadAtMost(stream, ValueFile.MaxBytes)
                ?? throw new SecretsException("FileTooLarge", FailureKind.InvalidArgument,
                    $"The file '{path}' is larger than {MessageText.Count(ValueFile.MaxBytes)} bytes, more than a secret holds.") { FilePath = path };
        }

        /// <summary>The text of a file (see <see cref="ReadBytes"/>); throws <see cref="InvalidContentException"/> when it is not text.</summary>
        public static string ReadText(string path)
        {
            var bytes = ReadBytes(path);
            try
            {
                return ToText(bytes, Describe(path), path);
            }
            finally
            {
                Sensitive.Zero(bytes);
            }
        }

        /// <summary>Text from bytes: UTF-8 (a byte order mark dropped), or UTF-16 with a byte order mark.</summary>
        public static string ToText(byte[] bytes, string source, string? filePath)
        {
            var utf8 = ValueFile.ToUtf8Text(bytes);
            try
            {
                return StrictUtf8.GetString(utf8);
            }
            catch (DecoderFallbackException)
            {
                throw new InvalidContentException("NotText", source, 0, "it is not UTF-8 text (nor UTF-16 with a byte order mark).", filePath);
            }
            finally
            {
                Sensitive.Zero(utf8);
            }
        }

        /// <summary>Whether a file at the path exists and holds something other than <paramref name="content"/>.</summary>
        public static bool WouldReplace(string path, byte[] content)
        {
            if (!File.Exists(path))
            {
                return false;
            }

            var existing = ReadBytes(path);
            try
            {
                return !Sensitive.FixedTimeEquals(existing, content);
            }
            finally
            {
                Sensitive.Zero(existing);
            }
        }

        /// <summary>
        /// Refuses, before anything is written, a path that is a folder or a link, and a file that
        /// exists with other content unless <paramref name="force"/>. Throws <see cref="SecretsException"/>
        /// (FileExists, FileNotRegular) naming the file and the parameter that allows it.
        /// </summary>
        public static void CheckWritable(string path, byte[] content, bool force)
        {
            if (Directory.Exists(path))
            {
                throw new SecretsException("FileNotRegular", FailureKind.InvalidArgument, $"'{path}' is a folder. Give the path of a file.") { FilePath = path };
            }

            if (File.Exists(path) && (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0)
            {
                throw new SecretsException("FileNotRegular", FailureKind.InvalidArgument,
                    $"'{path}' is a link. Give the path of the file it points to, so that it is clear which file is replaced.") { FilePath = path };
            }

            if (!force && WouldReplace(path, content))
            {
                throw new SecretsException("FileExists", FailureKind.AlreadyExists,
                    $"The file '{path}' exists and holds something else. Nothing was written.")
                {
                    FilePath = path,
                    RecommendedAction = "Add -Force to replace it; a copy of the current file is kept next to it first.",
                };
            }
        }

        /// <summary>
        /// Writes the file: owner-only from its creation (then <paramref name="unixMode"/> on Unix),
        /// through a temporary file renamed into place. An existing file with other content is
        /// replaced only with <paramref name="force"/>, after it is copied, owner-only, to
        /// <c>name.backup-yyyyMMdd-HHmmss</c>. Missing folders are created owner-only.
        /// </summary>
        public static WrittenFile Write(string path, byte[] content, bool force, int unixMode = OwnerOnly)
        {
            path = Path.GetFullPath(path);
            CheckWritable(path, content, force);
            if (File.Exists(path) && !WouldReplace(path, content))
            {
                return new WrittenFile(path, null, false, unixMode);
            }

            var directory = Path.GetDirectoryName(path)!;
            if (!Directory.Exists(directory))
            {
                FilePermissions.CreateOwnerOnlyDirectory(directory);
            }

            string? backup = null;
            if (File.Exists(path))
            {
                var old = ReadBytes(path);
                try
                {
                    backup = Backup(path, old);
                }
                finally
                {
                    Sensitive.Zero(old);
                }
            }

            AtomicFile.Write(path, content, overwrite: true, ownerOnly: true);
            if (unixMode != OwnerOnly)
            {
                FilePermissions.SetUnixMode(path, unixMode);
            }

            return new WrittenFile(path, backup, true, unixMode);
        }

        private static string Backup(string path, byte[] content)
        {
            var stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
            for (int attempt = 0; ; attempt++)
            {
                var backup = path + ".backup-" + stamp + (attempt == 0 ? string.Empty : "-" + attempt.ToString(CultureInfo.InvariantCulture));
                if (File.Exists(backup) || Directory.Exists(backup))
                {
                    continue;
                }

                try
                {
                    AtomicFile.Write(backup, content, overwrite: false, ownerOnly: true);
                    return backup;
                }
                catch (FileExistsException)
                {
                    // Taken meanwhile: try the next name.
                }
            }
        }
    }
}
