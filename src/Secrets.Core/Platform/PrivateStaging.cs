using System;
using System.IO;
using Secrets.Core.Codecs;
using Secrets.Core.Crypto;

namespace Secrets.Core.Platform
{
    /// <summary>
    /// A new owner-only folder next to a target, in which a file is created and restricted before it
    /// is renamed into place: a file made this way is never, even for an instant, openable by anyone
    /// else (creating it in place and restricting it afterwards leaves a window in which another user
    /// can open it and keep the handle).
    /// </summary>
    internal sealed class PrivateStaging : IDisposable
    {
        public const string Suffix = ".stage";

        private PrivateStaging(string folder)
        {
            Folder = folder;
        }

        public string Folder { get; }

        /// <summary>A path for a new file inside the staging folder.</summary>
        public string File => FileIn(Folder);

        public static PrivateStaging Create(string targetDirectory) => CreateAt(NewFolder(targetDirectory));

        /// <summary>A new random path for a staging folder in <paramref name="targetDirectory"/> (not created).</summary>
        public static string NewFolder(string targetDirectory) =>
            Path.Combine(targetDirectory, "." + Base64.Encode(RandomBytes.Get(9)).Replace('/', '_').Replace('+', '-') + Suffix);

        /// <summary>The file a staging folder holds while it is written.</summary>
        public static string FileIn(string folder) => Path.Combine(folder, "f");

        /// <summary>Creates the staging folder <paramref name="folder"/> (from <see cref="NewFolder"/>); it must not exist.</summary>
        public static PrivateStaging CreateAt(string folder)
        {
            if (Directory.Exists(folder) || System.IO.File.Exists(folder))
            {
                throw new IOException($"The staging folder '{folder}' already exists.");
            }

            Directory.CreateDirectory(folder);
            try
            {
                // Nothing is in it yet, so nobody can have opened a file inside before this.
                FilePermissions.RestrictToOwner(folder, isDirectory: true);
            }
            catch
            {
                Directory.Delete(folder, recursive: true);
                throw;
            }

            return new PrivateStaging(folder);
        }

        public void Dispose()
        {
            try
            {
                if (Directory.Exists(Folder))
                {
                    Directory.Delete(Folder, recursive: true);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
