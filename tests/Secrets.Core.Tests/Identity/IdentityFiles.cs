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

        public static IdentityFile WithPassphrase(TempFolder folder, string fileName = "test.identity") =>
            IdentityFile.Create(folder.Combine(fileName), "tester", Passphrase, TestStore.FastKdf);

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
