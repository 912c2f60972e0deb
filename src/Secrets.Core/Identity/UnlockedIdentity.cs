using System;
using Secrets.Core.Crypto;

namespace Secrets.Core.Identity
{
    /// <summary>
    /// An identity with its private keys in memory. Dispose zeroes them. Only the core can read the
    /// keys; callers pass the object to store operations.
    /// </summary>
    public sealed class UnlockedIdentity : IDisposable
    {
        private readonly byte[] _encryptionPrivate;
        private readonly byte[] _signingPrivate;
        private bool _disposed;

        internal UnlockedIdentity(string name, string? path, byte[] encryptionPrivate, byte[] signingPrivate)
        {
            _encryptionPrivate = encryptionPrivate;
            _signingPrivate = signingPrivate;
            Name = name;
            Path = path;
            Recipient = new Recipient(X25519Wrap.PublicFromPrivate(encryptionPrivate), Ed25519Signing.PublicFromPrivate(signingPrivate));
        }

        private UnlockedIdentity(string name, string? path, byte[] encryptionPrivate, byte[] signingPrivate, Recipient recipient)
        {
            _encryptionPrivate = encryptionPrivate;
            _signingPrivate = signingPrivate;
            Name = name;
            Path = path;
            Recipient = recipient;
        }

        /// <summary>A copy with keys of its own (the public keys are not derived again).</summary>
        internal UnlockedIdentity Copy() =>
            new UnlockedIdentity(Name, Path, (byte[])EncryptionPrivate.Clone(), (byte[])SigningPrivate.Clone(), Recipient);

        /// <summary>A new identity with fresh random keys.</summary>
        public static UnlockedIdentity Generate(string name) =>
            new UnlockedIdentity(name ?? throw new ArgumentNullException(nameof(name)), null, X25519Wrap.NewPrivateKey(), Ed25519Signing.NewPrivateKey());

        public string Name { get; }

        /// <summary>The identity file this came from, if any.</summary>
        public string? Path { get; }

        public Recipient Recipient { get; }

        public bool IsDisposed => _disposed;

        internal UnlockedIdentity WithPath(string path) =>
            new UnlockedIdentity(Name, path, (byte[])EncryptionPrivate.Clone(), (byte[])SigningPrivate.Clone(), Recipient);

        internal byte[] EncryptionPrivate
        {
            get
            {
                ThrowIfDisposed();
                return _encryptionPrivate;
            }
        }

        internal byte[] SigningPrivate
        {
            get
            {
                ThrowIfDisposed();
                return _signingPrivate;
            }
        }

        internal byte[] Sign(byte[] data, int count) =>
            Ed25519Signing.Sign(SigningPrivate, Recipient.SigningKey, data, count);

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                Sensitive.Zero(_encryptionPrivate);
                Sensitive.Zero(_signingPrivate);
            }
        }

        public override string ToString() => $"{Name} ({Recipient.Fingerprint})";

        private void ThrowIfDisposed()
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(UnlockedIdentity), "The identity has been locked.");
            }
        }
    }
}
