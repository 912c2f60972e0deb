using System.Management.Automation;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the people in a store: the owner, admins and members.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SecretStoreMember", HelpUri = HelpLinks.Base + "Get-SecretStoreMember.md")]
    [OutputType(typeof(SecretStoreMemberInfo))]
    public sealed class GetSecretStoreMemberCommand : SecretsCmdlet
    {
        /// <summary>Names to list; wildcards allowed. Everyone when omitted.</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(MemberNameCompleter))]
        public string Name { get; set; } = "*";

        /// <summary>The store folder; the personal default store when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(StoreNameCompleter))]
        public string? Store { get; set; }

        protected override void ProcessRecord()
        {
            ForItem(Name, () =>
            {
                var store = ExistingStore(Store);
                var pattern = new WildcardPattern(string.IsNullOrEmpty(Name) ? "*" : Name, WildcardOptions.IgnoreCase);
                foreach (var member in store.GetMembers())
                {
                    if (pattern.IsMatch(member.Name) || pattern.IsMatch(member.Recipient.Fingerprint))
                    {
                        WriteObject(new SecretStoreMemberInfo(member, store.Path));
                    }
                }
            });
        }
    }
}
