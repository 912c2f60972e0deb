using System;
using System.IO;

namespace Secrets.Core.Platform
{
    /// <summary>
    /// A file could not be published because its name was taken: the name existed already, or
    /// another writer published under it at the same moment. Nothing was changed.
    /// </summary>
    internal sealed class FileExistsException : IOException
    {
        public FileExistsException(string path, Exception? inner = null)
            : base($"The file '{path}' already exists.", inner)
        {
            FilePath = path;
        }

        /// <summary>The name that was taken.</summary>
        public string FilePath { get; }
    }
}
