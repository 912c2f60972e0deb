using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Secrets.Core.Platform
{
    /// <summary>
    /// Opens a file for reading only if it is a regular file, and never waits doing so. Opening a
    /// FIFO waits until someone opens its other end, which nobody may ever do: anyone who can add
    /// a file to a store could make every reader and writer hang, a writer while holding the store
    /// lock. On Unix the file is opened non-blocking, then checked to be seekable (a FIFO or socket
    /// is not) before a byte is read. Windows has no such files in a folder.
    /// </summary>
    internal static class RegularFile
    {
        public const string NotRegularProblem = "it is not a regular file (it is a pipe, a socket or a device)";
        public const string LinkProblem = "it is a link; a store holds only plain files";

        private const int SeekSet = 0;
        private const int SeekEnd = 2;

        // errno values shared by Linux, macOS and the BSDs.
        private const int ENOENT = 2;
        private const int EINTR = 4;
        private const int ENXIO = 6;
        private const int EACCES = 13;
        private const int ESPIPE = 29;
        private const int EMLINK = 31;   // FreeBSD: O_NOFOLLOW and a link

        private static readonly Flags? OpenFlags = FlagsForThisSystem();

        /// <summary>
        /// Opens <paramref name="path"/> for reading. Refuses, through <paramref name="invalid"/>, a
        /// FIFO, a socket, and unless <paramref name="allowLink"/> a link as the last component.
        /// </summary>
        public static FileStream OpenRead(string path, bool allowLink, Func<string, Exception> invalid)
        {
            var flags = OpenFlags;
            if (flags == null)
            {
                // Windows, or a Unix whose open flags are not known here.
                return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }

            int mode = flags.NonBlock | flags.CloseOnExec | flags.NoControllingTerminal | (allowLink ? 0 : flags.NoFollow);
            int fd;
            do
            {
                fd = Native.open(path, mode);
            }
            while (fd < 0 && Marshal.GetLastWin32Error() == EINTR);

            if (fd < 0)
            {
                int errno = Marshal.GetLastWin32Error();
                throw errno switch
                {
                    ENOENT => new FileNotFoundException($"Could not find the file '{path}'.", path),
                    EACCES => new UnauthorizedAccessException($"Access to the path '{path}' is denied."),
                    ENXIO => invalid(NotRegularProblem),
                    _ when !allowLink && (errno == flags.ELoop || errno == EMLINK) => invalid(LinkProblem),
                    _ => new IOException($"Could not open '{path}' (errno {errno})."),
                };
            }

            var handle = new SafeFileHandle((IntPtr)fd, ownsHandle: true);
            try
            {
                // Only a regular file (or a device) can seek; a FIFO or socket fails with ESPIPE.
                if ((long)Native.lseek(fd, IntPtr.Zero, SeekEnd) < 0)
                {
                    int errno = Marshal.GetLastWin32Error();
                    throw errno == ESPIPE ? invalid(NotRegularProblem) : new IOException($"Could not read '{path}' (errno {errno}).");
                }

                if ((long)Native.lseek(fd, IntPtr.Zero, SeekSet) < 0)
                {
                    throw new IOException($"Could not read '{path}' (errno {Marshal.GetLastWin32Error()}).");
                }

                // O_NONBLOCK has no effect on reading a regular file.
                return new FileStream(handle, FileAccess.Read, 1);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }

        private static Flags? FlagsForThisSystem()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                // The generic values, which x86, x64, Arm, Arm64, s390x, RISC-V and LoongArch share;
                // O_NOFOLLOW is 0x8000 on Arm, Arm64 and POWER. (A wrong guess there only sets
                // O_LARGEFILE, and a link is then still refused by the check before opening.)
                var architecture = RuntimeInformation.ProcessArchitecture.ToString();
                bool armOrPower = architecture.StartsWith("Arm", StringComparison.Ordinal) || architecture.StartsWith("Ppc", StringComparison.Ordinal);
                return new Flags(nonBlock: 0x800, closeOnExec: 0x80000, noControllingTerminal: 0x100, noFollow: armOrPower ? 0x8000 : 0x20000, eloop: 40);
            }

            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                return new Flags(nonBlock: 0x4, closeOnExec: 0x1000000, noControllingTerminal: 0x20000, noFollow: 0x100, eloop: 62);
            }

            if (RuntimeInformation.IsOSPlatform(OSPlatform.Create("FREEBSD")))
            {
                return new Flags(nonBlock: 0x4, closeOnExec: 0x100000, noControllingTerminal: 0x8000, noFollow: 0x100, eloop: 62);
            }

            return null;
        }

        private sealed class Flags
        {
            public Flags(int nonBlock, int closeOnExec, int noControllingTerminal, int noFollow, int eloop)
            {
                NonBlock = nonBlock;
                CloseOnExec = closeOnExec;
                NoControllingTerminal = noControllingTerminal;
                NoFollow = noFollow;
                ELoop = eloop;
            }

            public int NonBlock { get; }
            public int CloseOnExec { get; }
            public int NoControllingTerminal { get; }
            public int NoFollow { get; }
            public int ELoop { get; }
        }

        private static class Native
        {
#pragma warning disable IDE1006, SA1300 // the C names
            [DllImport("libc", SetLastError = true)]
            public static extern int open(string path, int flags);

            // off_t is a long on every platform this runs on (64-bit, and 32-bit Linux without LFS).
            [DllImport("libc", SetLastError = true)]
            public static extern IntPtr lseek(int fd, IntPtr offset, int whence);
#pragma warning restore IDE1006, SA1300
        }
    }
}
