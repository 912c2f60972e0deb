using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace Secrets.HelpGen
{
    /// <summary>One parameter as one parameter set declares it.</summary>
    public sealed class SetParameter
    {
        public SetParameter(string name, bool mandatory, int? position, bool byValue, bool byPropertyName)
        {
            Name = name;
            Mandatory = mandatory;
            Position = position;
            ByValue = byValue;
            ByPropertyName = byPropertyName;
        }

        public string Name { get; }
        public bool Mandatory { get; }

        /// <summary>The position (0-based, as PowerShell counts), or null for a named parameter.</summary>
        public int? Position { get; }

        public bool ByValue { get; }
        public bool ByPropertyName { get; }
    }

    public sealed class ParameterSetMetadata
    {
        public ParameterSetMetadata(string name, bool isDefault, IReadOnlyList<SetParameter> parameters)
        {
            Name = name;
            IsDefault = isDefault;
            Parameters = parameters;
        }

        public string Name { get; }
        public bool IsDefault { get; }

        /// <summary>In the order a syntax line shows them: positional by position, then mandatory, then the rest.</summary>
        public IReadOnlyList<SetParameter> Parameters { get; }
    }

    /// <summary>What a parameter is, whatever the parameter set.</summary>
    public sealed class ParameterMetadataInfo
    {
        public ParameterMetadataInfo(string name, Type type, IReadOnlyList<string> aliases, bool wildcards, IReadOnlyList<string> validValues, bool isRiskParameter)
        {
            Name = name;
            Type = type;
            Aliases = aliases;
            SupportsWildcards = wildcards;
            ValidValues = validValues;
            IsRiskParameter = isRiskParameter;
        }

        public string Name { get; }
        public Type Type { get; }
        public IReadOnlyList<string> Aliases { get; }
        public bool SupportsWildcards { get; }

        /// <summary>The values a ValidateSet (or an enum type) allows; empty when any value goes.</summary>
        public IReadOnlyList<string> ValidValues { get; }

        /// <summary>-WhatIf and -Confirm, which PowerShell adds to cmdlets that support ShouldProcess.</summary>
        public bool IsRiskParameter { get; }

        public bool IsSwitch => Type == typeof(SwitchParameter);
    }

    /// <summary>
    /// A cmdlet as the engine sees it: parameter sets, parameters, output types. Read from the
    /// imported module, never written by hand: this is where the help's syntax comes from.
    /// </summary>
    public sealed class CmdletMetadata
    {
        private CmdletMetadata(string name, string verb, string noun, IReadOnlyList<ParameterSetMetadata> sets,
            IReadOnlyList<ParameterMetadataInfo> parameters, IReadOnlyList<Type> outputTypes, Type implementingType)
        {
            Name = name;
            Verb = verb;
            Noun = noun;
            ParameterSets = sets;
            Parameters = parameters;
            OutputTypes = outputTypes;
            ImplementingType = implementingType;
        }

        public string Name { get; }
        public string Verb { get; }
        public string Noun { get; }

        /// <summary>The default set first, then the others by name.</summary>
        public IReadOnlyList<ParameterSetMetadata> ParameterSets { get; }

        /// <summary>Every parameter except the common parameters, in declaration order.</summary>
        public IReadOnlyList<ParameterMetadataInfo> Parameters { get; }

        /// <summary>The types of [OutputType]; empty for none or void.</summary>
        public IReadOnlyList<Type> OutputTypes { get; }

        public Type ImplementingType { get; }

        /// <summary>The parameters help must document: all but -WhatIf and -Confirm, whose meaning PowerShell defines.</summary>
        public IEnumerable<ParameterMetadataInfo> DocumentedParameters => Parameters.Where(p => !p.IsRiskParameter);

        public ParameterMetadataInfo? FindParameter(string name) =>
            Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

        /// <summary>The parameter in every set that has it.</summary>
        public IEnumerable<SetParameter> InSets(string name) =>
            ParameterSets.SelectMany(s => s.Parameters).Where(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

        public static bool IsCommonParameter(string name) => Cmdlet.CommonParameters.Contains(name);

        public static bool IsRisk(string name) => Cmdlet.OptionalCommonParameters.Contains(name);

        public static CmdletMetadata From(CmdletInfo cmdlet)
        {
            if (cmdlet == null)
            {
                throw new ArgumentNullException(nameof(cmdlet));
            }

            var sets = new List<ParameterSetMetadata>();
            foreach (var set in cmdlet.ParameterSets.OrderBy(s => s.IsDefault ? 0 : 1).ThenBy(s => s.Name, StringComparer.Ordinal))
            {
                var declared = set.Parameters.Where(p => !IsCommonParameter(p.Name)).ToList();
                var ordered = declared.Where(p => p.Position >= 0).OrderBy(p => p.Position)
                    .Concat(declared.Where(p => p.Position < 0 && p.IsMandatory && !IsRisk(p.Name)))
                    .Concat(declared.Where(p => p.Position < 0 && !p.IsMandatory && !IsRisk(p.Name)))
                    .Concat(declared.Where(p => p.Position < 0 && IsRisk(p.Name)).OrderBy(p => p.Name == "WhatIf" ? 0 : 1));
                sets.Add(new ParameterSetMetadata(set.Name, set.IsDefault, ordered.Select(p => new SetParameter(
                    p.Name, p.IsMandatory, p.Position >= 0 ? p.Position : (int?)null, p.ValueFromPipeline, p.ValueFromPipelineByPropertyName)).ToList()));
            }

            var parameters = new List<ParameterMetadataInfo>();
            foreach (var parameter in cmdlet.Parameters.Values)
            {
                if (IsCommonParameter(parameter.Name))
                {
                    continue;
                }

                var attributes = parameter.Attributes;
                var validSet = attributes.OfType<ValidateSetAttribute>().FirstOrDefault();
                var valueType = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
                IReadOnlyList<string> validValues = validSet != null ? validSet.ValidValues.ToList()
                    : valueType.IsEnum ? Enum.GetNames(valueType).ToList()
                    : Array.Empty<string>();
                parameters.Add(new ParameterMetadataInfo(parameter.Name, parameter.ParameterType, parameter.Aliases.ToList(),
                    attributes.OfType<SupportsWildcardsAttribute>().Any(), validValues, IsRisk(parameter.Name)));
            }

            var outputs = cmdlet.OutputType.Select(t => t.Type).Where(t => t != null && t != typeof(void)).Select(t => t!).ToList();
            return new CmdletMetadata(cmdlet.Name, cmdlet.Verb, cmdlet.Noun, sets, parameters, outputs, cmdlet.ImplementingType);
        }

        /// <summary>A type as help shows it: String, Int32, SecureString, Object[], SecretStoreRole.</summary>
        public static string ShortTypeName(Type type)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            return type.IsArray ? ShortTypeName(type.GetElementType()!) + "[]" : type.Name;
        }

        /// <summary>A type's full name: System.String, System.Int32 (for int?), Secrets.SecretStoreRole.</summary>
        public static string FullTypeName(Type type)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            return type.IsArray ? FullTypeName(type.GetElementType()!) + "[]" : type.FullName ?? type.Name;
        }
    }
}
