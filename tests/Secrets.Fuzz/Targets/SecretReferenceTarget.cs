using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Secrets.Core.Errors;
using Secrets.Core.Jobs;
using Secrets.Core.Names;
using Secrets.Core.Values;

namespace Secrets.Fuzz.Targets
{
    /// <summary>
    /// Secret references, <c>name</c> or <c>name.key</c> (<c>SecretReference.TryParse</c> and
    /// <c>Parse</c>, what jobs, templates and Get-Secret read), on the input as UTF-8 text.
    /// Contract: TryParse answers false with a reason and Parse throws InvalidSecretName naming the
    /// parameter, or both accept the same reference: its text is the input trimmed, its name a
    /// valid secret name that is the text up to the first '.', its key the rest (never empty), and
    /// its text parses to an equal reference. Selecting it from a hashtable that holds its key (in
    /// any case) gives that key's value; from one that does not, or from a value without keys, a
    /// SecretKeyNotFound naming the key; a credential's UserName and Password are its keys.
    /// </summary>
    internal static class SecretReferenceTarget
    {
        public const string Parameter = "Name";

        public static void Check(byte[] input)
        {
            var text = Text.Lossy(input);
            if (!SecretReference.TryParse(text, out var reference, out var problem))
            {
                Expect.Trace("refused: " + problem);
                Expect.That(reference == null && !string.IsNullOrEmpty(problem), "TryParse refused without a reason, or with a reference");
                try
                {
                    SecretReference.Parse(text, Parameter);
                    throw new ContractViolation("Parse accepted what TryParse refused");
                }
                catch (InvalidInputException e)
                {
                    Expect.Refused(e, "InvalidSecretName", Parameter);
                }

                return;
            }

            Expect.Trace($"accepted: name '{reference!.Name}', key {(reference.Key == null ? "none" : "'" + Exchange.Show(reference.Key) + "'")}");
            Expect.That(problem.Length == 0, "TryParse accepted with a problem");
            var trimmed = text.Trim();
            Expect.That(reference.Text == trimmed, "the reference's text is not the input trimmed");
            int dot = trimmed.IndexOf('.');
            Expect.That(reference.Name.Value == (dot < 0 ? trimmed : trimmed.Substring(0, dot)), "the name is not the text up to the first '.'");
            Expect.That(SecretName.Validate(reference.Name.Value) == null, "the name of an accepted reference is not a valid secret name");
            Expect.That(dot < 0 ? reference.Key == null : reference.Key == trimmed.Substring(dot + 1) && reference.Key.Length > 0, "the key is not the text after the first '.'");

            var parsed = SecretReference.Parse(text, Parameter);
            Expect.That(parsed.Equals(reference) && parsed.Text == reference.Text, "Parse and TryParse disagree");
            Expect.That(SecretReference.TryParse(reference.Text, out var again, out _) && again!.Equals(reference) && again.Text == reference.Text,
                "the reference's text parses to another reference");
            var other = SecretReference.Parse(reference.Name.Value.ToUpperInvariant() + (reference.Key == null ? string.Empty : "." + reference.Key), Parameter);
            Expect.That(other.Equals(reference) && reference.Equals(other) && other.GetHashCode() == reference.GetHashCode(),
                "the reference in other letter case is not equal, or has another hash");

            Select(reference);
        }

        private static void Select(SecretReference reference)
        {
            using var text = SecretValue.FromString("whole");
            using var credential = SecretValue.FromCredential("user", Encoding.UTF8.GetBytes("pass"));
            if (reference.Key == null)
            {
                using var copy = reference.Select(text);
                Expect.That(copy.Type == SecretType.String && copy.GetText() == "whole", "the whole value selected is another value");
                return;
            }

            var key = reference.Key;
            Missing(reference, text);
            if (string.Equals(key, SecretReference.UserNameKey, StringComparison.OrdinalIgnoreCase)
                || string.Equals(key, SecretReference.PasswordKey, StringComparison.OrdinalIgnoreCase))
            {
                using var part = reference.Select(credential);
                bool user = string.Equals(key, SecretReference.UserNameKey, StringComparison.OrdinalIgnoreCase);
                Expect.That(part.GetText() == (user ? "user" : "pass") && part.Type == (user ? SecretType.String : SecretType.SecureString),
                    "a credential's part selected is another value");
            }
            else
            {
                Missing(reference, credential);
            }

            using var without = SecretValue.FromEntries(new[] { new SecretEntry("other", SecretValue.FromString("x")) });
            if (!string.Equals(key, "other", StringComparison.OrdinalIgnoreCase))
            {
                Missing(reference, without);
            }

            // The key as stored, in its own letter case and in others (those that compare equal ignoring case).
            foreach (var stored in new[] { key, key.ToUpperInvariant(), key.ToLowerInvariant() }
                .Where(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase) && Encoding.UTF8.GetByteCount(k) <= SecretValue.MaxKeyBytes))
            {
                using var table = SecretValue.FromEntries(new List<SecretEntry>
                {
                    new SecretEntry(string.Equals(stored, "first", StringComparison.OrdinalIgnoreCase) ? "zeroth" : "first", SecretValue.FromString("1")),
                    new SecretEntry(stored, SecretValue.FromBytes(new byte[] { 7, 0, 7 })),
                });
                using var selected = reference.Select(table);
                Expect.That(selected.Type == SecretType.ByteArray && selected.GetBytes().SequenceEqual(new byte[] { 7, 0, 7 }),
                    "the key selected from a hashtable is another value");
            }
        }

        private static void Missing(SecretReference reference, SecretValue value)
        {
            try
            {
                reference.Select(value, "fuzz/secret").Dispose();
            }
            catch (SecretKeyNotFoundException e)
            {
                Expect.That(e.ErrorId == "SecretKeyNotFound" && e.Key == reference.Key && e.Name == "fuzz/secret", "a missing key reported without the key or the secret");
                return;
            }

            throw new ContractViolation($"the key '{Exchange.Show(reference.Key!)}' was found in a {value.Type} that does not hold it");
        }
    }
}
