using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Platform;
using Secrets.Core.Vault;

namespace Secrets.Internal
{
    /// <summary>
    /// -Vault: the cmdlets whose names SecretManagement also uses (Get-Secret, Set-Secret,
    /// Remove-Secret, Get-SecretInfo, Set-SecretInfo) accept the name of a registered
    /// SecretManagement vault. A vault of this module is served directly, with the store and the
    /// identity it was registered with; any other vault is handed to SecretManagement's cmdlet of
    /// the same name, so a script written for SecretManagement behaves the same whichever of the
    /// two modules was imported last.
    /// </summary>
    public abstract partial class SecretsCmdlet
    {
        internal const string SecretManagementModule = "Microsoft.PowerShell.SecretManagement";

        /// <summary>The module name SecretManagement records for vaults of this module.</summary>
        internal const string ThisModule = "Secrets";

        private static readonly string[] ForwardedCommonParameters =
            { "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "WhatIf", "Confirm" };

        private readonly Dictionary<string, RegisteredVault> _vaults = new Dictionary<string, RegisteredVault>(StringComparer.OrdinalIgnoreCase);

        private VaultSettings? _vault;

        /// <summary>The identity file in use: the vault's, or the default identity.</summary>
        internal string IdentityPath => _vault?.EffectiveIdentityPath ?? SecretsPaths.DefaultIdentityPath;

        /// <summary>The vault of this module the current item goes through, or null.</summary>
        internal string? VaultName => _vault?.VaultName;

        /// <summary>How long a passphrase typed at a prompt keeps the identity unlocked.</summary>
        internal TimeSpan UnlockTimeout => _vault?.UnlockTimeout ?? IdentitySession.DefaultTimeout;

        /// <summary>
        /// Applies -Vault for the current pipeline item. Without a vault, nothing changes. A vault
        /// of this module selects its identity, and <see cref="StoreFor"/> gives its store. Another
        /// module's vault is returned: the caller hands the call to SecretManagement.
        /// </summary>
        internal RegisteredVault? SelectVault(string? vault, string? store)
        {
            _vault = null;
            if (string.IsNullOrEmpty(vault))
            {
                return null;
            }

            if (!_vaults.TryGetValue(vault!, out var registered))
            {
                registered = LookUpVault(vault!);
                _vaults[vault!] = registered;
            }

            if (!registered.IsThisModule)
            {
                return registered;
            }

            var settings = registered.Settings!;
            if (!string.IsNullOrEmpty(store) && !SamePath(ResolveStorePath(store), settings.EffectiveStorePath))
            {
                ThrowTerminatingError(ErrorMapping.InvalidArgument("VaultAndStoreDiffer",
                    $"Vault '{registered.Name}' uses the store at '{settings.EffectiveStorePath}', but -Store names '{store}'. Give -Vault or -Store, not both.",
                    registered.Name));
            }

            _vault = settings;
            return null;
        }

        /// <summary>The -Store value to use: the selected vault's store (null for the default store), else <paramref name="store"/>.</summary>
        internal string? StoreFor(string? store) => _vault != null ? _vault.StorePath : store;

        /// <summary>
        /// Runs SecretManagement's cmdlet <paramref name="command"/> for another module's vault, with
        /// <paramref name="parameters"/> and the common parameters this cmdlet was given. Its output
        /// and errors go straight to this cmdlet's pipeline, unchanged.
        /// </summary>
        internal void HandOff(RegisteredVault vault, string command, IDictionary parameters, params string[] unsupported)
        {
            foreach (var name in unsupported)
            {
                if (MyInvocation.BoundParameters.ContainsKey(name))
                {
                    ThrowTerminatingError(ErrorMapping.InvalidArgument("ParameterNotSupportedByVault",
                        $"-{name} works with Secrets stores only; vault '{vault.Name}' belongs to the module '{vault.ModuleName}', and SecretManagement's {command} has no -{name}.",
                        vault.Name));
                }
            }

            foreach (var name in ForwardedCommonParameters)
            {
                if (MyInvocation.BoundParameters.TryGetValue(name, out var value))
                {
                    parameters[name] = value;
                }
            }

            WriteVerbose($"Vault '{vault.Name}' belongs to the module '{vault.ModuleName}': running {SecretManagementModule}\\{command}.");
            InvokeCommand.InvokeScript(
                "param($command, $parameters) & $command @parameters",
                true,
                PipelineResultTypes.Output | PipelineResultTypes.Error,
                null,
                SecretManagementModule + "\\" + command,
                parameters);
        }

        private RegisteredVault LookUpVault(string name)
        {
            System.Collections.ObjectModel.Collection<PSObject> found;
            try
            {
                found = InvokeCommand.InvokeScript(
                    "param($name) " + SecretManagementModule + "\\Get-SecretVault -Name $name -ErrorAction Ignore",
                    true,
                    PipelineResultTypes.None,
                    null,
                    name);
            }
            catch (CommandNotFoundException)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ItemNotFoundException(
                        $"-Vault names a SecretManagement vault, but {SecretManagementModule} is not installed, so there is no vault named '{name}'. " +
                        "Use -Store to name a store folder, or install SecretManagement and register the vault (Register-SecretVault -ModuleName Secrets)."),
                    "VaultNotFound",
                    ErrorCategory.ObjectNotFound,
                    name));
                throw; // not reached
            }

            foreach (var item in found)
            {
                var vaultName = item?.Properties["Name"]?.Value as string;
                if (!string.Equals(vaultName, name, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var module = item!.Properties["ModuleName"]?.Value as string ?? string.Empty;
                if (!string.Equals(module, ThisModule, StringComparison.OrdinalIgnoreCase))
                {
                    return new RegisteredVault(vaultName!, module, null);
                }

                try
                {
                    var settings = VaultSettings.Parse(vaultName!, VaultParameters.From(item.Properties["VaultParameters"]?.Value));
                    return new RegisteredVault(vaultName!, module, settings);
                }
                catch (SecretsException e)
                {
                    ThrowFailure(e, vaultName);
                }
            }

            ThrowTerminatingError(new ErrorRecord(
                new ItemNotFoundException($"There is no SecretManagement vault named '{name}'. Run Get-SecretVault to list the registered vaults, or use -Store to name a store folder." + RegistrationHint(name)),
                "VaultNotFound",
                ErrorCategory.ObjectNotFound,
                name));
            throw new InvalidOperationException(); // not reached
        }

        /// <summary>
        /// How to register a vault of this module when Register-SecretVault -ModuleName Secrets
        /// cannot work: SecretManagement imports the module by name in a runspace of its own, which
        /// finds only modules in a folder of $env:PSModulePath. Empty when this module is there.
        /// </summary>
        private string RegistrationHint(string name)
        {
            var moduleBase = MyInvocation.MyCommand.Module?.ModuleBase;
            if (string.IsNullOrEmpty(moduleBase))
            {
                return string.Empty;
            }

            var installed = InvokeCommand.InvokeScript(@"param($name) @(Microsoft.PowerShell.Core\Get-Module -ListAvailable -Name $name | ForEach-Object { $_.ModuleBase })",
                false, PipelineResultTypes.None, null, ThisModule);
            if (installed.Any(found => found?.BaseObject is string folder && SamePath(folder, moduleBase!)))
            {
                return string.Empty;
            }

            return $" This module was imported from '{moduleBase}', which is not in a folder of $env:PSModulePath, so " +
                $"'Register-SecretVault -ModuleName {ThisModule}' cannot find it: name its folder instead, " +
                $"Register-SecretVault -Name '{name}' -ModuleName '{moduleBase!.Replace("'", "''")}' (or install the module in a folder of $env:PSModulePath).";
        }

        private static bool SamePath(string a, string b) =>
            string.Equals(System.IO.Path.GetFullPath(a).TrimEnd('/', '\\'), System.IO.Path.GetFullPath(b).TrimEnd('/', '\\'),
                Environment.OSVersion.Platform == PlatformID.Win32NT ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    /// <summary>A vault registered with SecretManagement, as Get-SecretVault describes it.</summary>
    internal sealed class RegisteredVault
    {
        public RegisteredVault(string name, string moduleName, VaultSettings? settings)
        {
            Name = name;
            ModuleName = moduleName;
            Settings = settings;
        }

        public string Name { get; }

        public string ModuleName { get; }

        /// <summary>For a vault of this module: its store and identity.</summary>
        public VaultSettings? Settings { get; }

        public bool IsThisModule => Settings != null;
    }

    /// <summary>Vault parameters as SecretManagement hands them over: a dictionary whose keys and values may be wrapped in PSObjects.</summary>
    internal static class VaultParameters
    {
        public static List<KeyValuePair<string, object?>> From(object? parameters)
        {
            var result = new List<KeyValuePair<string, object?>>();
            if (PSObject.AsPSObject(parameters ?? new Hashtable()).BaseObject is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary)
                {
                    var key = entry.Key is PSObject k ? k.BaseObject : entry.Key;
                    var value = entry.Value is PSObject v ? v.BaseObject : entry.Value;
                    result.Add(new KeyValuePair<string, object?>(key?.ToString() ?? string.Empty, value));
                }
            }

            return result;
        }
    }
}
