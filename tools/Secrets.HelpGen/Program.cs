using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Text;

namespace Secrets.HelpGen
{
    /// <summary>
    /// Writes the module's help: imports the built module on the PowerShell engine, reads the
    /// exported cmdlets' metadata, merges docs/help/*.md, and writes src/Secrets/en-US (the MAML
    /// file and the about topics). With --check it only compares and exits 1 when the committed
    /// files are stale.
    /// </summary>
    public static class Program
    {
        private const string Usage =
            "Usage: dotnet run --project tools/Secrets.HelpGen [-- [--check] [--module <Secrets.psd1>] [--docs <folder>] [--out <folder>]]\n" +
            "  Writes src/Secrets/en-US from docs/help and the built module. --check writes nothing and\n" +
            "  exits 1 when the files there differ from what would be written.";

        public static int Main(string[] args)
        {
            var arguments = args.ToList();
            if (arguments.Any(a => a == "-h" || a == "--help" || a == "-?"))
            {
                Console.WriteLine(Usage);
                return 0;
            }

            bool check = arguments.Remove("--check");
            var repo = Metadata("RepoRoot");
            var module = TakeOption(arguments, "--module") ?? Metadata("ModuleManifest");
            var docs = TakeOption(arguments, "--docs") ?? Path.Combine(repo, "docs", "help");
            var output = TakeOption(arguments, "--out") ?? Path.Combine(repo, "src", "Secrets", "en-US");
            if (arguments.Count > 0)
            {
                Console.Error.WriteLine($"Unknown argument '{arguments[0]}'.\n{Usage}");
                return 2;
            }

            if (!File.Exists(module))
            {
                Console.Error.WriteLine($"The Secrets module is not at '{module}'. Build it with 'dotnet build', or give --module.");
                return 2;
            }

            try
            {
                var files = Generate(module, docs);
                return check ? Compare(files, output) : Write(files, output);
            }
            catch (Exception e) when (e is HelpSourceException || e is InvalidOperationException || e is RuntimeException)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }
        }

        private static System.Collections.Generic.IReadOnlyDictionary<string, string> Generate(string module, string docs)
        {
            var sources = HelpSources.Load(docs);
            using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            runspace.Open();
            Runspace.DefaultRunspace = runspace;
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddCommand("Import-Module").AddParameter("Name", module).AddParameter("PassThru").AddParameter("ErrorAction", "Stop");
            var imported = ps.Invoke<PSModuleInfo>().Single();
            return HelpBuilder.Build(HelpBuilder.ReadModule(imported), sources);
        }

        private static int Write(System.Collections.Generic.IReadOnlyDictionary<string, string> files, string output)
        {
            Directory.CreateDirectory(output);
            foreach (var pair in files)
            {
                var path = Path.Combine(output, pair.Key);
                var unchanged = File.Exists(path) && Normalize(File.ReadAllText(path)) == pair.Value;
                if (!unchanged)
                {
                    File.WriteAllText(path, pair.Value, new UTF8Encoding(false));
                }

                Console.WriteLine((unchanged ? "unchanged " : "wrote     ") + path);
            }

            foreach (var stale in StaleFiles(files, output))
            {
                File.Delete(stale);
                Console.WriteLine("deleted   " + stale);
            }

            return 0;
        }

        private static int Compare(System.Collections.Generic.IReadOnlyDictionary<string, string> files, string output)
        {
            int differences = 0;
            foreach (var pair in files)
            {
                var path = Path.Combine(output, pair.Key);
                if (!File.Exists(path) || Normalize(File.ReadAllText(path)) != pair.Value)
                {
                    Console.Error.WriteLine($"stale: {path}");
                    differences++;
                }
            }

            foreach (var stale in StaleFiles(files, output))
            {
                Console.Error.WriteLine($"not generated: {stale}");
                differences++;
            }

            if (differences > 0)
            {
                Console.Error.WriteLine("Run: dotnet run --project tools/Secrets.HelpGen, and commit the result.");
                return 1;
            }

            Console.WriteLine("The help in " + output + " is up to date.");
            return 0;
        }

        /// <summary>Help files in the output folder that the sources no longer produce (a deleted topic).</summary>
        private static System.Collections.Generic.IEnumerable<string> StaleFiles(System.Collections.Generic.IReadOnlyDictionary<string, string> files, string output) =>
            Directory.Exists(output)
                ? Directory.GetFiles(output).Where(f => (f.EndsWith("-Help.xml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".help.txt", StringComparison.OrdinalIgnoreCase))
                    && !files.ContainsKey(Path.GetFileName(f))).OrderBy(f => f, StringComparer.Ordinal).ToList()
                : Enumerable.Empty<string>();

        private static string Normalize(string text) => text.Replace("\r\n", "\n");

        private static string? TakeOption(System.Collections.Generic.List<string> arguments, string name)
        {
            int index = arguments.FindIndex(a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase));
            if (index < 0 || index + 1 >= arguments.Count)
            {
                return null;
            }

            var value = arguments[index + 1];
            arguments.RemoveRange(index, 2);
            return value;
        }

        private static string Metadata(string key) =>
            typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == key).Value!;
    }
}
