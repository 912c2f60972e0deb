using System.Management.Automation;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Hands a store over to one of its admins (owner only); you become an admin.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "SecretStoreOwner", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpLinks.Base + "Set-SecretStoreOwner.md")]
    [OutputType(typeof(SecretStoreMemberInfo))]
    public sealed class SetSecretStoreOwnerCommand : IdentityCmdlet
    {
        /// <summary>The admin who becomes the owner: display name, fingerprint or recipient string.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(MemberNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        /// <summary>The store folder; the personal default store when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(StoreNameCompleter))]
        public string? Store { get; set; }

        /// <summary>Write the new owner's information to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            ForItem(Name, () =>
            {
                var store = ExistingStore(Store);
                var member = store.FindMember(Name);
                if (!ShouldProcess($"the store at '{store.Path}'", $"Hand over ownership to '{member.Name}' ({member.Recipient.Fingerprint}); you become an admin"))
                {
                    return;
                }

                var owner = store.HandOver(member.Name, Caller);
                WriteVerbose($"'{owner.Name}' ({owner.Recipient.Fingerprint}) owns the store at '{store.Path}' now; '{store.Manifest.HandOvers[store.Manifest.HandOvers.Count - 1].FromName}' is an admin.");
                if (PassThru)
                {
                    WriteObject(new SecretStoreMemberInfo(owner, store.Path));
                }
            });
        }
    }
}
