using System.Management.Automation;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Shows the lookup order: the stores and SecretManagement vaults that commands without -Store or -Vault search, first to last.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SecretLookupOrder", HelpUri = HelpLinks.Base + "Get-SecretLookupOrder.md")]
    [OutputType(typeof(SecretLookupEntry))]
    public sealed class GetSecretLookupOrderCommand : SecretsCmdlet
    {
        protected override void EndProcessing()
        {
            if (KnownVaults == null)
            {
                WriteVerbose("Microsoft.PowerShell.SecretManagement is not installed: the lookup order has stores only.");
            }

            foreach (var entry in LookupOrder)
            {
                WriteObject(new SecretLookupEntry(entry));
            }
        }
    }
}
