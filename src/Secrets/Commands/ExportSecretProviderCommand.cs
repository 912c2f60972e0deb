using System.Linq;
using System.Management.Automation;
using Secrets.Core.Errors;
using Secrets.Core.Interop;
using Secrets.Core.Platform;
using Secrets.Core.Providers;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Writes a provider secret back where the provider's tools read it (~/.aws/credentials, ~/.kube/config…), owner-only, keeping a copy of what it replaces.</para>
    /// </summary>
    /// <remarks>
    /// Export, the counterpart of Import-SecretProvider: the secret leaves the store in the
    /// provider's own format and place.
    /// </remarks>
    [Cmdlet(VerbsData.Export, "SecretProvider", SupportsShouldProcess = true, HelpUri = HelpLinks.Base + "Export-SecretProvider.md")]
    [OutputType(typeof(SecretExportFile))]
    public sealed class ExportSecretProviderCommand : IdentityCmdlet
    {
        /// <summary>The secret to write back (made by Import-SecretProvider).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SecretNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        /// <summary>The provider; default: the one recorded in the secret's metadata.</summary>
        [Parameter(Position = 1)]
        [ArgumentCompleter(typeof(ProviderNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Provider { get; set; }

        /// <summary>The file to write instead of the provider's default location (a .env file for providers that read variables only).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>aws: the profile to write (default: the one it was imported from, else default).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Profile { get; set; }

        /// <summary>Replace existing files that hold something else (a copy of each is kept next to it).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>The store folder; the personal default store when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(StoreNameCompleter))]
        public string? Store { get; set; }

        protected override void ProcessRecord()
        {
            ForItem(Name, () =>
            {
                var (secretName, storeGiven) = InStore(Name, Store, nameof(Name));
                var store = GetStore(storeGiven, createDefault: false) ?? throw new SecretNotFoundException(secretName, SecretsPaths.DefaultStorePath);
                using var value = store.Read(secretName, Caller, null, out var record);
                var recorded = record.Metadata.TryGetValue(SecretProvider.ProviderKey, out var name) ? name as string : null;
                var providerName = Provider ?? recorded
                    ?? throw new InvalidInputException("ProviderRequired", "Provider",
                        $"The secret '{record.Name}' does not record a provider (it was not made by Import-SecretProvider). Name one with -Provider.");
                var provider = SecretProviders.Find(providerName);
                var path = Path == null ? null : ResolvePath(Path);
                var files = provider.Export(ProviderEnvironment.Current, record.Name, value, record.Metadata, path, Profile);

                try
                {
                    // Every file is checked before any is written: a refusal leaves them all as they were.
                    foreach (var file in files)
                    {
                        InteropFiles.CheckWritable(file.Path, file.Content, Force);
                    }

                    foreach (var file in files)
                    {
                        if (!ShouldProcess(file.Path, $"Write the {provider.Name} credentials of '{record.Name}'"))
                        {
                            continue;
                        }

                        var written = InteropFiles.Write(file.Path, file.Content, Force, file.UnixMode);
                        WriteVerbose(written.Changed
                            ? $"Wrote '{written.Path}'" + (written.Backup == null ? "." : $"; the file it replaced is kept as '{written.Backup}'.")
                            : $"'{written.Path}' already holds these credentials; it was left as it was.");
                        WriteObject(new SecretExportFile(written.Path, record.Name, provider.Name, FilePermissions.FormatUnixMode(written.UnixMode), written.Backup, written.Changed));
                    }
                }
                finally
                {
                    foreach (var file in files)
                    {
                        Core.Crypto.Sensitive.Zero(file.Content);
                    }
                }
            });
        }

        private string ResolvePath(string path)
        {
            var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
            if (provider.Name != "FileSystem")
            {
                throw new InvalidInputException("PathNotOnFileSystem", "Path", $"The path '{path}' is on the {provider.Name} provider; give a file on the file system.");
            }

            return resolved;
        }
    }
}
