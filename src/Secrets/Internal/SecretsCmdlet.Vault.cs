using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Platform;
using Secrets.Core.Lookup;
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
        /// <summary>The module name SecretManagement records for vaults of this module.</summary>
        internal const string ThisModule = KnownVault.ThisModule;

        private static readonly string[] ForwardedCommonParameters =
            { "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "WhatIf", "Confirm" };

        private VaultSettings? _vault;

        /// <summary>The identity file in use: the vault's, or the default identity.</summary>
        internal string IdentityPath => _vault?.EffectiveIdentityPath ?? ResolveIdentityArgument(IdentityArgument) ?? SecretsPaths.DefaultIdentityPath;

        /// <summary>The -Identity of commands that take one: a name in the Secrets home or an identity file.</summary>
        internal string? IdentityArgument { get; set; }

        /// <summary>The vault of this module the current item goes through, or null.</summary>
        internal string? VaultName => _vault?.VaultName;

        /// <summary>How long a passphrase typed at a prompt keeps the identity unlocked.</summary>
        internal TimeSpan UnlockTimeout => _vault?.UnlockTimeout ?? IdentitySession.DefaultTimeout;

        /// <summary>
        /// Applies -Vault for the current pipeline item. Without a vault, nothing changes. A vault
        /// of this module selects its identity, and <see cref="StoreFor"/> gives its store. Another
        /// module's vault is returned: the caller hands the call to SecretManagement.
        /// </summary>
        internal KnownVault? SelectVault(string? vault, string? store)
        {
            _vault = null;
            if (string.IsNullOrEmpty(vault))
            {
                return null;
            }

            var registered = LookUpVault(vault!);
            if (!registered.IsThisModule)
            {
                return registered;
            }

            if (registered.SettingsError != null)
            {
                ThrowFailure(registered.SettingsError, registered.Name);
            }

            var settings = registered.Settings!;
            if (!string.IsNullOrEmpty(store) && !StorePaths.Same(ResolveStorePath(store), settings.EffectiveStorePath))
            {
                ThrowTerminatingError(ErrorMapping.InvalidArgument("VaultAndStoreDiffer",
                    $"Vault '{registered.Name}' uses the store at '{settings.EffectiveStorePath}', but -Store names '{store}'. Give -Vault or -Store, not both.",
                    registered.Name));
            }

            _vault = settings;
            return null;
        }

        /// <summary>The vault of this module the current item goes through (its store, identity and unlock time), or null.</summary>
        internal VaultSettings? CurrentVault
        {
            get => _vault;
            set => _vault = value;
        }

        /// <summary>The -Store value to use: the selected vault's store (null for the default store), else <paramref name="store"/>.</summary>
        internal string? StoreFor(string? store) => _vault != null ? _vault.StorePath : store;

        /// <summary>Copies the common parameters this cmdlet was given among <paramref name="names"/> into <paramref name="parameters"/>.</summary>
        internal void ForwardCommonParameters(IDictionary parameters, params string[] names)
        {
            foreach (var name in names)
            {
                if (MyInvocation.BoundParameters.TryGetValue(name, out var value))
                {
                    parameters[name] = value;
                }
            }
        }

        /// <summary>
        /// Runs SecretManagement's cmdlet <paramref name="command"/> for another module's vault, with
        /// <paramref name="parameters"/> and the common parameters this cmdlet was given. Its output
        /// and errors go straight to this cmdlet's pipeline, unchanged.
        /// </summary>
        internal void HandOff(KnownVault vault, string command, IDictionary parameters, params string[] unsupported)
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

            ForwardCommonParameters(parameters, ForwardedCommonParameters);
            var cmdlet = SecretManagement?.Command(command);
            if (cmdlet == null)
            {
                ThrowTerminatingError(new ErrorRecord(new CommandNotFoundException($"{SecretManagementModule.Name} has no command {command}."),
                    "SecretManagementCommandNotFound", ErrorCategory.ObjectNotFound, command));
                return;
            }

            WriteVerbose($"Vault '{vault.Name}' belongs to the module '{vault.ModuleName}': running {SecretManagementModule.Name}\\{command}.");
            InvokeCommand.InvokeScript(
                "param($command, $parameters) & $command @parameters",
                true,
                PipelineResultTypes.Output | PipelineResultTypes.Error,
                null,
                cmdlet,
                parameters);
        }

        /// <summary>The registered vault named <paramref name="name"/>; VaultNotFound when SecretManagement is not installed or has no such vault.</summary>
        private KnownVault LookUpVault(string name)
        {
            var vaults = KnownVaults;
            if (vaults == null)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ItemNotFoundException(
                        $"-Vault names a SecretManagement vault, but {SecretManagementModule.Name} is not installed, so there is no vault named '{name}'. " +
                        "Use -Store to name a store folder, or install SecretManagement and register the vault (Register-SecretVault -ModuleName Secrets)."),
                    "VaultNotFound",
                    ErrorCategory.ObjectNotFound,
                    name));
            }

            var found = vaults!.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase));
            if (found != null)
            {
                return found;
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
            if (installed.Any(found => found?.BaseObject is string folder && StorePaths.Same(folder, moduleBase!)))
            {
                return string.Empty;
            }

            return $" This module was imported from '{moduleBase}', which is not in a folder of $env:PSModulePath, so " +
                $"'Register-SecretVault -ModuleName {ThisModule}' cannot find it: name its folder instead, " +
                $"Register-SecretVault -Name '{name}' -ModuleName '{moduleBase!.Replace("'", "''")}' (or install the module in a folder of $env:PSModulePath).";
        }

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
