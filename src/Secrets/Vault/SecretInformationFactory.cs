using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Reflection;

namespace Secrets.Vault
{
    /// <summary>
    /// Builds SecretManagement's SecretInformation objects. The type lives in SecretManagement's
    /// own assembly, which this module neither references nor ships; it is found at run time among
    /// the loaded assemblies (SecretManagement has loaded it before it calls the vault).
    /// </summary>
    internal static class SecretInformationFactory
    {
        public const string TypeName = "Microsoft.PowerShell.SecretManagement.SecretInformation";
        private const string SecretManagementAssembly = "Microsoft.PowerShell.SecretManagement";

        /// <summary>The SecretInformation type, or null when SecretManagement is not loaded in this process.</summary>
        public static Type? FindType()
        {
            Type? found = null;
            foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            {
                if (assembly.IsDynamic)
                {
                    continue;
                }

                Type? type;
                try
                {
                    type = assembly.GetType(TypeName, throwOnError: false);
                }
                catch (Exception e) when (e is ReflectionTypeLoadException || e is TypeLoadException || e is System.IO.FileLoadException || e is System.IO.FileNotFoundException)
                {
                    continue;
                }

                if (type == null)
                {
                    continue;
                }

                if (string.Equals(assembly.GetName().Name, SecretManagementAssembly, StringComparison.OrdinalIgnoreCase))
                {
                    return type;
                }

                found ??= type;
            }

            return found;
        }

        /// <summary>
        /// A SecretInformation for one secret. The type is given by name (SecretManagement numbers its
        /// SecretType differently); metadata goes through the richest constructor the loaded version has.
        /// </summary>
        public static object Create(Type informationType, string name, string typeName, string vaultName, Hashtable metadata)
        {
            ConstructorInfo? withTable = null, withDictionary = null, plain = null;
            foreach (var constructor in informationType.GetConstructors())
            {
                var parameters = constructor.GetParameters();
                if (parameters.Length < 3 || parameters[0].ParameterType != typeof(string) || !parameters[1].ParameterType.IsEnum
                    || parameters[2].ParameterType != typeof(string))
                {
                    continue;
                }

                if (parameters.Length == 3)
                {
                    plain = constructor;
                }
                else if (parameters.Length == 4 && parameters[3].ParameterType == typeof(Hashtable))
                {
                    withTable = constructor;
                }
                else if (parameters.Length == 4 && parameters[3].ParameterType == typeof(ReadOnlyDictionary<string, object>))
                {
                    withDictionary = constructor;
                }
            }

            var chosen = withTable ?? withDictionary ?? plain
                ?? throw new InvalidOperationException($"{TypeName} has no constructor (string, SecretType, string[, metadata]).");
            var secretType = ToSecretType(chosen.GetParameters()[1].ParameterType, typeName);
            object?[] arguments = chosen == withTable
                ? new object?[] { name, secretType, vaultName, metadata }
                : chosen == withDictionary
                    ? new object?[] { name, secretType, vaultName, ToReadOnly(metadata) }
                    : new object?[] { name, secretType, vaultName };
            return chosen.Invoke(arguments);
        }

        private static object ToSecretType(Type enumType, string typeName)
        {
            if (Enum.GetNames(enumType).Contains(typeName))
            {
                return Enum.Parse(enumType, typeName);
            }

            return Enum.GetNames(enumType).Contains("Unknown") ? Enum.Parse(enumType, "Unknown") : Enum.ToObject(enumType, 0);
        }

        private static ReadOnlyDictionary<string, object> ToReadOnly(Hashtable metadata)
        {
            var dictionary = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            foreach (DictionaryEntry entry in metadata)
            {
                dictionary[(string)entry.Key] = entry.Value!;
            }

            return new ReadOnlyDictionary<string, object>(dictionary);
        }
    }
}
