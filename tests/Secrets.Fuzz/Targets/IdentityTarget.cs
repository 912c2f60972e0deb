using System.Text;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Identity;

namespace Secrets.Fuzz.Targets
{
    /// <summary>
    /// Identity files (<c>IdentityFile.Parse</c>, what <c>IdentityFile.Load</c> does with the bytes
    /// it read). The input's 'check' line is computed again, so mutations reach the rules behind the
    /// checksum. Contract: refused with a <see cref="FormatProblem"/> that becomes an error naming
    /// the file and never quoting the private keys, or accepted, and then: an identity without a
    /// passphrase either unlocks and is written again as the same bytes, or is refused as damaged
    /// (its keys do not match); one with the vectors' passphrase and the minimum Argon2id cost
    /// unlocks or is refused as a wrong passphrase, and written again parses to the same identity.
    /// Argon2id runs only with that minimum cost (8 MiB, one pass), so no input costs more.
    /// </summary>
    internal static class IdentityTarget
    {
        public const string Path = "/fuzz/home/identities/default.identity";

        public static void Check(byte[] input)
        {
            var data = Lines.Recheck(input);
            var key = Lines.FirstValue(data, data.Length, "key");
            IdentityFile file;
            try
            {
                file = IdentityFile.Parse(Path, data);
            }
            catch (FormatProblem problem)
            {
                Expect.Refused(problem, "IdentityFileInvalid", Path);
                NotQuoted(problem.Message, key);
                return;
            }

            Expect.Trace($"accepted: {file}");
            Expect.That(file.Path == Path, "the identity does not keep the path of its file");
            if (file.Protection == IdentityProtection.None)
            {
                Expect.That(file.Kdf == null, "an identity without a passphrase with Argon2id parameters");
                UnlockedIdentity unlocked;
                try
                {
                    unlocked = file.Unlock(null);
                }
                catch (InvalidFileException e)
                {
                    Expect.Refused(e, Path);
                    NotQuoted(e.Message, key);
                    return;
                }

                Expect.Trace("unlocked");
                using (unlocked)
                {
                    Expect.That(unlocked.Recipient.Equals(file.Recipient), "the unlocked keys are not the file's public keys");
                    Expect.SameBytes(data, IdentityFile.Serialize(unlocked, file.Created, null, null), "the accepted identity written again");
                }

                return;
            }

            var kdf = file.Kdf!;
            if (kdf.MemoryKiB != KdfParameters.MinMemoryKiB || kdf.Iterations != 1 || kdf.Parallelism != 1)
            {
                return;
            }

            var passphrase = Encoding.UTF8.GetBytes(Keys.VectorPassphrase);
            UnlockedIdentity opened;
            try
            {
                opened = file.Unlock(passphrase);
            }
            catch (WrongPassphraseException e)
            {
                Expect.That(e.FilePath == Path && e.Message.Contains(Path), "a wrong passphrase reported without the file");
                return;
            }
            catch (InvalidFileException e)
            {
                Expect.Refused(e, Path);
                return;
            }

            Expect.Trace("unlocked with the passphrase");
            using (opened)
            {
                Expect.That(opened.Recipient.Equals(file.Recipient), "the unlocked keys are not the file's public keys");
                var again = IdentityFile.Parse(Path, IdentityFile.Serialize(opened, file.Created, passphrase, kdf));
                Expect.That(again.Name == file.Name && again.Created == file.Created && again.Recipient.Equals(file.Recipient)
                    && again.Protection == file.Protection && again.Kdf!.ToString() == kdf.ToString(),
                    "the identity written again with its passphrase is another identity");
            }
        }

        private static void NotQuoted(string message, string? key)
        {
            if (key != null && key.Length >= 16)
            {
                Expect.That(!message.Contains(key), "an error message quotes the 'key' line of an identity file");
            }
        }
    }
}
