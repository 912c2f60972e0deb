using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Secrets.Benchmarks
{
    /// <summary>
    /// The scaling columns, and unless the command line names a job (--job, -j), a short job
    /// (3 warm-ups, 3 iterations, one launch) run in this process, so each store is written once
    /// and shared by the four operations.
    /// </summary>
    public sealed class BenchmarkConfig : ManualConfig
    {
        private BenchmarkConfig(bool addDefaultJob)
        {
            if (addDefaultJob)
            {
                AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortRun-InProcess"));
            }

            AddColumn(new PerSecretColumn(), new ScalingColumn());
            HideColumns(Column.Error);
            WithOrderer(new DefaultOrderer(SummaryOrderPolicy.Declared, MethodOrderPolicy.Declared));
        }

        /// <summary>The configuration for these command-line arguments.</summary>
        public static IConfig For(string[] args) =>
            new BenchmarkConfig(!args.Any(a => a == "--job" || a == "-j" || a.StartsWith("--job=", System.StringComparison.Ordinal)));
    }
}
