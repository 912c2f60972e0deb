using System.Collections;
using System.Linq;
using System.Management.Automation;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists secrets: name, type, version, when and by whom written, metadata. Never values.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SecretInfo", HelpUri = HelpLinks.Base + "Get-SecretInfo.md")]
    [OutputType(typeof(SecretInfo))]
    public sealed class GetSecretInfoCommand : SecretsCmdlet
    {
        /// <summary>Names to list; wildcards allowed (case-insensitive). All secrets when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SecretNameCompleter))]
        [SupportsWildcards]
        [Alias("Filter")]
        public string[]? Name { get; set; }

        /// <summary>The store folder; the personal default store when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Store { get; set; }

        /// <summary>One object per kept version instead of the newest only.</summary>
        [Parameter]
        public SwitchParameter AllVersions { get; set; }

        /// <summary>A registered SecretManagement vault: one of this module's is listed directly, any other through SecretManagement.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("VaultName")]
        public string? Vault { get; set; }

        protected override void ProcessRecord()
        {
            var names = Name == null || Name.Length == 0 ? new[] { "*" } : Name;
            var foreign = SelectVault(Vault, Store);
            if (foreign != null)
            {
                foreach (var name in names)
                {
                    HandOff(foreign, "Get-SecretInfo", new Hashtable { ["Name"] = name, ["Vault"] = foreign.Name }, nameof(Store), nameof(AllVersions));
                }

                return;
            }

            // One listing for every pattern: a secret that several patterns match is listed once.
            var patterns = names.Select(n => new WildcardPattern(string.IsNullOrEmpty(n) ? "*" : n, WildcardOptions.IgnoreCase)).ToList();
            ForItem(string.Join(", ", names), () =>
            {
                var store = GetStore(StoreFor(Store), createDefault: false);
                if (store == null)
                {
                    WriteVerbose("Your personal store does not exist yet; it is created by the first New-Secret or Set-Secret.");
                    return;
                }

                // One name looks only at the folders that can match it; several share one listing.
                var query = names.Length == 1 ? NameQuery.Of(names[0]) : null;
                var listing = query != null
                    ? store.ListFor(CallerRecipient, query.Prefix, query.Matcher.IsMatch, query.Exact)
                    : store.ListFor(CallerRecipient, canonical => patterns.Any(p => p.IsMatch(canonical)));
                foreach (var listed in listing)
                {
                    if (listed.Error != null)
                    {
                        WriteFailure(listed.Error, listed.CanonicalName);
                        continue;
                    }

                    SecretAccessLevel? access = listed.Access == null ? (SecretAccessLevel?)null : (SecretAccessLevel)(int)listed.Access.Value;
                    if (!AllVersions)
                    {
                        WriteObject(new SecretInfo(listed.Record!, access) { VaultName = VaultName });
                        continue;
                    }

                    ForItem(listed.CanonicalName, () =>
                    {
                        foreach (var version in store.GetHistory(listed.CanonicalName))
                        {
                            WriteObject(new SecretInfo(version, access) { VaultName = VaultName });
                        }
                    });
                }
            });
        }
    }
}
