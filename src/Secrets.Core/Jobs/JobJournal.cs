using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using Secrets.Core.Crypto;
using Secrets.Core.Platform;

namespace Secrets.Core.Jobs
{
    /// <summary>What <see cref="JobJournal.CleanAbandoned"/> did: never any value, only paths.</summary>
    public sealed class JobJournalCleanup
    {
        internal static readonly JobJournalCleanup Nothing = new JobJournalCleanup(new List<string>(), new List<string>(), 0);

        internal JobJournalCleanup(IReadOnlyList<string> erased, IReadOnlyList<string> kept, int journals)
        {
            Erased = erased;
            Kept = kept;
            Journals = journals;
        }

        /// <summary>Files and folders with secrets that abandoned jobs had left, now overwritten and deleted.</summary>
        public IReadOnlyList<string> Erased { get; }

        /// <summary>
        /// Paths an abandoned job had written that were left in place because they are no longer
        /// what the job wrote (a link, another file, another owner), each with the reason.
        /// </summary>
        public IReadOnlyList<string> Kept { get; }

        /// <summary>How many journals of abandoned jobs were handled (and removed).</summary>
        public int Journals { get; }

        public override string ToString() => $"JobJournalCleanup({Journals} journals, {Erased.Count} erased, {Kept.Count} kept)";
    }

    /// <summary>
    /// The journal of a running job: before each file or folder of the job is created, its path is
    /// written to an owner-only file in the Secrets home (state/jobs) and flushed to disk, and the
    /// journal is removed once the job has erased everything. A job that is killed outright never
    /// gets to its cleanup; its journal stays, and <see cref="CleanAbandoned"/> (run at the start
    /// of every command of the module) erases what it lists.
    /// </summary>
    /// <remarks>
    /// A journal is named after its process: id, start time and a random part. While the job
    /// runs it holds the journal open and locked (an exclusive share mode on Windows, an exclusive
    /// lock on Unix), and the lock goes with the process. A journal is abandoned when it can be
    /// locked and no process with its id and start time runs: a later process that happens to get
    /// the same id is not mistaken for the job.
    /// </remarks>
    public sealed class JobJournal : IDisposable
    {
        public const string Extension = ".journal";

        private const string Header = "secrets-job-journal 1";
        private const int MaxJournalBytes = 16 * 1024 * 1024;

        private static readonly bool IsWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        private readonly string _directory;
        private FileStream? _stream;

        private JobJournal(string directory, string path, FileStream stream)
        {
            _directory = directory;
            Path = path;
            _stream = stream;
        }

        /// <summary>The journal file.</summary>
        public string Path { get; }

        /// <summary>Creates the journal of a new job in <paramref name="directory"/> (made owner-only).</summary>
        internal static JobJournal Create(string directory)
        {
            var name = ProcessIdentity.CurrentId.ToString(CultureInfo.InvariantCulture) + "-" + ProcessIdentity.CurrentStart + "-"
                + string.Concat(RandomBytes.Get(8).Select(b => b.ToString("x2", CultureInfo.InvariantCulture))) + Extension;
            var path = System.IO.Path.Combine(directory, name);
            for (int attempt = 1; ; attempt++)
            {
                FilePermissions.CreateOwnerOnlyDirectory(directory);
                try
                {
                    var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                    var journal = new JobJournal(directory, path, stream);
                    journal.Append(Header);
                    return journal;
                }
                catch (DirectoryNotFoundException) when (attempt < 5)
                {
                    // Another job removed the folder, empty, in between: create it again.
                }
            }
        }

        /// <summary>Before the job's private folder is created.</summary>
        internal void RecordPrivateFolder(string path) => Append("private " + Escape(path));

        /// <summary>Before a missing folder is created for a file of the job.</summary>
        internal void RecordFolder(string path) => Append("folder " + Escape(path));

        /// <summary>Before a file is created: where it goes, the staging folder it is made in, and its size.</summary>
        internal void RecordFile(string path, string stagingFolder, long size) =>
            Append("file " + size.ToString(CultureInfo.InvariantCulture) + " " + Escape(stagingFolder) + " " + Escape(path));

        /// <summary>After the file is created, before anything is written into it: which file it is.</summary>
        internal void RecordIdentity(string path, FileIdentity identity) =>
            Append("identity " + identity.Device.ToString(CultureInfo.InvariantCulture) + " " + identity.Inode.ToString(CultureInfo.InvariantCulture) + " " + Escape(path));

        /// <summary>Removes the journal: the job has erased everything it lists.</summary>
        public void Dispose()
        {
            if (_stream == null)
            {
                return;
            }

            if (!IsWindows)
            {
                // Still locked while it goes: no cleanup can take it for abandoned in between.
                TryDelete(Path);
            }

            _stream.Dispose();
            _stream = null;
            TryDelete(Path);
            TryRemoveEmptyFolder(_directory);
        }

        public override string ToString() => $"JobJournal({Path})";

        /// <summary>
        /// Erases what jobs that no longer run left behind: every file an abandoned journal lists is
        /// overwritten with zeros and deleted if it is still the file the job wrote (a regular file,
        /// not a link, owned by this user, the same file by device and inode where the system can
        /// tell, else no larger than what the job wrote and owner-only), then the folders the job
        /// created if they are empty, and the journal.
        /// Cheap when there is nothing to do: one check that the folder exists.
        /// </summary>
        /// <param name="directory">The journal folder; the one in the Secrets home when null.</param>
        public static JobJournalCleanup CleanAbandoned(string? directory = null)
        {
            directory ??= SecretsPaths.JobJournalDirectory;
            if (!Directory.Exists(directory))
            {
                return JobJournalCleanup.Nothing;
            }

            string[] journals;
            try
            {
                // Only a folder of this user's: not a link, and closed to others.
                if (IsLink(directory) || FilePermissions.IsAccessibleByOthers(directory)
                    || (FileIdentity.OfPath(directory) is FileIdentity folder && !folder.IsOwnedByCurrentUser))
                {
                    return JobJournalCleanup.Nothing;
                }

                journals = Directory.GetFiles(directory, "*" + Extension);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return JobJournalCleanup.Nothing;
            }

            var erased = new List<string>();
            var kept = new List<string>();
            int handled = 0;
            foreach (var journal in journals)
            {
                if (TryParseName(System.IO.Path.GetFileName(journal), out int id, out string start)
                    && !ProcessIdentity.IsRunning(id, start)
                    && CleanOne(journal, erased, kept))
                {
                    handled++;
                }
            }

            TryRemoveEmptyFolder(directory);
            return handled == 0 ? JobJournalCleanup.Nothing : new JobJournalCleanup(erased, kept, handled);
        }

        /// <summary>Erases what one journal lists, if its job is gone; false when it is locked or not a journal.</summary>
        private static bool CleanOne(string journal, List<string> erased, List<string> kept)
        {
            FileStream stream;
            try
            {
                if (IsLink(journal))
                {
                    return false;
                }

                // A running job holds its journal locked; so does another cleanup at work on it.
                stream = new FileStream(journal, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return false;
            }

            try
            {
                var entries = stream.Length > MaxJournalBytes ? null : Parse(stream);
                if (entries == null)
                {
                    return false; // Not a journal this version writes: left as it is.
                }

                var identities = new Dictionary<string, (ulong Device, ulong Inode)>(StringComparer.Ordinal);
                foreach (var entry in entries.Where(e => e[0] == "identity" && e.Length == 4))
                {
                    if (ulong.TryParse(entry[1], NumberStyles.None, CultureInfo.InvariantCulture, out var device)
                        && ulong.TryParse(entry[2], NumberStyles.None, CultureInfo.InvariantCulture, out var inode))
                    {
                        identities[entry[3]] = (device, inode);
                    }
                }

                foreach (var entry in entries.Where(e => e[0] == "file" && e.Length == 4))
                {
                    if (!long.TryParse(entry[1], NumberStyles.None, CultureInfo.InvariantCulture, out long size))
                    {
                        continue;
                    }

                    (ulong, ulong)? identity = identities.TryGetValue(entry[3], out var known) ? known : ((ulong, ulong)?)null;
                    EraseIfUnchanged(entry[3], identity, size, erased, kept);
                    EraseIfUnchanged(PrivateStaging.FileIn(entry[2]), identity, size, erased, kept);
                    TryRemoveEmptyFolder(entry[2]);
                }

                foreach (var entry in entries.Where(e => e[0] == "private" && e.Length == 2))
                {
                    ErasePrivateFolder(entry[1], erased, kept);
                }

                foreach (var entry in entries.Where(e => e[0] == "folder" && e.Length == 2).Reverse())
                {
                    TryRemoveEmptyFolder(entry[1]);
                }

                if (!IsWindows)
                {
                    TryDelete(journal);
                }
            }
            finally
            {
                stream.Dispose();
            }

            TryDelete(journal);
            return true;
        }

        /// <summary>The journal's entries (each line split in its fields, paths unescaped), or null when it is not a journal.</summary>
        private static List<string[]>? Parse(FileStream stream)
        {
            var bytes = new byte[stream.Length];
            int read = 0;
            while (read < bytes.Length)
            {
                int n = stream.Read(bytes, read, bytes.Length - read);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            string text;
            try
            {
                text = new UTF8Encoding(false, true).GetString(bytes, 0, read);
            }
            catch (ArgumentException)
            {
                return null;
            }

            // Every entry ends with a line break; a last line without one was cut short by the kill
            // (before the file it announces was created) and is ignored. A job killed before its
            // header was complete had created nothing.
            var lines = text.Split('\n');
            if (lines.Length < 2)
            {
                return (Header + "\n").StartsWith(text, StringComparison.Ordinal) ? new List<string[]>() : null;
            }

            if (lines[0] != Header)
            {
                return null;
            }

            var entries = new List<string[]>();
            for (int i = 1; i < lines.Length - 1; i++)
            {
                var fields = lines[i].Split(' ');
                for (int f = 1; f < fields.Length; f++)
                {
                    fields[f] = Unescape(fields[f]);
                }

                entries.Add(fields);
            }

            return entries;
        }

        /// <summary>Overwrites and deletes a file the job wrote, if it still is that file; otherwise says why it stays.</summary>
        private static void EraseIfUnchanged(string path, (ulong Device, ulong Inode)? recorded, long size, List<string> erased, List<string> kept)
        {
            FileAttributes attributes;
            try
            {
                attributes = File.GetAttributes(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return; // Gone (or out of reach): nothing of the job's is there.
            }

            string? reason = null;
            var now = FileIdentity.OfPath(path);
            bool byIdentity = recorded != null && now != null;
            if ((attributes & FileAttributes.ReparsePoint) != 0)
            {
                reason = "it is now a link";
            }
            else if ((attributes & FileAttributes.Directory) != 0)
            {
                reason = "it is now a folder";
            }
            else if (now is FileIdentity current && !current.IsRegularFile)
            {
                reason = "it is not a regular file";
            }
            else if (now is FileIdentity owned && !owned.IsOwnedByCurrentUser)
            {
                reason = "another user owns it";
            }
            else if (byIdentity && (now!.Value.Device != recorded!.Value.Device || now.Value.Inode != recorded.Value.Inode))
            {
                reason = "it is another file than the one the job wrote";
            }
            else if (!byIdentity && Length(path) is long length && length > size)
            {
                reason = "it is larger than what the job wrote";
            }
            else if (!byIdentity && FilePermissions.IsAccessibleByOthers(path))
            {
                reason = "others can open it, and the job wrote it owner-only";
            }

            if (reason != null)
            {
                kept.Add($"{path} ({reason})");
                return;
            }

            FileStream stream;
            try
            {
                stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
            {
                return; // Gone in the meantime.
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                kept.Add($"{path} (it cannot be opened: {e.GetType().Name})");
                return;
            }

            // The path may have been swapped between the check and the open: erase only through a
            // handle on the very file the job wrote.
            if (recorded != null && FileIdentity.Of(stream) is FileIdentity opened && (opened.Device != recorded.Value.Device || opened.Inode != recorded.Value.Inode))
            {
                stream.Dispose();
                kept.Add($"{path} (it changed while it was being erased)");
                return;
            }

            JobFiles.Erase(stream, path);
            if (!File.Exists(path))
            {
                erased.Add(path);
            }
            else
            {
                kept.Add($"{path} (overwritten, but it could not be deleted)");
            }
        }

        private static void ErasePrivateFolder(string path, List<string> erased, List<string> kept)
        {
            if (!Directory.Exists(path))
            {
                return;
            }

            if (IsLink(path))
            {
                kept.Add($"{path} (it is now a link)");
                return;
            }

            if (FilePermissions.IsAccessibleByOthers(path) || (FileIdentity.OfPath(path) is FileIdentity folder && !folder.IsOwnedByCurrentUser))
            {
                kept.Add($"{path} (it is no longer a folder only you can open)");
                return;
            }

            JobFiles.EraseTree(path);
            if (!Directory.Exists(path))
            {
                erased.Add(path);
            }
            else
            {
                kept.Add($"{path} (it could not be deleted)");
            }
        }

        private static long? Length(string path)
        {
            try
            {
                return new FileInfo(path).Length;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return null;
            }
        }

        /// <summary>Journal names: &lt;process id&gt;-&lt;process start&gt;-&lt;random&gt;.journal.</summary>
        private static bool TryParseName(string name, out int id, out string start)
        {
            id = 0;
            start = string.Empty;
            if (!name.EndsWith(Extension, StringComparison.Ordinal))
            {
                return false;
            }

            var parts = name.Substring(0, name.Length - Extension.Length).Split('-');
            if (parts.Length != 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out id) || parts[1].Length == 0)
            {
                return false;
            }

            start = parts[1];
            return true;
        }

        private void Append(string line)
        {
            var bytes = Encoding.UTF8.GetBytes(line + "\n");
            _stream!.Write(bytes, 0, bytes.Length);
            _stream.Flush(true);
        }

        /// <summary>Paths in a journal: '%', space and control characters as %XX, so fields split on spaces and lines on '\n'.</summary>
        internal static string Escape(string path)
        {
            var builder = new StringBuilder(path.Length);
            foreach (char c in path)
            {
                if (c == '%' || c == ' ' || c < 0x20 || c == 0x7f)
                {
                    builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
                }
                else
                {
                    builder.Append(c);
                }
            }

            return builder.ToString();
        }

        internal static string Unescape(string field)
        {
            if (field.IndexOf('%') < 0)
            {
                return field;
            }

            var builder = new StringBuilder(field.Length);
            for (int i = 0; i < field.Length; i++)
            {
                if (field[i] == '%' && i + 2 < field.Length && int.TryParse(field.Substring(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                {
                    builder.Append((char)code);
                    i += 2;
                }
                else
                {
                    builder.Append(field[i]);
                }
            }

            return builder.ToString();
        }

        private static bool IsLink(string path)
        {
            try
            {
                return (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return false;
            }
        }

        private static void TryDelete(string path)
        {
            try
            {
                if (File.Exists(path))
                {
                    File.Delete(path);
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
            }
        }

        private static void TryRemoveEmptyFolder(string directory)
        {
            try
            {
                if (Directory.Exists(directory) && !IsLink(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
                {
                    Directory.Delete(directory);
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
            }
        }
    }
}
