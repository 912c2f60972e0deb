using System;
using System.IO;
using System.Linq;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Platform;

namespace Secrets.Core.Store
{
    /// <summary>
    /// Creating and opening a store: the folder, its manifest signed by the owner, and the state
    /// this user verified of it (its cache).
    /// </summary>
    public sealed partial class SecretStore
    {
        /// <summary>Whether the folder holds a store (has a manifest).</summary>
        public static bool Exists(string path) => File.Exists(System.IO.Path.Combine(System.IO.Path.GetFullPath(path), StoreManifest.FileName));

        /// <summary>Creates a store owned by <paramref name="owner"/> in an empty or missing folder.</summary>
        public static SecretStore Create(string path, UnlockedIdentity owner, int keepVersions = StoreManifest.DefaultKeepVersions, string? stateRoot = null)
        {
            if (owner == null)
            {
                throw new ArgumentNullException(nameof(owner));
            }

            StoreManifest.CheckKeepVersions(keepVersions);
            path = StoreContext.FullPath(path);
            CheckNoFileInTheWay(path);
            if (Exists(path))
            {
                throw new SecretsException("StoreExists", FailureKind.AlreadyExists, $"There is already a store at '{path}'.") { FilePath = path };
            }

            if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
            {
                throw new SecretsException("StoreFolderNotEmpty", FailureKind.InvalidOperation,
                    $"The folder '{path}' is not empty; a store needs an empty or new folder.")
                {
                    FilePath = path,
                    RecommendedAction = "Choose a new folder for the store.",
                };
            }

            Directory.CreateDirectory(System.IO.Path.Combine(path, SecretsFolder));
            File.WriteAllText(System.IO.Path.Combine(path, ".gitattributes"), "# Every file is signed byte for byte: no line-ending conversion.\n* binary\n");
            File.WriteAllText(System.IO.Path.Combine(path, ".gitignore"), ".lock\n*.tmp\n");
            var manifest = new StoreManifest(RandomBytes.Get(16), DateTime.UtcNow, owner.Recipient, owner.Name, keepVersions);
            try
            {
                AtomicFile.Write(System.IO.Path.Combine(path, StoreManifest.FileName), manifest.Serialize(owner), overwrite: false, ownerOnly: false);
            }
            catch (FileExistsException)
            {
                // Created by someone else at the same moment.
                throw new SecretsException("StoreExists", FailureKind.AlreadyExists, $"There is already a store at '{path}'.") { FilePath = path };
            }

            return Open(path, stateRoot);
        }

        /// <summary>Refuses a store path that is a file, or that lies under one (its folder could not be created).</summary>
        private static void CheckNoFileInTheWay(string path)
        {
            for (var current = path; !string.IsNullOrEmpty(current); current = System.IO.Path.GetDirectoryName(current))
            {
                if (Directory.Exists(current))
                {
                    return;
                }

                if (File.Exists(current))
                {
                    throw new InvalidInputException("StorePathIsFile", "Path", current == path
                        ? $"'{path}' is a file; a store is a folder. Give the path of a new or empty folder."
                        : $"'{current}' is a file, so the folder '{path}' cannot be created. Give the path of a new or empty folder.")
                    {
                        FilePath = path,
                    };
                }
            }
        }

        /// <summary>Opens a store: reads and verifies its manifest and store log, and pins its owner and id.</summary>
        public static SecretStore Open(string path, string? stateRoot = null)
        {
            path = StoreContext.FullPath(path);
            stateRoot ??= SecretsPaths.StateDirectory;
            if (!File.Exists(System.IO.Path.Combine(path, StoreManifest.FileName)))
            {
                throw new StoreNotFoundException(path);
            }

            var (manifest, log) = StoreCache.For(path, stateRoot).Load();
            return new SecretStore(new StoreContext(path, stateRoot, manifest, log));
        }
    }
}
