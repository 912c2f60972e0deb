using System.Management.Automation;
using Secrets.Core.Errors;
using Secrets.Core.Platform;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Removes a secret and every kept version of it.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "Secret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveSecretCommand : SecretsCmdlet
    {
        /// <summary>The name of the secret.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SecretNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        /// <summary>The store folder; the personal default store when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Store { get; set; }

        protected override void ProcessRecord()
        {
            ForItem(Name, () =>
            {
                var store = GetStore(Store, createDefault: false)
                    ?? throw new SecretNotFoundException(Name, SecretsPaths.DefaultStorePath);
                string description;
                try
                {
                    var info = store.GetInfo(Name);
                    var versions = info.Versions.Count == 1 ? "1 version" : $"{info.Versions.Count} versions";
                    description = $"secret '{info.Name}' ({info.Type}, {versions})";
                }
                catch (SecretsException e) when (e is InvalidFileException || e.ErrorId == "UnauthorizedWriter")
                {
                    // A secret whose newest file is damaged or forged can still be removed.
                    description = $"secret '{Name}' (its newest version file is invalid)";
                }

                if (!ShouldProcess($"{description} in the store at '{store.Path}'", "Remove"))
                {
                    return;
                }

                var removed = store.Remove(Name, Identity);
                WriteVerbose($"Removed secret '{removed.Name}' from '{store.Path}'.");
            });
        }
    }
}
