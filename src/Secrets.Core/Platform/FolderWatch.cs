using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Secrets.Core.Platform
{
    /// <summary>
    /// Change notifications for a set of folders, read when asked (Linux inotify, on local file
    /// systems). The kernel queues an event when a file in a watched folder is created, changed
    /// (content or attributes, whatever its timestamps end up as), renamed or deleted, before the
    /// call that made the change returns; <see cref="Drain"/> reads what is queued, without waiting.
    /// A folder with no event since it was watched has not changed. Where there is no inotify, or
    /// the folder is on a network or other file system that changes can reach without the kernel
    /// seeing them, nothing is watched and callers check stamps instead.
    /// </summary>
    internal sealed class FolderWatch : IDisposable
    {
        private const int InNonBlock = 0x800;
        private const int InCloExec = 0x80000;
        private const uint Changes = 0x2 | 0x4 | 0x8 | 0x40 | 0x80 | 0x100 | 0x200 | 0x400 | 0x800; // modify, attrib, close-write, moves, create, delete, self
        private const uint OnlyDirectory = 0x1000000;
        private const uint DontFollow = 0x2000000;
        private const uint QueueOverflow = 0x4000;
        private const uint Ignored = 0x8000;
        private const int EAgain = 11;

        // File systems whose changes all go through this kernel: ext2/3/4, xfs, btrfs, tmpfs,
        // overlayfs, zfs, f2fs, ramfs, jfs, reiserfs.
        private static readonly HashSet<uint> LocalFileSystems = new HashSet<uint>
        {
            0xEF53, 0x58465342, 0x9123683E, 0x01021994, 0x794C7630, 0x2FC12FC1, 0xF2F52010, 0x858458F6, 0x3153464A, 0x52654973,
        };

        private static readonly bool IsLinux = RuntimeInformation.IsOSPlatform(OSPlatform.Linux);
        private readonly int _fd;
        private readonly Dictionary<int, string> _folders = new Dictionary<int, string>();
        private readonly Dictionary<string, int> _watches = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly byte[] _buffer = new byte[64 * 1024];

        private FolderWatch(int fd) => _fd = fd;

        /// <summary>Whether events were lost (the queue overflowed): every watched folder may have changed.</summary>
        public bool Overflowed { get; private set; }

        /// <summary>A watch for folders under <paramref name="root"/>, or null where changes cannot be watched there.</summary>
        public static FolderWatch? For(string root)
        {
            if (!IsLinux || !IsLocal(root))
            {
                return null;
            }

            try
            {
                int fd = NativeMethods.inotify_init1(InNonBlock | InCloExec);
                return fd < 0 ? null : new FolderWatch(fd);
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                return null;
            }
        }

        /// <summary>Whether the folder is watched (and so unchanged unless an event said otherwise).</summary>
        public bool IsWatched(string folder) => _watches.ContainsKey(folder);

        /// <summary>Starts watching a folder; false when it cannot be watched (gone, a link, no watch left).</summary>
        public bool Watch(string folder)
        {
            if (_watches.ContainsKey(folder))
            {
                return true;
            }

            int wd = NativeMethods.inotify_add_watch(_fd, folder, Changes | OnlyDirectory | DontFollow);
            if (wd < 0)
            {
                return false;
            }

            _watches[folder] = wd;
            _folders[wd] = folder;
            return true;
        }

        /// <summary>
        /// Reads every event queued, without waiting: for each folder in which something changed,
        /// the names of the files that changed (empty for the folder itself). A folder that changed
        /// is no longer watched: watch it again before verifying it again.
        /// </summary>
        public Dictionary<string, HashSet<string>> Drain()
        {
            var changed = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            while (true)
            {
                int read = NativeMethods.read(_fd, _buffer, (IntPtr)_buffer.Length).ToInt32();
                if (read < 0)
                {
                    if (Marshal.GetLastWin32Error() != EAgain)
                    {
                        Overflowed = true;
                    }

                    break;
                }

                for (int offset = 0; offset + 16 <= read;)
                {
                    int wd = BitConverter.ToInt32(_buffer, offset);
                    uint mask = BitConverter.ToUInt32(_buffer, offset + 4);
                    int length = BitConverter.ToInt32(_buffer, offset + 12);
                    var name = length == 0 ? string.Empty : System.Text.Encoding.UTF8.GetString(_buffer, offset + 16, length).TrimEnd('\0');
                    offset += 16 + length;
                    if ((mask & QueueOverflow) != 0)
                    {
                        Overflowed = true;
                    }

                    if (_folders.TryGetValue(wd, out var folder))
                    {
                        if (!changed.TryGetValue(folder, out var names))
                        {
                            names = new HashSet<string>(StringComparer.Ordinal);
                            changed[folder] = names;
                        }

                        names.Add((mask & (Ignored | 0x400 | 0x800)) != 0 ? string.Empty : name);
                        if ((mask & (Ignored | 0x400 | 0x800)) != 0)
                        {
                            // The folder itself went away or moved: it is no longer watched.
                            _folders.Remove(wd);
                            _watches.Remove(folder);
                        }
                    }
                }
            }

            if (Overflowed)
            {
                foreach (var folder in _watches.Keys)
                {
                    if (!changed.ContainsKey(folder))
                    {
                        changed[folder] = new HashSet<string> { string.Empty };
                    }
                }

                Overflowed = false;
            }

            return changed;
        }

        public void Dispose() => NativeMethods.close(_fd);

        private static bool IsLocal(string path)
        {
            var buffer = new byte[256];
            try
            {
                return NativeMethods.statfs(path, buffer) == 0 && LocalFileSystems.Contains(BitConverter.ToUInt32(buffer, 0));
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                return false;
            }
        }

        private static class NativeMethods
        {
#pragma warning disable IDE1006, SA1300 // the C names
            [DllImport("libc", SetLastError = true)]
            public static extern int inotify_init1(int flags);

            [DllImport("libc", SetLastError = true)]
            public static extern int inotify_add_watch(int fd, string path, uint mask);

            [DllImport("libc", SetLastError = true)]
            public static extern int inotify_rm_watch(int fd, int wd);

            [DllImport("libc", SetLastError = true)]
            public static extern IntPtr read(int fd, byte[] buffer, IntPtr count);

            [DllImport("libc", SetLastError = true)]
            public static extern int statfs(string path, byte[] buffer);

            [DllImport("libc")]
            public static extern int close(int fd);
#pragma warning restore IDE1006, SA1300
        }
    }
}
