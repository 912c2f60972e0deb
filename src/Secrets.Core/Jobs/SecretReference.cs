using System;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Secrets.Core.Names;
using Secrets.Core.Values;

namespace Secrets.Core.Jobs
{
    /// <summary>
    /// A reference to a secret or to one key of it: <c>name</c> or <c>name.Key</c>. Names never
    /// contain '.', so the first '.' separates the key (which may itself contain dots). A
    /// PSCredential has the keys <c>UserName</c> and <c>Password</c>. Jobs, templates and
    /// Get-Secret all read references through this class.
    /// </summary>
    public sealed class SecretReference : IEquatable<SecretReference>
    {
        private SecretReference(SecretName name, string? key, string text)
        {
            Name = name;
            Key = key;
            Text = text;
        }

        public SecretName Name { get; }

        /// <summary>The key of a hashtable secret or UserName/Password of a credential; null for the whole secret.</summary>
        public string? Key { get; }

        /// <summary>The reference as written.</summary>
        public string Text { get; }

        /// <summary>A reference to <paramref name="name"/> (and <paramref name="key"/>), written as <paramref name="text"/> (a URI, for example).</summary>
        public static SecretReference Create(SecretName name, string? key, string text)
        {
            if (key != null && key.Length == 0)
            {
                throw new ArgumentException("A key is null or not empty.", nameof(key));
            }

            return new SecretReference(name ?? throw new ArgumentNullException(nameof(name)), key, text ?? throw new ArgumentNullException(nameof(text)));
        }

        public static bool TryParse(string? text, out SecretReference? reference, out string problem)
        {
            reference = null;
            if (string.IsNullOrWhiteSpace(text))
            {
                problem = "the reference is empty";
                return false;
            }

            var trimmed = text!.Trim();
            int dot = trimmed.IndexOf('.');
            var name = dot < 0 ? trimmed : trimmed.Substring(0, dot);
            var key = dot < 0 ? null : trimmed.Substring(dot + 1);
            var nameProblem = SecretName.Validate(name);
            if (nameProblem != null)
            {
                problem = nameProblem;
                return false;
            }

            if (key != null && key.Length == 0)
            {
                problem = $"'{trimmed}' ends with '.'; write 'name.Key' to pick one key";
                return false;
            }

            reference = new SecretReference(SecretName.Parse(name), key, trimmed);
            problem = string.Empty;
            return true;
        }

        /// <summary>
        /// Parses a reference given for <paramref name="parameterName"/>; throws
        /// <see cref="InvalidInputException"/> (InvalidSecretName) saying what is wrong.
        /// </summary>
        public static SecretReference Parse(string? text, string parameterName)
        {
            if (!TryParse(text, out var reference, out var problem))
            {
                throw new InvalidInputException("InvalidSecretName", parameterName, Sentence(problem));
            }

            return reference!;
        }

        /// <summary>
        /// Reads the secret (the newest version unless <paramref name="version"/> is given) and
        /// returns what this reference names: the whole value, or the value of its key. The caller
        /// disposes it. A missing key is a <see cref="SecretKeyNotFoundException"/>.
        /// </summary>
        public SecretValue Read(SecretStore store, UnlockedIdentity reader, int? version, out SecretRecord record)
        {
            if (store == null)
            {
                throw new ArgumentNullException(nameof(store));
            }

            var whole = store.Read(Name.Value, reader, version, out record);
            if (Key == null)
            {
                return whole;
            }

            try
            {
                return Select(whole, record.Name);
            }
            finally
            {
                whole.Dispose();
            }
        }

        /// <summary>
        /// The part of <paramref name="whole"/> this reference names, as a new value the caller
        /// disposes: a copy of the whole value, the value of a hashtable key (of its own type), or a
        /// credential's <c>UserName</c> (a String) or <c>Password</c> (a SecureString). Keys are
        /// compared case-insensitively. <paramref name="secretName"/> names the secret in the error
        /// (<see cref="SecretKeyNotFoundException"/>, naming the keys it has).
        /// </summary>
        public SecretValue Select(SecretValue whole, string? secretName = null)
        {
            if (whole == null)
            {
                throw new ArgumentNullException(nameof(whole));
            }

            return SelectKey(whole, Key, secretName ?? Name.Value);
        }

        /// <summary>
        /// The value of <paramref name="key"/> in <paramref name="whole"/>, as <see cref="Select"/>
        /// gives it (a copy of the whole value when <paramref name="key"/> is null), for a value
        /// that did not come from a store; <paramref name="secretName"/> names it in errors.
        /// </summary>
        public static SecretValue SelectKey(SecretValue whole, string? key, string secretName)
        {
            if (whole == null)
            {
                throw new ArgumentNullException(nameof(whole));
            }

            var name = secretName;
            if (key == null)
            {
                return Copy(whole);
            }

            switch (whole.Type)
            {
                case SecretType.Hashtable:
                    var entry = whole.Entries.FirstOrDefault(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase));
                    if (entry == null)
                    {
                        throw new SecretKeyNotFoundException(name, key, whole.Type, whole.Entries.Select(e => e.Key).ToList());
                    }

                    return Copy(entry.Value);
                case SecretType.PSCredential:
                    if (string.Equals(key, UserNameKey, StringComparison.OrdinalIgnoreCase))
                    {
                        return SecretValue.FromOwnedBytes(SecretType.String, System.Text.Encoding.UTF8.GetBytes(whole.UserName!), null);
                    }

                    if (string.Equals(key, PasswordKey, StringComparison.OrdinalIgnoreCase))
                    {
                        return SecretValue.FromOwnedBytes(SecretType.SecureString, whole.GetBytes(), null);
                    }

                    throw new SecretKeyNotFoundException(name, key, whole.Type, new[] { UserNameKey, PasswordKey });
                default:
                    throw new SecretKeyNotFoundException(name, key, whole.Type, Array.Empty<string>());
            }
        }

        /// <summary>The key of a credential's user name.</summary>
        public const string UserNameKey = "UserName";

        /// <summary>The key of a credential's password.</summary>
        public const string PasswordKey = "Password";

        private static SecretValue Copy(SecretValue value)
        {
            if (value.Type != SecretType.Hashtable)
            {
                return SecretValue.FromOwnedBytes(value.Type, value.GetBytes(), value.UserName);
            }

            var entries = value.Entries.Select(e => new SecretEntry(e.Key, Copy(e.Value))).ToList();
            return SecretValue.FromEntries(entries);
        }

        /// <summary>A problem as TryParse words it (a clause), as a sentence.</summary>
        private static string Sentence(string problem)
        {
            if (problem.Length == 0)
            {
                return problem;
            }

            var text = char.ToUpperInvariant(problem[0]) + problem.Substring(1);
            return text.EndsWith(".", StringComparison.Ordinal) ? text : text + ".";
        }

        public bool Equals(SecretReference? other) =>
            other != null && other.Name.Equals(Name) && string.Equals(other.Key, Key, StringComparison.OrdinalIgnoreCase);

        public override bool Equals(object? obj) => Equals(obj as SecretReference);

        public override int GetHashCode() => Name.GetHashCode() ^ StringComparer.OrdinalIgnoreCase.GetHashCode(Key ?? string.Empty);

        public override string ToString() => Text;
    }
}
