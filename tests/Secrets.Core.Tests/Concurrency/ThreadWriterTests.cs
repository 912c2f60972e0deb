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
