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
        private readonly HashSet<string> _watched = new HashSet<string>(StringComparer.Ordinal);
        private readonly Dictionary<string, HashSet<string>> _pending = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        private bool _disposed;

        private FolderWatch()
        {
        }

        /// <summary>A watch for folders under <paramref name="root"/>, or null where changes cannot be watched there.</summary>
        public static FolderWatch? For(string root) =>
            Notifications.Available && Notifications.IsLocal(root) ? new FolderWatch() : null;

        /// <summary>Whether the folder is watched (and so unchanged unless an event said otherwise).</summary>
        public bool IsWatched(string folder)
        {
            lock (Notifications.Gate)
            {
                return _watched.Contains(folder);
            }
        }

        /// <summary>Starts watching a folder; false when it cannot be watched (gone, a link, no watch left).</summary>
        public bool Watch(string folder)
        {
            lock (Notifications.Gate)
            {
                if (_disposed)
                {
                    return false;
                }

                if (_watched.Contains(folder))
                {
                    return true;
                }

                if (!Notifications.Add(folder, this))
                {
                    return false;
                }

                _watched.Add(folder);
                return true;
            }
        }

        /// <summary>
        /// Reads every event queued, without waiting: for each folder in which something changed,
        /// the names of the files that changed (empty for the folder itself). A folder that went
        /// away or moved is no longer watched: watch it again before verifying it again.
        /// </summary>
        public Dictionary<string, HashSet<string>> Drain()
        {
            lock (Notifications.Gate)
            {
                Notifications.Pump();
                var changed = new Dictionary<string, HashSet<string>>(_pending, StringComparer.Ordinal);
                _pending.Clear();
                return changed;
            }
        }

        public void Dispose()
        {
            lock (Notifications.Gate)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                foreach (var folder in _watched)
                {
                    Notifications.Remove(folder, this);
                }

                _watched.Clear();
                _pending.Clear();
            }
        }

        /// <summary>Called by <see cref="Notifications"/>, under its lock: something changed in a folder this watch watches.</summary>
        private void Changed(string folder, string name, bool folderGone)
        {
            if (!_pending.TryGetValue(folder, out var names))
            {
                names = new HashSet<string>(StringComparer.Ordinal);
                _pending[folder] = names;
            }

            names.Add(folderGone ? string.Empty : name);
            if (folderGone)
            {
                _watched.Remove(folder);
            }
        }

        /// <summary>Every watched folder may have changed (events were lost).</summary>
        private void AllChanged()
        {
            foreach (var folder in _watched)
            {
                Changed(folder, string.Empty, folderGone: false);
            }
        }

        /// <summary>
        /// The one inotify instance of the process, shared by every watch: the kernel allows each
        /// user few instances (128 by default, for all their programs), so a process that opens
        /// many stores must not take one per store. Events are read by whichever watch drains
        /// first and handed to every watch of the folder they are about, so none is missed.
        /// </summary>
        private static class Notifications
        {
            private const int InNonBlock = 0x800;
            private const int InCloExec = 0x80000;
            private const uint Changes = 0x2 | 0x4 | 0x8 | 0x40 | 0x80 | 0x100 | 0x200 | 0x400 | 0x800; // modify, attrib, close-write, moves, create, delete, self
            private const uint OnlyDirectory = 0x1000000;
            private const uint DontFollow = 0x2000000;
            private const uint QueueOverflow = 0x4000;
            private const uint Ignored = 0x8000;
            private const uint Gone = Ignored | 0x400 | 0x800; // ignored, delete-self, move-self
            private const int EAgain = 11;

            // File systems whose changes all go through this kernel: ext2/3/4, xfs, btrfs, tmpfs,
            // overlayfs, zfs, f2fs, ramfs, jfs, reiserfs.
            private static readonly HashSet<uint> LocalFileSystems = new HashSet<uint>
            {
                0xEF53, 0x58465342, 0x9123683E, 0x01021994, 0x794C7630, 0x2FC12FC1, 0xF2F52010, 0x858458F6, 0x3153464A, 0x52654973,
            };

            private static readonly Dictionary<int, List<string>> Folders = new Dictionary<int, List<string>>();
            private static readonly Dictionary<string, (int Wd, List<FolderWatch> Watches)> Watches = new Dictionary<string, (int, List<FolderWatch>)>(StringComparer.Ordinal);
            private static readonly byte[] Buffer = new byte[64 * 1024];
            private static int _fd = -1;
            private static bool _tried;

            public static object Gate { get; } = new object();

            /// <summary>Whether the process has its instance (made on first use; false where there is no inotify or none is left).</summary>
            public static bool Available
            {
                get
                {
                    lock (Gate)
                    {
                        if (!_tried)
                        {
                            _tried = true;
                            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
                            {
                                try
                                {
                                    _fd = NativeMethods.inotify_init1(InNonBlock | InCloExec);
                                }
                                catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
                                {
                                    _fd = -1;
                                }
                            }
                        }

                        return _fd >= 0;
                    }
                }
            }

            public static bool IsLocal(string path)
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

            public static bool Add(string folder, FolderWatch watch)
            {
                if (Watches.TryGetValue(folder, out var existing))
                {
                    // Events queued before this watch joins are read first, so that they are not taken
                    // for changes made after it started watching (harmless, but they would cost a check).
                    // A folder watched for the first time has no events queued.
                    Pump();
                    existing.Watches.Add(watch);
                    return true;
                }

                int wd = NativeMethods.inotify_add_watch(_fd, folder, Changes | OnlyDirectory | DontFollow);
                if (wd < 0)
                {
                    return false;
                }

                // The kernel gives the same watch for the same folder reached by another path (a
                // link above it): its events are handed to the watches of every path.
                if (!Folders.TryGetValue(wd, out var paths))
                {
                    paths = new List<string>();
                    Folders[wd] = paths;
                }

                paths.Add(folder);
                Watches[folder] = (wd, new List<FolderWatch> { watch });
                return true;
            }

            public static void Remove(string folder, FolderWatch watch)
            {
                if (Watches.TryGetValue(folder, out var entry))
                {
                    entry.Watches.Remove(watch);
                    if (entry.Watches.Count == 0)
                    {
                        Watches.Remove(folder);
                        if (Folders.TryGetValue(entry.Wd, out var paths) && paths.Remove(folder) && paths.Count == 0)
                        {
                            NativeMethods.inotify_rm_watch(_fd, entry.Wd);
                            Folders.Remove(entry.Wd);
                        }
                    }
                }
            }

            /// <summary>Reads every queued event and hands each to the watches of its folder.</summary>
            public static void Pump()
            {
                while (true)
                {
                    int read = NativeMethods.read(_fd, Buffer, (IntPtr)Buffer.Length).ToInt32();
                    if (read < 0)
                    {
                        if (Marshal.GetLastWin32Error() != EAgain)
                        {
                            Overflow();
                        }

                        return;
                    }

                    for (int offset = 0; offset + 16 <= read;)
                    {
                        int wd = BitConverter.ToInt32(Buffer, offset);
                        uint mask = BitConverter.ToUInt32(Buffer, offset + 4);
                        int length = BitConverter.ToInt32(Buffer, offset + 12);
                        var name = length == 0 ? string.Empty : System.Text.Encoding.UTF8.GetString(Buffer, offset + 16, length).TrimEnd('\0');
                        offset += 16 + length;
                        if ((mask & QueueOverflow) != 0)
                        {
                            Overflow();
                        }

                        if (Folders.TryGetValue(wd, out var paths))
                        {
                            bool gone = (mask & Gone) != 0;
                            foreach (var folder in paths)
                            {
                                foreach (var watch in Watches[folder].Watches)
                                {
                                    watch.Changed(folder, name, gone);
                                }

                                if (gone)
                                {
                                    Watches.Remove(folder);
                                }
                            }

                            if (gone)
                            {
                                // The kernel dropped the watch (the folder went away or moved).
                                Folders.Remove(wd);
                            }
                        }
                    }
                }
            }

            private static void Overflow()
            {
                var everyone = new HashSet<FolderWatch>();
                foreach (var entry in Watches.Values)
                {
                    everyone.UnionWith(entry.Watches);
                }

                foreach (var watch in everyone)
                {
                    watch.AllChanged();
                }
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
