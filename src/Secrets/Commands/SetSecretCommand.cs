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
        private object? _value;
        private bool _valueGiven;

        /// <summary>The value: string, SecureString, PSCredential, byte[] or Hashtable of those. Asked for at a masked prompt when not given.</summary>
        [Parameter(Position = 1, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
        [Alias("Value")]
        public object? Secret
        {
            get => _value;
            set
            {
                _value = value;
                _valueGiven = true;
            }
        }

        /// <summary>Fail instead of writing a new version when the secret exists.</summary>
        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        protected override object? ValueObject => FromRow(Secret);

        protected override bool ValueGiven => _valueGiven;

        protected override string ValueParameterName => nameof(Secret);

        protected override bool CreateOnly => NoClobber.IsPresent;
    }
}
