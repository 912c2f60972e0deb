using System;
using System.IO;
using System.Linq;
using System.Text;
using Secrets.Core.Codecs;
using Secrets.Core.Crypto;
using Secrets.Core.Identity;
using Secrets.Core.Tests.Support;

namespace Secrets.Core.Tests.Identity
{
    /// <summary>Identity files for tests (cheap KDF) and edits that keep the checksum valid.</summary>
    internal static class IdentityFiles
    {
        public static readonly byte[] Passphrase = Encoding.UTF8.GetBytes("correct horse ✓ battery staple");

        /// <summary>One passphrase identity made once per run: even the cheapest Argon2id costs a noticeable time here.</summary>
        private static readonly Lazy<byte[]> PassphraseTemplate = new Lazy<byte[]>(() =>
        {
            using var folder = new TempFolder();
            return File.ReadAllBytes(Create(folder, "template.identity").Path);
        });

        /// <summary>A new passphrase identity file (cheap KDF parameters), made by IdentityFile.Create.</summary>
        public static IdentityFile Create(TempFolder folder, string fileName = "test.identity") =>
            IdentityFile.Create(folder.Combine(fileName), "tester", Passphrase, TestStore.FastKdf);

        /// <summary>A copy of a passphrase identity made by <see cref="Create"/> (same keys every time).</summary>
        public static IdentityFile WithPassphrase(TempFolder folder, string fileName = "test.identity") =>
            Rewrite(folder.Combine(fileName), PassphraseTemplate.Value);

        public static IdentityFile Unprotected(TempFolder folder, string fileName = "test.identity") =>
            IdentityFile.Create(folder.Combine(fileName), "tester", null);

        /// <summary>Replaces a line and recomputes the 'check' line, which is a checksum, not a signature.</summary>
        public static byte[] EditKeepingChecksum(byte[] data, string key, string line)
        {
            var edited = FileEdits.Lines(FileEdits.ReplaceLine(data, key, line));
            var body = FileEdits.Join(edited.Take(edited.Length - 1).ToArray());
            edited[edited.Length - 1] = "check " + Base64.Encode(Sha256.Hash(body));
            return FileEdits.Join(edited);
        }

        public static IdentityFile Rewrite(string path, byte[] content)
        {
            File.WriteAllBytes(path, content);
            return IdentityFile.Load(path);
        }
    }
}
