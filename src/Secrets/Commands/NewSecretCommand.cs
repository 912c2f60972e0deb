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
        private object? _value;
        private bool _valueGiven;

        /// <summary>The value: string, SecureString, PSCredential, byte[] or Hashtable of those. Asked for at a masked prompt when not given.</summary>
        [Parameter(Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ObjectSet)]
        [Alias("Secret")]
        public object? Value
        {
            get => _value;
            set
            {
                _value = value;
                _valueGiven = true;
            }
        }

        protected override object? ValueObject => FromRow(Value);

        protected override bool ValueGiven => _valueGiven;

        protected override string ValueParameterName => nameof(Value);

        protected override bool CreateOnly => true;
    }
}
