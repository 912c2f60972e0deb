using System;
using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using Secrets.Core.Errors;
using Secrets.Core.Values;

namespace Secrets.Internal
{
    /// <summary>
    /// Asking for a secret's value at the console, never echoing it: values are read with the
    /// host's ReadLineAsSecureString, which shows nothing (or a mask) as they are typed. Key names
    /// of a hashtable secret are not secret and are read with ReadLine. Sessions that cannot
    /// prompt get a <see cref="SecretValueRequired"/> error naming the parameter to give instead.
    /// </summary>
    internal static class ValuePrompt
    {
        /// <summary>Reads one value with a masked prompt: a SecureString the caller disposes.</summary>
        public static SecureString ReadValue(PSCmdlet cmdlet, string name, string parameterName)
        {
            RequireInteractive(cmdlet, name, parameterName, hashtable: false);
            var value = ReadSecure(cmdlet, $"Value of secret '{name}' (not shown)", name, parameterName, hashtable: false);
            if (value.Length == 0)
            {
                value.Dispose();
                throw SecretValueRequired(parameterName,
                    $"Nothing was typed for secret '{name}', so nothing was written. Type the value at the prompt, or give it with -{parameterName}.");
            }

            return value;
        }

        /// <summary>
        /// Asks for key names (shown as typed) and each key's value (masked), until an empty key
        /// name: an ordered table of SecureStrings the caller disposes (<see cref="Dispose"/>).
        /// </summary>
        public static IDictionary ReadHashtable(PSCmdlet cmdlet, string name, string parameterName)
        {
            RequireInteractive(cmdlet, name, parameterName, hashtable: true);
            var ui = cmdlet.Host.UI;
            var table = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
            try
            {
                ui.WriteLine($"Keys and values of secret '{name}'. Key names are shown as you type them, values are not. Give an empty key name to finish.");
                while (table.Count < SecretValue.MaxEntries)
                {
                    var key = ReadLine(cmdlet, "Key", name, parameterName)?.Trim();
                    if (string.IsNullOrEmpty(key))
                    {
                        break;
                    }

                    if (table.Contains(key!))
                    {
                        ui.WriteWarningLine($"Key '{key}' was given already (keys are case-insensitive). Give another key, or an empty key name to finish.");
                        continue;
                    }

                    if (System.Text.Encoding.UTF8.GetByteCount(key!) > SecretValue.MaxKeyBytes)
                    {
                        ui.WriteWarningLine($"That key is longer than {SecretValue.MaxKeyBytes} bytes. Give a shorter key, or an empty key name to finish.");
                        continue;
                    }

                    var value = ReadSecure(cmdlet, $"Value of '{key}' (not shown)", name, parameterName, hashtable: true);
                    if (value.Length == 0)
                    {
                        value.Dispose();
                        ui.WriteWarningLine($"Nothing was typed for '{key}', so the key was not added. Give the key again to type its value.");
                        continue;
                    }

                    table[key!] = value;
                }

                if (table.Count == SecretValue.MaxEntries)
                {
                    ui.WriteWarningLine($"A hashtable secret holds at most {SecretValue.MaxEntries} keys; no more are asked for.");
                }

                if (table.Count == 0)
                {
                    throw SecretValueRequired(parameterName,
                        $"No key was given for secret '{name}', so nothing was written. Give at least one key and its value, or give the hashtable with -Secret @{{ key = 'value' }} or -Values.");
                }

                return table;
            }
            catch
            {
                Dispose(table);
                throw;
            }
        }

        /// <summary>Disposes the SecureStrings of a table <see cref="ReadHashtable"/> returned.</summary>
        public static void Dispose(IDictionary? table)
        {
            if (table == null)
            {
                return;
            }

            foreach (DictionaryEntry entry in table)
            {
                (entry.Value as IDisposable)?.Dispose();
            }
        }

        private static void RequireInteractive(PSCmdlet cmdlet, string name, string parameterName, bool hashtable)
        {
            if (!IdentityAccess.IsInteractive(cmdlet))
            {
                throw CannotPrompt(name, parameterName, hashtable);
            }
        }

        private static SecretsException CannotPrompt(string name, string parameterName, bool hashtable) =>
            SecretValueRequired(parameterName, hashtable
                ? $"-Interactive asks for the keys and values of secret '{name}' at the console, and this session cannot prompt. "
                    + "Give the hashtable with -Secret @{ key = 'value' } (-Value for New-Secret), or as JSON or YAML with -Values."
                : $"No value was given for secret '{name}', and this session cannot prompt for one. "
                    + $"Give it with -{parameterName} (or -SecureStringSecret, -Path, -LiteralPath, or -Values for a hashtable).");

        private static InvalidInputException SecretValueRequired(string parameterName, string message) =>
            new InvalidInputException("SecretValueRequired", parameterName, message);

        private static SecureString ReadSecure(PSCmdlet cmdlet, string prompt, string name, string parameterName, bool hashtable)
        {
            try
            {
                cmdlet.Host.UI.Write(prompt + ": ");
                return cmdlet.Host.UI.ReadLineAsSecureString() ?? new SecureString();
            }
            catch (Exception e) when (e is PSInvalidOperationException || e is HostException || e is NotImplementedException || e is PSNotImplementedException)
            {
                throw CannotPrompt(name, parameterName, hashtable);
            }
        }

        private static string? ReadLine(PSCmdlet cmdlet, string prompt, string name, string parameterName)
        {
            try
            {
                cmdlet.Host.UI.Write(prompt + ": ");
                return cmdlet.Host.UI.ReadLine();
            }
            catch (Exception e) when (e is PSInvalidOperationException || e is HostException || e is NotImplementedException || e is PSNotImplementedException)
            {
                throw CannotPrompt(name, parameterName, hashtable: true);
            }
        }
    }
}
