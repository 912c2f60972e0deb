using System.IO;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Platform;

namespace Secrets.Core.Store
{
    /// <summary>
    /// A store's manifest as this user may trust it: signed by its owner, the owner and the store id
    /// the ones pinned on first use (or reached from them through verified hand-overs), and no older
    /// than the newest revision this user has seen.
    /// </summary>
    internal static class PinnedManifest
    {
        /// <summary>
        /// Reads and verifies the manifest: its signature, then its owner against the owner pinned
        /// for its store id and the store id pinned for the folder (pinned on first use).
        /// </summary>
        public static StoreManifest Read(string path, string stateRoot)
        {
            var manifestPath = Path.Combine(path, StoreManifest.FileName);
            var data = AtomicFile.ReadAll(manifestPath, StoreManifest.MaxFileBytes, problem => new InvalidFileException("ManifestInvalid", manifestPath, problem));
            StoreManifest manifest;
            try
            {
                manifest = StoreManifest.Parse(data);
            }
            catch (FormatProblem problem) when (problem.IsForgedHandOver)
            {
                throw new SecurityViolationException("StoreOwnerChanged", manifestPath,
                    $"The manifest of the store at '{path}' hands the store to a new owner, but {problem.Message}. Someone may have tried to take over the store.")
                {
                    RecommendedAction = "Do not use this store until its owner has checked its manifest (for example in the history of the git repository).",
                };
            }
            catch (FormatProblem problem)
            {
                throw problem.ToException("ManifestInvalid", manifestPath);
            }

            var pinnedId = LocalState.PinPath(stateRoot, path, manifest.IdHex);
            if (pinnedId != manifest.IdHex)
            {
                throw new SecurityViolationException("StoreOwnerChanged", manifestPath,
                    $"The folder '{path}' holds another store than the one you first used there (store id {manifest.IdHex} instead of {pinnedId}). Someone may have replaced the store.")
                {
                    RecommendedAction = $"Check with the store's owner. If the change is genuine, delete the entry for this folder in '{Path.Combine(stateRoot, "paths")}'.",
                };
            }

            var state = new LocalState(stateRoot, manifest.IdHex);
            var pinned = state.PinOwner(manifest.Owner);
            if (pinned != manifest.Owner.Text && manifest.HandOvers.Any(h => h.From.Text == pinned))
            {
                // The owner pinned here handed the store over, and every hand-over since verifies: trust the new owner.
                state.RepinOwner(pinned, manifest.Owner);
            }
            else if (pinned != manifest.Owner.Text)
            {
                throw new SecurityViolationException("StoreOwnerChanged", manifestPath,
                    $"The owner key of the store at '{path}' has changed since you first used it. Someone may have replaced the store's manifest.")
                {
                    RecommendedAction = $"Check with the store's owner. If the change is genuine, delete '{state.Directory}' to trust the new owner key.",
                };
            }

            return manifest;
        }

        /// <summary>
        /// An older manifest, validly signed, put back in place would undo the owner's settings (a
        /// lower keep-versions makes the next write prune what the owner meant to keep).
        /// </summary>
        public static void CheckRevision(StoreManifest manifest, LocalState state, string manifestPath)
        {
            int seenRevision = state.GetSeenManifest();
            if (manifest.Revision < seenRevision)
            {
                throw new SecurityViolationException("RollbackDetected", manifestPath,
                    $"The manifest of the store at '{Path.GetDirectoryName(manifestPath)}' is revision {manifest.Revision}, but you have already seen revision {seenRevision}: an older copy was put back.")
                {
                    RecommendedAction = $"Check with the store's owner. If an older copy of the store was restored on purpose, delete '{Path.Combine(state.Directory, "manifest")}'.",
                };
            }

            if (manifest.Revision > seenRevision)
            {
                state.RecordSeenManifest(manifest.Revision);
            }
        }
    }
}
