using System;
using System.Collections.Generic;
using System.Management.Automation;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Platform;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Shows an identity: its recipient string (to hand to others), fingerprint and lock state; or lists your identities.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SecretIdentity", DefaultParameterSetName = OneSet, HelpUri = HelpLinks.Base + "Get-SecretIdentity.md")]
    [OutputType(typeof(SecretIdentityInfo))]
    public sealed class GetSecretIdentityCommand : SecretsCmdlet
    {
        private const string OneSet = "One";
        private const string ListSet = "ListAvailable";

        /// <summary>The name of an identity in the Secrets home; the identity in use when omitted.</summary>
        [Parameter(Position = 0, ParameterSetName = OneSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(IdentityNameCompleter))]
        public string? Name { get; set; }

        /// <summary>The identity file; the identity in use when omitted.</summary>
        [Parameter(ParameterSetName = OneSet)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Lists every identity of the Secrets home, the retired ones too.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ListSet)]
        public SwitchParameter ListAvailable { get; set; }

        protected override void EndProcessing()
        {
            var inUse = SecretsPaths.DefaultIdentityPath;
            if (ListAvailable)
            {
                var files = new List<string>(IdentityNames.List());
                if (System.IO.File.Exists(inUse) && !files.Contains(System.IO.Path.GetFullPath(inUse)))
                {
                    files.Insert(0, System.IO.Path.GetFullPath(inUse));
                }

                files.AddRange(IdentityNames.ListRetired());
                foreach (var file in files)
                {
                    Show(file, inUse);
                }

                return;
            }

            Show(ResolveIdentityPath(Name, Path), inUse);
        }

        private void Show(string path, string inUse)
        {
            try
            {
                var file = IdentityFile.Load(path);
                file.ClearKeyMaterial();
                var status = IdentitySession.StatusOf(file.Path);
                WriteObject(new SecretIdentityInfo(file, status?.Expires, status?.Scope));
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
