using System;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Secrets.Benchmarks
{
    /// <summary>
    /// BenchmarkDotNet's defaults plus the scaling columns, and unless the command line names a job
    /// (--job, -j), a short job (3 warm-ups, 3 iterations, one launch) run in this process, so each
    /// store is written once and shared by the four operations.
    /// </summary>
    public static class BenchmarkConfig
    {
        /// <summary>The configuration for these command-line arguments.</summary>
        public static IConfig For(string[] args)
        {
            var config = ManualConfig.Create(DefaultConfig.Instance)
                .AddColumn(new PerSecretColumn(), new ScalingColumn())
                .HideColumns(Column.Error)
                .WithOrderer(new DefaultOrderer(SummaryOrderPolicy.Declared, MethodOrderPolicy.Declared));
            bool jobOnCommandLine = args.Any(a => a == "--job" || a == "-j" || a.StartsWith("--job=", StringComparison.Ordinal));
            return jobOnCommandLine
                ? config
                : config.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortRun-InProcess"));
        }
    }
}
