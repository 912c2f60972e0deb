using System;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;

namespace Secrets.Core.Crypto
{
    /// <summary>Argon2id parameters as stored in an identity file.</summary>
    public sealed class KdfParameters
    {
        public const int MinMemoryKiB = 8 * 1024;
        public const int MaxMemoryKiB = 4 * 1024 * 1024;
        public const int MaxIterations = 64;
        public const int MaxParallelism = 16;
        public const int SaltSize = 16;

        /// <summary>RFC 9106 §4, second recommended option: 64 MiB, 3 passes, 4 lanes.</summary>
        public static KdfParameters Default => new KdfParameters(64 * 1024, 3, 4);

        public KdfParameters(int memoryKiB, int iterations, int parallelism)
        {
            if (memoryKiB < MinMemoryKiB || memoryKiB > MaxMemoryKiB)
            {
                throw new ArgumentOutOfRangeException(nameof(memoryKiB), $"Argon2id memory must be between {MinMemoryKiB} and {MaxMemoryKiB} KiB.");
            }

            if (iterations < 1 || iterations > MaxIterations)
            {
                throw new ArgumentOutOfRangeException(nameof(iterations), $"Argon2id iterations must be between 1 and {MaxIterations}.");
            }

            if (parallelism < 1 || parallelism > MaxParallelism)
            {
                throw new ArgumentOutOfRangeException(nameof(parallelism), $"Argon2id parallelism must be between 1 and {MaxParallelism}.");
            }

            MemoryKiB = memoryKiB;
            Iterations = iterations;
            Parallelism = parallelism;
        }

        public int MemoryKiB { get; }
        public int Iterations { get; }
        public int Parallelism { get; }

        public override string ToString() => $"Argon2id m={MemoryKiB}KiB t={Iterations} p={Parallelism}";
    }

    /// <summary>Argon2id (RFC 9106, version 0x13) from a passphrase to a 32-byte key.</summary>
    internal static class PassphraseKdf
    {
        public static byte[] DeriveKey(byte[] passphrase, byte[] salt, KdfParameters parameters)
        {
            if (salt.Length != KdfParameters.SaltSize)
            {
                throw new ArgumentException("The salt must be 16 bytes.", nameof(salt));
            }

            var argon = new Argon2Parameters.Builder(Argon2Parameters.Argon2id)
                .WithVersion(Argon2Parameters.Version13)
                .WithMemoryAsKB(parameters.MemoryKiB)
                .WithIterations(parameters.Iterations)
                .WithParallelism(parameters.Parallelism)
                .WithSalt(salt)
                .Build();
            var generator = new Argon2BytesGenerator();
            generator.Init(argon);
            var key = new byte[32];
            generator.GenerateBytes(passphrase, key);
            return key;
        }
    }
}
