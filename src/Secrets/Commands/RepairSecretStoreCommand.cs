using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Secrets.Core.Errors;
using Secrets.Core.Store;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Verifies every file of a store and repairs what needs no new value: temporary files, files outside a secret's history, unfinished rotations.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Repair, "SecretStore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "Repair-SecretStore.md")]
    [OutputType(typeof(SecretStoreFinding))]
    public sealed class RepairSecretStoreCommand : IdentityCmdlet
    {
        /// <summary>The store folder; the personal default store when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(StoreNameCompleter))]
        [Alias("Store")]
        public string? Path { get; set; }

        protected override void ProcessRecord()
        {
            var path = ResolveStorePath(Path);
            try
            {
                var store = SecretStore.Open(path);
                const string activity = "Checking the store";

                // Ask first, without the lock; the repair checks again under the lock and makes the
                // approved repairs that are still needed.
                var approved = new HashSet<(StoreFindingKind, string?, string?)>();
                foreach (var finding in store.Check(name => Progress(1, activity, name, 0, 0)).Where(f => f.Repairable))
                {
                    if (ShouldProcess(finding.File ?? finding.Secret ?? store.Path, $"{finding.Action} ({finding.Message})"))
                    {
                        approved.Add((finding.Kind, finding.Secret, finding.File));
                    }
                }

                CompleteProgress(1, activity);
                IReadOnlyList<StoreFinding> findings;
                if (approved.Count == 0)
                {
                    findings = store.Check();
                }
                else
                {
                    var actor = approved.Any(a => a.Item1 == StoreFindingKind.RotationPending) ? Caller : null;
                    findings = store.Repair(actor, f => approved.Contains((f.Kind, f.Secret, f.File)), name => Progress(1, "Repairing the store", name, 0, 0));
                    CompleteProgress(1, "Repairing the store");
                }

                foreach (var finding in findings)
                {
                    WriteObject(new SecretStoreFinding(finding, store.Path));
                }

                WriteVerbose($"{findings.Count(f => f.Repaired)} of {findings.Count} findings repaired in the store at '{store.Path}'.");
            }
            catch (SecretsException e)
            {
                ThrowFailure(e, path);
            }
        }
    }
}
