using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Secrets.Core.Names;
using Secrets.Core.Errors;
using Secrets.Core.Store;
using Secrets.Core.Values;

namespace Secrets.Internal
{
    using SecretType = Secrets.Core.Values.SecretType;

    /// <summary>
    /// Import-Secret and Import-SecretProvider: what they share once a value has been read from a
    /// file or the environment: the store, the metadata (the import's own keys added to what the
    /// secret had, or to -Metadata), -NoClobber, -PassThru and -WhatIf.
    /// </summary>
    public abstract class SecretImportCommand : IdentityCmdlet
    {
        /// <summary>The metadata key families an import records; a new import replaces what an earlier one recorded.</summary>
        private static readonly string[] ImportFamilies = { "provider", "provider.", "kubernetes.", "ini." };

        /// <summary>Non-secret metadata: string, int, long, bool or DateTime values.</summary>
        [Parameter]
        public Hashtable? Metadata { get; set; }

        /// <summary>The store folder; the personal default store when omitted.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(StoreNameCompleter))]
        public string? Store { get; set; }

        /// <summary>Write the new secret's information to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Fail instead of writing a new version when the secret exists.</summary>
        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        /// <summary>
        /// Writes the value as the next version of the secret (the first with -NoClobber), after
        /// -WhatIf. <paramref name="imported"/> is the metadata the import records.
        /// </summary>
        internal void WriteImported(string name, SecretValue value, IEnumerable<KeyValuePair<string, object>> imported, string from)
        {
            var secretName = SecretName.Parse(name);
            var storePath = ResolveStorePath(Store);
            var keys = value.Type == SecretType.Hashtable ? $", keys {string.Join(", ", value.Entries.Select(e => e.Key))}" : string.Empty;
            if (!ShouldProcess($"'{secretName.Value}' ({value.Type}{keys}) from {from}, in the store at '{storePath}'", NoClobber ? "Create secret" : "Import secret"))
            {
                return;
            }

            var store = GetStore(Store, createDefault: true)!;
            var metadata = BuildMetadata(store, secretName.Value, imported.ToList());
            SecretRecord record;
            try
            {
                record = store.Write(secretName.Value, value, metadata, Caller, NoClobber ? WriteMode.CreateOnly : WriteMode.CreateOrUpdate);
            }
            catch (ArgumentException e)
            {
                throw new InvalidInputException("InvalidSecretValue", "Path", Core.Interop.FlatValues.FirstLine(e) + $" ({from})");
            }

            WriteVerbose($"Wrote secret '{record.Name}' version {record.Version} ({record.Type}{keys}) from {from} to '{store.Path}'.");
            WarnIfReplacedInvalid(record);
            if (PassThru)
            {
                WriteObject(Describe(store, record));
            }
        }

        /// <summary>
        /// -Metadata with the import's keys added (a key given in both is refused); without
        /// -Metadata, the secret's current metadata with the import's keys replacing those an
        /// earlier import recorded.
        /// </summary>
        private SecretMetadata BuildMetadata(SecretStore store, string name, List<KeyValuePair<string, object>> imported)
        {
            SecretMetadata metadata;
            if (Metadata != null)
            {
                metadata = InputConversion.ToMetadata(Metadata);
                foreach (var pair in imported)
                {
                    if (metadata.ContainsKey(pair.Key))
                    {
                        throw new InvalidInputException("InvalidMetadata", "Metadata",
                            $"The metadata key '{pair.Key}' is recorded by {MyInvocation.MyCommand.Name} itself (it says where the value came from). Leave it out of -Metadata.");
                    }
                }
            }
            else
            {
                try
                {
                    metadata = store.GetInfo(name).Metadata.Clone();
                }
                catch (SecretsException)
                {
                    metadata = new SecretMetadata();
                }

                foreach (var key in metadata.Keys.ToList())
                {
                    if (ImportFamilies.Any(f => f.EndsWith(".", StringComparison.Ordinal) ? key.StartsWith(f, StringComparison.OrdinalIgnoreCase) : string.Equals(key, f, StringComparison.OrdinalIgnoreCase)))
                    {
                        metadata.Remove(key);
                    }
                }
            }

            foreach (var pair in imported)
            {
                metadata.Set(pair.Key, pair.Value);
            }

            return metadata;
        }

        /// <summary>A file-system path given to a parameter, as a full path; other providers are refused.</summary>
        internal string ResolveFilePath(string path, string parameterName)
        {
            var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
            if (provider.Name != "FileSystem")
            {
                throw new InvalidInputException("PathNotOnFileSystem", parameterName, $"The path '{path}' is on the {provider.Name} provider; give a file on the file system.");
            }

            return resolved;
        }
    }
}
