using System;
using System.IO;
using System.Linq;
using System.Text;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Secrets.Core.Values;
using Secrets.Core.Names;

namespace Secrets.Core.Tests.Sharing
{
    /// <summary>One person: an identity and their own local state (pins, versions seen).</summary>
    public sealed class Person : IDisposable
    {
        public Person(string name, string root, string storePath)
        {
            Identity = UnlockedIdentity.Generate(name);
            StateRoot = Path.Combine(root, "state-" + name);
            StorePath = storePath;
        }

        public UnlockedIdentity Identity { get; }

        public string StateRoot { get; }

        public string StorePath { get; }

        public string Name => Identity.Name;

        /// <summary>The store as this person's process opens it.</summary>
        public SecretStore Store => SecretStore.Open(StorePath, StateRoot);

        public string Read(string name, int? version = null)
        {
            using var value = Store.Read(name, Identity, version);
            return value.GetText();
        }

        public SecretRecord Write(string name, string value) =>
            Store.Write(name, SecretValue.FromString(value), null, Identity, WriteMode.CreateOrUpdate);

        public void Dispose() => Identity.Dispose();
    }

    /// <summary>A shared folder with a store owned by alice; bob and carol are members.</summary>
    public sealed class Team : IDisposable
    {
        public Team(bool addMembers = true)
        {
            Root = Path.Combine(Path.GetTempPath(), "secrets-team", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Root);
            StorePath = Path.Combine(Root, "shared");
            Alice = new Person("alice", Root, StorePath);
            Bob = new Person("bob", Root, StorePath);
            Carol = new Person("carol", Root, StorePath);
            SecretStore.Create(StorePath, Alice.Identity, StoreManifest.DefaultKeepVersions, Alice.StateRoot);
            if (addMembers)
            {
                Alice.Store.AddMember(Bob.Identity.Recipient, "bob", MemberRole.Member, Alice.Identity);
                Alice.Store.AddMember(Carol.Identity.Recipient, "carol", MemberRole.Member, Alice.Identity);
            }
        }

        public string Root { get; }
        public string StorePath { get; }
        public Person Alice { get; }
        public Person Bob { get; }
        public Person Carol { get; }

        public string LogFolder => Path.Combine(StorePath, "log");

        public string LogEntry(int seq) => Path.Combine(LogFolder, $"{seq}.entry");

        public int LogCount => Directory.Exists(LogFolder) ? Directory.GetFiles(LogFolder, "*.entry").Length : 0;

        public string VersionFile(string folder, int version) => Path.Combine(StorePath, "secrets", folder, $"v{version}.secret");

        public void Dispose()
        {
            Alice.Dispose();
            Bob.Dispose();
            Carol.Dispose();
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        /// <summary>The store id, as the manifest holds it.</summary>
        public byte[] StoreId => Secrets.Core.Codecs.Base64.Decode(File.ReadAllLines(Path.Combine(StorePath, StoreManifest.FileName)).First(l => l.StartsWith("id ")).Substring(3))!;

        /// <summary>
        /// Writes a version file by hand, as someone who has the folder but ignores the rules would:
        /// validly signed by <paramref name="writer"/>, encrypted to <paramref name="recipients"/>,
        /// claiming store log entry <paramref name="logSeq"/> (default: the newest). Returns its path.
        /// </summary>
        public string ForgeVersion(Person writer, string name, int version, string value, Secrets.Core.Identity.Recipient[] recipients, int? logSeq = null)
        {
            var file = VersionFile(Secrets.Core.Names.SecretName.Parse(name).Folder, version);
            using var secret = SecretValue.FromString(value);
            File.WriteAllBytes(file, Secrets.Core.Format.SecretFileFormat.WriteSecret(StoreId, Secrets.Core.Names.SecretName.Parse(name), version, secret,
                SecretMetadata.Empty, DateTime.UtcNow, writer.Identity, recipients, logSeq ?? LogCount, PreviousOf(name, version)));
            return file;
        }

        /// <summary>What a forger who reads the folder puts on the 'previous' line: the hash of the file before (null for version 1).</summary>
        private Secrets.Core.Format.PreviousVersion? PreviousOf(string name, int version) =>
            version == 1 ? null : new Secrets.Core.Format.PreviousVersion(version - 1, Support.FileForge.HashOf(VersionFile(Secrets.Core.Names.SecretName.Parse(name).Folder, version - 1)));

        /// <summary>Writes a tombstone by hand (see <see cref="ForgeVersion"/>).</summary>
        public string ForgeTombstone(Person writer, string name, int version)
        {
            var file = VersionFile(Secrets.Core.Names.SecretName.Parse(name).Folder, version);
            File.WriteAllBytes(file, Secrets.Core.Format.SecretFileFormat.WriteTombstone(StoreId, Secrets.Core.Names.SecretName.Parse(name), version, DateTime.UtcNow, writer.Identity, LogCount, PreviousOf(name, version)));
            return file;
        }

        /// <summary>Replaces one line of a file (by its key) without re-signing: a hand edit.</summary>
        public static void EditLine(string file, string key, string newLine)
        {
            var lines = File.ReadAllText(file).Split('\n').ToList();
            int index = lines.FindIndex(l => l.StartsWith(key + " ", StringComparison.Ordinal));
            lines[index] = newLine;
            File.WriteAllText(file, string.Join("\n", lines), new UTF8Encoding(false));
        }
    }
}
