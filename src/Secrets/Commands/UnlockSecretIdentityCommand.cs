using System;
using System.Management.Automation;
using System.Security;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Platform;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Unlocks your identity for a while (default 15 minutes), for your other PowerShell processes too.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Unlock, "SecretIdentity", HelpUri = HelpLinks.Base + "Unlock-SecretIdentity.md")]
    [OutputType(typeof(SecretIdentityInfo))]
    public sealed class UnlockSecretIdentityCommand : SecretsCmdlet
    {
        /// <summary>The passphrase (prompted for when omitted in an interactive session).</summary>
        [Parameter(Position = 0)]
        public SecureString? Password { get; set; }

        /// <summary>How long the identity stays unlocked (default 15 minutes): a time span (-Timeout 01:00:00) or seconds (-Timeout 3600).</summary>
        [Parameter]
        [TimeSpanOrSeconds]
        public TimeSpan Timeout { get; set; } = IdentitySession.DefaultTimeout;

        /// <summary>The name of an identity in the Secrets home; the identity in use when omitted.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(IdentityNameCompleter))]
        public string? Name { get; set; }

        /// <summary>The identity file; the identity in use when omitted.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Keep the unlock in this process only, instead of sharing it with your other processes.</summary>
        [Parameter]
        public SwitchParameter ThisProcessOnly { get; set; }

        /// <summary>Write the identity's information to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private static UnlockedIdentity UnlockWith(IdentityFile file, byte[] passphrase)
        {
            try
            {
                return file.Unlock(passphrase);
            }
            finally
            {
                Sensitive.Zero(passphrase);
            }
        }

        /// <summary>Asks for the passphrase, up to three times as the other cmdlets do.</summary>
        private UnlockedIdentity UnlockByPrompting(IdentityFile file)
        {
            for (int attempt = 1; ; attempt++)
            {
                var passphrase = IsInteractive ? PromptSecure($"Passphrase for identity '{file.Name}' ({file.Recipient.Fingerprint})") : null;
                if (passphrase == null)
                {
                    throw new InvalidInputException("PasswordRequired", nameof(Password),
                        "No passphrase given and this session cannot prompt. Run: Unlock-SecretIdentity -Password $password (a SecureString).");
                }

                try
                {
                    return UnlockWith(file, passphrase);
                }
                catch (WrongPassphraseException) when (attempt < MaxPassphraseAttempts)
                {
                    Host.UI.WriteWarningLine("That passphrase does not unlock the identity. Try again.");
                }
            }
        }

        protected override void EndProcessing()
        {
            var path = ResolveIdentityPath(Name, Path);
            if (Timeout <= TimeSpan.Zero)
            {
                ThrowTerminatingError(ErrorMapping.InvalidArgument("InvalidTimeout", "The timeout must be positive, e.g. -Timeout 00:30:00.", Timeout));
            }

            try
            {
                var file = IdentityFile.Load(path);
                if (file.Protection == IdentityProtection.None)
                {
                    file.ClearKeyMaterial();
                    file.CheckPermissions();
                    WriteVerbose($"The identity at '{path}' has no passphrase; it is always available.");
                    if (PassThru)
                    {
                        WriteObject(new SecretIdentityInfo(file, null));
                    }

                    return;
                }

                UnlockOutcome outcome;
                using (var unlocked = Password != null ? UnlockWith(file, SecureText.ToUtf8(Password)) : UnlockByPrompting(file))
                {
                    outcome = IdentitySession.Remember(unlocked, Timeout, ThisProcessOnly ? UnlockScope.Process : IdentitySession.PreferredScope);
                }

                WriteVerbose($"Identity '{file.Name}' unlocked until {outcome.Expires.ToLocalTime():T}, {IdentityAccess.DescribeScope(outcome)}.");
                if (PassThru)
                {
                    WriteObject(new SecretIdentityInfo(file, outcome.Expires, outcome.Scope));
                }
            }
            catch (SecretsException e)
            {
                ThrowFailure(e, path);
            }
        }
    }
}
