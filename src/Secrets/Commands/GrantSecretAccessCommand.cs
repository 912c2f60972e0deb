using System.Management.Automation;
using Secrets.Core.Store;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Gives a member Read, Write or Manage access to secrets (writes a new version encrypted for them).</para>
    /// </summary>
    [Cmdlet(VerbsSecurity.Grant, "SecretAccess", SupportsShouldProcess = true, HelpUri = HelpLinks.Base + "Grant-SecretAccess.md")]
    [OutputType(typeof(SecretAccessInfo))]
    public sealed class GrantSecretAccessCommand : AccessCommand
    {
        /// <summary>The member: display name, fingerprint or recipient string.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ArgumentCompleter(typeof(MemberNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Member { get; set; } = string.Empty;

        /// <summary>Read: can decrypt. Write: can also write versions. Manage: can also grant and revoke.</summary>
        [Parameter(Mandatory = true, Position = 2)]
        [ValidateSet("Read", "Write", "Manage")]
        public SecretAccessLevel Access { get; set; }

        /// <summary>Write the member's new access to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override string? Activity => "Granting access";

        protected override void Process(SecretStore store, string name)
        {
            var member = store.FindMember(Member);
            if (!ShouldProcess($"secret '{name}' in the store at '{store.Path}'", $"Grant {Access} access to '{member.Name}'"))
            {
                return;
            }

            var record = store.Grant(name, member.Name, (AccessLevel)(int)Access, Caller);
            WriteVerbose($"Granted {Access} access to '{record.Name}' to '{member.Name}' (version {record.Version}).");
            if (PassThru)
            {
                WriteAccess(store, name, member.Name);
            }
        }
    }
}
