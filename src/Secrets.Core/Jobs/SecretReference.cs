using System;
using Secrets.Core.Store;
using Secrets.Core.Names;

namespace Secrets.Core.Jobs
{
    /// <summary>
    /// A reference to a secret or to one key of it: <c>name</c> or <c>name.key</c>. Names never
    /// contain '.', so the first '.' separates the key (which may itself contain dots). A
    /// PSCredential has the keys <c>UserName</c> and <c>Password</c>.
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
                problem = $"'{trimmed}' ends with '.'; write 'name.key' to pick one key";
                return false;
            }

            reference = new SecretReference(SecretName.Parse(name), key, trimmed);
            problem = string.Empty;
            return true;
        }

        public bool Equals(SecretReference? other) =>
            other != null && other.Name.Equals(Name) && string.Equals(other.Key, Key, StringComparison.OrdinalIgnoreCase);

        public override bool Equals(object? obj) => Equals(obj as SecretReference);

        public override int GetHashCode() => Name.GetHashCode() ^ StringComparer.OrdinalIgnoreCase.GetHashCode(Key ?? string.Empty);

        public override string ToString() => Text;
    }
}
