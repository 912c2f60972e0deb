using System.Management.Automation;

namespace Secrets.Internal
{
    /// <summary>A command that acts as someone (reads, writes, shares, administers): -Identity chooses who, for that command only.</summary>
    public abstract class IdentityCmdlet : SecretsCmdlet
    {
        /// <summary>The identity to act as: a name in the Secrets home or an identity file; the identity in use ($env:SECRETS_IDENTITY, else the default) when omitted.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(IdentityNameCompleter))]
        public string? Identity
        {
            get => IdentityArgument;
            set => IdentityArgument = value;
        }
    }
}
