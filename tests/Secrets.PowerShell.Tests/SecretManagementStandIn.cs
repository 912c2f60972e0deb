using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;

// Stand-ins for the two types of Microsoft.PowerShell.SecretManagement that the vault meets: same
// namespace, names, enum values and constructor signatures as SecretManagement's own (1.1), so the
// vault finds and builds them at run time exactly as it does the real ones. CI has no
// SecretManagement; these exist only in the tests.
namespace Microsoft.PowerShell.SecretManagement
{
    public enum SecretType
    {
        Unknown = 0,
        ByteArray,
        String,
        SecureString,
        PSCredential,
        Hashtable,
    }

    public sealed class SecretInformation
    {
        public SecretInformation(string name, SecretType type, string vaultName)
        {
            Name = name;
            Type = type;
            VaultName = vaultName;
        }

        public SecretInformation(string name, SecretType type, string vaultName, ReadOnlyDictionary<string, object> metadata)
            : this(name, type, vaultName)
        {
            Metadata = metadata;
        }

        public SecretInformation(string name, SecretType type, string vaultName, Hashtable metadata)
            : this(name, type, vaultName)
        {
            if (metadata == null)
            {
                return;
            }

            var copy = new Dictionary<string, object>(metadata.Count);
            foreach (var key in metadata.Keys)
            {
                copy.Add((string)key, metadata[key]!);
            }

            Metadata = new ReadOnlyDictionary<string, object>(copy);
        }

        public string Name { get; }

        public SecretType Type { get; }

        public string VaultName { get; }

        public ReadOnlyDictionary<string, object>? Metadata { get; }
    }
}

namespace Secrets.PowerShell.Tests
{
    /// <summary>
    /// Calls the vault the way SecretManagement does (src/code/Utils.cs, ExtensionVaultModule and
    /// PowerShellInvoker): in a runspace of its own in this process, importing the module by its
    /// folder, then invoking 'Secrets.Extension\&lt;command&gt;' in the module's scope with the
    /// parameter hashtable SecretManagement builds (AdditionalParameters = the vault parameters plus
    /// Verbose). Errors, warnings and verbose records are merged into the output and sorted out
    /// afterwards, and each command's results are filtered the way SecretManagement filters them.
    /// </summary>
    public sealed class SecretManagementStandIn : IDisposable
    {
        // What SecretManagement runs for every command (its RunCommandScript), in our own words.
        private const string RunCommand = @"
param ([string] $ModuleName, [string] $ModulePath, [string] $ImplementingModuleName, [string] $Command, [hashtable] $Params)
$verboseEnabled = $Params.AdditionalParameters.ContainsKey('Verbose') -and ($Params.AdditionalParameters['Verbose'] -eq $true)
$module = Microsoft.PowerShell.Core\Get-Module -Name $ModuleName -ErrorAction Ignore
if ($null -eq $module) { $module = Microsoft.PowerShell.Core\Import-Module -Name $ModulePath -PassThru }
if ($null -eq $module) { return }
Write-Verbose ""Invoking command $Command on module $ImplementingModuleName"" -Verbose:$verboseEnabled
& $module ""$ImplementingModuleName\$Command"" @Params
";

        // What it runs for the optional Set-SecretInfo and Unlock-SecretVault: 0 ran, 1 no module, 2 no command.
        private const string RunConditional = @"
param ([string] $ModuleName, [string] $ModulePath, [string] $ImplementingModuleName, [string] $Command, [hashtable] $Params)
$verboseEnabled = $Params.AdditionalParameters.ContainsKey('Verbose') -and ($Params.AdditionalParameters['Verbose'] -eq $true)
$module = Microsoft.PowerShell.Core\Get-Module -Name $ModuleName -ErrorAction Ignore
if ($null -eq $module) { $module = Microsoft.PowerShell.Core\Import-Module -Name $ModulePath -PassThru }
if ($null -eq $module) { return 1 }
try {
    Write-Verbose ""Invoking command $Command on module $ImplementingModuleName"" -Verbose:$verboseEnabled
    $null = & $module ""$ImplementingModuleName\$Command"" @Params
    return 0
}
catch [System.Management.Automation.CommandNotFoundException] { return 2 }
";

        // What it runs for the optional Unregister-SecretVault: a missing command is only reported as verbose.
        private const string RunIf = @"
param ([string] $ModuleName, [string] $ModulePath, [string] $ImplementingModuleName, [string] $Command, [hashtable] $Params)
$verboseEnabled = $Params.AdditionalParameters.ContainsKey('Verbose') -and ($Params.AdditionalParameters['Verbose'] -eq $true)
$module = Microsoft.PowerShell.Core\Get-Module -Name $ModuleName -ErrorAction Ignore
if ($null -eq $module) { $module = Microsoft.PowerShell.Core\Import-Module -Name $ModulePath -PassThru }
if ($null -eq $module) { return }
try {
    Write-Verbose ""Invoking command $Command on module $ImplementingModuleName"" -Verbose:$verboseEnabled
    & $module ""$ImplementingModuleName\$Command"" @Params
}
catch [System.Management.Automation.CommandNotFoundException] {
    Write-Verbose ""Module $ImplementingModuleName does not support command : $Command"" -Verbose:$verboseEnabled
}
";

        // The engine hosted by the tests has only the Core cmdlets; SecretManagement's runspace has
        // Microsoft.PowerShell.Utility, whose Write-Verbose its scripts use.
        private const string WriteVerboseStandIn = @"[CmdletBinding()] param([Parameter(Position = 0)] [string] $Message) $PSCmdlet.WriteVerbose($Message)";

        private readonly Runspace _runspace;

        public SecretManagementStandIn()
        {
            var state = InitialSessionState.CreateDefault2();
            state.LanguageMode = PSLanguageMode.FullLanguage;
            state.Commands.Add(new SessionStateFunctionEntry("Write-Verbose", WriteVerboseStandIn));
            _runspace = IsolatedEngine.Open(state);
        }

        /// <summary>The module folder SecretManagement records at registration (the folder named after the module).</summary>
        public static string ModulePath => Path.GetDirectoryName(PowerShellSession.ModuleManifest)!;

        public const string ModuleName = "Secrets";

        public const string ExtensionName = "Secrets.Extension";

        /// <summary>Whether Set-Secret gets Metadata (SecretManagement decides this at registration from the parameter's presence).</summary>
        public bool SetSecretSupportsMetadata { get; set; } = true;

        /// <summary>Set-Secret as SecretManagement's InvokeSetSecret calls it.</summary>
        public Call SetSecret(Vault vault, string name, object secret, Hashtable? metadata = null, bool verbose = false)
        {
            var parameters = new Hashtable { ["Name"] = name, ["Secret"] = secret, ["VaultName"] = vault.Name, ["AdditionalParameters"] = vault.AdditionalParameters(verbose) };
            if (SetSecretSupportsMetadata)
            {
                parameters["Metadata"] = metadata ?? new Hashtable();
            }

            return Invoke(RunCommand, "Set-Secret", parameters);
        }

        /// <summary>Get-Secret as InvokeGetSecret calls it; <see cref="Call.Secret"/> is what SecretManagement keeps of the results.</summary>
        public Call GetSecret(Vault vault, string name, bool verbose = false)
        {
            var call = Invoke(RunCommand, "Get-Secret",
                new Hashtable { ["Name"] = name, ["VaultName"] = vault.Name, ["AdditionalParameters"] = vault.AdditionalParameters(verbose) });
            call.Secret = SecretFromResults(call.Results);
            return call;
        }

        public Call RemoveSecret(Vault vault, string name) =>
            Invoke(RunCommand, "Remove-Secret", new Hashtable { ["Name"] = name, ["VaultName"] = vault.Name, ["AdditionalParameters"] = vault.AdditionalParameters(false) });

        /// <summary>Get-SecretInfo as InvokeGetSecretInfo calls it; SecretManagement keeps only SecretInformation objects.</summary>
        public Call GetSecretInfo(Vault vault, string filter, bool verbose = false) =>
            Invoke(RunCommand, "Get-SecretInfo", new Hashtable { ["Filter"] = filter, ["VaultName"] = vault.Name, ["AdditionalParameters"] = vault.AdditionalParameters(verbose) });

        public Call SetSecretInfo(Vault vault, string name, Hashtable metadata) =>
            Invoke(RunConditional, "Set-SecretInfo", new Hashtable { ["Name"] = name, ["Metadata"] = metadata, ["VaultName"] = vault.Name, ["AdditionalParameters"] = vault.AdditionalParameters(false) });

        public Call TestSecretVault(Vault vault, bool verbose = false) =>
            Invoke(RunCommand, "Test-SecretVault", new Hashtable { ["VaultName"] = vault.Name, ["AdditionalParameters"] = vault.AdditionalParameters(verbose) });

        public Call UnlockSecretVault(Vault vault, SecureString password) =>
            Invoke(RunConditional, "Unlock-SecretVault", new Hashtable { ["Password"] = password, ["VaultName"] = vault.Name, ["AdditionalParameters"] = vault.AdditionalParameters(false) });

        public Call UnregisterSecretVault(Vault vault, bool verbose = false) =>
            Invoke(RunIf, "Unregister-SecretVault", new Hashtable { ["VaultName"] = vault.Name, ["AdditionalParameters"] = vault.AdditionalParameters(verbose) });

        public void Dispose() => _runspace.Dispose();

        /// <summary>
        /// Register-SecretVault's check of a vault module (CheckForImplementingModule): the parent
        /// imported by path, then the folder 'Secrets.Extension' under its base imported by path,
        /// in a fresh runspace. Returns the extension's module info.
        /// </summary>
        public static (PSModuleInfo Parent, PSModuleInfo Extension) ImportLikeRegistration()
        {
            // SecretManagement uses PowerShell.Create(RunspaceMode.NewRunspace); the hosted engine
            // lacks the host snap-in that default state loads, so the runspace is made by hand.
            using var runspace = IsolatedEngine.Open(InitialSessionState.CreateDefault2());
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = runspace;
            var parent = ps.AddScript("param($path) Microsoft.PowerShell.Core\\Import-Module -Name $path -Force -PassThru").AddArgument(ModulePath).Invoke<PSModuleInfo>().Single();
            ps.Commands.Clear();
            var extensionPath = Path.Combine(parent.ModuleBase, parent.Name + ".Extension");
            var extension = ps.AddScript("param($path) Microsoft.PowerShell.Core\\Import-Module -Name $path -Force -PassThru").AddArgument(extensionPath).Invoke<PSModuleInfo>().Single();
            return (parent, extension);
        }

        private Call Invoke(string script, string command, Hashtable parameters)
        {
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = _runspace;
            var cmd = new Command(script, isScript: true, useLocalScope: true);
            cmd.MergeMyResults(
                PipelineResultTypes.Error | PipelineResultTypes.Warning | PipelineResultTypes.Verbose | PipelineResultTypes.Debug | PipelineResultTypes.Information,
                PipelineResultTypes.Output);
            ps.Commands.AddCommand(cmd);
            foreach (var argument in new object[] { ModuleName, ModulePath, ExtensionName, command, parameters })
            {
                ps.Commands.AddArgument(argument);
            }

            var call = new Call();
            try
            {
                foreach (var item in ps.Invoke())
                {
                    if (item?.BaseObject == null)
                    {
                        continue;
                    }

                    switch (item.BaseObject)
                    {
                        case ErrorRecord error:
                            call.Errors.Add(error);
                            break;
                        case WarningRecord warning:
                            call.Warnings.Add(warning.Message);
                            break;
                        case VerboseRecord verbose:
                            call.Verbose.Add(verbose.Message);
                            break;
                        case DebugRecord:
                        case InformationRecord:
                            break;
                        default:
                            call.Results.Add(item.BaseObject);
                            break;
                    }
                }
            }
            catch (Exception e)
            {
                // SecretManagement wraps this in "Unable to ... from vault ..."; the tests want none.
                call.TerminatingError = e;
            }

            return call;
        }

        // InvokeGetSecret: bytes written one by one are put back into a byte[]; only the five types pass.
        private static object? SecretFromResults(List<object> results)
        {
            if (results.Count == 0)
            {
                return null;
            }

            object value = results[0] is byte ? results.Select(r => (byte)r).ToArray() : results[0];
            if (value is List<object> wrapped && wrapped.Count > 0)
            {
                value = wrapped[0];
            }

            return value is string || value is SecureString || value is byte[] || value is PSCredential || value is Hashtable
                ? value
                : throw new InvalidOperationException($"SecretManagement refuses a secret of type {value.GetType()}.");
        }

        /// <summary>A registered vault: its name and -VaultParameters.</summary>
        public sealed class Vault
        {
            public Vault(string name, Hashtable? vaultParameters = null)
            {
                Name = name;
                VaultParameters = vaultParameters ?? new Hashtable();
            }

            public string Name { get; }

            public Hashtable VaultParameters { get; }

            // GetAdditionalParams: a copy of the vault parameters with Verbose set to the caller's -Verbose.
            public Hashtable AdditionalParameters(bool verbose)
            {
                var copy = new Hashtable();
                foreach (DictionaryEntry entry in VaultParameters)
                {
                    copy.Add(entry.Key, entry.Value);
                }

                copy.Remove("Verbose");
                copy.Add("Verbose", verbose);
                return copy;
            }
        }

        /// <summary>What one call produced, sorted the way SecretManagement sorts it.</summary>
        public sealed class Call
        {
            public List<object> Results { get; } = new List<object>();
            public List<ErrorRecord> Errors { get; } = new List<ErrorRecord>();
            public List<string> Warnings { get; } = new List<string>();
            public List<string> Verbose { get; } = new List<string>();
            public Exception? TerminatingError { get; set; }
            public object? Secret { get; set; }

            /// <summary>Everything a user could see: messages of errors, warnings and verbose records.</summary>
            public string AllText => string.Join("\n", Errors.Select(e => e.ErrorDetails?.Message ?? e.Exception.Message)
                .Concat(Errors.Select(e => e.ErrorDetails?.RecommendedAction ?? string.Empty)).Concat(Warnings).Concat(Verbose)
                .Concat(TerminatingError == null ? Array.Empty<string>() : new[] { TerminatingError.ToString() }));
        }
    }
}
