using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using Secrets.Fuzz;
using Xunit;
using Xunit.Abstractions;

namespace Secrets.Core.Tests.Fuzz
{
    /// <summary>
    /// Every input of the committed fuzz corpus (tests/Secrets.Fuzz/corpus/TARGET: the seeds, what
    /// the fuzzer found, the inputs of every crash it found) through the same contract checks the
    /// fuzz targets make (docs/FUZZING.md), so a parser that breaks its contract fails here, on
    /// machines where no fuzzer runs.
    /// </summary>
    public class CorpusReplayTests
    {
        private static readonly TimeSpan PerInput = TimeSpan.FromSeconds(30);
        private readonly ITestOutputHelper _output;

        public CorpusReplayTests(ITestOutputHelper output) => _output = output;

        public static string Corpus =>
            typeof(CorpusReplayTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FuzzCorpus").Value!;

        public static IEnumerable<object[]> Targets() => FuzzTargets.All.Keys.Select(t => new object[] { t });

        [Theory]
        [MemberData(nameof(Targets))]
        public void EveryCorpusInputKeepsTheTargetsContract(string target)
        {
            var files = FuzzTargets.Files(Path.Combine(Corpus, target)).ToList();
            Assert.True(files.Count >= 2, $"the corpus of {target} has {files.Count} inputs");
            var failures = new List<string>();
            var clock = Stopwatch.StartNew();
            foreach (var file in files)
            {
                var problem = FuzzTargets.Run(target, File.ReadAllBytes(file), PerInput);
                if (problem != null)
                {
                    failures.Add($"{Path.GetFileName(file)}: {problem}");
                }
            }

            _output.WriteLine($"{target}: {files.Count} inputs in {clock.ElapsedMilliseconds} ms");
            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }

        [Fact]
        public void EveryCorpusFolderIsATarget()
        {
            var folders = Directory.EnumerateDirectories(Corpus).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal);
            Assert.Equal(FuzzTargets.All.Keys, folders);
        }

        [Fact]
        public void TheRunnerReportsViolationsOtherExceptionsAndHangs()
        {
            // A refusal of the parser's own kind passes; a violation, another exception or a hang fails.
            Assert.Null(FuzzTargets.Run("structured-values", Array.Empty<byte>(), PerInput));
            Assert.Contains("escaped", FuzzTargets.RunCheck(() => throw new InvalidOperationException("x"), PerInput));
            Assert.Contains("contract violation", FuzzTargets.RunCheck(() => throw new ContractViolation("y"), PerInput));
            Assert.Contains("hang", FuzzTargets.RunCheck(() => System.Threading.Thread.Sleep(2000), TimeSpan.FromMilliseconds(100)));
        }
    }
}
