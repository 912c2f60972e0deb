using System;
using System.Collections;
using System.IO;
using System.Management.Automation;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Values;

namespace Secrets.Internal
{
    using SecretType = Secrets.Core.Values.SecretType;

    /// <summary>Metadata hashtables and value files, as the cmdlets receive them.</summary>
    internal static class InputConversion
    {
        /// <summary>The largest value file: a value is at most 16 MiB once encoded with its type byte.</summary>
        public const int MaxFileBytes = 16 * 1024 * 1024 - 1;

        public static SecretMetadata ToMetadata(Hashtable table)
        {
            var metadata = new SecretMetadata();
            foreach (DictionaryEntry entry in table)
            {
                var key = entry.Key is PSObject k ? k.BaseObject : entry.Key;
                if (!(key is string name))
                {
                    throw new InvalidInputException("InvalidMetadata", "Metadata", "Every metadata key must be a string.");
                }

                var value = entry.Value is PSObject v ? v.BaseObject : entry.Value;
                metadata.Set(name, value);
            }

            return metadata;
        }

        /// <summary>
        /// The text of a file as UTF-8 bytes: UTF-8 (a leading BOM is dropped), or UTF-16 with a BOM
        /// (what Windows PowerShell's '>' writes), converted. The caller zeroes the result.
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
                    return new System.Text.UTF8Encoding(false, true).GetBytes(chars);
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

        /// <summary>The UTF-16 length of UTF-8 text; -1 for bytes that are not UTF-8 (refused later).</summary>
        private static int TextLength(byte[] utf8)
        {
            try
            {
                return new System.Text.UTF8Encoding(false, true).GetCharCount(utf8);
            }
            catch (System.Text.DecoderFallbackException)
            {
                return -1;
            }
        }

        /// <summary>Reads a value file: bytes as they are, or text (UTF-8, or UTF-16 with a BOM).</summary>
        public static SecretValue ReadValueFile(string path, bool asByteArray)
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new SecretsException("ValueFileNotFound", FailureKind.NotFound, $"The file '{path}' does not exist.") { FilePath = path };
            }

            if (info.Length > MaxFileBytes)
            {
                throw new InvalidInputException("ValueFileTooLarge", "Path", $"The file '{path}' is {info.Length} bytes; a secret is at most {MaxFileBytes / (1024 * 1024)} MiB.");
            }

            var bytes = File.ReadAllBytes(path);
            try
            {
                if (asByteArray)
                {
                    return SecretValue.FromBytes(bytes);
                }

                var text = ToUtf8Text(bytes);
                try
                {
                    int length = TextLength(text);
                    if (length > SecretValue.MaxTextLength)
                    {
                        throw new InvalidInputException("ValueFileTooLarge", "Path",
                            $"The file '{path}' holds {MessageText.Count(length)} characters of text; a text secret is at most {MessageText.Count(SecretValue.MaxTextLength)} characters, "
                            + "the most a SecureString holds. Add -AsByteArray to store its bytes as they are (up to 16 MiB).");
                    }

                    return SecretValue.FromUtf8(SecretType.String, text);
                }
                catch (ArgumentException)
                {
                    throw new InvalidInputException("ValueFileNotText", "Path",
                        $"The file '{path}' is not UTF-8 text (nor UTF-16 with a byte order mark). Add -AsByteArray to store its bytes as they are.");
                }
                finally
                {
                    Sensitive.Zero(text);
                }
            }
            finally
            {
                Sensitive.Zero(bytes);
            }
        }
    }
}
