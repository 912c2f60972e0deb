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
        public string File => Path.Combine(Folder, "f");

        public static PrivateStaging Create(string targetDirectory)
        {
            var folder = Path.Combine(targetDirectory, "." + Base64.Encode(RandomBytes.Get(9)).Replace('/', '_').Replace('+', '-') + Suffix);
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
