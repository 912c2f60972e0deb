using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Secrets.Core.Platform
{
    /// <summary>
    /// The two renames that publish a file written to a temporary name in the same folder:
    /// <see cref="NoReplace"/> for a name that must be free (a version file, a store log entry),
    /// <see cref="Replace"/> for a file that is replaced as a whole (the manifest, local state).
    /// </summary>
    internal static class FileRename
    {
        private const int AtFdCwd = -100;            // Linux AT_FDCWD
        private const uint RenameNoReplace = 1;      // Linux RENAME_NOREPLACE
        private const uint RenameExcl = 0x4;         // macOS RENAME_EXCL

        // errno values shared by Linux, macOS and the BSDs.
        private const int EPERM = 1;
        private const int ENOENT = 2;
        private const int EACCES = 13;
        private const int EEXIST = 17;
        private const int EINVAL = 22;

        // errno values that differ: Linux, then macOS and the BSDs.
        private const int LinuxENOSYS = 38;
        private const int LinuxEOPNOTSUPP = 95;
        private const int BsdENOTSUP = 45;
        private const int BsdENOSYS = 78;
        private const int BsdEOPNOTSUPP = 102;

        private static readonly bool IsWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        private static readonly bool IsLinux = RuntimeInformation.IsOSPlatform(OSPlatform.Linux);
        private static readonly bool IsMacOS = RuntimeInformation.IsOSPlatform(OSPlatform.OSX);

        // Set once the C library is found to lack the call (an old glibc or musl; macOS before 10.12).
        private static bool _noRenameat2;
        private static bool _noRenamexNp;

        /// <summary>
        /// Renames <paramref name="source"/> to <paramref name="target"/> if, and only if, no file of
        /// that name exists, in one step: when two writers publish the same name at the same moment,
        /// exactly one succeeds and the other gets <see cref="FileExistsException"/>, whatever the
        /// file locks do. (.NET's File.Move checks the name first and renames afterwards on Unix,
        /// so both could succeed and one file silently replace the other.)
        /// </summary>
        public static void NoReplace(string source, string target)
        {
            if (IsWindows)
            {
                // MoveFileEx without MOVEFILE_REPLACE_EXISTING: atomic, fails if the name exists.
                try
                {
                    File.Move(source, target);
                }
                catch (IOException e) when (!(e is FileNotFoundException) && (IsWindowsExists(e) || File.Exists(target) || Directory.Exists(target)))
                {
                    throw new FileExistsException(target, e);
                }

                return;
            }

            if ((IsLinux && TryRenameat2(source, target)) || (IsMacOS && TryRenamexNp(source, target)) || TryLinkThenUnlink(source, target))
            {
                return;
            }

            // Neither an exclusive rename nor hard links on this file system (FAT, some network
            // shares and FUSE file systems): check, then rename. Two writers can both pass the check
            // only if they also hold the store lock at once, which needs a file system that shares
            // neither; readers still only ever see whole files.
            if (File.Exists(target) || Directory.Exists(target))
            {
                throw new FileExistsException(target);
            }

            if (Native.rename(source, target) != 0)
            {
                throw Failure(Marshal.GetLastWin32Error(), source, target);
            }
        }

        /// <summary>Renames <paramref name="source"/> over <paramref name="target"/>, which may or may not exist.</summary>
        public static void Replace(string source, string target)
        {
            if (!IsWindows)
            {
                // rename(2) replaces an existing file atomically, and creates a missing one.
                if (Native.rename(source, target) != 0)
                {
                    throw Failure(Marshal.GetLastWin32Error(), source, target);
                }

                return;
            }

            for (int attempt = 0; ; attempt++)
            {
                // Another process may create or delete the target between the check and the call.
                bool exists = File.Exists(target);
                try
                {
                    if (exists)
                    {
                        File.Replace(source, target, null);
                    }
                    else
                    {
                        File.Move(source, target);
                    }

                    return;
                }
                catch (FileNotFoundException) when (exists && attempt < 10 && File.Exists(source))
                {
                }
                catch (IOException) when (!exists && attempt < 10 && File.Exists(target))
                {
                }
            }
        }

        /// <summary>Linux 3.15 and later, glibc 2.28 and later; false when the kernel or the file system lacks the flag.</summary>
        private static bool TryRenameat2(string source, string target)
        {
            if (_noRenameat2)
            {
                return false;
            }

            try
            {
                if (Native.renameat2(AtFdCwd, source, AtFdCwd, target, RenameNoReplace) == 0)
                {
                    return true;
                }
            }
            catch (EntryPointNotFoundException)
            {
                _noRenameat2 = true;
                return false;
            }

            int errno = Marshal.GetLastWin32Error();
            if (errno == EINVAL || errno == LinuxENOSYS || errno == LinuxEOPNOTSUPP)
            {
                // An old kernel, or a file system that cannot promise the check (NFS, CIFS): use a link.
                return false;
            }

            throw Failure(errno, source, target);
        }

        /// <summary>macOS 10.12 and later; false when the file system lacks the flag.</summary>
        private static bool TryRenamexNp(string source, string target)
        {
            if (_noRenamexNp)
            {
                return false;
            }

            try
            {
                if (Native.renamex_np(source, target, RenameExcl) == 0)
                {
                    return true;
                }
            }
            catch (EntryPointNotFoundException)
            {
                _noRenamexNp = true;
                return false;
            }

            int errno = Marshal.GetLastWin32Error();
            if (errno == EINVAL || errno == BsdENOTSUP || errno == BsdENOSYS)
            {
                return false;
            }

            throw Failure(errno, source, target);
        }

        /// <summary>
        /// link(2) fails with EEXIST, atomically, when the name exists (also over NFS); the temporary
        /// name is then removed. False when the file system has no hard links.
        /// </summary>
        private static bool TryLinkThenUnlink(string source, string target)
        {
            if (Native.link(source, target) != 0)
            {
                int errno = Marshal.GetLastWin32Error();
                if (errno == EPERM || (IsLinux ? errno == LinuxENOSYS || errno == LinuxEOPNOTSUPP : errno == BsdENOTSUP || errno == BsdEOPNOTSUPP || errno == BsdENOSYS))
                {
                    return false;
                }

                throw Failure(errno, source, target);
            }

            // The file is published; a temporary name left behind holds the same bytes and is
            // removed by the caller's cleanup.
            Native.unlink(source);
            return true;
        }

        private static Exception Failure(int errno, string source, string target) => errno switch
        {
            EEXIST => new FileExistsException(target),
            ENOENT => new FileNotFoundException($"Could not publish '{target}': the file '{source}' or its folder no longer exists.", source),
            EACCES => new UnauthorizedAccessException($"Access to '{target}' is denied."),
            EPERM => new UnauthorizedAccessException($"Access to '{target}' is denied."),
            _ => new IOException($"Could not rename '{source}' to '{target}' (errno {errno})."),
        };

        // ERROR_FILE_EXISTS, ERROR_ALREADY_EXISTS.
        private static bool IsWindowsExists(IOException e) => (e.HResult & 0xFFFF) == 80 || (e.HResult & 0xFFFF) == 183;

        private static class Native
        {
#pragma warning disable IDE1006, SA1300 // the C names
            [DllImport("libc", SetLastError = true)]
            public static extern int renameat2(int olddirfd, string oldpath, int newdirfd, string newpath, uint flags);

            [DllImport("libc", SetLastError = true)]
            public static extern int renamex_np(string from, string to, uint flags);

            [DllImport("libc", SetLastError = true)]
            public static extern int link(string oldpath, string newpath);

            [DllImport("libc", SetLastError = true)]
            public static extern int unlink(string path);

            [DllImport("libc", SetLastError = true)]
            public static extern int rename(string oldpath, string newpath);
#pragma warning restore IDE1006, SA1300
        }
    }
}
