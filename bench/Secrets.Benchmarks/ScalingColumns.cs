using System;
using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Secrets.Benchmarks
{
    /// <summary>Reads the store size of a benchmark case and finds its 100-secret counterpart.</summary>
    internal static class Scaling
    {
        public const string SizeParameter = nameof(StoreBenchmarks.Secrets);
        public const int BaselineSize = 100;
        public const string ListMethod = nameof(StoreBenchmarks.List);

        public static int SizeOf(BenchmarkCase benchmarkCase) =>
            Convert.ToInt32(benchmarkCase.Parameters[SizeParameter], CultureInfo.InvariantCulture);

        public static bool IsList(BenchmarkCase benchmarkCase) => benchmarkCase.Descriptor.WorkloadMethod.Name == ListMethod;

        /// <summary>Mean time in nanoseconds, per secret for List.</summary>
        public static double? CostPerOperation(Summary summary, BenchmarkCase benchmarkCase)
        {
            var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
            if (mean == null)
            {
                return null;
            }

            return IsList(benchmarkCase) ? mean.Value / SizeOf(benchmarkCase) : mean.Value;
        }

        public static BenchmarkCase? BaselineOf(Summary summary, BenchmarkCase benchmarkCase) =>
            summary.BenchmarksCases.FirstOrDefault(other =>
                other.Descriptor.Equals(benchmarkCase.Descriptor)
                && other.Job.Equals(benchmarkCase.Job)
                && SizeOf(other) == BaselineSize);

        public static string FormatTime(double nanoseconds) =>
            nanoseconds >= 1_000_000 ? (nanoseconds / 1_000_000).ToString("0.000", CultureInfo.InvariantCulture) + " ms"
            : nanoseconds >= 1_000 ? (nanoseconds / 1_000).ToString("0.00", CultureInfo.InvariantCulture) + " us"
            : nanoseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ns";
    }

    /// <summary>List's mean divided by the number of secrets listed.</summary>
    public sealed class PerSecretColumn : IColumn
    {
        public string Id => nameof(PerSecretColumn);
        public string ColumnName => "Per secret";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Time;
        public string Legend => "List only: mean time divided by the number of secrets listed";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            if (!Scaling.IsList(benchmarkCase))
            {
                return "-";
            }

            var cost = Scaling.CostPerOperation(summary, benchmarkCase);
            return cost == null ? "NA" : Scaling.FormatTime(cost.Value);
        }

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }

    /// <summary>
    /// Cost relative to the same operation on the 100-secret store: the mean for Set, Get and Info,
    /// the per-secret mean for List. 1.00 everywhere means the cost does not grow with the store.
    /// </summary>
    public sealed class ScalingColumn : IColumn
    {
        public string Id => nameof(ScalingColumn);
        public string ColumnName => "vs 100";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 1;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Mean (per secret for List) divided by the same on the 100-secret store; 1.00 = flat";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var baseline = Scaling.BaselineOf(summary, benchmarkCase);
            var cost = Scaling.CostPerOperation(summary, benchmarkCase);
            var baselineCost = baseline == null ? null : Scaling.CostPerOperation(summary, baseline);
            if (cost == null || baselineCost == null || baselineCost.Value <= 0)
            {
                return "NA";
            }

            return (cost.Value / baselineCost.Value).ToString("0.00", CultureInfo.InvariantCulture);
        }

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}
