using System;
using System.Collections.Generic;
using System.Text;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;

namespace Secrets.Core.Identity
{
    /// <summary>What <see cref="PassphrasePolicy.Check"/> found wrong with a passphrase (nothing, usually).</summary>
    public sealed class PassphraseVerdict
    {
        internal PassphraseVerdict(bool tooShort, bool common)
        {
            TooShort = tooShort;
            IsCommon = common;
        }

        /// <summary>Shorter than <see cref="PassphrasePolicy.MinLength"/> characters: refused unless forced.</summary>
        public bool TooShort { get; }

        /// <summary>One of the most common passwords (a built-in list): a warning.</summary>
        public bool IsCommon { get; }
    }

    /// <summary>
    /// The rules for new passphrases (identities, backups): at least <see cref="MinLength"/>
    /// characters, and a warning for one of the most common passwords. Argon2id makes each guess
    /// expensive; it cannot make a guessable passphrase safe. Nothing here keeps or shows the passphrase.
    /// </summary>
    public static class PassphrasePolicy
    {
        /// <summary>The fewest characters (Unicode code points) a new passphrase may have without -Force.</summary>
        public const int MinLength = 8;

        // The most common passwords of public breach corpora, lowercase. Short ones are refused by the
        // length rule already; they stay here so that a forced short passphrase is still warned about.
        private static readonly HashSet<string> Common = new HashSet<string>(StringComparer.Ordinal)
        {
            "123456", "123456789", "12345678", "1234567890", "12345", "1234567", "123123", "111111", "000000",
            "00000000", "11111111", "1234", "654321", "666666", "121212", "112233", "123321", "987654321",
            "1q2w3e4r", "1q2w3e4r5t", "1qaz2wsx", "qwerty", "qwerty123", "qwertyuiop", "qwe123", "asdfgh",
            "asdfghjkl", "zxcvbnm", "zxcvbn", "azerty", "password", "password1", "password12", "password123",
            "passw0rd", "p@ssw0rd", "p@ssword", "pass1234", "password!", "letmein", "letmein1", "welcome",
            "welcome1", "welcome123", "admin", "admin123", "administrator", "root", "toor", "changeme",
            "changeit", "secret", "secret123", "iloveyou", "iloveyou1", "princess", "sunshine", "football",
            "baseball", "basketball", "superman", "batman", "starwars", "pokemon", "monkey", "dragon",
            "master", "shadow", "michael", "jennifer", "jordan23", "trustno1", "abc123", "abcd1234",
            "abcdef", "abcdefg", "abcdefgh", "a1b2c3d4", "aa123456", "qazwsx", "q1w2e3r4", "zaq12wsx",
            "computer", "internet", "whatever", "freedom", "hello123", "helloworld", "charlie", "donald",
            "loveme", "lovely", "flower", "chocolate", "butterfly", "cookie", "summer", "winter2024",
            "summer2024", "spring2024", "autumn2024", "winter2025", "summer2025", "spring2025",
            "autumn2025", "winter2026", "summer2026", "spring2026", "autumn2026", "mustang", "access",
            "ninja", "hunter2", "killer", "soccer", "hockey", "ranger", "harley", "thomas", "robert",
            "daniel", "andrew", "joshua", "matthew", "jessica", "ashley", "nicole", "hannah", "family",
            "blink182", "qwerty12", "qwerty1", "1password", "mypassword", "default", "guest", "test",
            "test123", "test1234", "testing", "testtest", "temp1234", "temppass", "login", "user",
            "123qwe", "123abc", "qweasdzxc", "asdf1234", "zxcv1234", "123456a", "a123456", "password2",
            "correcthorsebatterystaple", "correct horse battery staple", "opensesame", "iloveyou2",
            "secrets", "mysecret", "passphrase", "mypassphrase",
        };

        /// <summary>Checks a new passphrase (UTF-8 bytes). The characters decoded for the check are zeroed.</summary>
        public static PassphraseVerdict Check(byte[] passphrase)
        {
            if (passphrase == null)
            {
                throw new ArgumentNullException(nameof(passphrase));
            }

            char[] chars = Array.Empty<char>();
            char[] lower = Array.Empty<char>();
            try
            {
                chars = new UTF8Encoding(false, false).GetChars(passphrase);
                int codePoints = 0;
                for (int i = 0; i < chars.Length; i++)
                {
                    if (!(char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1])))
                    {
                        codePoints++;
                    }
                }

                lower = new char[chars.Length];
                for (int i = 0; i < chars.Length; i++)
                {
                    lower[i] = char.ToLowerInvariant(chars[i]);
                }

                bool common = chars.Length <= 32 && IsCommon(lower);
                return new PassphraseVerdict(codePoints < MinLength, common);
            }
            finally
            {
                Sensitive.Zero(chars);
                Sensitive.Zero(lower);
            }
        }

        /// <summary>
        /// Refuses a passphrase shorter than <see cref="MinLength"/> (PassphraseTooShort) unless
        /// <paramref name="force"/>; returns the verdict, whose <see cref="PassphraseVerdict.IsCommon"/>
        /// the caller warns about.
        /// </summary>
        public static PassphraseVerdict Enforce(byte[] passphrase, bool force, string parameter, string forceHint)
        {
            var verdict = Check(passphrase);
            if (verdict.TooShort && !force)
            {
                throw new InvalidInputException("PassphraseTooShort", parameter,
                    $"The passphrase is shorter than {MinLength} characters, which a guesser tries first. Choose a longer one (a few unrelated words are easy to remember), or {forceHint}.");
            }

            return verdict;
        }

        /// <summary>The warning for a passphrase from the list of common ones.</summary>
        public const string CommonWarning =
            "This passphrase is one of the most common passwords: anyone who gets the file guesses it first, whatever Argon2id costs them. Choose another unless this is a test.";

        private static bool IsCommon(char[] lower)
        {
            // A string for the lookup only; the list holds no secret, and only a listed passphrase
            // (a known public password) can be equal to an entry.
            foreach (var entry in Common)
            {
                if (entry.Length == lower.Length && Matches(entry, lower))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool Matches(string entry, char[] lower)
        {
            for (int i = 0; i < lower.Length; i++)
            {
                if (entry[i] != lower[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
