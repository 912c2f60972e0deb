using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Secrets.Core.Platform
{
    /// <summary>
    /// What tells, without reading it, that a file or folder is still the one it was: its device
    /// and inode, size, and modification and status-change times to the nanosecond (Linux, through
    /// statx). Writing to a file changes its status-change time, and no program can set that time
    /// back (only the clock can, which needs the administrator), so an unchanged stamp means unchanged
    /// content even when someone put the modification time back. Elsewhere the stamp is the size and
    /// the modification and creation times, which a program can set back: there
    /// <see cref="IsStrong"/> is false.
    /// </summary>
    internal readonly struct FileStamp : IEquatable<FileStamp>
    {
        private const int AtFdCwd = -100;
        private const int AtSymlinkNoFollow = 0x100;
        private const uint BasicStats = 0x7ff;
        private static readonly bool IsLinux = RuntimeInformation.IsOSPlatform(OSPlatform.Linux);
        private static bool _noStatx;

        public FileStamp(long device, long inode, long size, long modified, long changed, bool strong)
        {
            Device = device;
            Inode = inode;
            Size = size;
            Modified = modified;
            Changed = changed;
            IsStrong = strong;
        }

        public long Device { get; }

        public long Inode { get; }

        public long Size { get; }

        /// <summary>Modification time (nanoseconds since 1970 with statx; ticks otherwise).</summary>
        public long Modified { get; }

        /// <summary>Status-change time (statx) or creation time.</summary>
        public long Changed { get; }

        /// <summary>Whether the stamp changes with every change of content whatever the writer does (statx).</summary>
        public bool IsStrong { get; }

        /// <summary>How long a file must have been left alone before its stamp stands for its content.</summary>
        internal static TimeSpan SettleTime { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>
        /// Whether the stamp can stand for the file's content: a strong stamp (a status-change time no
        /// program can set back) of a file that did not change in the last <see cref="SettleTime"/>. The
        /// clock that dates changes ticks coarsely, so a change made in the same tick as a verification
        /// could leave the stamp as it was; such a file is verified again next time.
        /// </summary>
        public bool IsSettled
        {
            get
            {
                if (!IsStrong)
                {
                    return false;
                }

                long nowNs = (DateTime.UtcNow.Ticks - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks) * 100;
                return nowNs - Math.Max(Changed, Modified) > SettleTime.Ticks * 100;
            }
        }

        /// <summary>The stamp of a path (links described, never followed), or null when it does not exist.</summary>
        public static FileStamp? Of(string path)
        {
            if (IsLinux && !_noStatx)
            {
                var buffer = new byte[256];
                try
                {
                    if (NativeMethods.statx(AtFdCwd, path, AtSymlinkNoFollow, BasicStats, buffer) != 0)
                    {
                        return null;
                    }

                    // struct statx has the same layout on every Linux architecture.
                    return new FileStamp(
                        ((long)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140),
                        BitConverter.ToInt64(buffer, 32),
                        BitConverter.ToInt64(buffer, 40),
                        BitConverter.ToInt64(buffer, 112) * 1_000_000_000 + BitConverter.ToUInt32(buffer, 120),
                        BitConverter.ToInt64(buffer, 96) * 1_000_000_000 + BitConverter.ToUInt32(buffer, 104),
                        strong: true);
                }
                catch (Exception e) when (e is EntryPointNotFoundException || e is DllNotFoundException)
                {
                    _noStatx = true;
                }
            }

            FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
            if (!info.Exists)
            {
                return null;
            }

            return new FileStamp(0, 0, info is FileInfo file ? file.Length : 0, info.LastWriteTimeUtc.Ticks, info.CreationTimeUtc.Ticks, strong: false);
        }

        public bool Equals(FileStamp other) =>
            Device == other.Device && Inode == other.Inode && Size == other.Size && Modified == other.Modified && Changed == other.Changed && IsStrong == other.IsStrong;

        public override bool Equals(object? obj) => obj is FileStamp other && Equals(other);

        public override int GetHashCode() => (Inode, Size, Modified, Changed).GetHashCode();

        public static bool operator ==(FileStamp a, FileStamp b) => a.Equals(b);

        public static bool operator !=(FileStamp a, FileStamp b) => !a.Equals(b);

        public void WriteTo(BinaryWriter writer)
        {
            writer.Write(Device);
            writer.Write(Inode);
            writer.Write(Size);
            writer.Write(Modified);
            writer.Write(Changed);
            writer.Write(IsStrong);
        }

        public static FileStamp ReadFrom(BinaryReader reader) =>
            new FileStamp(reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadBoolean());

        public override string ToString() => $"{Device}:{Inode} {Size} {Modified} {Changed}";

        private static class NativeMethods
        {
#pragma warning disable IDE1006, SA1300 // the C names
            [DllImport("libc", SetLastError = true)]
            public static extern int statx(int dirfd, string path, int flags, uint mask, byte[] buffer);
#pragma warning restore IDE1006, SA1300
        }
    }
}
