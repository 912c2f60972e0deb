using System;
using System.Linq;
using Secrets.Core.Codecs;
using Secrets.Core.Errors;
using Secrets.Core.Identity;

namespace Secrets.Fuzz.Targets
{
    /// <summary>
    /// Recipient strings (<c>Recipient.TryParse</c>, <c>Recipient.Parse</c>) and the Bech32 codec
    /// under them, on the input as UTF-8 text. Contract: TryParse answers false with a reason and
    /// Parse throws InvalidRecipient naming the parameter, or both accept the same recipient, whose
    /// text is the input trimmed and in lowercase and parses to itself. Bech32 on its own: a string
    /// decodes (for the part before its last '1') to bytes that encode to the same string in
    /// lowercase, or is refused with a reason.
    /// </summary>
    internal static class RecipientTarget
    {
        public static void Check(byte[] input)
        {
            var text = Text.Lossy(input);
            if (Recipient.TryParse(text, out var recipient, out var problem))
            {
                Expect.Trace("accepted: " + recipient?.Fingerprint);
                Expect.That(recipient != null && problem.Length == 0, "TryParse accepted without a recipient, or with a problem");
                Expect.That(recipient!.Text == text.Trim().ToLowerInvariant(), "the recipient's text is not the input trimmed and in lowercase");
                Expect.That(Recipient.TryParse(recipient.Text, out var again, out _) && again!.Equals(recipient), "the recipient's text parses to another recipient");
                Expect.That(Recipient.Parse(text).Equals(recipient), "Parse and TryParse disagree");
                Expect.That(recipient.EncryptionKey.Length == 32 && recipient.SigningKey.Length == 32, "a recipient whose keys are not 32 bytes");
                Expect.That(recipient.Fingerprint.Length == 19 && recipient.Fingerprint.Count(c => c == '-') == 3, "a malformed fingerprint");
            }
            else
            {
                Expect.That(recipient == null && !string.IsNullOrEmpty(problem), "TryParse refused without a reason");
                try
                {
                    Recipient.Parse(text);
                    throw new ContractViolation("Parse accepted what TryParse refused");
                }
                catch (InvalidInputException e)
                {
                    Expect.Refused(e, "InvalidRecipient", "Recipient");
                }
            }

            Bech32RoundTrip(text.Trim());
        }

        private static void Bech32RoundTrip(string text)
        {
            int separator = text.LastIndexOf('1');
            if (separator < 1)
            {
                return;
            }

            var hrp = text.Substring(0, separator).ToLowerInvariant();
            if (Bech32.TryDecode(text, hrp, out var data, out var problem))
            {
                Expect.Trace($"Bech32: {data.Length} bytes");
                Expect.That(problem.Length == 0, "Bech32 decoded with a problem");
                Expect.That(Bech32.Encode(hrp, data) == text.ToLowerInvariant(), "a decoded Bech32 string encodes to another string");
            }
            else
            {
                Expect.That(!string.IsNullOrEmpty(problem) && data.Length == 0, "Bech32 refused without a reason, or with data");
            }
        }
    }

    internal static class Text
    {
        private static readonly System.Text.UTF8Encoding Utf8 = new System.Text.UTF8Encoding(false, false);

        /// <summary>The input as UTF-8, each invalid sequence replaced by U+FFFD: what a user could type or paste.</summary>
        public static string Lossy(byte[] input) => Utf8.GetString(input);
    }
}
