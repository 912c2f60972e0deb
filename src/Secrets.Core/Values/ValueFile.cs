using System;
using System.IO;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Platform;

namespace Secrets.Core.Values
{
    /// <summary>
    /// A value read from a file: its bytes as they are, or its text (UTF-8, or UTF-16 with a byte
    /// order mark). Only regular files are read, and never more than the largest value: a device
    /// such as /dev/zero, or a file that grows, cannot make the reader exhaust memory.
    /// </summary>
    public static class ValueFile
    {
        /// <summary>The largest value file: a value is at most 16 MiB once encoded with its type byte.</summary>
        public const int MaxBytes = ValueCodec.MaxValueBytes - 1;

        private static readonly System.Text.UTF8Encoding StrictUtf8 = new System.Text.UTF8Encoding(false, true);

        /// <summary>Reads the value in the file at a full path; throws <see cref="SecretsException"/> naming the file.</summary>
        public static SecretValue Read(string path, bool asByteArray)
        {
            var kind = FileKinds.NotRegular(path);
            if (kind != null)
            {
                throw NotRegular(path, kind);
            }

            if (!File.Exists(path))
            {
                throw new SecretsException("ValueFileNotFound", FailureKind.NotFound, $"The file '{path}' does not exist.") { FilePath = path };
            }

            byte[]? bytes;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            {
                kind = FileKinds.NotRegular(stream);
                if (kind != null)
                {
                    throw NotRegular(path, kind);
                }

                if (stream.CanSeek && stream.Length > MaxBytes)
                {
                    throw TooLarge(path, $"is {MessageText.Count(stream.Length)} bytes");
                }

                // Read even a file that claims to fit no further than one byte past the limit.
                bytes = ReadAtMost(stream, MaxBytes) ?? throw TooLarge(path, "is larger than that");
            }

            try
            {
                return asByteArray ? SecretValue.FromBytes(bytes) : FromText(path, bytes);
            }
            finally
            {
                Sensitive.Zero(bytes);
            }
        }

        /// <summary>
        /// Everything the stream holds if that is at most <paramref name="maxBytes"/>, else null,
        /// having read at most one byte more. Every buffer but the result is zeroed.
        /// </summary>
        internal static byte[]? ReadAtMost(Stream stream, int maxBytes)
        {
            long expected = stream.CanSeek ? stream.Length - stream.Position : 0;
            var buffer = new byte[(int)Math.Min(maxBytes + 1L, Math.Max(expected + 1, 4096))];
            int total = 0;
            try
            {
                while (true)
                {
                    if (total == buffer.Length)
                    {
                        if (total > maxBytes)
                        {
                            return null;
                        }

                        var larger = new byte[(int)Math.Min(maxBytes + 1L, buffer.Length * 2L)];
                        Buffer.BlockCopy(buffer, 0, larger, 0, total);
                        Sensitive.Zero(buffer);
                        buffer = larger;
                    }

                    int read = stream.Read(buffer, total, buffer.Length - total);
                    if (read == 0)
                    {
                        break;
                    }

                    total += read;
                }

                var result = new byte[total];
                Buffer.BlockCopy(buffer, 0, result, 0, total);
                return result;
            }
            finally
            {
                Sensitive.Zero(buffer);
            }
        }

        /// <summary>
        /// The text of a file as UTF-8 bytes: UTF-8 (a leading BOM is dropped), or UTF-16 with a BOM
        /// (what Windows PowerShell's '>' writes), converted. The caller zeroes the result; bytes
        /// that are not text give bytes that are not UTF-8.
        /// </summary>
        internal static byte[] ToUtf8Text(byte[] bytes)
        {
            if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
            {
                var utf16 = bytes[0] == 0xFF ? (System.Text.Encoding)new System.Text.UnicodeEncoding(false, false, true) : new System.Text.UnicodeEncoding(true, false, true);
                char[] chars;
                try
                {
                    chars = utf16.GetChars(bytes, 2, bytes.Length - 2);
                }
                catch (System.Text.DecoderFallbackException)
                {
                    return new byte[] { 0xFF };
                }

                try
                {
                    return StrictUtf8.GetBytes(chars);
                }
                catch (System.Text.EncoderFallbackException)
                {
                    return new byte[] { 0xFF };
                }
                finally
                {
                    Sensitive.Zero(chars);
                }
            }

            int offset = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            var text = new byte[bytes.Length - offset];
            Buffer.BlockCopy(bytes, offset, text, 0, text.Length);
            return text;
        }

        private static SecretValue FromText(string path, byte[] bytes)
        {
            var text = ToUtf8Text(bytes);
            try
            {
                int length;
                try
                {
                    length = StrictUtf8.GetCharCount(text);
                }
                catch (System.Text.DecoderFallbackException)
                {
                    throw new InvalidInputException("ValueFileNotText", "Path",
                        $"The file '{path}' is not UTF-8 text (nor UTF-16 with a byte order mark). Add -AsByteArray to store its bytes as they are.");
                }

                if (length > SecretValue.MaxTextLength)
                {
                    throw new InvalidInputException("ValueFileTooLarge", "Path",
                        $"The file '{path}' holds {MessageText.Count(length)} characters of text; a text secret is at most {MessageText.Count(SecretValue.MaxTextLength)} characters, "
                        + "the most a SecureString holds. Add -AsByteArray to store its bytes as they are (up to 16 MiB).");
                }

                return SecretValue.FromUtf8(SecretType.String, text);
            }
            finally
            {
                Sensitive.Zero(text);
            }
        }

        private static InvalidInputException NotRegular(string path, string kind) =>
            new InvalidInputException("ValueFileNotRegular", "Path", $"'{path}' is {kind}, not a regular file; a secret is read from a file.");

        private static InvalidInputException TooLarge(string path, string size) =>
            new InvalidInputException("ValueFileTooLarge", "Path",
                $"The file '{path}' {size}; a value file is at most {MessageText.Count(MaxBytes)} bytes (16 MiB with the value's type). Store a smaller file.");
    }
}
