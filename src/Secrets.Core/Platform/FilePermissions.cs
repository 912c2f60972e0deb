using System;
using System.ComponentModel;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Secrets.Core.Platform
{
    /// <summary>
    /// Owner-only permissions: mode 0600/0700 on Unix, a protected DACL granting only the owner on
    /// Windows. Applied to a file before anything secret is written into it.
    /// </summary>
    public static class FilePermissions
    {
        private const int OwnerReadWrite = 0x180;        // 0600
        private const int OwnerReadWriteExecute = 0x1C0; // 0700

        private static readonly bool IsWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        private static readonly MethodInfo? SetUnixFileMode = FindSetUnixFileMode();

        /// <summary>
        /// Creates the folder if needed and makes it owner-only, together with every parent folder
        /// this call creates (folders that already existed keep their permissions).
        /// </summary>
        public static void CreateOwnerOnlyDirectory(string path)
        {
            var missing = new System.Collections.Generic.List<string>();
            for (var current = Path.GetFullPath(path); current != null && !Directory.Exists(current); current = Path.GetDirectoryName(current))
            {
                missing.Add(current);
            }

            Directory.CreateDirectory(path);
            foreach (var created in missing)
            {
                RestrictToOwner(created, isDirectory: true);
            }

            RestrictToOwner(path, isDirectory: true);
        }

        /// <summary>Restricts an existing file or folder to its owner.</summary>
        public static void RestrictToOwner(string path, bool isDirectory)
        {
            if (IsWindows)
            {
                WindowsAcl.SetOwnerOnly(path);
                return;
            }

            SetUnixMode(path, isDirectory ? OwnerReadWriteExecute : OwnerReadWrite);
        }

        /// <summary>
        /// Sets the Unix permission bits of a path (0644 for a public key that others may read);
        /// does nothing on Windows, where files written by this module stay owner-only.
        /// </summary>
        public static void SetUnixMode(string path, int mode)
        {
            if (IsWindows)
            {
                return;
            }

            if (SetUnixFileMode != null)
            {
                var unixFileModeType = SetUnixFileMode.GetParameters()[1].ParameterType;
                try
                {
                    SetUnixFileMode.Invoke(null, new[] { path, Enum.ToObject(unixFileModeType, mode) });
                }
                catch (TargetInvocationException e) when (e.InnerException != null)
                {
                    throw e.InnerException;
                }

                return;
            }

            if (NativeMethods.chmod(path, (uint)mode) != 0)
            {
                throw new IOException($"Could not set the permissions of '{path}' to {FormatUnixMode(mode)} (errno {Marshal.GetLastWin32Error()}).");
            }
        }

        /// <summary>On Unix, whether group or others have any access to the path (always false on Windows).</summary>
        public static bool IsAccessibleByOthers(string path) => TryGetUnixMode(path, out int mode) && (mode & GroupOrOthers) != 0;

        /// <summary>The permission bits that give access to group or others (0077).</summary>
        public const int GroupOrOthers = 0x3F;

        /// <summary>
        /// On Unix, the permission bits of the path (links followed), such as 0x1A4 for 0644; false
        /// on Windows, and where the runtime cannot tell.
        /// </summary>
        public static bool TryGetUnixMode(string path, out int mode)
        {
            mode = 0;
            if (IsWindows)
            {
                return false;
            }

            var getMode = typeof(File).GetMethod("GetUnixFileMode", new[] { typeof(string) });
            if (getMode != null)
            {
                try
                {
                    mode = Convert.ToInt32(getMode.Invoke(null, new object[] { path }));
                    return true;
                }
                catch (TargetInvocationException e) when (e.InnerException is IOException || e.InnerException is UnauthorizedAccessException)
                {
                    return false;
                }
            }

            // Runtimes before .NET 7 have no File.GetUnixFileMode.
            var full = UnixStat.Mode(path);
            mode = (full ?? 0) & 0xFFF;
            return full != null;
        }

        /// <summary>Permission bits as ls and chmod write them: 0644.</summary>
        public static string FormatUnixMode(int mode) => Convert.ToString(mode & 0xFFF, 8).PadLeft(4, '0');

        /// <summary>The path with every link resolved (Unix realpath), or null where that is not available or fails.</summary>
        public static string? RealPath(string path)
        {
            if (IsWindows)
            {
                return null;
            }

            try
            {
                var result = NativeMethods.realpath(path, IntPtr.Zero);
                if (result == IntPtr.Zero)
                {
                    return null;
                }

                try
                {
                    return Marshal.PtrToStringAnsi(result);
                }
                finally
                {
                    NativeMethods.free(result);
                }
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                return null;
            }
        }

        private static MethodInfo? FindSetUnixFileMode()
        {
            var modeType = typeof(File).Assembly.GetType("System.IO.UnixFileMode");
            return modeType == null ? null : typeof(File).GetMethod("SetUnixFileMode", new[] { typeof(string), modeType });
        }

        private static class NativeMethods
        {
#pragma warning disable IDE1006, SA1300 // the C names
            [DllImport("libc", SetLastError = true)]
            public static extern int chmod(string path, uint mode);

            [DllImport("libc", SetLastError = true)]
            public static extern IntPtr realpath(string path, IntPtr resolved);

            [DllImport("libc")]
            public static extern void free(IntPtr pointer);
#pragma warning restore IDE1006, SA1300
        }

        /// <summary>Windows: a protected DACL with one ACE granting full control to OWNER RIGHTS.</summary>
        private static class WindowsAcl
        {
            private const int SeFileObject = 1;
            private const uint DaclSecurityInformation = 0x00000004;
            private const uint ProtectedDaclSecurityInformation = 0x80000000;

            public static void SetOwnerOnly(string path)
            {
                if (!ConvertStringSecurityDescriptorToSecurityDescriptorW("D:P(A;OICI;FA;;;OW)", 1, out var descriptor, out _))
                {
                    throw new Win32Exception(Marshal.GetLastWin32Error());
                }

                try
                {
                    if (!GetSecurityDescriptorDacl(descriptor, out _, out var dacl, out _))
                    {
                        throw new Win32Exception(Marshal.GetLastWin32Error());
                    }

                    int result = SetNamedSecurityInfoW(path, SeFileObject, DaclSecurityInformation | ProtectedDaclSecurityInformation,
                        IntPtr.Zero, IntPtr.Zero, dacl, IntPtr.Zero);
                    if (result != 0)
                    {
                        throw new Win32Exception(result);
                    }
                }
                finally
                {
                    LocalFree(descriptor);
                }
            }

            [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            private static extern bool ConvertStringSecurityDescriptorToSecurityDescriptorW(string sddl, uint revision, out IntPtr descriptor, out uint size);

            [DllImport("advapi32.dll", SetLastError = true)]
            private static extern bool GetSecurityDescriptorDacl(IntPtr descriptor, out bool present, out IntPtr dacl, out bool defaulted);

            [DllImport("advapi32.dll", CharSet = CharSet.Unicode)]
            private static extern int SetNamedSecurityInfoW(string name, int type, uint info, IntPtr owner, IntPtr group, IntPtr dacl, IntPtr sacl);

            [DllImport("kernel32.dll")]
            private static extern IntPtr LocalFree(IntPtr memory);
        }
    }
}
