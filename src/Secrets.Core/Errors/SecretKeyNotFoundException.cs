using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Values;

namespace Secrets.Core.Errors
{
    /// <summary>
    /// A reference <c>name.key</c> names a key the secret does not have: a hashtable without that
    /// key, a credential (whose keys are UserName and Password) or a secret of a type without keys.
    /// The message names the keys the secret has; keys are not secret, values never appear.
    /// </summary>
    public sealed class SecretKeyNotFoundException : SecretsException
    {
        public SecretKeyNotFoundException(string name, string key, SecretType type, IReadOnlyList<string> keys)
            : base("SecretKeyNotFound", FailureKind.NotFound, Describe(name, key, type, keys))
        {
            Name = name;
            Key = key;
            Type = type;
            Keys = keys;
            RecommendedAction = keys.Count > 0
                ? $"Name one of its keys ('{name}.{keys[0]}'), or the secret alone ('{name}') for the whole value."
                : $"Name the secret alone ('{name}') for the whole value.";
        }

        /// <summary>The name of the secret.</summary>
        public string Name { get; }

        /// <summary>The key asked for.</summary>
        public string Key { get; }

        /// <summary>The type of the secret.</summary>
        public SecretType Type { get; }

        /// <summary>The keys the secret has (empty for a type without keys).</summary>
        public IReadOnlyList<string> Keys { get; }

        private static string Describe(string name, string key, SecretType type, IReadOnlyList<string> keys)
        {
            switch (type)
            {
                case SecretType.Hashtable:
                    return keys.Count == 0
                        ? $"Secret '{name}' has no key '{key}': it is a hashtable without keys."
                        : $"Secret '{name}' has no key '{key}'. Its keys: {string.Join(", ", keys.Select(k => "'" + k + "'"))}.";
                case SecretType.PSCredential:
                    return $"Secret '{name}' is a PSCredential; its keys are 'UserName' and 'Password', not '{key}'.";
                default:
                    return $"Secret '{name}' is a {type}; it has no key '{key}' (only hashtable and PSCredential secrets have keys).";
            }
        }
    }
}
