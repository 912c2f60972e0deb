using System;
using System.IO;
using Secrets.Core.Crypto;
using System.Runtime.InteropServices;
using Secrets.Core.Codecs;

namespace Secrets.Core.Platform
{
    /// <summary>
    /// Writes a whole file or nothing: a temporary file in the same folder, flushed to disk, then
    /// renamed to the target. Readers never see a partial file. A file that must be new (a version
    /// file, a store log entry) is published by a rename that fails, in the same step, when the name
    /// is taken (<see cref="FileRename.NoReplace"/>), so that of two writers that do not see each
    /// other's lock, one is told and none is lost.
    /// </summary>
    internal static class AtomicFile
    {
        public const string TempSuffix = ".tmp";

        /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>.</summary>
        /// <param name="path">the target file.</param>
        /// <param name="content">the whole content.</param>
        /// <param name="overwrite">false: fail with <see cref="FileExistsException"/> if the target exists
        /// or another writer publishes it first.</param>
        /// <param name="ownerOnly">restrict the file to its owner before writing the content.</param>
        /// <param name="beforeRename">called after the flush, before the rename (failure injection in tests).</param>
        public static void Write(string path, byte[] content, bool overwrite, bool ownerOnly, Action? beforeRename = null)
        {
            var directory = Path.GetDirectoryName(path)!;

            // An owner-only file is made in a private staging folder, so it is never openable by others.
            using var staging = ownerOnly ? PrivateStaging.Create(directory) : null;
            var temp = staging != null
                ? staging.File
                : Path.Combine(directory, "." + Base64.Encode(RandomBytes.Get(9)).Replace('/', '_').Replace('+', '-') + TempSuffix);
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    if (ownerOnly)
                    {
                        FilePermissions.RestrictToOwner(temp, isDirectory: false);
                    }

                    stream.Write(content, 0, content.Length);
                    stream.Flush(true);
                }

                beforeRename?.Invoke();
                if (overwrite)
                {
                    FileRename.Replace(temp, path);
                }
                else
                {
                    FileRename.NoReplace(temp, path);
                }

                FlushDirectory(directory);
            }
            finally
            {
                TryDelete(temp);
            }
        }

        /// <summary>
        /// Reads a file, refusing a link unless <paramref name="allowLink"/> (store files are plain
        /// files: a link could make a reader read, and a writer prune, files elsewhere), anything but
        /// a regular file (a FIFO would make the reader wait forever), and a file larger than
        /// <paramref name="maxBytes"/>, before reading it.
        /// </summary>
        public static byte[] ReadAll(string path, int maxBytes, Func<string, Exception> invalid, bool allowLink = false)
        {
            if (!allowLink && (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0)
            {
                throw invalid(RegularFile.LinkProblem);
            }

            using var stream = RegularFile.OpenRead(path, allowLink, invalid);
            if (stream.Length > maxBytes)
            {
                throw invalid($"it is {stream.Length} bytes; at most {maxBytes} are allowed");
            }

            var data = new byte[stream.Length];
            int read = 0;
            while (read < data.Length)
            {
                int n = stream.Read(data, read, data.Length - read);
                if (n == 0)
                {
                    Array.Resize(ref data, read);
                    break;
                }

                read += n;
            }

            return data;
        }

        /// <summary>
        /// Makes a rename in the folder durable (fsync of the folder on Unix), so that after a power
        /// loss a later write (the local record of what was seen) cannot survive while this one is
        /// lost. Best effort: where the platform has no such call, the file system's own ordering applies.
        /// </summary>
        public static void FlushDirectory(string directory)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return;
            }

            try
            {
                int fd = NativeMethods.open(directory, 0);
                if (fd >= 0)
                {
                    NativeMethods.fsync(fd);
                    NativeMethods.close(fd);
                }
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
            }
        }

        public static void TryDelete(string path)
        {
            try
            {
                if (File.Exists(path))
                {
                    File.Delete(path);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private static class NativeMethods
        {
#pragma warning disable IDE1006, SA1300 // the C names
            [DllImport("libc", SetLastError = true)]
            public static extern int open(string path, int flags);

            [DllImport("libc", SetLastError = true)]
            public static extern int fsync(int fd);

            [DllImport("libc")]
            public static extern int close(int fd);
#pragma warning restore IDE1006, SA1300
        }
    }
}
