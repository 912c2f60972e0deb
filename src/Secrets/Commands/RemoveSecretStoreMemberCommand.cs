using System.Management.Automation;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Removes a person from a store, revoking and rotating every secret they had.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "SecretStoreMember", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpLinks.Base + "Remove-SecretStoreMember.md")]
    [OutputType(typeof(void))]
    public sealed class RemoveSecretStoreMemberCommand : IdentityCmdlet
    {
        /// <summary>The member: display name, fingerprint or recipient string.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(MemberNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        /// <summary>The store folder; the personal default store when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(StoreNameCompleter))]
        public string? Store { get; set; }

        protected override void ProcessRecord()
        {
            ForItem(Name, () =>
            {
                var store = ExistingStore(Store);
                var member = store.FindMember(Name);
                if (!ShouldProcess($"'{member.Name}' ({member.Role}, {member.Recipient.Fingerprint}) from the store at '{store.Path}'", "Remove member and rotate their secrets"))
                {
                    return;
                }

                const string activity = "Rotating the secrets of the removed member";
                int done = 0;
                var rotated = store.RemoveMember(member.Name, Caller, name => Progress(1, activity, name, ++done, 0),
                    (name, reason) => WriteWarning($"'{name}' could not be rotated: {reason} '{member.Name}' is removed all the same; write a new value with Set-Secret."));
                if (done > 0)
                {
                    CompleteProgress(1, activity);
                }

                WriteVerbose($"Removed '{member.Name}' from '{store.Path}'; rotated {rotated.Count} secrets: {string.Join(", ", rotated)}.");
                if (rotated.Count > 0)
                {
                    WriteWarning($"'{member.Name}' may have kept the values they could read, and can still read the older versions the store keeps. Change those values themselves (Set-Secret): {string.Join(", ", rotated)}.");
                }
            });
        }
    }
}
