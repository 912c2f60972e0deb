using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Secrets.Core.Store;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Concurrency
{
    /// <summary>Writers on several threads at once lose nothing; readers meanwhile see whole versions.</summary>
    public class ThreadWriterTests
    {
        private const int Threads = 4;
        private const int WritesPerThread = 8;

        [Fact]
        public void ThreadsWritingDifferentSecretsLoseNone()
        {
            using var t = new TestStore();
            RunTogether(thread =>
            {
                var store = t.Reopen();
                for (int i = 0; i < WritesPerThread; i++)
                {
                    using var value = SecretValue.FromString($"t{thread}-{i}");
                    Assert.Equal(1, store.Write($"t{thread}/s{i}", value, null, t.Owner, WriteMode.CreateOnly).Version);
                }
            });

            var reader = t.Reopen();
            var listed = reader.List().ToList();
            Assert.Equal(Threads * WritesPerThread, listed.Count);
            Assert.All(listed, l => Assert.Null(l.Error));
            for (int thread = 0; thread < Threads; thread++)
            {
                for (int i = 0; i < WritesPerThread; i++)
                {
                    using var value = reader.Read($"t{thread}/s{i}", t.Owner);
                    Assert.Equal($"t{thread}-{i}", value.GetText());
                }
            }
        }

        [Fact]
        public void ThreadsWritingTheSameSecretGetContiguousVersions()
        {
            using var t = new TestStore(keepVersions: 1000);
            var versions = new ConcurrentBag<int>();
            RunTogether(thread =>
            {
                // One store object shared by every thread, as one process would.
                for (int i = 0; i < WritesPerThread; i++)
                {
                    using var value = SecretValue.FromString($"t{thread}-{i}");
                    versions.Add(t.Store.Write("shared", value, null, t.Owner, WriteMode.CreateOrUpdate).Version);
                }
            });

            int total = Threads * WritesPerThread;
            Assert.Equal(Enumerable.Range(1, total), versions.OrderBy(v => v));
            AssertEveryWriteKept(t, "shared", total, Enumerable.Range(0, Threads).SelectMany(thread => Enumerable.Range(0, WritesPerThread).Select(i => $"t{thread}-{i}")));
        }

        [Fact]
        public async Task ReadersDuringWritesOfTheSameUserNeverFail()
        {
            // A reader and a writer sharing local state: the versions the writer records as seen
            // must never make the reader report a rollback, and a version pruned under the reader
            // is looked up again. Files readers ignore (FORMAT.md: any other file in a secret
            // folder) make each listing take a while, which is when a write can slip in.
            using var t = new TestStore(keepVersions: 1);
            using (var first = SecretValue.FromString("w0"))
            {
                t.Store.Write("shared", first, null, t.Owner, WriteMode.CreateOnly);
            }

            var folder = System.IO.Path.GetDirectoryName(t.VersionFile("shared", 1))!;
            for (int i = 0; i < 600; i++)
            {
                System.IO.File.WriteAllBytes(System.IO.Path.Combine(folder, $"v0{i}.secret"), Array.Empty<byte>());
            }

            var failures = new ConcurrentQueue<string>();
            int reads = 0;
            using var done = new CancellationTokenSource();
            var reader = Task.Run(() =>
            {
                var store = t.Reopen();
                while (!done.IsCancellationRequested)
                {
                    try
                    {
                        using var value = store.Read("shared", t.Owner);
                        Assert.StartsWith("w", value.GetText());
                        Interlocked.Increment(ref reads);
                    }
                    catch (Exception e)
                    {
                        failures.Enqueue($"{e.GetType().Name}: {e.Message}");
                    }
                }
            });

            // Write while the reader reads: at least 80 versions and until it has read 200 times.
            SpinWait.SpinUntil(() => Volatile.Read(ref reads) > 0 || !failures.IsEmpty || reader.IsCompleted, TimeSpan.FromSeconds(30));
            int written = 0;
            while ((written < 80 || Volatile.Read(ref reads) < 200) && written < 400 && !reader.IsCompleted)
            {
                using var value = SecretValue.FromString($"w{++written}");
                t.Store.Write("shared", value, null, t.Owner, WriteMode.CreateOrUpdate);
            }

            done.Cancel();
            await reader;
            Assert.True(failures.IsEmpty, $"{failures.Count} of {reads + failures.Count} reads during {written} writes failed, e.g. {failures.FirstOrDefault()}");
            Assert.True(reads >= 200, $"only {reads} reads during {written} writes");
        }

        internal static void AssertEveryWriteKept(TestStore t, string name, int total, IEnumerable<string> written)
        {
            var reader = t.Reopen();
            Assert.Equal(Enumerable.Range(1, total), reader.GetInfo(name).Versions);
            var values = new List<string>();
            for (int version = 1; version <= total; version++)
            {
                using var value = reader.Read(name, t.Owner, version);
                values.Add(value.GetText());
            }

            Assert.Equal(written.OrderBy(v => v, StringComparer.Ordinal), values.OrderBy(v => v, StringComparer.Ordinal));
        }

        private static void RunTogether(Action<int> body)
        {
            using var start = new Barrier(Threads);
            var tasks = Enumerable.Range(0, Threads).Select(thread => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                body(thread);
            }, TaskCreationOptions.LongRunning)).ToArray();
            Task.WaitAll(tasks);
        }
    }
}
