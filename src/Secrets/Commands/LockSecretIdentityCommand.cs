using System.Management.Automation;
using Secrets.Core.Identity;
using Secrets.Core.Platform;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Locks your identity again, in every process of yours: its unlocked keys are erased.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Lock, "SecretIdentity", DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Base + "Lock-SecretIdentity.md")]
    [OutputType(typeof(void))]
    public sealed class LockSecretIdentityCommand : SecretsCmdlet
    {
        private const string PathSet = "Path";
        private const string AllSet = "All";

        /// <summary>The name of an identity in the Secrets home; the identity in use when omitted.</summary>
        [Parameter(Position = 0, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(IdentityNameCompleter))]
        public string? Name { get; set; }

        /// <summary>The identity file; the identity in use when omitted.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Lock every identity unlocked in this process, and every unlock shared from this Secrets home.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AllSet)]
        public SwitchParameter All { get; set; }

        protected override void EndProcessing()
        {
            if (All)
            {
                int count = IdentitySession.ForgetAll();
                WriteVerbose($"Locked every identity unlocked in this process or shared from this Secrets home ({count}).");
                return;
            }

            var path = ResolveIdentityPath(Name, Path);
            WriteVerbose(IdentitySession.Forget(path) ? $"Locked the identity at '{path}'." : $"The identity at '{path}' was not unlocked.");
        }
    }
}
