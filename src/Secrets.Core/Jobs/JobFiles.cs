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
    /// together with the folders created for them and the job's private folder. Every path is
    /// recorded in the job's <see cref="JobJournal"/> before it is created, so that what a killed
    /// job leaves is erased by the next command.
    /// </summary>
    public sealed class JobFiles : IDisposable
    {
        public const string PrivateFolderPrefix = "secrets-run-";

        /// <summary>In each private folder: the id of the process it belongs to.</summary>
        public const string OwnerFile = ".owner-pid";

        private readonly List<(string Path, FileStream Stream)> _files = new List<(string, FileStream)>();
        private readonly List<string> _createdDirectories = new List<string>();
        private readonly string _journalDirectory;
        private JobJournal? _journal;
        private string? _privateDirectory;

        /// <summary>Files whose journal is in the Secrets home (<see cref="SecretsPaths.JobJournalDirectory"/>).</summary>
        public JobFiles()
            : this(SecretsPaths.JobJournalDirectory)
        {
        }

        /// <summary>Files whose journal is in <paramref name="journalDirectory"/>.</summary>
        public JobFiles(string journalDirectory)
        {
            _journalDirectory = journalDirectory ?? throw new ArgumentNullException(nameof(journalDirectory));
        }

        /// <summary>The journal of this job, once it has created anything; null before, and after <see cref="Dispose"/>.</summary>
        public string? JournalPath => _journal?.Path;

        private JobJournal Journal => _journal ??= JobJournal.Create(_journalDirectory);

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
                    Journal.RecordPrivateFolder(path);
                    FilePermissions.CreateOwnerOnlyDirectory(path);
                    File.WriteAllText(Path.Combine(path, OwnerFile), System.Diagnostics.Process.GetCurrentProcess().Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    _privateDirectory = path;
                }

                return _privateDirectory;
            }
        }

        public bool HasPrivateDirectory => _privateDirectory != null;

        /// <summary>Every file written so far.</summary>
        public IReadOnlyList<string> Files => _files.ConvertAll(f => f.Path);

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
                Journal.RecordFolder(directory);
                Directory.CreateDirectory(directory);
                _createdDirectories.Add(directory);
            }
        }

        /// <summary>
        /// Writes a new owner-only file; an existing file (or link) is never overwritten. The file is
        /// made in a private staging folder and renamed into place, so no one else can ever open it,
        /// and it stays open until <see cref="Dispose"/> erases it through this handle: swapping the
        /// path for a link in the meantime cannot make the erasure overwrite another file.
        /// </summary>
        public void Write(string path, byte[] content)
        {
            var directory = Path.GetDirectoryName(path)!;
            EnsureDirectory(directory);
            var stagingFolder = PrivateStaging.NewFolder(directory);
            Journal.RecordFile(path, stagingFolder, content.Length);
            using var staging = PrivateStaging.CreateAt(stagingFolder);
            var stream = new FileStream(staging.File, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
            try
            {
                FilePermissions.RestrictToOwner(staging.File, isDirectory: false);
                if (FileIdentity.Of(stream) is FileIdentity identity)
                {
                    Journal.RecordIdentity(path, identity);
                }

                stream.Write(content, 0, content.Length);
                stream.Flush(true);
                File.Move(staging.File, path);
            }
            catch
            {
                Erase(stream, staging.File);
                throw;
            }

            _files.Add((path, stream));
        }

        /// <summary>Overwrites every file with zeros, deletes it, then removes the folders this job created.</summary>
        public void Dispose()
        {
            foreach (var (path, stream) in _files)
            {
                Erase(stream, path);
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

            _journal?.Dispose();
            _journal = null;
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

        /// <summary>Overwrites the file with zeros through its open handle, closes it, and deletes the path.</summary>
        internal static void Erase(FileStream stream, string path)
        {
            try
            {
                stream.Position = 0;
                var zeros = new byte[Math.Min(stream.Length, 64 * 1024)];
                for (long written = 0, length = stream.Length; written < length; written += zeros.Length)
                {
                    stream.Write(zeros, 0, (int)Math.Min(zeros.Length, length - written));
                }

                stream.Flush(true);
            }
            catch (IOException)
            {
            }
            finally
            {
                stream.Dispose();
                TryDelete(path);
            }
        }

        internal static void EraseTree(string directory)
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
