using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Values;

namespace Secrets.Internal
{
    using SecretType = Secrets.Core.Values.SecretType;

    /// <summary>PowerShell objects to and from core <see cref="SecretValue"/>s, type for type.</summary>
    internal static class ValueConverter
    {
        public const string SupportedTypes = "string, SecureString, PSCredential, byte[], or a Hashtable whose values are of those types";

        /// <summary>Converts a value given to a cmdlet; throws InvalidInputException naming the parameter, never the value.</summary>
        public static SecretValue ToSecretValue(object? input, string parameterName)
        {
            var value = Unwrap(input);
            if (value is IDictionary dictionary)
            {
                return FromDictionary(dictionary, parameterName);
            }

            return FromLeaf(value, parameterName, null);
        }

        /// <summary>The PowerShell object for a value: strings as SecureString unless <paramref name="asPlainText"/>.</summary>
        public static object ToOutput(SecretValue value, bool asPlainText)
        {
            switch (value.Type)
            {
                case SecretType.String:
                case SecretType.SecureString:
                    return asPlainText ? (object)value.GetText() : ToSecureString(value);
                case SecretType.PSCredential:
                    return new PSCredential(value.UserName!, ToSecureString(value));
                case SecretType.ByteArray:
                    return value.GetBytes();
                case SecretType.Hashtable:
                    var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
                    foreach (var entry in value.Entries)
                    {
                        table[entry.Key] = ToOutput(entry.Value, asPlainText);
                    }

                    return table;
                default:
                    throw new InvalidOperationException($"Unknown secret type {value.Type}.");
            }
        }

        /// <summary>
        /// The PowerShell object for a value, of exactly the type it was stored as: a String as
        /// string, a SecureString as SecureString (what a SecretManagement vault returns; SecretManagement
        /// itself applies -AsPlainText).
        /// </summary>
        public static object ToStoredTypeOutput(SecretValue value)
        {
            switch (value.Type)
            {
                case SecretType.String:
                    return value.GetText();
                case SecretType.Hashtable:
                    var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
                    foreach (var entry in value.Entries)
                    {
                        table[entry.Key] = ToStoredTypeOutput(entry.Value);
                    }

                    return table;
                default:
                    return ToOutput(value, asPlainText: false);
            }
        }

        public static SecureString ToSecureString(SecretValue value)
        {
            var chars = value.GetChars();
            try
            {
                if (chars.Length > SecretValue.MaxTextLength)
                {
                    // Only a value written before text was limited can be this long.
                    throw new SecretsException("SecretTooLongForSecureString", FailureKind.InvalidOperation,
                        $"The value is {MessageText.Count(chars.Length)} characters long; a SecureString holds at most {MessageText.Count(SecretValue.MaxTextLength)}.")
                    {
                        RecommendedAction = "Read it with -AsPlainText, and store data this large as a byte array.",
                    };
                }

                return SecureText.FromChars(chars);
            }
            finally
            {
                Sensitive.Zero(chars);
            }
        }

        private static object? Unwrap(object? input) => input is PSObject psObject ? psObject.BaseObject : input;

        private static SecretValue FromDictionary(IDictionary dictionary, string parameterName)
        {
            var entries = new List<SecretEntry>();
            try
            {
                foreach (DictionaryEntry item in dictionary)
                {
                    if (!(Unwrap(item.Key) is string key) || key.Length == 0)
                    {
                        throw new InvalidInputException("InvalidSecretValue", parameterName, "Every key of a hashtable secret must be a non-empty string.");
                    }

                    var entryValue = Unwrap(item.Value);
                    if (entryValue is IDictionary)
                    {
                        throw new InvalidInputException("InvalidSecretValue", parameterName,
                            $"The value of key '{key}' is a hashtable; hashtable secrets cannot be nested.");
                    }

                    try
                    {
                        entries.Add(new SecretEntry(key, FromLeaf(entryValue, parameterName, key)));
                    }
                    catch (ArgumentException e)
                    {
                        throw new InvalidInputException("InvalidSecretValue", parameterName, e.Message.Split('\n')[0].Trim());
                    }
                }

                return SecretValue.FromEntries(entries);
            }
            catch (Exception e) when (!(e is InvalidInputException) && e is ArgumentException)
            {
                DisposeAll(entries);
                throw new InvalidInputException("InvalidSecretValue", parameterName, e.Message.Split('\n')[0].Trim());
            }
            catch
            {
                DisposeAll(entries);
                throw;
            }
        }

        private static SecretValue FromLeaf(object? value, string parameterName, string? key)
        {
            string where = key == null ? $"The -{parameterName} value" : $"The value of key '{key}'";
            switch (value)
            {
                case null:
                    throw new InvalidInputException("InvalidSecretValue", parameterName, $"{where} is null.");
                case string text:
                    CheckLength(text.Length, parameterName, where);
                    try
                    {
                        return SecretValue.FromString(text);
                    }
                    catch (System.Text.EncoderFallbackException)
                    {
                        throw NotText(parameterName, where);
                    }

                case SecureString secure:
                    CheckLength(secure.Length, parameterName, where);
                    var bytes = ToUtf8(secure, parameterName, where);
                    try
                    {
                        return SecretValue.FromUtf8(SecretType.SecureString, bytes);
                    }
                    finally
                    {
                        Sensitive.Zero(bytes);
                    }

                case PSCredential credential:
                    if (credential.Password == null)
                    {
                        // [pscredential]::Empty, the "no credential" default of many commands: storing it would hide that none was given.
                        throw new InvalidInputException("InvalidSecretValue", parameterName,
                            $"{where} is an empty PSCredential ([pscredential]::Empty), which has no user name and no password. Give a credential, for example from Get-Credential.");
                    }

                    CheckLength(credential.Password.Length, parameterName, where + "'s password");
                    var password = ToUtf8(credential.Password, parameterName, where);
                    try
                    {
                        return SecretValue.FromCredential(credential.UserName ?? string.Empty, password);
                    }
                    finally
                    {
                        Sensitive.Zero(password);
                    }

                case byte[] data:
                    return SecretValue.FromBytes(data);
                default:
                    var hint = IsNumber(value) ? " Put the value in quotes to store it as a string." :
                        value is object[] ? " For binary data pass a [byte[]]." : string.Empty;
                    throw new InvalidInputException("InvalidSecretValue", parameterName,
                        $"{where} is a {value.GetType().FullName}; a secret must be a {SupportedTypes}.{hint}");
            }
        }

        /// <summary>Text longer than a SecureString holds is refused when written, so that it can always be read back.</summary>
        private static void CheckLength(int length, string parameterName, string where)
        {
            try
            {
                SecretValue.CheckTextLength(length, where);
            }
            catch (ArgumentException e)
            {
                throw new InvalidInputException("InvalidSecretValue", parameterName, e.Message);
            }
        }

        /// <summary>The UTF-8 bytes of a SecureString; text that UTF-8 cannot encode is reported without showing it.</summary>
        private static byte[] ToUtf8(SecureString secure, string parameterName, string where)
        {
            try
            {
                return SecureText.ToUtf8(secure);
            }
            catch (System.Text.EncoderFallbackException)
            {
                throw NotText(parameterName, where);
            }
        }

        /// <summary>Strings are stored as UTF-8: an unpaired surrogate (a broken UTF-16 string) cannot be.</summary>
        private static InvalidInputException NotText(string parameterName, string where) =>
            new InvalidInputException("InvalidSecretValue", parameterName,
                $"{where} is not valid text: it contains an unpaired UTF-16 surrogate character (U+D800 to U+DFFF). For binary data pass a [byte[]].");

        private static bool IsNumber(object value) =>
            value is int || value is long || value is double || value is decimal || value is float || value is short || value is byte;

        private static void DisposeAll(List<SecretEntry> entries)
        {
            foreach (var entry in entries)
            {
                entry.Value.Dispose();
            }
        }
    }
}
