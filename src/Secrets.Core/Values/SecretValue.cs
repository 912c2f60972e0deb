using System;
using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;

namespace Secrets.Core.Values
{
    /// <summary>
    /// A typed secret value held as bytes that are zeroed by <see cref="Dispose"/>. Text is kept as
    /// UTF-8. <see cref="ToString"/> never shows the value.
    /// </summary>
    /// <remarks>
    /// The factories enforce the limits of a value written: text (a String, a SecureString, a
    /// credential's password) is at most <see cref="MaxTextLength"/> UTF-16 characters, so that
    /// every text value can be read back as a SecureString. Values decoded from a store are not
    /// held to that limit: a value written before it existed stays readable.
    /// </remarks>
    public sealed class SecretValue : IDisposable
    {
        public const int MaxEntries = 1000;
        public const int MaxKeyBytes = 256;

        /// <summary>The most UTF-16 characters of a text value: what a SecureString holds.</summary>
        public const int MaxTextLength = 65536;

        private static readonly System.Text.UTF8Encoding StrictUtf8 = new System.Text.UTF8Encoding(false, true);
        private readonly byte[] _data;
        private readonly IReadOnlyList<SecretEntry> _entries;
        private bool _disposed;

        private SecretValue(SecretType type, byte[] data, string? userName, IReadOnlyList<SecretEntry>? entries)
        {
            Type = type;
            _data = data;
            UserName = userName;
            _entries = entries ?? Array.Empty<SecretEntry>();
        }

        public SecretType Type { get; }

        /// <summary>The user name of a <see cref="SecretType.PSCredential"/>; user names are not secret.</summary>
        public string? UserName { get; }

        /// <summary>The entries of a <see cref="SecretType.Hashtable"/>, in the order they were given.</summary>
        public IReadOnlyList<SecretEntry> Entries
        {
            get
            {
                ThrowIfDisposed();
                return _entries;
            }
        }

        /// <summary>A string value (type <see cref="SecretType.String"/>).</summary>
        public static SecretValue FromString(string value)
        {
            if (value == null)
            {
                throw new ArgumentNullException(nameof(value));
            }

            CheckTextLength(value.Length, "The text");
            return new SecretValue(SecretType.String, StrictUtf8.GetBytes(value), null, null);
        }

        /// <summary>Text given as UTF-8 bytes (copied), of type String or SecureString.</summary>
        public static SecretValue FromUtf8(SecretType type, byte[] utf8)
        {
            if (type != SecretType.String && type != SecretType.SecureString)
            {
                throw new ArgumentException("Only String and SecureString values are text.", nameof(type));
            }

            CheckTextLength(CheckUtf8(utf8, nameof(utf8)), "The text");
            return new SecretValue(type, (byte[])utf8.Clone(), null, null);
        }

        /// <summary>A byte array value (copied).</summary>
        public static SecretValue FromBytes(byte[] value)
        {
            if (value == null)
            {
                throw new ArgumentNullException(nameof(value));
            }

            return new SecretValue(SecretType.ByteArray, (byte[])value.Clone(), null, null);
        }

        /// <summary>A credential: the user name and the password as UTF-8 bytes (copied).</summary>
        public static SecretValue FromCredential(string userName, byte[] passwordUtf8)
        {
            if (userName == null)
            {
                throw new ArgumentNullException(nameof(userName));
            }

            CheckTextLength(CheckUtf8(passwordUtf8, nameof(passwordUtf8)), "The password");
            return new SecretValue(SecretType.PSCredential, (byte[])passwordUtf8.Clone(), userName, null);
        }

        /// <summary>A hashtable of values; takes ownership of the given values.</summary>
        public static SecretValue FromEntries(IEnumerable<SecretEntry> entries)
        {
            if (entries == null)
            {
                throw new ArgumentNullException(nameof(entries));
            }

            var list = entries.ToList();
            if (list.Count > MaxEntries)
            {
                throw new ArgumentException($"A hashtable secret holds at most {MaxEntries} entries.", nameof(entries));
            }

            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in list)
            {
                if (entry == null)
                {
                    throw new ArgumentNullException(nameof(entries), "An entry is null.");
                }

                if (!seen.Add(entry.Key))
                {
                    throw new ArgumentException($"The key '{entry.Key}' appears twice (keys are case-insensitive).", nameof(entries));
                }
            }

            return new SecretValue(SecretType.Hashtable, Array.Empty<byte>(), null, list);
        }

        /// <summary>A copy of the bytes: UTF-8 for text, the password for a credential, the bytes of a byte array.</summary>
        public byte[] GetBytes()
        {
            ThrowIfDisposed();
            if (Type == SecretType.Hashtable)
            {
                throw new InvalidOperationException("A hashtable value has entries, not bytes.");
            }

            return (byte[])_data.Clone();
        }

        /// <summary>The text of a String or SecureString value, or a credential's password, as a .NET string (which cannot be zeroed).</summary>
        public string GetText()
        {
            ThrowIfDisposed();
            if (Type == SecretType.Hashtable || Type == SecretType.ByteArray)
            {
                throw new InvalidOperationException($"A {Type} value is not text.");
            }

            return StrictUtf8.GetString(_data);
        }

        /// <summary>The text as characters, for building a SecureString; zero the array after use.</summary>
        public char[] GetChars()
        {
            ThrowIfDisposed();
            if (Type == SecretType.Hashtable || Type == SecretType.ByteArray)
            {
                throw new InvalidOperationException($"A {Type} value is not text.");
            }

            return StrictUtf8.GetChars(_data);
        }

        /// <summary>Zeroes the bytes of this value and of every entry.</summary>
        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Sensitive.Zero(_data);
            foreach (var entry in _entries)
            {
                entry.Value.Dispose();
            }
        }

        public override string ToString() => $"SecretValue({Type})";

        internal byte[] RawData
        {
            get
            {
                ThrowIfDisposed();
                return _data;
            }
        }

        internal static SecretValue FromOwnedBytes(SecretType type, byte[] data, string? userName)
        {
            if (type == SecretType.String || type == SecretType.SecureString || type == SecretType.PSCredential)
            {
                CheckUtf8(data, nameof(data));
            }

            return new SecretValue(type, data, userName, null);
        }

        /// <summary>
        /// Throws an <see cref="ArgumentException"/> when text of <paramref name="length"/> UTF-16
        /// characters is longer than a text value may be. <paramref name="what"/> begins the
        /// message ("The -Secret value", "The value of key 'cert'"); the text itself is never shown.
        /// </summary>
        public static void CheckTextLength(long length, string what)
        {
            if (length > MaxTextLength)
            {
                throw new ArgumentException(
                    $"{what} is {MessageText.Count(length)} characters long; text (a string, a SecureString or a credential's password) is at most "
                    + $"{MessageText.Count(MaxTextLength)} characters, the most a SecureString holds. Store larger data as a byte array.");
            }
        }

        /// <summary>The number of UTF-16 characters of valid UTF-8 text; throws for anything else.</summary>
        private static int CheckUtf8(byte[] bytes, string parameter)
        {
            if (bytes == null)
            {
                throw new ArgumentNullException(parameter);
            }

            try
            {
                return StrictUtf8.GetCharCount(bytes);
            }
            catch (System.Text.DecoderFallbackException)
            {
                throw new ArgumentException("The text is not valid UTF-8.", parameter);
            }
        }

        private void ThrowIfDisposed()
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(SecretValue));
            }
        }
    }

    /// <summary>One key of a hashtable secret. Its value is never a hashtable.</summary>
    public sealed class SecretEntry
    {
        public SecretEntry(string key, SecretValue value)
        {
            if (key == null)
            {
                throw new ArgumentNullException(nameof(key));
            }

            if (key.Length == 0)
            {
                throw new ArgumentException("A hashtable key must not be empty.", nameof(key));
            }

            if (System.Text.Encoding.UTF8.GetByteCount(key) > SecretValue.MaxKeyBytes)
            {
                throw new ArgumentException($"The hashtable key '{key.Substring(0, 32)}…' is longer than {SecretValue.MaxKeyBytes} bytes.", nameof(key));
            }

            if (value == null)
            {
                throw new ArgumentNullException(nameof(value));
            }

            if (value.Type == SecretType.Hashtable)
            {
                throw new ArgumentException($"The value of key '{key}' is a hashtable; hashtable secrets cannot be nested.", nameof(value));
            }

            Key = key;
            Value = value;
        }

        public string Key { get; }

        public SecretValue Value { get; }

        public override string ToString() => $"{Key} = {Value}";
    }
}
