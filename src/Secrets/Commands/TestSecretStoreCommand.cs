using System.Linq;
using System.Management.Automation;
using Secrets.Core.Errors;
using Secrets.Core.Store;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Verifies every file of a store, as readers do, and reports what is wrong; changes nothing.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "SecretStore", HelpUri = HelpLinks.Base + "Test-SecretStore.md")]
    [OutputType(typeof(SecretStoreFinding), typeof(bool))]
    public sealed class TestSecretStoreCommand : SecretsCmdlet
    {
        /// <summary>The store folder; the personal default store when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(StoreNameCompleter))]
        [Alias("Store")]
        public string? Path { get; set; }

        /// <summary>Write only $true (nothing found) or $false.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override void ProcessRecord()
        {
            var path = ResolveStorePath(Path);
            try
            {
                var store = SecretStore.Open(path);
                const string activity = "Checking the store";
                var findings = store.Check(name => Progress(1, activity, name, 0, 0));
                CompleteProgress(1, activity);
                if (Quiet)
                {
                    WriteObject(findings.Count == 0);
                    return;
                }

                foreach (var finding in findings)
                {
                    WriteObject(new SecretStoreFinding(finding, store.Path));
                }

                WriteVerbose(findings.Count == 0
                    ? $"Every file of the store at '{store.Path}' verifies."
                    : $"{findings.Count} findings in the store at '{store.Path}'; {findings.Count(f => f.Repairable)} can be repaired with Repair-SecretStore.");
            }
            catch (SecretsException e) when (Quiet && (e.Kind == FailureKind.InvalidData || e.Kind == FailureKind.Security))
            {
                // The manifest or the store log itself does not verify.
                WriteObject(false);
            }
            catch (SecretsException e)
            {
                ThrowFailure(e, path);
            }
        }
    }
}
