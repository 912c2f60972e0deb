using System.Management.Automation;
using Secrets.Core.Errors;
using Secrets.Core.Interop;
using Secrets.Core.Providers;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Stores a provider's credentials (AWS, Google Cloud, Azure, GitHub, Hugging Face, API keys, SSH, Docker, kubeconfig) from where its tools keep them.</para>
    /// </summary>
    /// <remarks>
    /// Import, because the credentials are read from the provider's own files and variables, in
    /// its own format, and become a secret (as Import-Secret reads a file format); the provider is
    /// recorded in the secret's metadata.
    /// </remarks>
    [Cmdlet(VerbsData.Import, "SecretProvider", SupportsShouldProcess = true, HelpUri = HelpLinks.Base + "Import-SecretProvider.md")]
    [OutputType(typeof(SecretInfo))]
    public sealed class ImportSecretProviderCommand : SecretImportCommand
    {
        /// <summary>The provider: aws, gcp, azure, github, huggingface, openai, anthropic…, ssh, docker, kubeconfig.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProviderNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Provider { get; set; } = string.Empty;

        /// <summary>The secret's name; default: the provider's name (aws/PROFILE with -Profile).</summary>
        [Parameter(Position = 1)]
        [ArgumentCompleter(typeof(SecretNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary>The file to read instead of the provider's default location (a .env file for providers that read variables only).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>aws: the profile to read (default: AWS_PROFILE, else default).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Profile { get; set; }

        protected override void ProcessRecord()
        {
            ForItem(Name ?? Provider, () =>
            {
                var provider = SecretProviders.Find(Provider);
                var path = Path == null ? null : ResolveFilePath(Path, nameof(Path));
                var import = provider.Import(ProviderEnvironment.Current, path, Profile);
                foreach (var warning in import.Warnings)
                {
                    WriteWarning(warning);
                }

                var name = Name ?? (Profile != null && Profile != "default" ? provider.Name + "/" + Profile : provider.Name);
                using var value = FlatValues.ToSecretValue(
                    import.Entries.ConvertAll(e => new FlatEntry(e.Key, e.Value, 0)), $"the {provider.Name} credentials from {import.Source}", path);
                WriteImported(name, value, import.Metadata, $"{provider.Name} credentials from {import.Source}");
            });
        }
    }
}
