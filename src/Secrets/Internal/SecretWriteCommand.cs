using System.Collections;
using System.Linq;
using System.Management.Automation;
using System.Security;
using Secrets.Core.Store;
using Secrets.Core.Values;
using Secrets.Core.Names;
using Secrets.Core.Lookup;

namespace Secrets.Internal
{
    using SecretType = Secrets.Core.Values.SecretType;

    /// <summary>
    /// New-Secret and Set-Secret: the same inputs (an object, a SecureString, a file, or JSON/YAML
    /// values), differing in the name of the value parameter and in whether an existing secret is
    /// replaced.
    /// </summary>
    public abstract class SecretWriteCommand : IdentityCmdlet
    {
        internal const string ObjectSet = "Object";
        internal const string SecureStringSet = "SecureString";
        internal const string PathSet = "Path";
        internal const string LiteralPathSet = "LiteralPath";
        internal const string ValuesSet = "Values";
        internal const string InteractiveSet = "Interactive";

        /// <summary>The name of the secret.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SecretNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        /// <summary>The value as a SecureString (stored with type SecureString, as in SecretManagement).</summary>
        [Parameter(Mandatory = true, ParameterSetName = SecureStringSet)]
        public SecureString? SecureStringSecret { get; set; }

        /// <summary>A file whose content is the value (wildcards allowed, one file must match).</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>A file whose content is the value, taken literally.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string? LiteralPath { get; set; }

        /// <summary>With -Path or -LiteralPath: store the file's bytes as a byte[] instead of text.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        public SwitchParameter AsByteArray { get; set; }

        /// <summary>A hashtable secret given as JSON or YAML text: a mapping of keys to values.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ValuesSet)]
        [ValidateNotNullOrEmpty]
        public string? Values { get; set; }

        /// <summary>A hashtable secret typed at the console: key names, then each value at a masked prompt, until an empty key name.</summary>
        [Parameter(Mandatory = true, ParameterSetName = InteractiveSet)]
        public SwitchParameter Interactive { get; set; }

        /// <summary>Non-secret metadata: string, int, long, bool or DateTime values.</summary>
        [Parameter(Position = 3)]
        public Hashtable? Metadata { get; set; }

        /// <summary>The store folder; the personal default store when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(StoreNameCompleter))]
        public string? Store { get; set; }

        /// <summary>Write the new secret's information to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>A registered SecretManagement vault: one of this module's is written directly, any other through SecretManagement.</summary>
        [Parameter(Position = 2, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(VaultNameCompleter))]
        [Alias("VaultName")]
        public string? Vault { get; set; }

        /// <summary>
        /// A row object from the pipeline (Import-Csv, [pscustomobject]@{ Name = …; Value = … }) binds
        /// whole to the value parameter; a custom object is never a secret value, so its Value (or
        /// Secret) property is the value. Anything else is returned as it is.
        /// </summary>
        protected static object? FromRow(object? input)
        {
            if (input is PSObject row && row.BaseObject is PSCustomObject)
            {
                var property = row.Properties["Value"] ?? row.Properties["Secret"];
                if (property != null)
                {
                    return property.Value;
                }
            }

            return input;
        }

        /// <summary>The object given for the value parameter of the Object set.</summary>
        protected abstract object? ValueObject { get; }

        /// <summary>Whether the value parameter of the Object set was given (on the command line or from the pipeline).</summary>
        protected abstract bool ValueGiven { get; }

        /// <summary>The name of the value parameter, for messages.</summary>
        protected abstract string ValueParameterName { get; }

        /// <summary>Whether an existing secret makes the write fail.</summary>
        protected abstract bool CreateOnly { get; }

        protected override void ProcessRecord()
        {
            SecretLocator? uri = null;
            string secretName = Name;
            string? storePath = null;
            KnownVault? foreign = null;
            ForItem(Name, () =>
            {
                uri = WriteUri(Name, nameof(Name));
                secretName = uri?.Uri!.Name ?? Name;
                foreign = SelectWriteTarget(uri, Store, Vault, out storePath);
                if (foreign == null)
                {
                    // A store's names never contain '.': the URI's error says how to write it.
                    uri?.RequireReference(nameof(Name));
                }
            });

            if (foreign != null)
            {
                ForItem(Name, () => HandOff(foreign, secretName));
                return;
            }

            if (storePath == null)
            {
                return;
            }

            ForItem(Name, () =>
            {
                var name = SecretName.Parse(secretName);
                var metadata = Metadata == null ? null : InputConversion.ToMetadata(Metadata);
                SecretValue? value = Prompting ? null : BuildValue();
                try
                {
                    var action = CreateOnly ? "Create secret" : "Write a new version of secret";
                    var type = value?.Type ?? (ParameterSetName == InteractiveSet ? SecretType.Hashtable : SecretType.SecureString);
                    if (!ShouldProcess($"'{name.Value}' ({type}) in the store at '{storePath}'", action))
                    {
                        return;
                    }

                    value ??= PromptedValue(name.Value);
                    Write(name, value, metadata, storePath, chosenByLookup: uri == null && string.IsNullOrEmpty(Store) && string.IsNullOrEmpty(Vault));
                }
                finally
                {
                    value?.Dispose();
                }
            });
        }

        /// <summary>
        /// Whether the value is asked for at the console: with -Interactive, or when no value was
        /// given at all (none on the command line, none from the pipeline).
        /// </summary>
        private bool Prompting => ParameterSetName == InteractiveSet || (ParameterSetName == ObjectSet && !ValueGiven);

        /// <summary>The value typed at masked prompts; a session that cannot prompt stops with SecretValueRequired.</summary>
        private SecretValue PromptedValue(string name)
        {
            object prompted;
            try
            {
                prompted = ParameterSetName == InteractiveSet
                    ? ValuePrompt.ReadHashtable(this, name, ValueParameterName)
                    : (object)ValuePrompt.ReadValue(this, name, ValueParameterName);
            }
            catch (Secrets.Core.Errors.InvalidInputException e)
            {
                // Nothing can be written without a value: the command stops, whatever the pipeline holds.
                ThrowTerminatingError(ErrorMapping.ToErrorRecord(e, Name));
                throw; // not reached
            }

            try
            {
                return ValueConverter.ToSecretValue(prompted, ValueParameterName);
            }
            finally
            {
                if (prompted is IDictionary table)
                {
                    ValuePrompt.Dispose(table);
                }
                else
                {
                    ((SecureString)prompted).Dispose();
                }
            }
        }

        private void Write(SecretName name, SecretValue value, SecretMetadata? metadata, string storePath, bool chosenByLookup)
        {
            var store = OpenForWrite(storePath);
            SecretRecord record;
            try
            {
                record = store.Write(name.Value, value, metadata, Caller, CreateOnly ? WriteMode.CreateOnly : WriteMode.CreateOrUpdate);
            }
            catch (System.ArgumentException e)
            {
                // The core checks the encoded size of the value (at most 16 MiB) only when it encodes it.
                var message = e.Message.Split('\n')[0].Trim();
                var parameterSuffix = $" (Parameter '{e.ParamName}')";
                if (message.EndsWith(parameterSuffix, System.StringComparison.Ordinal))
                {
                    message = message.Substring(0, message.Length - parameterSuffix.Length);
                }

                throw new Secrets.Core.Errors.InvalidInputException("InvalidSecretValue", ValueParameterName, message);
            }

            WriteVerbose($"Wrote secret '{record.Name}' version {record.Version} ({record.Type}) to '{store.Path}'.");
            WarnIfReplacedInvalid(record);
            if (record.Version == 1)
            {
                WarnAboutOtherCopies(record.Name, store.Path, chosenByLookup);
            }

            if (PassThru)
            {
                WriteObject(Describe(store, record));
            }
        }

        /// <summary>
        /// Writes to another module's vault with SecretManagement's Set-Secret. A value read from a
        /// file or given as JSON/YAML is handed over as the object it would be read back as.
        /// </summary>
        private void HandOff(KnownVault vault, string name)
        {
            var parameters = new Hashtable { ["Name"] = name, ["Vault"] = vault.Name };
            if (Metadata != null)
            {
                parameters["Metadata"] = Metadata;
            }

            if (CreateOnly)
            {
                parameters["NoClobber"] = true;
            }

            switch (ParameterSetName)
            {
                case SecureStringSet:
                    parameters["SecureStringSecret"] = SecureStringSecret;
                    break;
                case ObjectSet when ValueGiven:
                    parameters["Secret"] = ValueObject;
                    break;
                case ObjectSet:
                    // Asked for here, masked, and handed over as SecretManagement's own prompt would give it.
                    parameters["SecureStringSecret"] = ValuePrompt.ReadValue(this, name, ValueParameterName);
                    break;
                case InteractiveSet:
                    parameters["Secret"] = new Hashtable(ValuePrompt.ReadHashtable(this, name, ValueParameterName), System.StringComparer.OrdinalIgnoreCase);
                    break;
                default:
                    using (var value = BuildValue())
                    {
                        parameters["Secret"] = ValueConverter.ToStoredTypeOutput(value);
                    }

                    break;
            }

            // What is typed is handed over, not disposed: the other vault may keep the objects it is given.
            HandOff(vault, "Set-Secret", parameters, nameof(Store), nameof(PassThru));
        }

        private SecretValue BuildValue()
        {
            switch (ParameterSetName)
            {
                case SecureStringSet:
                    return ValueConverter.ToSecretValue(SecureStringSecret, nameof(SecureStringSecret));
                case PathSet:
                case LiteralPathSet:
                    return ValueFile.Read(ResolveValueFile(), AsByteArray.IsPresent);
                case ValuesSet:
                    return StructuredValues.ToSecretValue(Values!, nameof(Values));
                default:
                    var input = ValueObject is PSObject wrapped ? wrapped.BaseObject : ValueObject;
                    if (input is byte && MyInvocation.ExpectingInput)
                    {
                        // PowerShell unrolls an array in the pipeline: each byte arrives alone.
                        ThrowTerminatingError(ErrorMapping.InvalidArgument("InvalidSecretValue",
                            $"A byte array piped to {MyInvocation.MyCommand.Name} arrives one byte at a time. Pass it whole: -{ValueParameterName} $bytes, or pipe ,$bytes.", Name));
                    }

                    return ValueConverter.ToSecretValue(ValueObject, ValueParameterName);
            }
        }

        private string ResolveValueFile()
        {
            ProviderInfo provider;
            string resolved;
            if (ParameterSetName == LiteralPathSet)
            {
                resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(LiteralPath, out provider, out _);
            }
            else
            {
                var matches = GetResolvedProviderPathFromPSPath(Path, out provider);
                if (matches.Count != 1)
                {
                    throw new Secrets.Core.Errors.InvalidInputException("AmbiguousPath", "Path",
                        $"The path '{Path}' matches {matches.Count} files; a secret is read from exactly one. Use -LiteralPath for names with wildcard characters.");
                }

                resolved = matches[0];
            }

            if (provider.Name != "FileSystem")
            {
                throw new Secrets.Core.Errors.InvalidInputException("PathNotOnFileSystem", "Path",
                    $"The path is on the {provider.Name} provider; a secret can be read only from a file.");
            }

            return resolved;
        }
    }
}
