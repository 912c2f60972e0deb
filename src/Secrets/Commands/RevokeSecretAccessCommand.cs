using System.Collections.Generic;
using System.Management.Automation;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Takes a member's access to secrets away and rotates their data keys.</para>
    /// </summary>
    [Cmdlet(VerbsSecurity.Revoke, "SecretAccess", SupportsShouldProcess = true, HelpUri = HelpLinks.Base + "Revoke-SecretAccess.md")]
    [OutputType(typeof(void))]
    public sealed class RevokeSecretAccessCommand : AccessCommand
    {
        private readonly List<string> _revoked = new List<string>();
        private string? _member;

        /// <summary>The member: display name, fingerprint or recipient string.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ArgumentCompleter(typeof(MemberNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Member { get; set; } = string.Empty;

        protected override string? Activity => "Revoking access";

        protected override void Process(Core.Store.SecretStore store, string name)
        {
            var member = store.FindMember(Member);
            if (!ShouldProcess($"secret '{name}' in the store at '{store.Path}'", $"Revoke the access of '{member.Name}' and rotate the data key"))
            {
                return;
            }

            var record = store.Revoke(name, member.Name, Caller);
            _member = member.Name;
            _revoked.Add(record.Name);
            if (record.NotRotatedReason != null)
            {
                WriteWarning($"The access of '{member.Name}' to '{record.Name}' is revoked, but its data key could not be rotated: {record.NotRotatedReason} Write a new value with Set-Secret.");
            }
            else
            {
                WriteVerbose($"Revoked the access of '{member.Name}' to '{record.Name}'; version {record.Version} has a new data key.");
            }
        }

        protected override void EndProcessing()
        {
            base.EndProcessing();
            if (_revoked.Count > 0)
            {
                WriteWarning($"'{_member}' cannot read any version written from now on, but may have kept the values they could read, and can still read the older versions the store keeps. Change the values themselves with Set-Secret: {string.Join(", ", _revoked)}.");
            }
        }
    }
}
