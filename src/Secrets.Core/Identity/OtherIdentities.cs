using System;
using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;

namespace Secrets.Core.Identity
{
    /// <summary>
    /// The identities of the Secrets home besides the one in use, for a version that is not
    /// encrypted to it: a retired identity (one that was replaced) decrypts it when its keys are at
    /// hand (no passphrase, or unlocked); otherwise the error names the identity that would.
    /// Only public keys are read to find it.
    /// </summary>
    internal static class OtherIdentities
    {
        /// <summary>An identity of the home to which one of the recipients of a version belongs.</summary>
        internal sealed class Match
        {
            public Match(string path, Recipient recipient, bool retired)
            {
                Path = path;
                Recipient = recipient;
                Retired = retired;
            }

            public string Path { get; }
            public Recipient Recipient { get; }
            public bool Retired { get; }
        }

        /// <summary>
        /// The first retired identity, then the first other named identity, whose X25519 key is one of
        /// <paramref name="recipients"/>; null when none is, or the home cannot be read.
        /// </summary>
        public static Match? Find(IEnumerable<byte[]> recipients, Recipient current)
        {
            var keys = recipients.ToList();
            try
            {
                foreach (var (files, retired) in new[] { (IdentityNames.ListRetired(), true), (IdentityNames.List(), false) })
                {
                    foreach (var file in files)
                    {
                        Recipient recipient;
                        try
                        {
                            recipient = IdentityFile.ReadRecipient(file);
                        }
                        catch (SecretsException)
                        {
                            continue;
                        }

                        if (!recipient.Equals(current) && keys.Any(k => Sensitive.FixedTimeEquals(k, recipient.EncryptionKey)))
                        {
                            return new Match(file, recipient, retired);
                        }
                    }
                }
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException)
            {
                return null;
            }

            return null;
        }

        /// <summary>
        /// The unlocked keys of a retired identity when they are at hand (no passphrase, or unlocked
        /// in this session); null otherwise. The caller disposes them.
        /// </summary>
        public static UnlockedIdentity? TryUnlock(Match match)
        {
            if (!match.Retired)
            {
                return null;
            }

            var unlocked = IdentitySession.TryGet(match.Path);
            if (unlocked != null)
            {
                return unlocked;
            }

            try
            {
                return UnprotectedIdentities.TryUnlock(match.Path);
            }
            catch (SecretsException)
            {
                return null;
            }
        }
    }
}
