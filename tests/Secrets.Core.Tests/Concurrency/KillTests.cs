using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Secrets.Core.Errors;
using Secrets.Core.Store;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Concurrency
{
    /// <summary>A writer process killed at random moments leaves every secret readable and the store usable.</summary>
    public class KillTests
    {
        private static readonly string[] Names = { "kill/a", "kill/b", "kill/c" };

        [Fact]
        public void WriterKilledAtRandomMomentsLeavesAConsistentStore()
        {
            int seed = Environment.TickCount;
            var random = new Random(seed);
            using var store = new WorkerStore(keepVersions: 3);
            var reported = Names.ToDictionary(n => n, _ => 0);

            for (int round = 0; round < 5; round++)
            {
                using (var worker = store.Start("write-loop", string.Join(",", Names)))
                {
                    Assert.Equal("ready", worker.ReadLine(TimeSpan.FromSeconds(60)));

                    // Let it write a few versions, then kill it somewhere inside a later write.
                    int writes = random.Next(1, 6);
                    for (int i = 0; i < writes; i++)
                    {
                        Record(worker.ReadLine(TimeSpan.FromSeconds(60)), reported);
                    }

                    Thread.Sleep(random.Next(0, 40));
                    worker.Kill();
                    while (worker.TryReadLine(out var line))
                    {
                        Record(line!, reported);
                    }
                }

                AssertConsistent(store, reported, $"seed {seed}, round {round}");
            }

            // The operating system released the lock of the last killed writer.
            var after = store.Open();
            after.LockTimeout = TimeSpan.FromSeconds(5);
            using var last = SecretValue.FromString("after the kills");
            var record = after.Write(Names[0], last, null, store.Owner, WriteMode.CreateOrUpdate);
            Assert.True(record.Version >= reported[Names[0]] + 1);
        }

        private static void Record(string line, Dictionary<string, int> reported)
        {
            var parts = line.Split(' ');
            Assert.Equal("wrote", parts[0]);
            int version = int.Parse(parts[2]);
            Assert.Equal(reported[parts[1]] + 1, version);
            reported[parts[1]] = version;
        }

        private static void AssertConsistent(WorkerStore store, Dictionary<string, int> reported, string context)
        {
            var reader = store.Open();
            foreach (var name in Names)
            {
                // The newest version is the last one reported, or one more if the kill came after
                // the rename but before the worker printed it.
                int version;
                try
                {
                    using var value = reader.Read(name, store.Owner, null, out var record);
                    version = record.Version;
                    Assert.Equal($"loop-{name}-{version}", value.GetText());
                }
                catch (SecretNotFoundException) when (reported[name] == 0)
                {
                    version = 0;
                }

                Assert.True(version == reported[name] || version == reported[name] + 1,
                    $"{context}: {name} reads at version {version}, last reported {reported[name]}");
                reported[name] = version;

                // Every version kept decrypts to what was written for it.
                if (version > 0)
                {
                    foreach (var kept in reader.GetHistory(name))
                    {
                        using var old = reader.Read(name, store.Owner, kept.Version);
                        Assert.Equal($"loop-{name}-{kept.Version}", old.GetText());
                    }
                }
            }

            // A temporary file left by a kill holds only ciphertext.
            foreach (var temp in Directory.EnumerateFiles(Path.Combine(store.StorePath, "secrets"), "*.tmp", SearchOption.AllDirectories))
            {
                Assert.False(FileEdits.Contains(File.ReadAllBytes(temp), Encoding.UTF8.GetBytes("loop-")), $"{context}: {temp} holds plaintext");
            }

            Assert.All(reader.List(), l => Assert.Null(l.Error));
        }
    }
}
