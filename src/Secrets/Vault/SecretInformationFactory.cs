using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Linq.Expressions;
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
        /// SecretType differently); metadata goes through the constructor that takes it as it is (a
        /// read-only dictionary) where the loaded version has one, else as a table, else it is left out.
        /// </summary>
        public static object Create(Type informationType, string name, string typeName, string vaultName, ReadOnlyDictionary<string, object> metadata) =>
            MakerFor(informationType).Make(name, typeName, vaultName, metadata);

        /// <summary>How to build the objects of a SecretInformation type, found once per type (a listing builds thousands).</summary>
        private static Maker MakerFor(Type informationType)
        {
            lock (Makers)
            {
                if (!Makers.TryGetValue(informationType, out var maker))
                {
                    maker = new Maker(informationType);
                    Makers[informationType] = maker;
                }

                return maker;
            }
        }

        private static readonly Dictionary<Type, Maker> Makers = new Dictionary<Type, Maker>();

        private sealed class Maker
        {
            private readonly Dictionary<string, object> _types = new Dictionary<string, object>(StringComparer.Ordinal);
            private readonly object _unknown;
            private readonly Func<string, object, string, ReadOnlyDictionary<string, object>, object> _new;

            public Maker(Type informationType)
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

                var chosen = withDictionary ?? withTable ?? plain
                    ?? throw new InvalidOperationException($"{TypeName} has no constructor (string, SecretType, string[, metadata]).");
                var enumType = chosen.GetParameters()[1].ParameterType;
                foreach (var typeName in Enum.GetNames(enumType))
                {
                    _types[typeName] = Enum.Parse(enumType, typeName);
                }

                _unknown = _types.TryGetValue("Unknown", out var unknown) ? unknown : Enum.ToObject(enumType, 0);

                // One compiled constructor call: a listing through SecretManagement builds an object per secret.
                var name = Expression.Parameter(typeof(string), "name");
                var type = Expression.Parameter(typeof(object), "type");
                var vault = Expression.Parameter(typeof(string), "vault");
                var metadata = Expression.Parameter(typeof(ReadOnlyDictionary<string, object>), "metadata");
                var arguments = new List<Expression> { name, Expression.Convert(type, enumType), vault };
                if (chosen == withDictionary)
                {
                    arguments.Add(metadata);
                }
                else if (chosen == withTable)
                {
                    arguments.Add(Expression.Call(typeof(SecretInformationFactory).GetMethod(nameof(ToTable), BindingFlags.NonPublic | BindingFlags.Static)!, metadata));
                }

                _new = Expression.Lambda<Func<string, object, string, ReadOnlyDictionary<string, object>, object>>(
                    Expression.Convert(Expression.New(chosen, arguments), typeof(object)), name, type, vault, metadata).Compile();
            }

            public object Make(string name, string typeName, string vaultName, ReadOnlyDictionary<string, object> metadata) =>
                _new(name, _types.TryGetValue(typeName, out var type) ? type : _unknown, vaultName, metadata);
        }

        private static Hashtable ToTable(ReadOnlyDictionary<string, object> metadata)
        {
            var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in metadata)
            {
                table[entry.Key] = entry.Value;
            }

            return table;
        }
    }
}
