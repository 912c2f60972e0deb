using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Secrets.Core.Platform
{
    /// <summary>
    /// What makes a file the one it was: its device and inode, its owner, type and permissions
    /// (Linux, through statx, which never follows a link when asked not to). Elsewhere, or where the
    /// C library has no statx (glibc before 2.28), every call gives null and callers fall back to
    /// weaker checks (not a link, size, owner-only permissions).
    /// </summary>
    internal readonly struct FileIdentity : IEquatable<FileIdentity>
    {
        private const int AtFdCwd = -100;
        private const int AtSymlinkNoFollow = 0x100;
        private const int AtEmptyPath = 0x1000;
        private const uint BasicStats = 0x7ff;
        private const int TypeMask = 0xF000;
        private const int RegularFile = 0x8000;
        private const int DirectoryType = 0x4000;

        private static readonly bool IsLinux = RuntimeInformation.IsOSPlatform(OSPlatform.Linux);
        private static bool _unavailable;

        private FileIdentity(ulong device, ulong inode, uint owner, int mode)
        {
            Device = device;
            Inode = inode;
            Owner = owner;
            Mode = mode;
        }

        public ulong Device { get; }

        public ulong Inode { get; }

        public uint Owner { get; }

        public int Mode { get; }

        public bool IsRegularFile => (Mode & TypeMask) == RegularFile;

        public bool IsDirectory => (Mode & TypeMask) == DirectoryType;

        /// <summary>Group and others have no access.</summary>
        public bool IsOwnerOnly => (Mode & 0x3F) == 0;

        /// <summary>Owned by the user this process runs as.</summary>
        public bool IsOwnedByCurrentUser => Owner == NativeMethods.geteuid();

        /// <summary>The path itself (a link is described, never followed), or null when unknown or missing.</summary>
        public static FileIdentity? OfPath(string path) => Stat(AtFdCwd, path, AtSymlinkNoFollow);

        /// <summary>The file an open stream refers to, or null when unknown.</summary>
        public static FileIdentity? Of(FileStream stream)
        {
            if (!IsLinux || _unavailable)
            {
                return null;
            }

            SafeFileHandle handle = stream.SafeFileHandle;
            bool added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                return Stat(handle.DangerousGetHandle().ToInt32(), string.Empty, AtEmptyPath);
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }

        public bool Equals(FileIdentity other) => Device == other.Device && Inode == other.Inode;

        public override bool Equals(object? obj) => obj is FileIdentity other && Equals(other);

        public override int GetHashCode() => (Device, Inode).GetHashCode();

        public override string ToString() => $"{Device}:{Inode}";

        private static FileIdentity? Stat(int directory, string path, int flags)
        {
            if (!IsLinux || _unavailable)
            {
                return null;
            }

            // struct statx has the same layout on every Linux architecture (256 bytes).
            var buffer = new byte[256];
            try
            {
                if (NativeMethods.statx(directory, path, flags, BasicStats, buffer) != 0)
                {
                    return null;
                }
            }
            catch (Exception e) when (e is EntryPointNotFoundException || e is DllNotFoundException)
            {
                _unavailable = true;
                return null;
            }

            uint owner = BitConverter.ToUInt32(buffer, 20);
            int mode = BitConverter.ToUInt16(buffer, 28);
            ulong inode = BitConverter.ToUInt64(buffer, 32);
            ulong device = ((ulong)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140);
            return new FileIdentity(device, inode, owner, mode);
        }

        private static class NativeMethods
        {
#pragma warning disable IDE1006, SA1300 // the C names
            [DllImport("libc", SetLastError = true)]
            public static extern int statx(int dirfd, string path, int flags, uint mask, byte[] buffer);

            [DllImport("libc")]
            public static extern uint geteuid();
#pragma warning restore IDE1006, SA1300
        }
    }
}
