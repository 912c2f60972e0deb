using System.Management.Automation;
using Secrets.Core.Errors;
using Secrets.Core.Sync;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Syncs a store kept in a git working tree: commits your changes, merges the others' after verifying them, and pushes.</para>
    /// </summary>
    [Cmdlet(VerbsData.Sync, "SecretStore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "Sync-SecretStore.md")]
    [OutputType(typeof(SecretStoreSyncResult))]
    public sealed class SyncSecretStoreCommand : IdentityCmdlet
    {
        private const string Activity = "Syncing the store";

        /// <summary>The store: a registered name or a folder; the personal default store when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(StoreNameCompleter))]
        [Alias("Store")]
        public string? Path { get; set; }

        /// <summary>The git remote to sync with.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Remote { get; set; }

        /// <summary>Merge and commit, but do not push.</summary>
        [Parameter]
        public SwitchParameter NoPush { get; set; }

        protected override void ProcessRecord()
        {
            var path = ResolveStorePath(Path);
            var action = NoPush ? "Commit the store's changes and merge the others' from git" : "Commit the store's changes, merge the others' from git, and push";
            if (!ShouldProcess(path, action))
            {
                return;
            }

            var options = new SyncOptions
            {
                Remote = Remote,
                NoPush = NoPush,
                Progress = step => Progress(1, Activity, step, 0, 0),
                Trace = command => WriteVerbose(command),
            };

            SyncResult result;
            try
            {
                result = StoreSync.Sync(path, () => Caller, options);
            }
            catch (SyncRefusedException e)
            {
                CompleteProgress(1, Activity);
                ThrowFailure(e, e.Commit);
                return;
            }
            catch (SecretsException e)
            {
                CompleteProgress(1, Activity);
                ThrowFailure(e, path);
                return;
            }

            CompleteProgress(1, Activity);
            foreach (var change in result.NotApplied)
            {
                WriteWarning($"Not applied: {change.Change}: {change.Reason}");
            }

            foreach (var change in result.Changes)
            {
                if (change.Applied && change.Reason != null)
                {
                    WriteVerbose($"{change.Change}: {change.Reason}");
                }
            }

            WriteObject(new SecretStoreSyncResult(result));
        }
    }
}
