using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Secrets.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Secrets.Core.Values
{
    /// <summary>
    /// Reads the keys of a hashtable secret from JSON or YAML text (JSON is read as YAML, of which
    /// it is a subset): a single mapping of keys to scalar values. Messages name keys and line
    /// numbers, never values.
    /// </summary>
    /// <remarks>
    /// The text is read as a stream of parser events, never as a document tree: YamlDotNet builds
    /// its tree by recursion, one stack frame per level of nesting, so a deeply nested input (a
    /// few kilobytes of brackets) overflows the stack and ends the process, which no handler can
    /// catch. The event parser keeps its own stacks, and reading stops at the first event that is
    /// not part of a flat mapping: a list or a mapping in place of a value or a key, a second
    /// document, a key beyond the most a hashtable secret holds. Nesting therefore never goes
    /// deeper than one level under the root, whatever the input. The length is checked before
    /// parsing.
    /// </remarks>
    public static class StructuredValues
    {
        /// <summary>The longest values text, in characters: a secret is at most 16 MiB once encoded.</summary>
        public const int MaxTextLength = 16 * 1024 * 1024;

        /// <summary>Parses a mapping of string keys to scalar values; throws <see cref="InvalidInputException"/>.</summary>
        public static IReadOnlyList<KeyValuePair<string, string>> Parse(string text, string parameterName = "Values")
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                throw Invalid(parameterName, "The values text is empty; give a JSON object or a YAML mapping of keys to values.");
            }

            if (text.Length > MaxTextLength)
            {
                throw Invalid(parameterName,
                    $"The values text is {MessageText.Count(text.Length)} characters long; at most {MessageText.Count(MaxTextLength)} are allowed (a secret is at most 16 MiB).");
            }

            var reader = new EventReader(new Parser(new StringReader(text)), parameterName);
            try
            {
                return reader.ReadStream();
            }
            catch (YamlException e)
            {
                // YamlDotNet messages quote the offending text; report only the position.
                throw Invalid(parameterName, $"The values are not valid JSON or YAML (line {e.Start.Line}, column {e.Start.Column}).{OtherFormatHint(text)}");
            }
            catch (InvalidInputException e) when (e.ErrorId == "InvalidValues" && OtherFormatHint(text) is string hint && hint.Length > 0)
            {
                throw Invalid(parameterName, e.Message + hint);
            }
        }

        /// <summary>
        /// When text that is not a flat mapping is a file of another format Import-Secret reads (an
        /// INI file such as ~/.aws/credentials, a .env file, a Kubernetes manifest), the command
        /// that imports it; empty otherwise. Nothing of the text is quoted.
        /// </summary>
        private static string OtherFormatHint(string text)
        {
            Interop.ExchangeFormat format;
            try
            {
                format = Interop.SecretExchange.Detect(text, "the values", null);
            }
            catch (SecretsException)
            {
                return string.Empty;
            }

            switch (format)
            {
                case Interop.ExchangeFormat.Ini:
                    return " It is an INI file (such as ~/.aws/credentials): import a section of it with Import-Secret -Format Ini -Section <name> -Name <secret> (or Import-SecretProvider aws for AWS profiles).";
                case Interop.ExchangeFormat.Env:
                    return " It is a .env file of NAME=value lines: import it with Import-Secret -Format Env -Name <secret>.";
                case Interop.ExchangeFormat.Kubernetes:
                    return " It is a Kubernetes Secret manifest: import it with Import-Secret -Format Kubernetes, which decodes its data and keeps its type.";
                default:
                    return string.Empty;
            }
        }

        /// <summary>
        /// A hashtable secret of the keys of a mapping, each value a string of at most
        /// <see cref="SecretValue.MaxTextLength"/> characters; throws <see cref="InvalidInputException"/>.
        /// </summary>
        public static SecretValue ToSecretValue(string text, string parameterName = "Values")
        {
            var pairs = Parse(text, parameterName);
            var entries = new List<SecretEntry>(pairs.Count);
            try
            {
                foreach (var pair in pairs)
                {
                    var what = $"The value of key '{pair.Key}'";
                    SecretValue entryValue;
                    try
                    {
                        SecretValue.CheckTextLength(pair.Value.Length, what);
                        entryValue = SecretValue.FromString(pair.Value);
                    }
                    catch (EncoderFallbackException)
                    {
                        throw Invalid(parameterName, $"{what} is not valid text: it contains an unpaired UTF-16 surrogate character (U+D800 to U+DFFF).");
                    }
                    catch (ArgumentException e)
                    {
                        throw Invalid(parameterName, e.Message);
                    }

                    try
                    {
                        entries.Add(new SecretEntry(pair.Key, entryValue));
                    }
                    catch (ArgumentException e)
                    {
                        entryValue.Dispose();
                        throw Invalid(parameterName, FirstLine(e));
                    }
                }

                return SecretValue.FromEntries(entries);
            }
            catch
            {
                foreach (var entry in entries)
                {
                    entry.Value.Dispose();
                }

                throw;
            }
        }

        /// <summary>An argument exception's message without the parameter name .NET appends.</summary>
        private static string FirstLine(ArgumentException e)
        {
            var message = e.Message.Split('\n')[0].Trim();
            var suffix = $" (Parameter '{e.ParamName}')";
            return e.ParamName != null && message.EndsWith(suffix, StringComparison.Ordinal) ? message.Substring(0, message.Length - suffix.Length) : message;
        }

        private static InvalidInputException Invalid(string parameterName, string message) =>
            new InvalidInputException("InvalidValues", parameterName, message);

        /// <summary>Reads one flat mapping from the parser's events, iteratively.</summary>
        private sealed class EventReader
        {
            private readonly IParser _parser;
            private readonly string _parameterName;

            /// <summary>Anchors seen so far: the scalar they name, or null for a list or a mapping.</summary>
            private readonly Dictionary<string, Scalar?> _anchors = new Dictionary<string, Scalar?>(StringComparer.Ordinal);

            public EventReader(IParser parser, string parameterName)
            {
                _parser = parser;
                _parameterName = parameterName;
            }

            public IReadOnlyList<KeyValuePair<string, string>> ReadStream()
            {
                Next<StreamStart>();
                IReadOnlyList<KeyValuePair<string, string>>? result = null;
                for (var e = Next(); !(e is StreamEnd); e = Next())
                {
                    if (!(e is DocumentStart))
                    {
                        throw Malformed(e);
                    }

                    if (result != null)
                    {
                        throw Invalid(_parameterName, "The values text holds more than one document; give exactly one mapping.");
                    }

                    result = ReadDocument();
                }

                return result ?? throw Invalid(_parameterName, "The values text holds no document; give a JSON object or a YAML mapping of keys to values.");
            }

            private IReadOnlyList<KeyValuePair<string, string>> ReadDocument()
            {
                var root = Next();
                if (!(root is MappingStart start))
                {
                    throw Invalid(_parameterName, "The values must be a JSON object or a YAML mapping of keys to values.");
                }

                Remember(start.Anchor, null);
                var result = ReadMapping();
                Next<DocumentEnd>();
                return result;
            }

            private IReadOnlyList<KeyValuePair<string, string>> ReadMapping()
            {
                var result = new List<KeyValuePair<string, string>>();
                var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                for (var keyEvent = Next(); !(keyEvent is MappingEnd); keyEvent = Next())
                {
                    var keyNode = Resolve(keyEvent);
                    if (keyNode == null || string.IsNullOrEmpty(keyNode.Value))
                    {
                        throw Invalid(_parameterName, $"Line {keyEvent.Start.Line}: every key must be a non-empty string.");
                    }

                    var key = keyNode.Value;
                    if (!seen.Add(key))
                    {
                        throw Invalid(_parameterName, $"The key '{key}' appears twice (keys are case-insensitive).");
                    }

                    if (result.Count == SecretValue.MaxEntries)
                    {
                        throw Invalid(_parameterName, $"The values mapping has more than {MessageText.Count(SecretValue.MaxEntries)} keys; a hashtable secret holds at most {MessageText.Count(SecretValue.MaxEntries)}.");
                    }

                    var valueEvent = Next();
                    var valueNode = Resolve(valueEvent);
                    if (valueNode == null)
                    {
                        throw Invalid(_parameterName,
                            $"The value of key '{key}' (line {valueEvent.Start.Line}) is a list or a mapping; each key must have a single text value.");
                    }

                    bool isNull = valueNode.Style == ScalarStyle.Plain
                        && (valueNode.Value == null || valueNode.Value == "null" || valueNode.Value == "~" || valueNode.Value.Length == 0);
                    if (isNull)
                    {
                        throw Invalid(_parameterName, $"The value of key '{key}' (line {valueEvent.Start.Line}) is empty (null).");
                    }

                    result.Add(new KeyValuePair<string, string>(key, valueNode.Value!));
                }

                if (result.Count == 0)
                {
                    throw Invalid(_parameterName, "The values mapping has no keys.");
                }

                return result;
            }

            /// <summary>
            /// The scalar an event stands for (itself, or the scalar an alias names); null for the
            /// start of a list or a mapping, which is never read any further.
            /// </summary>
            private Scalar? Resolve(ParsingEvent e)
            {
                switch (e)
                {
                    case Scalar scalar:
                        Remember(scalar.Anchor, scalar);
                        return scalar;
                    case AnchorAlias alias:
                        if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                        {
                            throw new AnchorNotFoundException(alias.Start, alias.End, "An alias names an anchor that is not defined before it.");
                        }

                        return target;
                    case NodeEvent node:
                        Remember(node.Anchor, null);
                        return null;
                    default:
                        throw Malformed(e);
                }
            }

            private void Remember(AnchorName anchor, Scalar? scalar)
            {
                if (!anchor.IsEmpty)
                {
                    _anchors[anchor.Value] = scalar;
                }
            }

            private ParsingEvent Next()
            {
                bool moved;
                try
                {
                    moved = _parser.MoveNext();
                }
                catch (Exception e) when (!(e is YamlException) && !(e is OutOfMemoryException))
                {
                    // YamlDotNet reports some malformed input with other exceptions than YamlException: an
                    // escaped surrogate without its pair (ArgumentOutOfRangeException), a tag that is not a
                    // URI (ArgumentException), a stray token (InvalidOperationException). Their messages
                    // may quote the text, so none is passed on.
                    throw Malformed(null);
                }

                if (!moved)
                {
                    throw Malformed(null);
                }

                return _parser.Current!;
            }

            /// <summary>
            /// An event where the grammar allows none (YamlDotNet emits some for malformed input, a
            /// mapping's end in place of a value among them), or a parser failure: invalid values.
            /// </summary>
            private InvalidInputException Malformed(ParsingEvent? e) =>
                Invalid(_parameterName, e == null
                    ? "The values are not valid JSON or YAML."
                    : $"The values are not valid JSON or YAML (line {e.Start.Line}, column {e.Start.Column}).");

            private T Next<T>()
                where T : ParsingEvent
            {
                var e = Next();
                return e as T ?? throw Malformed(e);
            }
        }
    }
}
