using System;
using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Tests.Support;
using Xunit;

namespace Secrets.Core.Tests.Concurrency
{
    /// <summary>Several processes writing to one store at the same moment lose nothing.</summary>
    public class ProcessWriterTests
    {
        private const int Processes = 3;
        private const int WritesPerProcess = 6;

        [Fact]
        public void ProcessesWritingTogetherLoseNothing()
        {
            using var store = new WorkerStore(keepVersions: 1000);
            var workers = new List<Worker>();
            try
            {
                for (int p = 0; p < Processes; p++)
                {
                    workers.Add(store.Start("write", $"p{p}", WritesPerProcess.ToString()));
                }

                // Start barrier: every process has opened the store before any writes.
                foreach (var worker in workers)
                {
                    Assert.Equal("ready", worker.ReadLine(TimeSpan.FromSeconds(60)));
                }

                foreach (var worker in workers)
                {
                    worker.WriteLine("go");
                }

                foreach (var worker in workers)
                {
                    Assert.Equal("done", worker.ReadLine(TimeSpan.FromSeconds(120)));
                    worker.AssertExitsCleanly(TimeSpan.FromSeconds(30));
                }
            }
            finally
            {
                workers.ForEach(w => w.Dispose());
            }

            var reader = store.Open();
            var names = reader.List().Select(l => l.CanonicalName).ToList();
            var expected = Enumerable.Range(0, Processes).SelectMany(p => Enumerable.Range(0, WritesPerProcess).Select(i => $"p{p}/s{i}"));
            Assert.Equal(expected.Append("shared").OrderBy(n => n, StringComparer.Ordinal), names);
            for (int p = 0; p < Processes; p++)
            {
                for (int i = 0; i < WritesPerProcess; i++)
                {
                    using var value = reader.Read($"p{p}/s{i}", store.Owner);
                    Assert.Equal($"p{p}-{i}", value.GetText());
                }
            }

            // The shared secret: one version per write, contiguous, each value exactly once.
            int total = Processes * WritesPerProcess;
            Assert.Equal(Enumerable.Range(1, total), reader.GetInfo("shared").Versions);
            var values = Enumerable.Range(1, total).Select(v =>
            {
                using var value = reader.Read("shared", store.Owner, v);
                return value.GetText();
            });
            Assert.Equal(expected.Select(n => n.Replace("/s", "-")).OrderBy(v => v, StringComparer.Ordinal), values.OrderBy(v => v, StringComparer.Ordinal));
        }
    }
}
