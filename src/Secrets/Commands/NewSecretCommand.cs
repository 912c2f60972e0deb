using System.Management.Automation;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Creates a secret; fails if a secret of that name exists.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "Secret", SupportsShouldProcess = true, DefaultParameterSetName = ObjectSet, HelpUri = HelpLinks.Base + "New-Secret.md")]
    [OutputType(typeof(SecretInfo))]
    public sealed class NewSecretCommand : SecretWriteCommand
    {
        /// <summary>The value: string, SecureString, PSCredential, byte[] or Hashtable of those.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ObjectSet)]
        [Alias("Secret")]
        public object? Value { get; set; }

        protected override object? ValueObject => FromRow(Value);

        protected override string ValueParameterName => nameof(Value);

        protected override bool CreateOnly => true;
    }
}
