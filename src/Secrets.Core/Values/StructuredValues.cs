using System;
using System.Collections.Generic;
using System.IO;
using Secrets.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Secrets.Core.Values
{
    /// <summary>
    /// Reads the keys of a hashtable secret from JSON or YAML text (JSON is read as YAML, of which
    /// it is a subset): a single mapping of keys to scalar values. Messages name keys and line
    /// numbers, never values.
    /// </summary>
    public static class StructuredValues
    {
        /// <summary>Parses a mapping of string keys to scalar values; throws <see cref="InvalidInputException"/>.</summary>
        public static IReadOnlyList<KeyValuePair<string, string>> Parse(string text, string parameterName = "Values")
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new InvalidInputException("InvalidValues", parameterName, "The values text is empty; give a JSON object or a YAML mapping of keys to values.");
            }

            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(text));
            }
            catch (YamlException e)
            {
                // YamlDotNet messages quote the offending text; report only the position.
                throw new InvalidInputException("InvalidValues", parameterName,
                    $"The values are not valid JSON or YAML (line {e.Start.Line}, column {e.Start.Column}).");
            }

            if (stream.Documents.Count != 1)
            {
                throw new InvalidInputException("InvalidValues", parameterName, $"The values text holds {stream.Documents.Count} documents; give exactly one mapping.");
            }

            if (!(stream.Documents[0].RootNode is YamlMappingNode mapping))
            {
                throw new InvalidInputException("InvalidValues", parameterName, "The values must be a JSON object or a YAML mapping of keys to values.");
            }

            var result = new List<KeyValuePair<string, string>>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in mapping.Children)
            {
                if (!(pair.Key is YamlScalarNode keyNode) || string.IsNullOrEmpty(keyNode.Value))
                {
                    throw new InvalidInputException("InvalidValues", parameterName, $"Line {pair.Key.Start.Line}: every key must be a non-empty string.");
                }

                var key = keyNode.Value!;
                if (!seen.Add(key))
                {
                    throw new InvalidInputException("InvalidValues", parameterName, $"The key '{key}' appears twice (keys are case-insensitive).");
                }

                if (!(pair.Value is YamlScalarNode valueNode))
                {
                    throw new InvalidInputException("InvalidValues", parameterName,
                        $"The value of key '{key}' (line {pair.Value.Start.Line}) is a list or a mapping; each key must have a single text value.");
                }

                bool isNull = valueNode.Style == ScalarStyle.Plain && (valueNode.Value == null || valueNode.Value == "null" || valueNode.Value == "~" || valueNode.Value.Length == 0);
                if (isNull)
                {
                    throw new InvalidInputException("InvalidValues", parameterName, $"The value of key '{key}' (line {pair.Value.Start.Line}) is empty (null).");
                }

                result.Add(new KeyValuePair<string, string>(key, valueNode.Value!));
            }

            if (result.Count == 0)
            {
                throw new InvalidInputException("InvalidValues", parameterName, "The values mapping has no keys.");
            }

            return result;
        }
    }
}
