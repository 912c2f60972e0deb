using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Secrets.Core.Jobs;
using Secrets.Core.Store;
using Secrets.Core.Tests.Concurrency;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Jobs
{
    /// <summary>
    /// A job killed outright (SIGKILL) never reaches its cleanup: its journal lists what it wrote,
    /// and the next cleanup erases it. Real worker processes, really killed.
    /// </summary>
    public class JobJournalTests
    {
        private const string Value = "killed-job-value-8c41f0";

        /// <summary>A store with the secret 'db', a template that uses it, and where a job puts its files.</summary>
        private sealed class KilledJobScene : IDisposable
        {
            private readonly WorkerStore _store = new WorkerStore(keepVersions: 3);
            private readonly TempFolder _work = new TempFolder();

            public KilledJobScene()
            {
                using (var value = SecretValue.FromString(Value))
                {
                    _store.Open().Write("db", value, null, _store.Owner, WriteMode.CreateOnly);
                }

                Template = _work.Combine("app.conf.tmpl");
                System.IO.File.WriteAllText(Template, "password={{ db }}\n");
                File = _work.Combine("out", "abs", "db.txt");
                Output = _work.Combine("rendered", "app.conf");
                Journals = _work.Combine("journals");
            }

            public string Template { get; }
            public string File { get; }
            public string Output { get; }
            public string Journals { get; }
            public string Work => _work.Path;
            public string PrivateFolder { get; private set; } = string.Empty;
            public string PrivateFile => Path.Combine(PrivateFolder, "private.txt");

            /// <summary>Starts a job in a worker, waits until its files are written, and kills it (SIGKILL).</summary>
            public void RunAndKillJob(Action? whileRunning = null)
            {
                using var worker = _store.Start("job-hang", Journals, "db", File, Output, Template);
                var ready = worker.ReadLine(TimeSpan.FromSeconds(60));
                Assert.StartsWith("ready ", ready);
                PrivateFolder = ready.Substring("ready ".Length);
                whileRunning?.Invoke();
                worker.Kill();
            }

            public void Dispose()
            {
                _store.Dispose();
                _work.Dispose();
                if (PrivateFolder.Length > 0 && Directory.Exists(PrivateFolder))
                {
                    Directory.Delete(PrivateFolder, recursive: true);
                }
            }
        }

        [Fact]
        public void WhatAKilledJobWroteIsErasedByTheNextCleanupAndReported()
        {
            using var scene = new KilledJobScene();
            scene.RunAndKillJob(whileRunning: () =>
            {
                // The job is alive: its journal is locked and its process runs, so nothing is touched.
                var early = JobJournal.CleanAbandoned(scene.Journals);
                Assert.Equal(0, early.Journals);
                Assert.Empty(early.Erased);
                Assert.Equal(Value, System.IO.File.ReadAllText(scene.File));
            });

            // Killed outright: everything it wrote is still on disk, and so is its journal.
            Assert.Equal(Value, System.IO.File.ReadAllText(scene.File));
            Assert.Equal($"password={Value}\n", System.IO.File.ReadAllText(scene.Output));
            Assert.Equal(Value, System.IO.File.ReadAllText(scene.PrivateFile));
            Assert.Single(Directory.GetFiles(scene.Journals, "*" + JobJournal.Extension));

            var cleanup = JobJournal.CleanAbandoned(scene.Journals);
            Assert.Equal(1, cleanup.Journals);
            Assert.Empty(cleanup.Kept);
            Assert.Contains(scene.File, cleanup.Erased);
            Assert.Contains(scene.Output, cleanup.Erased);
            Assert.Contains(scene.PrivateFile, cleanup.Erased);
            Assert.Contains(scene.PrivateFolder, cleanup.Erased);

            Assert.False(System.IO.File.Exists(scene.File));
            Assert.False(System.IO.File.Exists(scene.Output));
            Assert.False(Directory.Exists(scene.PrivateFolder));
            Assert.False(Directory.Exists(Path.Combine(scene.Work, "out")), "the folders the job created are removed");
            Assert.False(Directory.Exists(Path.Combine(scene.Work, "rendered")));
            Assert.True(System.IO.File.Exists(scene.Template));
            Assert.False(Directory.Exists(scene.Journals), "the journal is removed, and its folder with it");
            Assert.DoesNotContain(Value, string.Join("\n", cleanup.Erased) + cleanup);

            Assert.Equal(0, JobJournal.CleanAbandoned(scene.Journals).Journals);
        }

        [LinuxFact]
        public void AFileThatIsNoLongerTheOneTheJobWroteIsLeftInPlaceAndReported()
        {
            using var scene = new KilledJobScene();
            scene.RunAndKillJob();

            // Someone with write access to the folders puts another file of the same size at one
            // path, and a link to a file of the user's at the other.
            var moved = scene.File + ".moved";
            System.IO.File.Move(scene.File, moved);
            System.IO.File.WriteAllText(scene.File, new string('x', Value.Length));
            if (OperatingSystem.IsLinux())
            {
                System.IO.File.SetUnixFileMode(scene.File, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            var victim = Path.Combine(scene.Work, "victim.txt");
            System.IO.File.WriteAllText(victim, "precious, not the job's");
            var renderedAway = scene.Output + ".moved";
            System.IO.File.Move(scene.Output, renderedAway);
            System.IO.File.CreateSymbolicLink(scene.Output, victim);

            var cleanup = JobJournal.CleanAbandoned(scene.Journals);
            Assert.Equal(1, cleanup.Journals);
            Assert.Contains(cleanup.Kept, k => k.StartsWith(scene.File + " (", StringComparison.Ordinal) && k.Contains("another file"));
            Assert.Contains(cleanup.Kept, k => k.StartsWith(scene.Output + " (", StringComparison.Ordinal) && k.Contains("link"));
            Assert.Equal(new string('x', Value.Length), System.IO.File.ReadAllText(scene.File));
            Assert.Equal("precious, not the job's", System.IO.File.ReadAllText(victim));
            Assert.Contains(scene.PrivateFile, cleanup.Erased);
            Assert.False(Directory.Exists(scene.PrivateFolder));
        }

        [Fact]
        public void ARunningJobKeepsItsJournalOnlyWhileItHasFilesAndNoCleanupTouchesIt()
        {
            using var folder = new TempFolder();
            var journals = folder.Combine("journals");
            var target = folder.Combine("db.txt");
            var files = new JobFiles(journals);
            Assert.Null(files.JournalPath);
            Assert.False(Directory.Exists(journals), "a job that writes nothing keeps no journal");

            files.Write(target, Encoding.UTF8.GetBytes(Value));
            var journal = files.JournalPath;
            Assert.NotNull(journal);
            Assert.True(System.IO.File.Exists(journal));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, System.IO.File.GetUnixFileMode(journals));
            }

            var cleanup = JobJournal.CleanAbandoned(journals);
            Assert.Equal(0, cleanup.Journals);
            Assert.Equal(Value, System.IO.File.ReadAllText(target));

            files.Dispose();
            Assert.Null(files.JournalPath);
            Assert.False(System.IO.File.Exists(journal));
            Assert.False(Directory.Exists(journals));
            Assert.False(System.IO.File.Exists(target));
        }

        /// <summary>The id of a process that has ended, for journals of jobs that no longer run.</summary>
        private static int DeadProcessId()
        {
            using var finished = System.Diagnostics.Process.Start(OperatingSystem.IsWindows() ? "cmd.exe" : "true", OperatingSystem.IsWindows() ? "/c exit" : string.Empty)!;
            finished.WaitForExit();
            return finished.Id;
        }

        /// <summary>Writes a journal by hand, as docs/FORMAT.md describes it, for a process that no longer runs.</summary>
        private static string AbandonedJournal(string directory, string text)
        {
            Secrets.Core.Platform.FilePermissions.CreateOwnerOnlyDirectory(directory);
            var path = Path.Combine(directory, $"{DeadProcessId()}-{(OperatingSystem.IsLinux() ? "l" : "u")}1-0123456789abcdef{JobJournal.Extension}");
            System.IO.File.WriteAllText(path, text);
            return path;
        }

        [UnixFact]
        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        public void WithoutARecordedIdentityOnlyAnOwnerOnlyFileNoLargerThanWhatTheJobWroteIsErased()
        {
            using var folder = new TempFolder();
            var ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            string Make(string name, string content, UnixFileMode mode)
            {
                var path = folder.Combine(name);
                System.IO.File.WriteAllText(path, content);
                System.IO.File.SetUnixFileMode(path, mode);
                return path;
            }

            // Killed while writing: 3 of the 10 bytes are there.
            var partial = Make("partial.txt", "abc", ownerOnly);
            var grown = Make("grown.txt", new string('g', 20), ownerOnly);
            var open = Make("open.txt", new string('o', 10), ownerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            var announced = Make("announced.txt", new string('a', 10), ownerOnly);
            var missing = folder.Combine("missing.txt");
            string Entry(string path) => $"file 10 {JobJournal.Escape(folder.Combine(".none.stage"))} {JobJournal.Escape(path)}\n";
            var journal = AbandonedJournal(folder.Combine("journals"),
                "secrets-job-journal 1\n" + Entry(partial) + Entry(grown) + Entry(open) + Entry(missing) + Entry(announced).TrimEnd('\n'));

            // A journal folder others can open is not one this user's jobs made: ignored.
            System.IO.File.SetUnixFileMode(folder.Combine("journals"), ownerOnly | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            Assert.Equal(0, JobJournal.CleanAbandoned(folder.Combine("journals")).Journals);
            Assert.True(System.IO.File.Exists(partial));
            System.IO.File.SetUnixFileMode(folder.Combine("journals"), ownerOnly | UnixFileMode.UserExecute);

            var cleanup = JobJournal.CleanAbandoned(folder.Combine("journals"));
            Assert.Equal(1, cleanup.Journals);
            Assert.Equal(new[] { partial }, cleanup.Erased);
            Assert.Equal(2, cleanup.Kept.Count);
            Assert.Contains(cleanup.Kept, k => k.StartsWith(grown + " (", StringComparison.Ordinal) && k.Contains("larger"));
            Assert.Contains(cleanup.Kept, k => k.StartsWith(open + " (", StringComparison.Ordinal) && k.Contains("others can open it"));
            Assert.False(System.IO.File.Exists(partial));
            Assert.True(System.IO.File.Exists(grown) && System.IO.File.Exists(open));

            // The last line was cut short: the file it announces was never created by the job.
            Assert.True(System.IO.File.Exists(announced));
            Assert.False(System.IO.File.Exists(journal));
        }

        [Fact]
        public void AJournalOfAnotherVersionIsLeftAndOneCutShortInItsHeaderIsRemoved()
        {
            using var folder = new TempFolder();
            var journals = folder.Combine("journals");
            var later = AbandonedJournal(journals, "secrets-job-journal 9\nsomething new\n");
            var cutShort = Path.Combine(journals, Path.GetFileName(later).Replace("0123456789abcdef", "fedcba9876543210"));
            System.IO.File.WriteAllText(cutShort, "secrets-job-jo");

            var cleanup = JobJournal.CleanAbandoned(journals);
            Assert.Equal(1, cleanup.Journals);
            Assert.Empty(cleanup.Erased);
            Assert.True(System.IO.File.Exists(later));
            Assert.False(System.IO.File.Exists(cutShort));
        }

        [Fact]
        public void PathsWithSpacesPercentAndLineBreaksSurviveTheJournal()
        {
            foreach (var path in new[] { "/tmp/a b/c%20d", "/tmp/line\nbreak", "C:\\Users\\x y\\%TEMP%", "/tmp/ünï cødé" })
            {
                var escaped = JobJournal.Escape(path);
                Assert.DoesNotContain(' ', escaped);
                Assert.DoesNotContain('\n', escaped);
                Assert.Equal(path, JobJournal.Unescape(escaped));
            }
        }

        [Fact]
        public void AJobKilledAtAnyMomentLeavesNothingTheCleanupDoesNotErase()
        {
            int seed = Environment.TickCount;
            var random = new Random(seed);
            using var store = new WorkerStore(keepVersions: 3);
            using var folder = new TempFolder();
            var journals = folder.Combine("journals");
            var work = folder.Combine("work");
            var value = "loop-secret-" + Guid.NewGuid().ToString("N");
            for (int round = 0; round < 4; round++)
            {
                using (var worker = store.Start("job-loop", journals, work, value))
                {
                    for (int i = random.Next(1, 12); i > 0; i--)
                    {
                        Assert.StartsWith("wrote ", worker.ReadLine(TimeSpan.FromSeconds(60)));
                    }

                    Thread.Sleep(random.Next(0, 30));
                    worker.Kill();
                }

                JobJournal.CleanAbandoned(journals);
                var left = Directory.Exists(work)
                    ? Directory.EnumerateFiles(work, "*", SearchOption.AllDirectories).Where(f => System.IO.File.ReadAllText(f).Contains(value)).ToList()
                    : new System.Collections.Generic.List<string>();
                Assert.True(left.Count == 0, $"seed {seed}, round {round}: left with the value: {string.Join(", ", left)}");
                Assert.True(!Directory.Exists(journals) || Directory.GetFiles(journals).Length == 0, $"seed {seed}, round {round}: a journal is left");
            }
        }
    }
}
