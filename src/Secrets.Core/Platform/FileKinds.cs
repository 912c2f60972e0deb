using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Secrets.Core.Platform
{
    /// <summary>
    /// Whether a path is a regular file, where that is cheap to tell: folders everywhere; devices,
    /// named pipes and sockets on Unix from the path (before opening it, which for a named pipe
    /// waits for a writer) and on Windows from the open handle.
    /// </summary>
    public static class FileKinds
    {
        private static readonly bool IsWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>
        /// What the path is when it is not a regular file ("a folder", "a character device"…), or
        /// null when it is one, does not exist, or the platform cannot tell. Links are followed.
        /// </summary>
        public static string? NotRegular(string path)
        {
            if (Directory.Exists(path))
            {
                return "a folder";
            }

            if (IsWindows)
            {
                return null;
            }

            var mode = UnixStat.Mode(path);
            switch (mode & UnixStat.TypeMask)
            {
                case null:
                case UnixStat.RegularFile:
                    return null;
                case UnixStat.CharacterDevice:
                    return "a character device";
                case UnixStat.BlockDevice:
                    return "a block device";
                case UnixStat.NamedPipe:
                    return "a named pipe (FIFO)";
                case UnixStat.Socket:
                    return "a socket";
                case UnixStat.Directory:
                    return "a folder";
                default:
                    return "a special file";
            }
        }

        /// <summary>What an open file is when it is not a file on disk (Windows: a device or a pipe); null otherwise.</summary>
        public static string? NotRegular(FileStream stream)
        {
            if (!IsWindows)
            {
                return null;
            }

            switch (NativeMethods.GetFileType(stream.SafeFileHandle))
            {
                case NativeMethods.FileTypeDisk:
                    return null;
                case NativeMethods.FileTypeChar:
                    return "a character device";
                case NativeMethods.FileTypePipe:
                    return "a pipe";
                default:
                    return "not a file on disk";
            }
        }

        private static class NativeMethods
        {
            public const int FileTypeDisk = 1;
            public const int FileTypeChar = 2;
            public const int FileTypePipe = 3;

            [DllImport("kernel32.dll")]
            public static extern int GetFileType(SafeFileHandle handle);
        }
    }
}
