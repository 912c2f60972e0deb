using System;
using Secrets.Core.Errors;
using Secrets.Core.Jobs;
using Secrets.Core.Names;

namespace Secrets.Core.Lookup
{
    /// <summary>
    /// What a user gave where a secret is named: a secret URI (<see cref="SecretUri"/>), which names
    /// its store or vault, or plain text, which is looked up in the lookup order (or the store given
    /// with -Store). Plain text is read two ways, because the two kinds of places name secrets
    /// differently: in a Secrets store it is <c>name</c> or <c>name.key</c> (names never contain a
    /// dot), and another module's vault is asked for the whole text, as SecretManagement's
    /// Get-Secret asks for it (its names may contain dots). In a URI the key comes only after '#',
    /// in both kinds of places.
    /// </summary>
    public sealed class SecretLocator
    {
        private SecretLocator(string text, SecretUri? uri, SecretReference? reference, string? referenceProblem, string vaultSecretName, string? vaultKey)
        {
            Text = text;
            Uri = uri;
            Reference = reference;
            ReferenceProblem = referenceProblem;
            VaultSecretName = vaultSecretName;
            VaultKey = vaultKey;
        }

        /// <summary>The text as given (without surrounding white space).</summary>
        public string Text { get; }

        /// <summary>The URI, when the text is one.</summary>
        public SecretUri? Uri { get; }

        /// <summary>The store or vault the URI names; null for plain text.</summary>
        public string? Source => Uri?.Source;

        /// <summary>What a Secrets store is asked for: the secret and its key; null when the text cannot name a secret of a store (see <see cref="ReferenceProblem"/>).</summary>
        public SecretReference? Reference { get; }

        /// <summary>Why the text cannot name a secret of a Secrets store (a sentence); null when it can.</summary>
        public string? ReferenceProblem { get; }

        /// <summary>The name another module's vault is asked for.</summary>
        public string VaultSecretName { get; }

        /// <summary>The key taken from what another module's vault returns (a URI's '#key'); null for the whole secret.</summary>
        public string? VaultKey { get; }

        /// <summary>
        /// Reads what was given for <paramref name="parameterName"/>. A malformed URI, or empty text,
        /// is a <see cref="InvalidInputException"/> (InvalidSecretUri, InvalidSecretName); plain text
        /// that is not a valid name of a Secrets store is not an error here, since another module's
        /// vault may have it: <see cref="ReferenceProblem"/> says why.
        /// </summary>
        public static SecretLocator Parse(string? text, string parameterName)
        {
            if (!TryParse(text, out var locator, out var error, parameterName))
            {
                throw error!;
            }

            return locator!;
        }

        /// <summary>As <see cref="Parse"/>, with the error returned instead of thrown.</summary>
        public static bool TryParse(string? text, out SecretLocator? locator, out InvalidInputException? error, string parameterName = "Name")
        {
            locator = null;
            error = null;
            if (string.IsNullOrWhiteSpace(text))
            {
                error = new InvalidInputException("InvalidSecretName", parameterName, "The secret name is empty.");
                return false;
            }

            var trimmed = text!.Trim();
            if (SecretUri.LooksLikeUri(trimmed))
            {
                if (!SecretUri.TryParse(trimmed, out var uri, out var uriProblem))
                {
                    error = SecretUri.Invalid(uriProblem, parameterName);
                    return false;
                }

                locator = ForUri(uri!);
                return true;
            }

            SecretReference.TryParse(trimmed, out var reference, out var problem);
            locator = new SecretLocator(trimmed, null, reference, reference == null ? Sentence(problem) : null, trimmed, null);
            return true;
        }

        /// <summary>A locator for the secret <paramref name="reference"/> names, in the store or vault <paramref name="source"/>.</summary>
        public static SecretLocator At(string source, SecretReference reference)
        {
            if (reference == null)
            {
                throw new ArgumentNullException(nameof(reference));
            }

            return ForUri(SecretUri.Parse(SecretUri.Format(source, reference.Name.Value, reference.Key), "Name"));
        }

        /// <summary>
        /// The reference a Secrets store is asked for; throws <see cref="InvalidInputException"/>
        /// (InvalidSecretName, or InvalidSecretUri for a URI) saying why the text cannot name a
        /// secret of a store.
        /// </summary>
        public SecretReference RequireReference(string parameterName)
        {
            return Reference ?? throw ReferenceError(parameterName);
        }

        /// <summary>The error that says why the text cannot name a secret of a Secrets store.</summary>
        public InvalidInputException ReferenceError(string parameterName) =>
            new InvalidInputException(Uri != null ? "InvalidSecretUri" : "InvalidSecretName", parameterName, ReferenceProblem ?? "The name is valid.");

        public override string ToString() => Text;

        private static SecretLocator ForUri(SecretUri uri)
        {
            SecretReference? reference = null;
            string? problem;
            if (uri.Name.IndexOf('.') >= 0 && SecretName.Validate(uri.Name.Replace('.', '-')) == null)
            {
                var dot = uri.Name.IndexOf('.');
                problem = $"Invalid secret URI '{uri.Text}': names in a Secrets store never contain '.', and a URI gives a key only after '#': "
                    + $"write {SecretUri.Format(uri.Source, uri.Name.Substring(0, dot), uri.Name.Substring(dot + 1))}.";
            }
            else
            {
                problem = SecretName.Validate(uri.Name);
                if (problem == null)
                {
                    reference = SecretReference.Create(SecretName.Parse(uri.Name), uri.Key, uri.Text);
                }
                else
                {
                    problem = $"Invalid secret URI '{uri.Text}': {char.ToLowerInvariant(problem[0])}{problem.Substring(1)}";
                }
            }

            return new SecretLocator(uri.Text, uri, reference, problem, uri.Name, uri.Key);
        }

        private static string Sentence(string problem)
        {
            if (problem.Length == 0)
            {
                return problem;
            }

            var text = char.ToUpperInvariant(problem[0]) + problem.Substring(1);
            return text.EndsWith(".", StringComparison.Ordinal) ? text : text + ".";
        }
    }
}
