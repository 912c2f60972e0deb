using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using Secrets.Core.Tests.Support;

namespace Secrets.Core.Tests.Conformance
{
    /// <summary>
    /// The committed conformance vectors (Vectors/README.md) and what they hold. The expected
    /// values here and in the README are the same; a test failing here means the format changed.
    /// </summary>
    public static class Vectors
    {
        public const string OwnerName = "Vector Owner";
        public const string OwnerRecipient = "secrets15atlr64yz3dg7xprwv5hsjfwl7udr5uvj6mnfjxs8swmqn6ghuz50djhtxmr9anzug6yayvy2s3ky2mzmq467hvlfyasue2sykgysvcy737af";
        public const string OwnerFingerprint = "75d6-0226-8c5a-7a53";
        public static readonly DateTime OwnerCreated = Utc("2026-11-23T08:52:49.9165040Z");

        public const string ReaderName = "Vector Reader ✓";
        public const string ReaderRecipient = "secrets1j8n9c7qmm7fn5tspy4phdtje8vdaeu3h8xn4qrrncrkkw9yvcgv3dvg06yaz3z49q539pvm3vcd4h995ez9dgnh78s9mlyh3xjj5cdsaw8szl";
        public const string ReaderFingerprint = "499a-2842-923f-3196";
        public static readonly DateTime ReaderCreated = Utc("2026-11-23T08:52:49.9900130Z");
        public const string Passphrase = "vector passphrase: Grüße ✓";

        public const string StoreIdHex = "9d38526f4f1708623230431fe9c148fa";
        public static readonly DateTime StoreCreated = Utc("2026-12-05T07:54:01.3715563Z");
        public const int KeepVersions = 5;

        public static readonly string[] Listed =
        {
            "con/mixed-case", "vectors/bytes", "vectors/credential", "vectors/hashtable", "vectors/secure-string", "vectors/string",
        };

        public static readonly byte[] Bytes = { 0x00, 0x01, 0x02, 0x7f, 0x80, 0xfe, 0xff, 0x00, 0x00 };
        public static readonly byte[] Cert = { 0xde, 0xad, 0xbe, 0xef, 0x00 };
        public static readonly DateTime Expires = Utc("2026-11-23T07:32:00.1234567Z");

        public static string Folder =>
            typeof(Vectors).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Vectors").Value!;

        public static byte[] PassphraseBytes => Encoding.UTF8.GetBytes(Passphrase);

        /// <summary>A copy of the vector store in <paramref name="folder"/>, so no test can change the committed files.</summary>
        public static string CopyStore(TempFolder folder)
        {
            var target = folder.Combine("store");
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Folder, "store"), "*", SearchOption.AllDirectories))
            {
                var copy = Path.Combine(target, Path.GetRelativePath(Path.Combine(Folder, "store"), file));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(file, copy);
            }

            return target;
        }

        /// <summary>
        /// A copy of a vector identity, owner-only as an identity file must be (git checks the
        /// committed vectors out readable by everyone, and an identity without a passphrase in
        /// such a file is refused).
        /// </summary>
        public static string CopyIdentity(TempFolder folder, string fileName)
        {
            var copy = folder.Combine(fileName);
            File.Copy(Path.Combine(Folder, fileName), copy);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            return copy;
        }

        private static DateTime Utc(string text) =>
            DateTime.SpecifyKind(DateTime.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);
    }
}
