using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Secrets.Core.Interop
{
    /// <summary>
    /// Writes YAML with YamlDotNet's emitter, which quotes and escapes what needs it. A value that a
    /// reader would take for something other than text (<c>true</c>, <c>5</c>, <c>null</c>,
    /// <c>0x1F</c>…) is always quoted, so it stays text.
    /// </summary>
    internal sealed class YamlText
    {
        private static readonly Regex NotText = new Regex(
            @"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N"
            + @"|[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|[0-9:]+)$",
            RegexOptions.CultureInvariant);


        private readonly StringWriter _writer = new StringWriter { NewLine = "\n" };
        private readonly Emitter _emitter;

        public YamlText()
        {
            _emitter = new Emitter(_writer, 2, 1_000_000);
            _emitter.Emit(new StreamStart());
            _emitter.Emit(new DocumentStart(null, null, true));
        }

        /// <summary>A flat mapping of keys to text, every value in double quotes (escapes keep it exact on one line).</summary>
        public static string WriteFlatMapping(IEnumerable<KeyValuePair<string, string>> entries)
        {
            var yaml = new YamlText();
            yaml.StartMapping();
            foreach (var entry in entries)
            {
                yaml.Key(entry.Key);
                yaml.Quoted(entry.Value);
            }

            yaml.EndMapping();
            return yaml.Finish();
        }

        public void StartMapping() => _emitter.Emit(new MappingStart(null, null, true, MappingStyle.Block));

        public void EndMapping() => _emitter.Emit(new MappingEnd());

        public void Key(string key) => Text(key);

        /// <summary>Text, plain when that reads back as the same text, quoted otherwise.</summary>
        public void Text(string value)
        {
            bool quote = value.Length == 0 || NotText.IsMatch(value) || !PlainReadsBack(value);
            _emitter.Emit(new Scalar(null, null, value, quote ? ScalarStyle.DoubleQuoted : ScalarStyle.Any, !quote, true));
        }

        /// <summary>
        /// Whether the emitter, left to choose the style, writes text that reads back the same. It
        /// writes a tab, a carriage return, the line breaks U+0085, U+2028 and U+2029 and the
        /// characters YAML does not allow unescaped (C0 and C1 controls, DEL, U+FFFE, U+FFFF) in plain
        /// or folded scalars that read back as other text or not at all, and a byte order mark may be
        /// dropped by a reader; YamlDotNet's reader does not take a plain key with a space followed by
        /// '*' for a key. Such text is escaped in double quotes.
        /// </summary>
        private static bool PlainReadsBack(string value)
        {
            if (value.Contains(" *"))
            {
                return false;
            }

            foreach (char c in value)
            {
                if ((c < 0x20 && c != '\n') || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029' || c == '\uFEFF' || c == '\uFFFE' || c == '\uFFFF')
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Text in double quotes.</summary>
        public void Quoted(string value) => _emitter.Emit(new Scalar(null, null, value, ScalarStyle.DoubleQuoted, false, true));

        /// <summary>A plain scalar that is not text: true, false, a number.</summary>
        public void Literal(string value) => _emitter.Emit(new Scalar(null, null, value, ScalarStyle.Plain, true, false));

        public string Finish()
        {
            _emitter.Emit(new DocumentEnd(true));
            _emitter.Emit(new StreamEnd());
            return _writer.ToString();
        }
    }
}
