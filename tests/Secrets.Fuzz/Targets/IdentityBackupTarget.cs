using System.Text;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Identity;

namespace Secrets.Fuzz.Targets
{
    /// <summary>
    /// Identity backups (<c>IdentityBackup.Parse</c>, what <c>Import-SecretIdentity</c> does with the
    /// text read or typed). Contract: refused with an <see cref="InvalidFileException"/>
    /// ('IdentityBackupInvalid') or an <see cref="UnsupportedFormatException"/> naming the source, or
    /// accepted, and then, with the minimum Argon2id cost only (8 MiB, one pass, one lane: no input
    /// costs more), the vectors' passphrase opens it to keys of the fingerprint its first line names,
    /// or it is a wrong passphrase ('WrongPassphrase'), or damage found after decrypting.
    /// </summary>
    internal static class IdentityBackupTarget
    {
        public const string Source = "/fuzz/identity.backup";

        public static void Check(byte[] input)
        {
            var text = Encoding.UTF8.GetString(input);
            IdentityBackup backup;
            try
            {
                backup = IdentityBackup.Parse(text, Source);
            }
            catch (InvalidFileException e)
            {
                Expect.That(e.ErrorId == IdentityBackup.ErrorId, $"error id {e.ErrorId}, {IdentityBackup.ErrorId} expected");
                Expect.Refused(e, Source);
                return;
            }
            catch (UnsupportedFormatException e)
            {
                Expect.Refused(e, Source);
                return;
            }

            Expect.Trace($"accepted: {backup.Fingerprint} {backup.Kdf}");
            var kdf = backup.Kdf;
            if (kdf.MemoryKiB != KdfParameters.MinMemoryKiB || kdf.Iterations != 1 || kdf.Parallelism != 1)
            {
                return;
            }

            UnlockedIdentity opened;
            try
            {
                opened = backup.Open(Encoding.UTF8.GetBytes(Keys.VectorPassphrase), out _);
            }
            catch (InvalidFileException e)
            {
                Expect.Refused(e, Source);
                return;
            }
            catch (SecretsException e) when (e.ErrorId == "WrongPassphrase")
            {
                Expect.That(e.FilePath == Source && e.Message.Contains(Source), "a wrong passphrase reported without the backup");
                return;
            }

            using (opened)
            {
                Expect.Trace("opened with the passphrase");
                Expect.That(opened.Recipient.Fingerprint == backup.Fingerprint, "the opened keys are not those of the fingerprint the backup names");
            }
        }
    }
}
