using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using Secrets.Core.Crypto;
using Secrets.Core.Platform;

namespace Secrets.Core.Jobs
{
    /// <summary>
    /// The files a job gets: each written owner-only (permissions set before the content is
    /// written), remembered, and overwritten with zeros then deleted by <see cref="Dispose"/>,
    /// together with the folders created for them and the job's private folder.
    /// </summary>
    public sealed class JobFiles : IDisposable
    {
        public const string PrivateFolderPrefix = "secrets-run-";

        /// <summary>In each private folder: the id of the process it belongs to.</summary>
        public const string OwnerFile = ".owner-pid";

        private readonly List<string> _files = new List<string>();
        private readonly List<string> _createdDirectories = new List<string>();
        private string? _privateDirectory;

        /// <summary>The job's private folder, created on first use (in memory where the OS has it: /dev/shm).</summary>
        public string PrivateDirectory
        {
            get
            {
                if (_privateDirectory == null)
                {
                    var root = PrivateRoot();
                    RemoveAbandoned(root);
                    var name = PrivateFolderPrefix + Guid.NewGuid().ToString("N").Substring(0, 16);
                    var path = Path.Combine(root, name);
                    FilePermissions.CreateOwnerOnlyDirectory(path);
                    File.WriteAllText(Path.Combine(path, OwnerFile), System.Diagnostics.Process.GetCurrentProcess().Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    _privateDirectory = path;
                }

                return _privateDirectory;
            }
        }

        public bool HasPrivateDirectory => _privateDirectory != null;

        /// <summary>Every file written so far.</summary>
        public IReadOnlyList<string> Files => _files;

        /// <summary>Where the private folders live: /dev/shm on Linux when it is usable, else the temp folder.</summary>
        public static string PrivateRoot()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && Directory.Exists("/dev/shm"))
            {
                try
                {
                    var probe = Path.Combine("/dev/shm", ".secrets-probe-" + Guid.NewGuid().ToString("N"));
                    File.WriteAllBytes(probe, Array.Empty<byte>());
                    File.Delete(probe);
                    return "/dev/shm";
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }

            return Path.GetTempPath();
        }

        /// <summary>Creates the folder (and missing parents) and remembers what it created.</summary>
        public void EnsureDirectory(string path)
        {
            var missing = new Stack<string>();
            for (var current = Path.GetFullPath(path); current != null && !Directory.Exists(current); current = Path.GetDirectoryName(current))
            {
                missing.Push(current);
            }

            while (missing.Count > 0)
            {
                var directory = missing.Pop();
                Directory.CreateDirectory(directory);
                _createdDirectories.Add(directory);
            }
        }

        /// <summary>Writes a new owner-only file; an existing file is never overwritten.</summary>
        public void Write(string path, byte[] content)
        {
            EnsureDirectory(Path.GetDirectoryName(path)!);
            using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                _files.Add(path);
                FilePermissions.RestrictToOwner(path, isDirectory: false);
                stream.Write(content, 0, content.Length);
            }
        }

        /// <summary>Overwrites every file with zeros, deletes it, then removes the folders this job created.</summary>
        public void Dispose()
        {
            foreach (var file in _files)
            {
                Erase(file);
            }

            _files.Clear();
            for (int i = _createdDirectories.Count - 1; i >= 0; i--)
            {
                TryRemoveEmpty(_createdDirectories[i]);
            }

            _createdDirectories.Clear();
            if (_privateDirectory != null)
            {
                EraseTree(_privateDirectory);
                _privateDirectory = null;
            }
        }

        /// <summary>
        /// Erases private folders whose process no longer runs: a process killed outright never
        /// reaches its cleanup, so the next job of the same user does it.
        /// </summary>
        public static int RemoveAbandoned(string root)
        {
            int removed = 0;
            try
            {
                foreach (var directory in Directory.GetDirectories(root, PrivateFolderPrefix + "*"))
                {
                    // Only folders shaped like ours: owner-only, and not a link. Someone else's
                    // owner-only folder cannot be read, so its owner file is never seen below.
                    var info = new DirectoryInfo(directory);
                    if ((info.Attributes & FileAttributes.ReparsePoint) != 0 || FilePermissions.IsAccessibleByOthers(directory))
                    {
                        continue;
                    }

                    var owner = Path.Combine(directory, OwnerFile);
                    string text;
                    try
                    {
                        text = File.ReadAllText(owner).Trim();
                    }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                    {
                        continue; // Another user's folder, or one being created.
                    }

                    if (int.TryParse(text, out int pid) && !IsRunning(pid))
                    {
                        EraseTree(directory);
                        removed++;
                    }
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
            }

            return removed;
        }

        private static bool IsRunning(int pid)
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }

        private static void EraseTree(string directory)
        {
            try
            {
                foreach (var file in Directory.GetFiles(directory, "*", SearchOption.AllDirectories))
                {
                    Erase(file);
                }

                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private static void Erase(string file)
        {
            try
            {
                var info = new FileInfo(file);
                if (!info.Exists)
                {
                    return;
                }

                if ((info.Attributes & FileAttributes.ReparsePoint) == 0)
                {
                    using var stream = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.None);
                    var zeros = new byte[Math.Min(stream.Length, 64 * 1024)];
                    for (long written = 0; written < stream.Length; written += zeros.Length)
                    {
                        stream.Write(zeros, 0, (int)Math.Min(zeros.Length, stream.Length - written));
                    }

                    stream.Flush(true);
                }

                File.Delete(file);
            }
            catch (IOException)
            {
                TryDelete(file);
            }
            catch (UnauthorizedAccessException)
            {
                TryDelete(file);
            }
        }

        private static void TryDelete(string file)
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private static void TryRemoveEmpty(string directory)
        {
            try
            {
                if (Directory.Exists(directory) && Directory.GetFileSystemEntries(directory).Length == 0)
                {
                    Directory.Delete(directory);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        internal static void Zero(byte[] data) => Sensitive.Zero(data);
    }
}
