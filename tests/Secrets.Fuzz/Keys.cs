using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Secrets.Core.Codecs;
using Secrets.Core.Crypto;
using Secrets.Core.Identity;

namespace Secrets.Fuzz
{
    /// <summary>
    /// The keys the targets sign with, so that a mutated file still carries a valid signature and
    /// the fuzzer reaches the checks behind it. The owner is the owner of the conformance vectors
    /// (tests/Secrets.Core.Tests/Vectors/unprotected.identity, published test keys); the others are
    /// derived from fixed labels. None of them protects anything.
    /// </summary>
    internal static class Keys
    {
        /// <summary>The private keys of the vectors' owner ('key' line of unprotected.identity).</summary>
        private const string OwnerPrivateKeys = "YDbBpv1M/skyt3bN9GBmvGQSpDsLJ/dK+TdpiL6xVmPfvCFL2ByNioTLIhfHAcpGZ4U6yQLzztNqhuayQL/OdA";

        public const string OwnerName = "Vector Owner";

        /// <summary>The passphrase of the vectors' passphrase.identity.</summary>
        public const string VectorPassphrase = "vector passphrase: Grüße ✓";

        public static readonly UnlockedIdentity Owner = FromKeys(OwnerName, Base64.Decode(OwnerPrivateKeys, 64)!);
        public static readonly UnlockedIdentity Admin = Derived("Ada Admin");
        public static readonly UnlockedIdentity Member = Derived("Max Müller");
        public static readonly UnlockedIdentity Other = Derived("Oscar Other");

        public static readonly IReadOnlyList<UnlockedIdentity> All = new[] { Owner, Admin, Member, Other };

        /// <summary>The id of the store the log target replays entries of.</summary>
        public static readonly byte[] StoreId = Base64.Decode("nThSb08XCGIyMEMf6cFI+g", 16)!;

        public static readonly DateTime StoreCreated = new DateTime(2026, 12, 5, 7, 54, 1, DateTimeKind.Utc).AddTicks(3715563);

        /// <summary>The known identity whose Ed25519 key is this base64 text, if any.</summary>
        public static UnlockedIdentity? BySigningKey(string base64) =>
            All.FirstOrDefault(k => Base64.Encode(k.Recipient.SigningKey) == base64);

        /// <summary>The known identity with this recipient string, if any.</summary>
        public static UnlockedIdentity? ByRecipient(string text) => All.FirstOrDefault(k => k.Recipient.Text == text);

        public static string SigningKey(UnlockedIdentity identity) => Base64.Encode(identity.Recipient.SigningKey);

        private static UnlockedIdentity Derived(string name)
        {
            var keys = new byte[64];
            Buffer.BlockCopy(Sha256.Hash(Encoding.UTF8.GetBytes("secrets fuzz x25519 " + name)), 0, keys, 0, 32);
            Buffer.BlockCopy(Sha256.Hash(Encoding.UTF8.GetBytes("secrets fuzz ed25519 " + name)), 0, keys, 32, 32);
            return FromKeys(name, keys);
        }

        private static UnlockedIdentity FromKeys(string name, byte[] keys)
        {
            var encryption = new byte[32];
            var signing = new byte[32];
            Buffer.BlockCopy(keys, 0, encryption, 0, 32);
            Buffer.BlockCopy(keys, 32, signing, 0, 32);
            return new UnlockedIdentity(name, null, encryption, signing);
        }
    }
}
