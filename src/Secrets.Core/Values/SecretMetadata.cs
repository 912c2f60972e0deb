using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Secrets.Core.Errors;

namespace Secrets.Core.Values
{
    /// <summary>
    /// Non-secret metadata: keys of 1–64 characters from A–Z a–z 0–9 _ . -, case-insensitive;
    /// values of type string, int, long, bool or DateTime (kept in UTC). Signed, not encrypted.
    /// </summary>
    public sealed class SecretMetadata : IReadOnlyDictionary<string, object>
    {
        public const int MaxEntries = 64;
        public const int MaxKeyLength = 64;
        public const int MaxStringBytes = 4096;

        private readonly SortedDictionary<string, KeyValuePair<string, object>> _entries =
            new SortedDictionary<string, KeyValuePair<string, object>>(StringComparer.Ordinal);

        public static SecretMetadata Empty => new SecretMetadata();

        public int Count => _entries.Count;

        public IEnumerable<string> Keys => _entries.Values.Select(e => e.Key);

        public IEnumerable<object> Values => _entries.Values.Select(e => e.Value);

        public object this[string key] => _entries[Canonical(key)].Value;

        /// <summary>Adds or replaces a value, validating key and value. Throws <see cref="InvalidInputException"/>.</summary>
        public void Set(string key, object? value)
        {
            ThrowIfFrozen();
            ValidateKey(key);
            var normalized = NormalizeValue(key, value);
            if (!_entries.ContainsKey(Canonical(key)) && _entries.Count >= MaxEntries)
            {
                throw new InvalidInputException("InvalidMetadata", "Metadata", $"Metadata holds at most {MaxEntries} entries.");
            }

            _entries[Canonical(key)] = new KeyValuePair<string, object>(key, normalized);
        }

        /// <summary>
        /// Adds a value, validating key and value, refusing a key that is already present in any
        /// case (keys are case-insensitive, so 'a' and 'A' given together are one key given twice).
        /// Throws <see cref="InvalidInputException"/> naming both keys.
        /// </summary>
        public void Add(string key, object? value)
        {
            ValidateKey(key);
            if (_entries.TryGetValue(Canonical(key), out var existing))
            {
                throw new InvalidInputException("InvalidMetadata", "Metadata", existing.Key == key
                    ? $"The metadata key '{key}' appears twice."
                    : $"The metadata keys '{existing.Key}' and '{key}' are the same key: metadata keys are case-insensitive. Keep one of them.");
            }

            Set(key, value);
        }

        public bool Remove(string key)
        {
            ThrowIfFrozen();
            return _entries.Remove(Canonical(key));
        }

        /// <summary>Whether the metadata can no longer change (it is shared, as a listing's records share theirs).</summary>
        public bool IsFrozen { get; private set; }

        /// <summary>Makes the metadata unchangeable from now on; <see cref="Clone"/> gives a copy that can change.</summary>
        internal SecretMetadata Freeze()
        {
            IsFrozen = true;
            return this;
        }

        private void ThrowIfFrozen()
        {
            if (IsFrozen)
            {
                throw new InvalidOperationException("This metadata is shared and cannot change: change a copy (Clone()).");
            }
        }

        public bool ContainsKey(string key) => _entries.ContainsKey(Canonical(key));

        public bool TryGetValue(string key, out object value)
        {
            if (_entries.TryGetValue(Canonical(key), out var entry))
            {
                value = entry.Value;
                return true;
            }

            value = null!;
            return false;
        }

        /// <summary>Entries in canonical order (ascending ordinal order of the lowercase key).</summary>
        public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => _entries.Values.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public SecretMetadata Clone()
        {
            var copy = new SecretMetadata();
            foreach (var pair in _entries)
            {
                copy._entries[pair.Key] = pair.Value;
            }

            return copy;
        }

        public override string ToString() => $"SecretMetadata({Count} entries)";

        internal static string Canonical(string key) => (key ?? throw new ArgumentNullException(nameof(key))).ToLowerInvariant();

        internal static bool IsValidKey(string key)
        {
            if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength)
            {
                return false;
            }

            foreach (char c in key)
            {
                if (!IsKeyChar(c))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsKeyChar(char c) =>
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';

        private static void ValidateKey(string key)
        {
            if (string.IsNullOrEmpty(key))
            {
                throw new InvalidInputException("InvalidMetadata", "Metadata", "A metadata key must not be empty.");
            }

            if (key.Length > MaxKeyLength)
            {
                throw new InvalidInputException("InvalidMetadata", "Metadata", $"The metadata key '{key.Substring(0, 20)}…' is longer than {MaxKeyLength} characters.");
            }

            for (int i = 0; i < key.Length; i++)
            {
                if (!IsKeyChar(key[i]))
                {
                    throw new InvalidInputException("InvalidMetadata", "Metadata",
                        $"The metadata key '{key}' contains '{key[i]}' at position {i + 1}; keys may contain only letters, digits, '_', '.' and '-'.");
                }
            }
        }

        private static object NormalizeValue(string key, object? value)
        {
            switch (value)
            {
                case string s:
                    if (System.Text.Encoding.UTF8.GetByteCount(s) > MaxStringBytes)
                    {
                        throw new InvalidInputException("InvalidMetadata", "Metadata", $"The metadata value of '{key}' is longer than {MaxStringBytes} bytes.");
                    }

                    return s;
                case int _:
                case long _:
                case bool _:
                    return value;
                case DateTime d:
                    var utc = d.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(d, DateTimeKind.Local).ToUniversalTime() : d.ToUniversalTime();
                    return utc;
                case DateTimeOffset o:
                    return o.UtcDateTime;
                case null:
                    throw new InvalidInputException("InvalidMetadata", "Metadata", $"The metadata value of '{key}' is null; remove the key instead.");
                default:
                    throw new InvalidInputException("InvalidMetadata", "Metadata",
                        $"The metadata value of '{key}' is a {value.GetType().Name}; metadata values must be string, int, long, bool or DateTime.");
            }
        }

        internal static string FormatTimestamp(DateTime utc) =>
            utc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

        internal static bool TryParseTimestamp(string text, out DateTime utc)
        {
            if (text.Length == 28 && DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out utc))
            {
                utc = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
                return FormatTimestamp(utc) == text;
            }

            utc = default;
            return false;
        }
    }
}
