using System;
using System.Linq;
using Secrets.Core.Format;
using Secrets.Core.Values;

namespace Secrets.Fuzz.Targets
{
    /// <summary>
    /// The value encoding (<c>ValueCodec.DecodePadded</c>): the decrypted payload of a version file.
    /// Contract: refused with a <see cref="FormatProblem"/> (reported naming the version file), or
    /// decoded to a value whose encoding is the same bytes. The one leniency FORMAT.md gives a
    /// reader is the padding ("the last non-zero byte MUST be 0x80"): the input may carry more
    /// whole blocks of zeros than a writer adds, and nothing else may differ.
    /// </summary>
    internal static class ValueCodecTarget
    {
        public const string Path = "/fuzz/store/secrets/fuzz/v1.secret";

        public static void Check(byte[] input)
        {
            SecretValue value;
            try
            {
                value = ValueCodec.DecodePadded(input);
            }
            catch (FormatProblem problem)
            {
                Expect.Refused(problem, "SecretFileInvalid", Path);
                return;
            }

            Expect.Trace($"decoded: {value.Type}");
            using (value)
            {
                var encoded = ValueCodec.EncodePadded(value);
                Expect.That(encoded.Length <= input.Length, $"the value re-encodes to {encoded.Length} bytes, more than the {input.Length} it was decoded from");
                Expect.SameBytes(input.AsSpan(0, encoded.Length), encoded, "the decoded value encoded again");
                Expect.AllZero(input, encoded.Length, "the bytes after the value's own padding are not zero");
                RoundTrip(value);
            }
        }

        /// <summary>A value encodes to bytes that decode to the same value, and encode to the same bytes again.</summary>
        public static void RoundTrip(SecretValue value)
        {
            var encoded = ValueCodec.EncodePadded(value);
            Expect.That(encoded.Length % ValueCodec.PaddingBlock == 0, "an encoding whose length is not a multiple of the padding block");
            using var decoded = ValueCodec.DecodePadded(encoded);
            Expect.That(Same(value, decoded), $"a {value.Type} value encoded and decoded is another value");
            Expect.SameBytes(encoded, ValueCodec.EncodePadded(decoded), "a value encoded, decoded and encoded again");
        }

        public static bool Same(SecretValue a, SecretValue b)
        {
            if (a.Type != b.Type || a.UserName != b.UserName)
            {
                return false;
            }

            if (a.Type != SecretType.Hashtable)
            {
                return a.RawData.AsSpan().SequenceEqual(b.RawData);
            }

            return a.Entries.Count == b.Entries.Count
                && a.Entries.Zip(b.Entries, (x, y) => x.Key == y.Key && Same(x.Value, y.Value)).All(same => same);
        }
    }
}
