using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Secrets.Core.Errors;
using Secrets.Core.Lookup;
using Secrets.Core.Platform;
using Secrets.Core.Vault;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists secrets: name, store, type, version, when and by whom written, metadata. Never values.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SecretInfo", HelpUri = HelpLinks.Base + "Get-SecretInfo.md")]
    [OutputType(typeof(SecretInfo))]
    public sealed class GetSecretInfoCommand : IdentityCmdlet
    {
        /// <summary>Names to list; wildcards allowed (case-insensitive). All secrets when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SecretNameCompleter))]
        [SupportsWildcards]
        [Alias("Filter")]
        public string[]? Name { get; set; }

        /// <summary>The store (a registered name or a folder); without it and -Vault, every store and vault of the lookup order.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(StoreNameCompleter))]
        public string? Store { get; set; }

        /// <summary>One object per kept version instead of the newest only.</summary>
        [Parameter]
        public SwitchParameter AllVersions { get; set; }

        /// <summary>A registered SecretManagement vault: one of this module's is listed directly, any other through SecretManagement.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(VaultNameCompleter))]
        [Alias("VaultName")]
        public string? Vault { get; set; }

        protected override void ProcessRecord()
        {
            var names = Name == null || Name.Length == 0 ? new[] { "*" } : Name;
            var foreign = SelectVault(Vault, Store);
            var selected = VaultSettingsInUse;
            var plain = new List<string>();
            var byUri = new List<(string Source, string Pattern)>();
            foreach (var name in names)
            {
                if (!SecretUri.LooksLikeUri(name))
                {
                    plain.Add(name);
                    continue;
                }

                if (!SecretUri.TryParse(name, out var uri, out var problem))
                {
                    WriteFailure(SecretUri.Invalid(problem, nameof(Name)), name);
                    continue;
                }

                if (uri!.Key != null)
                {
                    WriteFailure(new InvalidInputException("InvalidSecretUri", nameof(Name),
                        $"Invalid secret URI: '{uri.Text}' names the key '{uri.Key}', and Get-SecretInfo lists whole secrets; leave '#{uri.Key}' out."), name);
                    continue;
                }

                byUri.Add((uri.Source, uri.Name));
            }

            if (foreign != null || selected != null || !string.IsNullOrEmpty(Store))
            {
                ListOnePlace(foreign, selected, plain, byUri);
                return;
            }

            // Every place of the lookup order, then the places URIs name that it does not have.
            var entries = new List<(LookupEntry Entry, List<string> Patterns)>();
            foreach (var entry in LookupOrder)
            {
                entries.Add((entry, new List<string>(plain)));
            }

            foreach (var (source, pattern) in byUri)
            {
                LookupEntry named;
                try
                {
                    named = EntryNamed(source);
                }
                catch (SecretsException e)
                {
                    WriteFailure(e, source);
                    continue;
                }

                var index = entries.FindIndex(e => Same(e.Entry, named));
                if (index < 0)
                {
                    entries.Add((named, new List<string>()));
                    index = entries.Count - 1;
                }

                entries[index].Patterns.Add(pattern);
            }

            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (entry, patterns) in entries)
            {
                if (patterns.Count == 0)
                {
                    continue;
                }

                if (entry.Vault != null && !entry.Vault.IsThisModule)
                {
                    ListForeign(entry.Vault, patterns, seen);
                    continue;
                }

                if (entry.Vault?.SettingsError != null)
                {
                    WriteFailure(entry.Vault.SettingsError, entry.Name);
                    continue;
                }

                ListStore(entry.StorePath!, entry.Vault?.Settings, patterns, seen, missingIsNormal: entry.Vault == null
                    ? StoreNames.IsPersonal(entry.Name) : entry.Vault.Settings!.UsesDefaultStore, entry.Display);
            }
        }

        /// <summary>The vault of this module -Vault selected, if any.</summary>
        private VaultSettings? VaultSettingsInUse => VaultName == null ? null : CurrentVault;

        /// <summary>-Store or -Vault: that place only (a URI must name it too).</summary>
        private void ListOnePlace(KnownVault? foreign, VaultSettings? selected, List<string> plain, List<(string Source, string Pattern)> byUri)
        {
            var patterns = new List<string>(plain);
            var path = foreign == null ? ResolveStorePath(StoreFor(Store)) : null;
            foreach (var (source, pattern) in byUri)
            {
                LookupEntry named;
                try
                {
                    named = EntryNamed(source);
                }
                catch (SecretsException e)
                {
                    WriteFailure(e, source);
                    continue;
                }

                bool same = foreign != null
                    ? named.Vault != null && string.Equals(named.Name, foreign.Name, StringComparison.OrdinalIgnoreCase)
                    : StorePaths.Same(named.StorePath, path);
                if (!same)
                {
                    WriteError(ErrorMapping.InvalidArgument("UriAndStoreDiffer",
                        $"'{SecretUri.Format(source, pattern)}' names {named.Display}, but {(string.IsNullOrEmpty(Vault) ? $"-Store names '{Store}'" : $"-Vault names '{Vault}'")}. Give the place once: in the URI, or with -Store or -Vault.",
                        source));
                    continue;
                }

                patterns.Add(pattern);
            }

            if (patterns.Count == 0)
            {
                return;
            }

            if (foreign != null)
            {
                foreach (var pattern in patterns)
                {
                    HandOff(foreign, "Get-SecretInfo", new Hashtable { ["Name"] = pattern, ["Vault"] = foreign.Name }, nameof(Store), nameof(AllVersions));
                }

                return;
            }

            ListStore(path!, selected, patterns, null, missingIsNormal: IsPersonalStore(StoreFor(Store)), null);
        }

        /// <summary>One Secrets store (directly, or through a vault of this module): one listing for every pattern.</summary>
        private void ListStore(string path, VaultSettings? vault, List<string> names, HashSet<string>? seen, bool missingIsNormal, string? display)
        {
            var saved = CurrentVault;
            CurrentVault = vault;
            try
            {
                ForItem(string.Join(", ", names), () =>
                {
                    Core.Store.SecretStore? store;
                    try
                    {
                        store = OpenStoreAt(path, mayBeMissing: missingIsNormal);
                    }
                    catch (StoreNotFoundException e) when (display != null)
                    {
                        WriteWarning($"{char.ToUpperInvariant(display[0])}{display.Substring(1)} is skipped: {e.Message}");
                        return;
                    }

                    if (store == null)
                    {
                        WriteVerbose(StorePaths.Same(path, SecretsPaths.DefaultStorePath)
                            ? "Your personal store does not exist yet; it is created by the first New-Secret or Set-Secret."
                            : $"The store at '{path}' does not exist yet.");
                        return;
                    }

                    var storeName = StoreNameOf(store.Path);
                    var patterns = names.Select(n => new WildcardPattern(string.IsNullOrEmpty(n) ? "*" : n, WildcardOptions.IgnoreCase)).ToList();

                    // One name looks only at the folders that can match it; several share one listing.
                    var query = names.Count == 1 ? NameQuery.Of(names[0]) : null;
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

                        bool shadowed = seen != null && !seen.Add(listed.CanonicalName);
                        SecretAccessLevel? access = listed.Access == null ? (SecretAccessLevel?)null : (SecretAccessLevel)(int)listed.Access.Value;
                        if (!AllVersions)
                        {
                            WriteObject(new SecretInfo(listed.Record!, access) { VaultName = vault?.VaultName ?? VaultName, StoreName = storeName, Shadowed = shadowed });
                            continue;
                        }

                        ForItem(listed.CanonicalName, () =>
                        {
                            foreach (var version in store.GetHistory(listed.CanonicalName))
                            {
                                WriteObject(new SecretInfo(version, access) { VaultName = vault?.VaultName ?? VaultName, StoreName = storeName, Shadowed = shadowed });
                            }
                        });
                    }
                });
            }
            finally
            {
                CurrentVault = saved;
            }
        }

        /// <summary>Another module's vault of the lookup order, through SecretManagement's Get-SecretInfo: its objects, each with Shadowed.</summary>
        private void ListForeign(KnownVault vault, List<string> patterns, HashSet<string> seen)
        {
            if (AllVersions)
            {
                WriteVerbose($"-AllVersions: vault '{vault.Name}' ({vault.ModuleName}) keeps no versions; its secrets are listed once each.");
            }

            var command = SecretManagement?.Command("Get-SecretInfo");
            if (command == null)
            {
                return;
            }

            var listed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var pattern in patterns)
            {
                var parameters = new Hashtable { ["Name"] = pattern, ["Vault"] = vault.Name };
                ForwardCommonParameters(parameters, "Verbose", "Debug");
                List<PSObject> output;
                List<ErrorRecord> errors;
                try
                {
                    (output, errors) = SecretManagementModule.Capture(RunScript, command, parameters);
                }
                catch (RuntimeException e)
                {
                    WriteError(e.ErrorRecord);
                    continue;
                }

                foreach (var error in errors)
                {
                    WriteError(error);
                }

                foreach (var item in output)
                {
                    var name = item.Properties["Name"]?.Value as string;
                    if (name == null || !listed.Add(name))
                    {
                        continue;
                    }

                    item.Properties.Remove("Shadowed");
                    item.Properties.Add(new PSNoteProperty("Shadowed", !seen.Add(name)));
                    WriteObject(item);
                }
            }
        }

        private static bool Same(LookupEntry a, LookupEntry b) =>
            (a.StorePath != null && StorePaths.Same(a.StorePath, b.StorePath))
            || (a.Kind == b.Kind && a.StorePath == null && string.Equals(a.Name, b.Name, StringComparison.OrdinalIgnoreCase));
    }
}
