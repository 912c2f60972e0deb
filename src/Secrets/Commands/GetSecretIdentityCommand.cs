using System.Management.Automation;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Platform;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Shows your identity: its recipient string (to hand to others), fingerprint and lock state.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SecretIdentity", HelpUri = HelpLinks.Base + "Get-SecretIdentity.md")]
    [OutputType(typeof(SecretIdentityInfo))]
    public sealed class GetSecretIdentityCommand : SecretsCmdlet
    {
        /// <summary>The identity file; the default identity when omitted.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        protected override void EndProcessing()
        {
            var path = string.IsNullOrEmpty(Path) ? SecretsPaths.DefaultIdentityPath : GetUnresolvedProviderPathFromPSPath(Path);
            try
            {
                var file = IdentityFile.Load(path);
                file.ClearKeyMaterial();
                WriteObject(new SecretIdentityInfo(file, IdentitySession.ExpiresAt(file.Path)));
            }
            catch (SecretsException e)
            {
                // Non-terminating, like Get-SecretStore and Get-Item: -ErrorAction SilentlyContinue
                // makes "is there an identity?" a plain test.
                WriteFailure(e, path);
            }
        }
    }
}
