namespace Secrets.Core.Crypto
{
    /// <summary>Domain-separation labels, exactly as docs/FORMAT.md gives them.</summary>
    internal static class Labels
    {
        public const string Signature = "secrets/v1 signature\n";
        public const string PayloadAad = "secrets/v1 payload\n";
        public const string IdentityKeyAad = "secrets/v1 identity key\n";
        public const string IdentityBackupAad = "secrets/v1 identity backup\n";
        public const string PayloadKey = "secrets/v1 payload key";
        public const string X25519Wrap = "secrets/v1 X25519 wrap";
        public const string KeyCommitment = "secrets/v1 key commitment";
    }
}
