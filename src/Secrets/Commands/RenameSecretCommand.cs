using System.Linq;
using System.Management.Automation;
using Secrets.Core.Errors;
using Secrets.Core.Operations;
using Secrets.Core.Platform;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Renames a secret: its current value and metadata move to the new name; older versions are not kept.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Rename, "Secret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "Rename-Secret.md")]
    [OutputType(typeof(SecretInfo))]
    public sealed class RenameSecretCommand : IdentityCmdlet
    {
        /// <summary>The name of the secret to rename.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SecretNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        /// <summary>The new name (a script block computes it from each piped object).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string NewName { get; set; } = string.Empty;

        /// <summary>Write over a secret that already has the new name, as its next version.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>The store folder; the personal default store when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(StoreNameCompleter))]
        public string? Store { get; set; }

        /// <summary>Write the renamed secret's information to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            ForItem(Name, () =>
            {
                var (name, storeGiven) = InStore(Name, Store, nameof(Name));
                var store = GetStore(storeGiven, createDefault: false)
                    ?? throw new SecretNotFoundException(name, SecretsPaths.DefaultStorePath);
                var plan = SecretRename.Check(store, name, NewName, CallerRecipient, Force.IsPresent);
                var current = plan.Current;
                var versions = current.Versions.Count == 1 ? "1 version" : $"{current.Versions.Count} versions";
                string action;
                if (plan.CaseOnly)
                {
                    action = $"Rename to '{plan.NewName}' (only the case changes: the secret keeps its history)";
                }
                else
                {
                    action = $"Rename to '{plan.NewName}'"
                        + (plan.Existing == null ? string.Empty : $", writing over the existing secret '{plan.Existing.Name}' (version {plan.Existing.Version}) as its next version")
                        + (plan.DroppedVersions == 0 ? string.Empty : $" (only the current value and metadata move: {(plan.DroppedVersions == 1 ? "its older version is" : $"its {plan.DroppedVersions} older versions are")} not kept)");
                }

                if (!ShouldProcess($"secret '{current.Name}' ({current.Type}, {versions}) in the store at '{store.Path}'", action))
                {
                    return;
                }

                var result = SecretRename.Rename(store, current.Name, plan.NewName, Caller, Force.IsPresent);
                var record = result.Record;
                WriteVerbose(result.KeptHistory
                    ? $"Renamed secret '{result.OldName}' to '{record.Name}' (version {record.Version}); its history is kept."
                    : $"Renamed secret '{result.OldName}' to '{record.Name}' (version {record.Version}) in '{store.Path}'; '{result.OldName}' was removed.");
                foreach (var grant in result.Grants)
                {
                    WriteVerbose($"Granted {grant.Member.Name} {grant.Level} access to '{record.Name}', as on '{result.OldName}'.");
                }

                if (result.DroppedVersions > 0)
                {
                    WriteWarning($"'{result.OldName}' had {Count(result.DroppedVersions, "older version")}; {(result.DroppedVersions == 1 ? "it was" : "they were")} not carried over and {(result.DroppedVersions == 1 ? "was" : "were")} removed with it. "
                        + $"'{record.Name}' holds the current value only (version {record.Version}).");
                }

                if (PassThru)
                {
                    WriteObject(Describe(store, store.GetInfo(record.Name)));
                }
            });
        }

        private static string Count(int count, string what) => count == 1 ? $"1 {what}" : $"{count} {what}s";
    }
}
