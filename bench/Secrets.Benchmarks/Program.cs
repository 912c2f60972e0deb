using System;
using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Secrets.Benchmarks
{
    /// <summary>
    /// Runs the store benchmarks (see docs/BENCHMARKS.md):
    ///     dotnet run -c Release --project bench/Secrets.Benchmarks -- --filter '*'
    /// then prints how each operation's cost scales with the size of the store. Any other
    /// BenchmarkDotNet option works too, e.g. --job Medium --inProcess for a longer run.
    /// </summary>
    public static class Program
    {
        /// <summary>True in the process that runs Main: with the in-process job, every case runs here and shares the stores.</summary>
        internal static bool SharesStoresAcrossCases { get; private set; }

        public static int Main(string[] args)
        {
            SharesStoresAcrossCases = true;
            var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, BenchmarkConfig.For(args)).ToList();
            foreach (var summary in summaries)
            {
                PrintScaling(summary);
            }

            StoreFixture.DeleteAll();
            return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
        }

        /// <summary>One line per operation: cost at each size (per secret for List) and the ratio to 100 secrets.</summary>
        private static void PrintScaling(Summary summary)
        {
            var cases = summary.BenchmarksCases.Where(c => c.Parameters.Items.Any(p => p.Name == Scaling.SizeParameter)).ToList();
            if (cases.Count == 0)
            {
                return;
            }

            var sizes = cases.Select(Scaling.SizeOf).Distinct().OrderBy(s => s).ToList();
            Console.WriteLine();
            Console.WriteLine("// Scaling with the number of secrets (List: per secret listed). 1.00 = flat.");
            Console.WriteLine("// " + "Operation".PadRight(10) + string.Concat(sizes.Select(s => s.ToString("N0", CultureInfo.InvariantCulture).PadLeft(12) + " secrets".PadRight(17))));
            foreach (var method in cases.Select(c => c.Descriptor).Distinct())
            {
                var line = "// " + (method.WorkloadMethod.Name + (method.WorkloadMethod.Name == Scaling.ListMethod ? "*" : string.Empty)).PadRight(10);
                foreach (var size in sizes)
                {
                    var benchmarkCase = cases.FirstOrDefault(c => c.Descriptor.Equals(method) && Scaling.SizeOf(c) == size);
                    var cost = benchmarkCase == null ? null : Scaling.CostPerOperation(summary, benchmarkCase);
                    var ratio = benchmarkCase == null ? "NA" : new ScalingColumn().GetValue(summary, benchmarkCase);
                    line += (cost == null ? "NA" : Scaling.FormatTime(cost.Value)).PadLeft(12) + $" (x{ratio})".PadRight(17);
                }

                Console.WriteLine(line);
            }
        }
    }
}
