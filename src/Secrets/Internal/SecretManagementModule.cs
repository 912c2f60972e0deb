using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using Secrets.Core.Errors;
using Secrets.Core.Lookup;
using Secrets.Core.Vault;

namespace Secrets.Internal
{
    /// <summary>
    /// Microsoft.PowerShell.SecretManagement as this module uses it: the module the session has
    /// loaded, or else the installed one, imported into the scope of this module's nested module
    /// Secrets.Extension rather than into the session. A module-qualified call
    /// (Microsoft.PowerShell.SecretManagement\Get-SecretVault) would import it into the session,
    /// where its Get-Secret, imported last, would from then on answer instead of this module's:
    /// asking SecretManagement about its vaults must never change which command a script runs.
    /// Its commands are invoked through their CommandInfo, never by name.
    /// </summary>
    internal sealed class SecretManagementModule
    {
        public const string Name = "Microsoft.PowerShell.SecretManagement";

        /// <summary>Finds the session's SecretManagement, else imports it privately; returns nothing when it is not installed.</summary>
        private const string FindScript = @"
param($ourBase)
$loaded = @(Microsoft.PowerShell.Core\Get-Module -Name Microsoft.PowerShell.SecretManagement)
if ($loaded.Count -gt 0) { return $loaded[0] }
$ours = @(Microsoft.PowerShell.Core\Get-Module -Name Secrets | Microsoft.PowerShell.Core\Where-Object { $_.ModuleBase -eq $ourBase })
if ($ours.Count -eq 0) { return }
$extension = @($ours[0].NestedModules | Microsoft.PowerShell.Core\Where-Object { $_.Name -eq 'Secrets.Extension' })
if ($extension.Count -eq 0) { return }
& $extension[0] {
    $private = @(Microsoft.PowerShell.Core\Get-Module -Name Microsoft.PowerShell.SecretManagement)
    if ($private.Count -gt 0) { return $private[0] }
    Microsoft.PowerShell.Core\Import-Module -Name Microsoft.PowerShell.SecretManagement -PassThru -ErrorAction Ignore -WarningAction Ignore -Verbose:$false
}
";

        private readonly PSModuleInfo _module;

        private SecretManagementModule(PSModuleInfo module)
        {
            _module = module;
        }

        /// <summary>
        /// SecretManagement, or null when it is not installed. <paramref name="invoke"/> runs a
        /// script in the caller's session with arguments (the cmdlet's InvokeCommand, or a script
        /// block of a completer).
        /// </summary>
        public static SecretManagementModule? Find(Func<string, object?[], Collection<PSObject>> invoke)
        {
            var ourBase = System.IO.Path.GetDirectoryName(typeof(SecretManagementModule).Assembly.Location);
            Collection<PSObject> found;
            try
            {
                found = invoke(FindScript, new object?[] { ourBase });
            }
            catch (RuntimeException)
            {
                return null;
            }

            var module = found.Select(o => o?.BaseObject).OfType<PSModuleInfo>().FirstOrDefault();
            return module == null ? null : new SecretManagementModule(module);
        }

        /// <summary>One of SecretManagement's commands; null if it has no such command.</summary>
        public CommandInfo? Command(string name) =>
            _module.ExportedCommands.TryGetValue(name, out var command) ? command : null;

        /// <summary>
        /// The registered vaults (Get-SecretVault), sorted by name as SecretManagement searches them.
        /// A vault of this module comes with its settings, or with the error its parameters give.
        /// </summary>
        public IReadOnlyList<KnownVault> Vaults(Func<string, object?[], Collection<PSObject>> invoke)
        {
            var command = Command("Get-SecretVault");
            if (command == null)
            {
                return Array.Empty<KnownVault>();
            }

            var vaults = new List<KnownVault>();
            foreach (var item in invoke("param($c) & $c -ErrorAction Ignore -WarningAction Ignore", new object?[] { command }))
            {
                if (!(item?.Properties["Name"]?.Value is string name) || name.Length == 0)
                {
                    continue;
                }

                var module = item.Properties["ModuleName"]?.Value as string ?? string.Empty;
                var isDefault = LanguagePrimitives.IsTrue(item.Properties["IsDefault"]?.Value);
                VaultSettings? settings = null;
                SecretsException? error = null;
                if (string.Equals(module, KnownVault.ThisModule, StringComparison.OrdinalIgnoreCase))
                {
                    try
                    {
                        settings = VaultSettings.Parse(name, VaultParameters.From(item.Properties["VaultParameters"]?.Value));
                    }
                    catch (SecretsException e)
                    {
                        error = e;
                    }
                }

                vaults.Add(new KnownVault(name, module, isDefault, settings, error));
            }

            return vaults.OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase).ToList();
        }

        /// <summary>
        /// Runs a command and returns its output and its errors apart (errors are never thrown:
        /// -ErrorAction Continue is passed unless <paramref name="parameters"/> says otherwise).
        /// A terminating error still throws a <see cref="RuntimeException"/>.
        /// </summary>
        public static (List<PSObject> Output, List<ErrorRecord> Errors) Capture(
            Func<string, object?[], Collection<PSObject>> invoke, CommandInfo command, IDictionary parameters)
        {
            if (!parameters.Contains("ErrorAction"))
            {
                parameters["ErrorAction"] = ActionPreference.Continue;
            }

            var output = new List<PSObject>();
            var errors = new List<ErrorRecord>();
            foreach (var item in invoke("param($c, $p) & $c @p 2>&1", new object?[] { command, parameters }))
            {
                if (item?.BaseObject is ErrorRecord error)
                {
                    errors.Add(error);
                }
                else if (item != null)
                {
                    output.Add(item);
                }
            }

            return (output, errors);
        }
    }
}
