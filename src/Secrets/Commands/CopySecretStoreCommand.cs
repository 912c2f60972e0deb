using System.Management.Automation;
using Secrets.Core.Errors;
using Secrets.Core.Platform;
using Secrets.Core.Store;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Creates a new store owned by you and copies every secret you can read, the members and their access into it.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Copy, "SecretStore", SupportsShouldProcess = true, HelpUri = HelpLinks.Base + "Copy-SecretStore.md")]
    [OutputType(typeof(SecretStoreInfo))]
    public sealed class CopySecretStoreCommand : IdentityCmdlet
    {
        /// <summary>The store to copy; the personal default store when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(StoreNameCompleter))]
        [Alias("Store")]
        public string? Path { get; set; }

        /// <summary>The folder of the new store; it must be new or empty.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Destination { get; set; } = string.Empty;

        protected override void ProcessRecord()
        {
            var path = ResolveStorePath(Path);
            var destination = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Destination, out var provider, out _);
            if (provider.Name != "FileSystem")
            {
                ThrowTerminatingError(ErrorMapping.InvalidArgument("StoreNotOnFileSystem",
                    $"The destination '{Destination}' is on the {provider.Name} provider; a store is a folder on the file system.", Destination));
            }

            try
            {
                var source = SecretStore.Open(path);
                var plan = StoreCopy.Plan(source, Caller);
                if (!ShouldProcess(destination, $"Create a store owned by you and copy {plan.Secrets.Count} secrets and {plan.Members.Count} members from '{source.Path}'"))
                {
                    return;
                }

                const string activity = "Copying the store";
                int skipped = 0;
                var target = StoreCopy.Copy(source, destination, Caller, null,
                    (what, done, total) => Progress(1, activity, what, done, total),
                    (what, why) =>
                    {
                        skipped++;
                        WriteWarning($"Not copied: {what}. {why}");
                    });
                CompleteProgress(1, activity);
                WriteVerbose($"Copied '{source.Path}' to '{target.Path}' ({plan.Secrets.Count} secrets, {plan.Members.Count} members; {skipped} things not copied).");
                WriteObject(DescribeStore(target));
            }
            catch (SecretsException e)
            {
                ThrowFailure(e, path);
            }
        }
    }
}
