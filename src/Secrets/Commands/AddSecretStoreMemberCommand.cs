using System.Management.Automation;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Adds a person to a store by their recipient string (from their Get-SecretIdentity).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "SecretStoreMember", SupportsShouldProcess = true, HelpUri = HelpLinks.Base + "Add-SecretStoreMember.md")]
    [OutputType(typeof(SecretStoreMemberInfo))]
    public sealed class AddSecretStoreMemberCommand : IdentityCmdlet
    {
        /// <summary>The display name the member is known by in this store (unique).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        /// <summary>Their recipient string (secrets1…), as Get-SecretIdentity shows it.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Recipient { get; set; } = string.Empty;

        /// <summary>Member (default) or Admin. Adding an admin re-encrypts every secret for them (owner only).</summary>
        [Parameter]
        [ValidateSet("Member", "Admin")]
        public SecretStoreRole Role { get; set; } = SecretStoreRole.Member;

        /// <summary>The store folder; the personal default store when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(StoreNameCompleter))]
        public string? Store { get; set; }

        protected override void ProcessRecord()
        {
            ForItem(Name, () =>
            {
                var recipient = Core.Identity.Recipient.Parse(Recipient);
                var store = ExistingStore(Store);
                if (!ShouldProcess($"'{Name}' ({recipient.Fingerprint}) as {Role.ToString().ToLowerInvariant()} of the store at '{store.Path}'", "Add member"))
                {
                    return;
                }

                const string activity = "Encrypting every secret for the new admin";
                int done = 0;
                var member = store.AddMember(recipient, Name, Role == SecretStoreRole.Admin ? MemberRole.Admin : MemberRole.Member, Caller,
                    name => Progress(1, activity, name, ++done, 0));
                if (done > 0)
                {
                    CompleteProgress(1, activity);
                }

                WriteVerbose($"Added '{member.Name}' ({member.Recipient.Fingerprint}) to '{store.Path}' as {member.Role}.");
                WriteObject(new SecretStoreMemberInfo(member, store.Path));
            });
        }
    }
}
