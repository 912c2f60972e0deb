using System.Management.Automation;
using Secrets.Core.Store;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Makes a member an admin or an admin a member (owner only).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "SecretStoreMember", SupportsShouldProcess = true, HelpUri = HelpLinks.Base + "Set-SecretStoreMember.md")]
    [OutputType(typeof(SecretStoreMemberInfo))]
    public sealed class SetSecretStoreMemberCommand : IdentityCmdlet
    {
        /// <summary>The member: display name, fingerprint or recipient string.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(MemberNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        /// <summary>The new role. Either change re-encrypts every secret.</summary>
        [Parameter(Mandatory = true)]
        [ValidateSet("Member", "Admin")]
        public SecretStoreRole Role { get; set; }

        /// <summary>The store folder; the personal default store when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(StoreNameCompleter))]
        public string? Store { get; set; }

        /// <summary>Write the member's information to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            ForItem(Name, () =>
            {
                var store = ExistingStore(Store);
                var member = store.FindMember(Name);
                if (!ShouldProcess($"'{member.Name}' in the store at '{store.Path}'", $"Make {Role.ToString().ToLowerInvariant()} (re-encrypts every secret)"))
                {
                    return;
                }

                const string activity = "Re-encrypting every secret for the new role";
                int done = 0;
                var updated = store.SetMemberRole(member.Name, Role == SecretStoreRole.Admin ? MemberRole.Admin : MemberRole.Member, Caller,
                    name => Progress(1, activity, name, ++done, 0));
                if (done > 0)
                {
                    CompleteProgress(1, activity);
                }

                if (member.Role == MemberRole.Admin && Role == SecretStoreRole.Member)
                {
                    WriteWarning($"'{member.Name}' is no longer an admin: every secret was rotated, so they cannot read any version written from now on unless granted. "
                        + "They may have kept the values they could read, and can still read the older versions the store keeps. Change the values that matter with Set-Secret.");
                }

                if (PassThru)
                {
                    WriteObject(new SecretStoreMemberInfo(updated, store.Path));
                }
            });
        }
    }
}
