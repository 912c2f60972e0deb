using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Secrets.Core.Interop;
using Secrets.Core.Values;

namespace Secrets.Fuzz.Targets
{
    /// <summary>
    /// Kubernetes Secret manifests (<c>KubernetesManifest.Parse</c>, and <c>SecretExchange.Read</c>
    /// as Import-Secret reads them: one Secret, a List, several YAML documents), on the input as
    /// Import-Secret reads a file. Contract: refused with InvalidKubernetesManifest (or NotText)
    /// naming the file, or read as one or more Secrets with valid keys, unique ignoring case, and
    /// the keys their type needs, no two of the same name and namespace; each imports as a
    /// hashtable of exactly those keys and bytes with its type, name, namespace, labels and
    /// immutability in the metadata; exported (<c>SecretExchange.Write</c>, which refuses by name a
    /// name Kubernetes does not take) and read again, the same Secrets, and the same text when
    /// written again.
    /// </summary>
    internal static class KubernetesTarget
    {
        public const string Path = "/fuzz/project/secrets.yaml";
        private static readonly Regex DnsSubdomain = new Regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\z", RegexOptions.CultureInvariant);
        private static readonly Regex DataKey = new Regex("^[-._a-zA-Z0-9]+\\z", RegexOptions.CultureInvariant);

        public static void Check(byte[] input)
        {
            var text = Exchange.Text(input, Path);
            if (text == null)
            {
                return;
            }

            Exchange.Detect(text, Path);
            List<KubernetesSecret> secrets;
            var skipped = new List<string>();
            try
            {
                secrets = KubernetesManifest.Parse(text, InteropFiles.Describe(Path), Path, skipped);
            }
            catch (InvalidContentException e)
            {
                Expect.Refused(e, Path, "InvalidKubernetesManifest");
                Expect.That(Exchange.Import(text, ExchangeFormat.Kubernetes, Path, null, new List<string>(), "InvalidKubernetesManifest") == null,
                    "Import-Secret read a manifest that KubernetesManifest.Parse refuses");
                return;
            }

            try
            {
                Expect.Trace($"read {secrets.Count} Secrets, skipped {skipped.Count} objects");
                CheckSecrets(secrets, "the Secrets read");
                Expect.That(KubernetesManifest.LooksLikeSecrets(text), "Secrets read from text that does not look like Secrets");
                Import(text, secrets);
            }
            finally
            {
                foreach (var secret in secrets)
                {
                    secret.Dispose();
                }
            }
        }

        private static void CheckSecrets(List<KubernetesSecret> secrets, string what)
        {
            Expect.That(secrets.Count >= 1, $"{what}: no Secret");
            foreach (var secret in secrets)
            {
                Expect.That(secret.Data.All(p => p.Key.Length <= 253 && DataKey.IsMatch(p.Key)), $"{what}: an invalid key in {secret.Describe()}");
                Expect.That(secret.Data.Select(p => p.Key).Distinct(StringComparer.OrdinalIgnoreCase).Count() == secret.Data.Count, $"{what}: a key read twice in {secret.Describe()}");
                Expect.That(KubernetesManifest.TypeProblem(secret) == null, $"{what}: {secret.Describe()} lacks the keys of its type");
            }

            var named = secrets.Where(s => s.Name != null).Select(s => (s.Namespace, s.Name)).ToList();
            Expect.That(named.Distinct().Count() == named.Count, $"{what}: two Secrets of the same name and namespace");
        }

        private static void Import(string text, List<KubernetesSecret> secrets)
        {
            var imported = Exchange.Import(text, ExchangeFormat.Kubernetes, Path, null, new List<string>(), "InvalidKubernetesManifest", "InvalidValues");
            try
            {
                if (imported == null)
                {
                    Expect.That(secrets.Any(s => s.Data.Count > SecretValue.MaxEntries), "Import-Secret refused Secrets that a secret can hold");
                    return;
                }

                Expect.That(imported.Count == secrets.Count, $"{imported.Count} secrets imported of {secrets.Count} Secrets");
                for (int i = 0; i < secrets.Count; i++)
                {
                    var what = $"the import of {secrets[i].Describe()}";
                    var value = imported[i].Value;
                    Expect.That(imported[i].Name == secrets[i].Name, $"{what} has another name");
                    Expect.That(value.Type == SecretType.Hashtable && value.Entries.Count == secrets[i].Data.Count, $"{what} has other keys");
                    for (int k = 0; k < value.Entries.Count; k++)
                    {
                        var entry = value.Entries[k];
                        Expect.That(entry.Key == secrets[i].Data[k].Key, $"{what}: key {k + 1} is another key");
                        Expect.That(entry.Value.Type == SecretType.String || entry.Value.Type == SecretType.ByteArray, $"{what}: '{entry.Key}' is a {entry.Value.Type}");
                        Expect.SameBytes(secrets[i].Data[k].Value, entry.Value.GetBytes(), $"{what}: the bytes of '{entry.Key}'");
                    }
                }

                RoundTrip(imported, secrets);
            }
            finally
            {
                Exchange.Dispose(imported);
            }
        }

        /// <summary>Export-Secret -Format Kubernetes of every imported secret, read again.</summary>
        private static void RoundTrip(List<ImportedSecret> imported, List<KubernetesSecret> secrets)
        {
            var items = imported.Select((s, i) => new ExportItem($"k8s/secret-{i}", s.Value, s.Metadata.ToDictionary(m => m.Key, m => m.Value))).ToList();
            var names = secrets.Select((s, i) => s.Name ?? $"secret-{i}").ToList();
            bool nameless = names.Any(n => n.Length > 253 || !DnsSubdomain.IsMatch(n));
            bool clash = secrets.Select((s, i) => (s.Namespace, names[i])).Distinct().Count() < secrets.Count;
            string written;
            try
            {
                written = SecretExchange.Write(ExchangeFormat.Kubernetes, items, null, null);
            }
            catch (InvalidContentException e) when (e.ErrorId == "ValueNotExportable")
            {
                Expect.Trace("not exportable: " + e.Message);
                Expect.That(nameless, "the export refused Secrets whose names Kubernetes takes: " + e.Message);
                return;
            }
            catch (Secrets.Core.Errors.InvalidInputException e) when (e.ErrorId == "ExportNameClash")
            {
                Expect.That(clash && !nameless, "the export reported a clash of names where there is none");
                return;
            }

            Expect.That(!nameless && !clash, "the export wrote a name Kubernetes does not take, or two Secrets of the same name");
            List<KubernetesSecret> again;
            var skipped = new List<string>();
            try
            {
                again = KubernetesManifest.Parse(written, "the exported text", null, skipped);
            }
            catch (InvalidContentException e)
            {
                throw new ContractViolation("the exported manifest is refused: " + e.Message, e);
            }

            try
            {
                Expect.That(skipped.Count == 0 && again.Count == secrets.Count, $"the exported manifest holds {again.Count} Secrets and {skipped.Count} other objects, not {secrets.Count} Secrets");
                for (int i = 0; i < secrets.Count; i++)
                {
                    var what = $"the export of {secrets[i].Describe()}";
                    var (before, after) = (secrets[i], again[i]);
                    Expect.That(after.Name == names[i] && after.Namespace == before.Namespace && after.Type == before.Type && after.Immutable == before.Immutable,
                        $"{what} has another name, namespace, type or immutability");
                    Expect.That(after.Labels.SequenceEqual(before.Labels), $"{what} has other labels");
                    Expect.That(after.Data.Count == before.Data.Count, $"{what} has other keys");
                    for (int k = 0; k < before.Data.Count; k++)
                    {
                        Expect.That(after.Data[k].Key == before.Data[k].Key, $"{what}: key {k + 1} is another key");
                        Expect.SameBytes(before.Data[k].Value, after.Data[k].Value, $"{what}: the bytes of '{before.Data[k].Key}'");
                    }
                }
            }
            finally
            {
                foreach (var secret in again)
                {
                    secret.Dispose();
                }
            }

            var reimported = SecretExchange.Read(written, ExchangeFormat.Kubernetes, "the exported text", null, null, new List<string>());
            try
            {
                var rewritten = SecretExchange.Write(ExchangeFormat.Kubernetes,
                    reimported.Select((s, i) => new ExportItem($"k8s/secret-{i}", s.Value, s.Metadata.ToDictionary(m => m.Key, m => m.Value))).ToList(), null, null);
                Expect.That(rewritten == written, "the exported manifest, imported and exported again, is another text");
            }
            finally
            {
                Exchange.Dispose(reimported);
            }
        }
    }
}
