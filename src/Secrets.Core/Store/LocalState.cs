using System;
using System.Globalization;
using System.IO;
using Secrets.Core.Identity;
using Secrets.Core.Platform;

namespace Secrets.Core.Store
{
    /// <summary>
    /// What this user remembers about a store (docs/FORMAT.md, "Local state"): its pinned owner and
    /// the highest version seen of each secret, which is what makes rollback detectable.
    /// </summary>
    internal sealed class LocalState
    {
        private readonly string _directory;

        public LocalState(string stateRoot, string storeIdHex)
        {
            _directory = Path.Combine(stateRoot, storeIdHex);
        }

        public string Directory => _directory;

        /// <summary>Pins the owner on first use; returns the pinned owner (which may differ from the given one).</summary>
        public string PinOwner(Recipient owner)
        {
            var path = Path.Combine(_directory, "owner");
            if (File.Exists(path))
            {
                return File.ReadAllText(path).Trim();
            }

            FilePermissions.CreateOwnerOnlyDirectory(_directory);
            try
            {
                AtomicFile.Write(path, System.Text.Encoding.ASCII.GetBytes(owner.Text + "\n"), overwrite: false, ownerOnly: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process pinned it at the same moment.
            }

            return File.ReadAllText(path).Trim();
        }

        /// <summary>
        /// Pins <paramref name="owner"/> in place of <paramref name="former"/>, who handed the store
        /// over (a verified chain of hand-overs). Nothing changes when another owner is pinned meanwhile.
        /// </summary>
        public void RepinOwner(string former, Recipient owner)
        {
            var path = Path.Combine(_directory, "owner");
            FilePermissions.CreateOwnerOnlyDirectory(_directory);
            using (StoreLock.Acquire(_directory, TimeSpan.FromSeconds(10)))
            {
                if (File.ReadAllText(path).Trim() == former)
                {
                    AtomicFile.Write(path, System.Text.Encoding.ASCII.GetBytes(owner.Text + "\n"), overwrite: true, ownerOnly: false);
                }
            }
        }

        /// <summary>
        /// The highest version of the secret this user has seen (0 if none) and the SHA-256 of its
        /// file (null when not recorded). A record that cannot be read is an error, never "nothing
        /// seen": that would silently turn rollback detection off for the secret.
        /// </summary>
        public SeenVersion GetSeen(string folder)
        {
            var path = SeenPath(folder);
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (FileNotFoundException)
            {
                return new SeenVersion(0, null);
            }
            catch (DirectoryNotFoundException)
            {
                return new SeenVersion(0, null);
            }

            var fields = text.EndsWith("\n", StringComparison.Ordinal) ? text.Substring(0, text.Length - 1).Split(' ') : Array.Empty<string>();
            byte[]? hash = null;
            if (fields.Length < 1 || fields.Length > 2 || !Identity.IdentityFile.TryParseUInt(fields[0], out int version) || version < 1
                || (fields.Length == 2 && (hash = Codecs.Base64.Decode(fields[1], 32)) == null))
            {
                throw new Errors.InvalidFileException("LocalStateInvalid", path,
                    "it should hold the highest version of a secret you have seen (a number, then the SHA-256 of that version's file), and rollback detection needs it")
                {
                    RecommendedAction = "Delete the file to trust the secret's versions as they are now in the store.",
                };
            }

            return new SeenVersion(version, hash);
        }

        /// <summary>
        /// Records a version and the hash of its file as seen if it is higher than what was seen
        /// before. Readers of the same user record under a lock, so two of them at once can never
        /// lower the record.
        /// </summary>
        public void RecordSeen(string folder, int version, byte[] hash)
        {
            var seen = GetSeen(folder);
            if (seen.Version > version || (seen.Version == version && seen.Hash != null))
            {
                return;
            }

            var seenDirectory = Path.Combine(_directory, "seen");
            if (!System.IO.Directory.Exists(seenDirectory))
            {
                FilePermissions.CreateOwnerOnlyDirectory(seenDirectory);
            }

            using (StoreLock.Acquire(seenDirectory, TimeSpan.FromSeconds(10)))
            {
                seen = GetSeen(folder);
                if (seen.Version > version || (seen.Version == version && seen.Hash != null))
                {
                    return;
                }

                var content = System.Text.Encoding.ASCII.GetBytes(version.ToString(CultureInfo.InvariantCulture) + " " + Codecs.Base64.Encode(hash) + "\n");
                AtomicFile.Write(SeenPath(folder), content, overwrite: true, ownerOnly: false);
            }
        }

        /// <summary>
        /// Sets what this user has seen of a secret to what the shared copy holds (version 0: nothing),
        /// lower than before when the higher record was this user's own change that a sync wrote
        /// again on top of the others' (docs/FORMAT.md, "Syncing through git"). Never used otherwise:
        /// lowering a record is what a rollback would need.
        /// </summary>
        internal void ResetSeenToShared(string folder, int version, byte[]? hash)
        {
            var path = SeenPath(folder);
            if (version == 0 || hash == null)
            {
                AtomicFile.TryDelete(path);
                return;
            }

            var seenDirectory = Path.Combine(_directory, "seen");
            if (!System.IO.Directory.Exists(seenDirectory))
            {
                FilePermissions.CreateOwnerOnlyDirectory(seenDirectory);
            }

            var content = System.Text.Encoding.ASCII.GetBytes(version.ToString(CultureInfo.InvariantCulture) + " " + Codecs.Base64.Encode(hash) + "\n");
            AtomicFile.Write(path, content, overwrite: true, ownerOnly: false);
        }

        /// <summary>As <see cref="ResetSeenToShared"/>, for the store log and the manifest revision.</summary>
        internal void ResetSeenLogAndManifestToShared(int logHead, int manifestRevision)
        {
            FilePermissions.CreateOwnerOnlyDirectory(_directory);
            if (GetSeenLog() > logHead)
            {
                WriteNumber(Path.Combine(_directory, "log"), logHead);
            }

            if (GetSeenManifest() > manifestRevision)
            {
                WriteNumber(Path.Combine(_directory, "manifest"), manifestRevision);
            }
        }

        /// <summary>The highest manifest revision this user has seen, 0 if none.</summary>
        public int GetSeenManifest() => ReadNumber(Path.Combine(_directory, "manifest"));

        /// <summary>Records a manifest revision as seen if it is higher than what was seen before.</summary>
        public void RecordSeenManifest(int revision)
        {
            if (GetSeenManifest() >= revision)
            {
                return;
            }

            FilePermissions.CreateOwnerOnlyDirectory(_directory);
            using (StoreLock.Acquire(_directory, TimeSpan.FromSeconds(10)))
            {
                if (GetSeenManifest() < revision)
                {
                    WriteNumber(Path.Combine(_directory, "manifest"), revision);
                }
            }
        }

        /// <summary>The highest store log entry this user has seen, 0 if none.</summary>
        public int GetSeenLog() => ReadNumber(Path.Combine(_directory, "log"));

        /// <summary>Records a store log entry as seen if it is higher than what was seen before (under the same lock).</summary>
        public void RecordSeenLog(int seq)
        {
            if (GetSeenLog() >= seq)
            {
                return;
            }

            FilePermissions.CreateOwnerOnlyDirectory(_directory);
            using (StoreLock.Acquire(_directory, TimeSpan.FromSeconds(10)))
            {
                if (GetSeenLog() < seq)
                {
                    WriteNumber(Path.Combine(_directory, "log"), seq);
                }
            }
        }

        /// <summary>
        /// Pins the store id found in a folder the first time; returns the pinned id (which differs
        /// from <paramref name="storeIdHex"/> when the folder now holds another store).
        /// </summary>
        public static string PinPath(string stateRoot, string storePath, string storeIdHex)
        {
            var pathHash = Crypto.Sha256.Hash(System.Text.Encoding.UTF8.GetBytes(CanonicalPath(storePath)));
            var directory = Path.Combine(stateRoot, "paths");
            var file = Path.Combine(directory, BitConverter.ToString(pathHash).Replace("-", string.Empty).ToLowerInvariant());
            if (!File.Exists(file))
            {
                FilePermissions.CreateOwnerOnlyDirectory(directory);
                try
                {
                    AtomicFile.Write(file, System.Text.Encoding.ASCII.GetBytes(storeIdHex + "\n"), overwrite: false, ownerOnly: false);
                }
                catch (IOException) when (File.Exists(file))
                {
                }
            }

            return File.ReadAllText(file).Trim();
        }

        /// <summary>
        /// One spelling per folder: full, without trailing separators, links resolved (on Unix), and
        /// case-folded where file systems ignore case (Windows, macOS).
        /// </summary>
        internal static string CanonicalPath(string path)
        {
            var full = Path.GetFullPath(path);
            var resolved = FilePermissions.RealPath(full) ?? full;
            var root = Path.GetPathRoot(resolved) ?? string.Empty;
            if (resolved.Length > root.Length)
            {
                resolved = resolved.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            }

            bool caseInsensitive = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows)
                || System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.OSX);
            return caseInsensitive ? resolved.ToUpperInvariant() : resolved;
        }

        private static int ReadNumber(string path)
        {
            try
            {
                var text = File.ReadAllText(path).Trim();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : 0;
            }
            catch (FileNotFoundException)
            {
                return 0;
            }
            catch (DirectoryNotFoundException)
            {
                return 0;
            }
        }

        private static void WriteNumber(string path, int value)
        {
            try
            {
                AtomicFile.Write(path, System.Text.Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture) + "\n"), overwrite: true, ownerOnly: false);
            }
            catch (IOException)
            {
                // A concurrent process recorded it at the same moment.
            }
        }

        private string SeenPath(string folder) => Path.Combine(_directory, "seen", folder);
    }

    /// <summary>What a user has seen of a secret: the highest version, and the SHA-256 of its file (null when not recorded).</summary>
    internal readonly struct SeenVersion
    {
        public SeenVersion(int version, byte[]? hash)
        {
            Version = version;
            Hash = hash;
        }

        public int Version { get; }

        public byte[]? Hash { get; }
    }
}
