using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Names;

namespace Secrets.Core.Store
{
    /// <summary>
    /// A secret's history (docs/FORMAT.md, "History"): each version names the version it follows
    /// and the SHA-256 of that file, so the versions a reader accepts are the ones the newest
    /// version reaches, one file after another. A file planted under a pruned number, or put in the
    /// place of another, is not reached; a version this user saw and that was since replaced is
    /// detected through the hash kept in the local state.
    /// </summary>
    internal sealed partial class VersionReader
    {
        /// <summary>
        /// The versions the history reaches from <paramref name="top"/> down, oldest first, the top
        /// included. The walk ends at a version that names none, or whose named version has no file
        /// (pruned); a file that is not the one the version above it names is refused.
        /// </summary>
        public List<(int Version, string File, byte[] Hash)> HistoryFrom(SecretName name, List<(int Version, string File)> versions, int topVersion, SecretFileHeader top)
        {
            var topFile = versions.First(v => v.Version == topVersion).File;
            var chain = new List<(int, string, byte[])> { (topVersion, topFile, top.Hash) };
            var expected = top.Previous;
            int at = top.PreviousVersion, namedBy = topVersion;
            while (expected != null)
            {
                var file = versions.FirstOrDefault(v => v.Version == at).File;
                if (file == null)
                {
                    break;
                }

                var data = ReadBytes(file);
                var hash = Sha256.Hash(data, 0, data.Length);
                if (!Sensitive.FixedTimeEquals(hash, expected))
                {
                    throw NotInHistory(name, file, at, namedBy);
                }

                chain.Add((at, file, hash));
                SecretFileHeader header;
                try
                {
                    header = SecretFileFormat.Parse(data);
                }
                catch (FormatProblem problem)
                {
                    throw problem.ToException("SecretFileInvalid", file);
                }

                expected = header.Previous;
                namedBy = at;
                at = header.PreviousVersion;
            }

            chain.Reverse();
            return chain;
        }

        /// <summary>
        /// Refuses version <paramref name="version"/> unless the history reaches it from the newest
        /// version readers accept (the highest that verifies as the newest).
        /// </summary>
        public void CheckInHistory(List<(int Version, string File)> versions, SecretName name, int version, string file)
        {
            for (int i = versions.Count - 1; i >= 0; i--)
            {
                SecretFileHeader anchor;
                try
                {
                    anchor = ReadVerified(versions[i].File, name, versions[i].Version, newest: true);
                }
                catch (SecretsException e) when (e is InvalidFileException || e.ErrorId == "UnauthorizedWriter")
                {
                    continue;
                }

                if (versions[i].Version < version)
                {
                    break;
                }

                if (HistoryFrom(name, versions, versions[i].Version, anchor).Any(v => v.Version == version))
                {
                    return;
                }

                break;
            }

            throw NotInHistory(name, file, version, null);
        }

        /// <summary>
        /// Checks the newest version against what this user saw before: the same file if it is the
        /// same version, else a later one whose history reaches the file seen (when it is still kept).
        /// </summary>
        public void CheckAgainstSeen(SecretName name, List<(int Version, string File)> versions, SecretFileHeader newest, string newestFile, SeenVersion seen)
        {
            if (seen.Hash == null || seen.Version == 0 || seen.Version > newest.Version)
            {
                return;
            }

            if (seen.Version == newest.Version)
            {
                if (!Sensitive.FixedTimeEquals(newest.Hash, seen.Hash))
                {
                    throw Replaced(name, newestFile, newest.Version);
                }

                return;
            }

            if (!versions.Any(v => v.Version == seen.Version))
            {
                // Pruned since it was seen: nothing left to compare with.
                return;
            }

            var chain = HistoryFrom(name, versions, newest.Version, newest);
            var seenFile = versions.First(v => v.Version == seen.Version).File;
            var reached = chain.FirstOrDefault(v => v.Version == seen.Version);
            if (reached.File == null)
            {
                // Not on the history's path (a writer repaired an invalid newest file over it, or the
                // history stops above it): it must at least still be the file seen.
                var data = ReadBytes(seenFile);
                reached = (seen.Version, seenFile, Sha256.Hash(data, 0, data.Length));
            }

            if (!Sensitive.FixedTimeEquals(reached.Hash, seen.Hash))
            {
                throw Replaced(name, reached.File, seen.Version);
            }
        }

        private SecurityViolationException Replaced(SecretName name, string file, int version) =>
            new SecurityViolationException("VersionReplaced", file,
                $"Version {version} of secret '{name.Value}' is not the file you saw before: '{file}' was replaced.")
            {
                RecommendedAction = $"Do not trust this secret until its owner has checked the store's history. If an older copy of the store was restored on purpose, delete '{System.IO.Path.Combine(_store.State.Directory, "seen", name.Folder)}'.",
            };

        private static SecurityViolationException NotInHistory(SecretName name, string file, int version, int? namedBy) =>
            new SecurityViolationException("VersionNotInHistory", file,
                namedBy == null
                    ? $"Version {version} of secret '{name.Value}' ('{file}') is not part of its history: no newer version that readers accept leads to it. It was left behind, or planted."
                    : $"Version {version} of secret '{name.Value}' ('{file}') is not the file that version {namedBy} follows: it was replaced or planted.")
            {
                RecommendedAction = "Do not trust this file. Repair-SecretStore removes files that are not part of a secret's history.",
            };
    }
}
