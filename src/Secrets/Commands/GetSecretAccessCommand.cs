using System.Management.Automation;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Shows who has what access to secrets, granted by whom and when.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SecretAccess", HelpUri = HelpLinks.Base + "Get-SecretAccess.md")]
    [OutputType(typeof(SecretAccessInfo))]
    public sealed class GetSecretAccessCommand : AccessCommand
    {
        protected override string? Activity => null;

        protected override void Process(Core.Store.SecretStore store, string name)
        {
            foreach (var entry in store.GetAccess(name))
            {
                if (entry.RotationPending)
                {
                    WriteWarning($"'{entry.Member.Name}' can still read the newest version of '{entry.Secret}', although their access ended: the secret was not written again after the change. Run Repair-SecretStore, or Revoke-SecretAccess again.");
                }

                WriteObject(new SecretAccessInfo(entry, store.Path));
            }
        }
    }
}
