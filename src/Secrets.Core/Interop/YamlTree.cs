using System;
using System.Collections.Generic;
using System.IO;
using Secrets.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Secrets.Core.Interop
{
    /// <summary>A node of a YAML (or JSON) document: a scalar, a mapping or a sequence, with the line it starts on.</summary>
    public abstract class YamlNode
    {
        protected YamlNode(int line)
        {
            Line = line;
        }

        /// <summary>The line the node starts on (1-based).</summary>
        public int Line { get; }

        /// <summary>What the node is, for messages: "a mapping", "a list", "text".</summary>
        public abstract string Kind { get; }
    }

    /// <summary>A scalar: text, and whether it was written without quotes (a number, true, null in JSON).</summary>
    public sealed class YamlScalar : YamlNode
    {
        public YamlScalar(string value, bool isPlain, int line)
            : base(line)
        {
            Value = value;
            IsPlain = isPlain;
        }

        public string Value { get; }

        /// <summary>Written without quotes (so <c>5</c>, <c>true</c> and <c>null</c> are not strings in JSON).</summary>
        public bool IsPlain { get; }

        /// <summary>An empty value: nothing, <c>~</c> or <c>null</c> without quotes.</summary>
        public bool IsNull => IsPlain && (Value.Length == 0 || Value == "~" || Value == "null" || Value == "Null" || Value == "NULL");

        public override string Kind => IsNull ? "empty (null)" : "text";

        public override string ToString() => "YamlScalar";
    }

    /// <summary>A mapping, its keys (always scalars, unique) in the order written.</summary>
    public sealed class YamlMapping : YamlNode
    {
        private readonly List<KeyValuePair<YamlScalar, YamlNode>> _entries = new List<KeyValuePair<YamlScalar, YamlNode>>();

        public YamlMapping(int line)
            : base(line)
        {
        }

        public IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries => _entries;

        public override string Kind => "a mapping";

        /// <summary>The value of a key (compared exactly, as YAML does), or null.</summary>
        public YamlNode? this[string key]
        {
            get
            {
                foreach (var entry in _entries)
                {
                    if (string.Equals(entry.Key.Value, key, StringComparison.Ordinal))
                    {
                        return entry.Value;
                    }
                }

                return null;
            }
        }

        /// <summary>The text of a key whose value is a scalar that is not null; null otherwise.</summary>
        public string? Text(string key) => this[key] is YamlScalar scalar && !scalar.IsNull ? scalar.Value : null;

        internal void Add(YamlScalar key, YamlNode value) => _entries.Add(new KeyValuePair<YamlScalar, YamlNode>(key, value));

        public override string ToString() => $"YamlMapping({_entries.Count} keys)";
    }

    /// <summary>A sequence (a YAML list, a JSON array).</summary>
    public sealed class YamlSequence : YamlNode
    {
        private readonly List<YamlNode> _items = new List<YamlNode>();

        public YamlSequence(int line)
            : base(line)
        {
        }

        public IReadOnlyList<YamlNode> Items => _items;

        public override string Kind => "a list";

        internal void Add(YamlNode item) => _items.Add(item);

        public override string ToString() => $"YamlSequence({_items.Count} items)";
    }

    /// <summary>Text that is not YAML this reader accepts; the message names the line, never a value.</summary>
    public sealed class YamlTreeException : Exception
    {
        public YamlTreeException(int line, string problem)
            : base(line > 0 ? $"line {line}: {problem}" : problem)
        {
            Line = line;
            Problem = problem;
        }

        public int Line { get; }

        public string Problem { get; }
    }

    /// <summary>
    /// Reads YAML or JSON documents (Kubernetes manifests, kubeconfig files, Docker and gcloud
    /// credential files) into small trees, from YamlDotNet's event parser, iteratively: YamlDotNet's
    /// own document model is built by recursion, and a deeply nested input would overflow the stack
    /// and end the process. Nesting is limited to <see cref="MaxDepth"/> levels, the text to
    /// <see cref="MaxTextLength"/> characters and the nodes to <see cref="MaxNodes"/>. Aliases
    /// (<c>*name</c>) are refused: the files read here never need them, and expanding them is how
    /// a small document becomes a huge one. Duplicate keys are refused, as Kubernetes refuses them.
    /// </summary>
    public static class YamlTree
    {
        public const int MaxTextLength = 16 * 1024 * 1024;
        public const int MaxDepth = 64;
        public const int MaxNodes = 200_000;

        /// <summary>The documents of the text (a null entry for an empty document); throws <see cref="YamlTreeException"/>.</summary>
        public static IReadOnlyList<YamlNode?> Parse(string text)
        {
            if (text == null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            if (text.Length > MaxTextLength)
            {
                throw new YamlTreeException(0, $"the text is {MessageText.Count(text.Length)} characters long; at most {MessageText.Count(MaxTextLength)} are read");
            }

            var parser = new Parser(new StringReader(text));
            try
            {
                return ReadStream(parser);
            }
            catch (YamlException e)
            {
                // YamlDotNet's messages can quote the text; report only the position.
                throw new YamlTreeException((int)e.Start.Line, $"not valid YAML or JSON (column {e.Start.Column})");
            }
        }

        /// <summary>The one document of the text, which must be present; throws <see cref="YamlTreeException"/>.</summary>
        public static YamlNode ParseSingle(string text)
        {
            var documents = Parse(text);
            if (documents.Count != 1 || documents[0] == null)
            {
                throw new YamlTreeException(0, documents.Count > 1 ? $"the text holds {documents.Count} documents; one is expected" : "the text holds no document");
            }

            return documents[0]!;
        }

        private static List<YamlNode?> ReadStream(IParser parser)
        {
            var documents = new List<YamlNode?>();
            int nodes = 0;
            Expect<StreamStart>(parser);
            while (true)
            {
                var e = NextEvent(parser);
                if (e is StreamEnd)
                {
                    return documents;
                }

                if (!(e is DocumentStart))
                {
                    throw new YamlTreeException(Line(e), "unexpected content between documents");
                }

                documents.Add(ReadDocument(parser, ref nodes));
            }
        }

        private static YamlNode? ReadDocument(IParser parser, ref int nodes)
        {
            YamlNode? root = null;
            var open = new Stack<YamlNode>();
            var pendingKeys = new Stack<YamlScalar?>();
            while (true)
            {
                var e = NextEvent(parser);
                if (e is DocumentEnd)
                {
                    return root is YamlScalar scalar && scalar.IsNull ? null : root;
                }

                YamlNode node;
                switch (e)
                {
                    case AnchorAlias alias:
                        throw new YamlTreeException(Line(alias), "aliases (*name) are not accepted here; write the value out");
                    case Scalar s:
                        node = new YamlScalar(s.Value ?? string.Empty, s.Style == ScalarStyle.Plain || s.Style == ScalarStyle.Any, Line(s));
                        break;
                    case MappingStart _:
                        node = new YamlMapping(Line(e));
                        break;
                    case SequenceStart _:
                        node = new YamlSequence(Line(e));
                        break;
                    case MappingEnd _:
                    case SequenceEnd _:
                        open.Pop();
                        pendingKeys.Pop();
                        continue;
                    default:
                        throw new YamlTreeException(Line(e), "unexpected YAML content");
                }

                if (++nodes > MaxNodes)
                {
                    throw new YamlTreeException(Line(e), $"the text holds more than {MessageText.Count(MaxNodes)} values");
                }

                if (open.Count == 0)
                {
                    root = node;
                }
                else if (open.Peek() is YamlMapping mapping)
                {
                    var key = pendingKeys.Pop();
                    if (key == null)
                    {
                        if (!(node is YamlScalar keyScalar))
                        {
                            throw new YamlTreeException(node.Line, "a key is a list or a mapping; keys must be text");
                        }

                        if (mapping[keyScalar.Value] != null)
                        {
                            throw new YamlTreeException(node.Line, $"the key '{keyScalar.Value}' appears twice");
                        }

                        pendingKeys.Push(keyScalar);
                        continue;
                    }

                    mapping.Add(key, node);
                    pendingKeys.Push(null);
                }
                else
                {
                    ((YamlSequence)open.Peek()).Add(node);
                }

                if (node is YamlMapping || node is YamlSequence)
                {
                    if (open.Count >= MaxDepth)
                    {
                        throw new YamlTreeException(node.Line, $"the text is nested more than {MaxDepth} levels deep");
                    }

                    open.Push(node);
                    pendingKeys.Push(null);
                }
            }
        }

        private static int Line(ParsingEvent e) => (int)Math.Min(int.MaxValue, e.Start.Line);

        private static ParsingEvent NextEvent(IParser parser)
        {
            bool moved;
            try
            {
                moved = parser.MoveNext();
            }
            catch (Exception e) when (!(e is YamlException) && !(e is OutOfMemoryException))
            {
                // YamlDotNet reports some malformed input with other exceptions than YamlException: a
                // stray token (InvalidOperationException), a tag that is empty or not a URI
                // (ArgumentException), an escaped surrogate without its pair
                // (ArgumentOutOfRangeException). Their messages may quote the text, so none is passed on.
                throw new YamlTreeException(0, "not valid YAML or JSON");
            }

            if (!moved)
            {
                throw new YamlTreeException(0, "the text ends in the middle of a document");
            }

            return parser.Current!;
        }

        private static void Expect<T>(IParser parser)
            where T : ParsingEvent
        {
            var e = NextEvent(parser);
            if (!(e is T))
            {
                throw new YamlTreeException(Line(e), "unexpected YAML content");
            }
        }
    }
}
