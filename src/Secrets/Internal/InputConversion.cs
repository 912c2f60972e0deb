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
        public const int MaxFileBytes = 16 * 1024 * 1024;

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

        /// <summary>Reads a value file: bytes as they are, or UTF-8 text (a leading BOM is dropped).</summary>
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

                int offset = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
                var text = new byte[bytes.Length - offset];
                Buffer.BlockCopy(bytes, offset, text, 0, text.Length);
                try
                {
                    return SecretValue.FromUtf8(SecretType.String, text);
                }
                catch (ArgumentException)
                {
                    throw new InvalidInputException("ValueFileNotText", "Path",
                        $"The file '{path}' is not UTF-8 text. Add -AsByteArray to store its bytes as they are.");
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
