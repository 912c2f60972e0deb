using System.Management.Automation;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Creates a secret or writes a new version of it.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "Secret", SupportsShouldProcess = true, DefaultParameterSetName = ObjectSet, HelpUri = HelpLinks.Base + "Set-Secret.md")]
    [OutputType(typeof(SecretInfo))]
    public sealed class SetSecretCommand : SecretWriteCommand
    {
        /// <summary>The value: string, SecureString, PSCredential, byte[] or Hashtable of those.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
        [Alias("Value")]
        public object? Secret { get; set; }

        /// <summary>Fail instead of writing a new version when the secret exists.</summary>
        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        protected override object? ValueObject => FromRow(Secret);

        protected override string ValueParameterName => nameof(Secret);

        protected override bool CreateOnly => NoClobber.IsPresent;
    }
}
