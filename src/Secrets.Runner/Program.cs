using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;

namespace Secrets.Runner
{
    /// <summary>
    /// A small PowerShell host: runs a script file (or -Command text, or lines typed at a prompt)
    /// in a runspace that has the Secrets module imported. Exit code 1 when anything failed.
    /// </summary>
    public static class Program
    {
        private const string Usage =
            "Usage: Secrets.Runner <script.ps1> [arguments...]\n" +
            "       Secrets.Runner -Command <script text>\n" +
            "       Secrets.Runner                       (type PowerShell lines; 'exit' to leave)\n" +
            "Options: -Module <path to Secrets.psd1>     (default: the module built from this repository)";

        public static int Main(string[] args)
        {
            var arguments = args.ToList();
            var module = TakeOption(arguments, "-Module") ?? DefaultModule();
            var command = TakeOption(arguments, "-Command");
            if (arguments.Count > 0 && (arguments[0] == "-?" || arguments[0] == "-h" || arguments[0] == "--help"))
            {
                Console.WriteLine(Usage);
                return 0;
            }

            if (!File.Exists(module))
            {
                Console.Error.WriteLine($"The Secrets module is not at '{module}'. Build it with 'dotnet build', or give -Module.");
                return 2;
            }

            var host = new ConsoleHost();
            var state = InitialSessionState.CreateDefault2();
            if (OperatingSystem.IsWindows())
            {
                state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
            }

            using var runspace = RunspaceFactory.CreateRunspace(host, state);
            runspace.Open();
            if (Console.IsOutputRedirected)
            {
                Run(runspace, ps => ps.AddScript("if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' }"));
            }

            if (!Run(runspace, ps => ps.AddCommand("Import-Module").AddParameter("Name", module)))
            {
                return 1;
            }

            if (command != null)
            {
                return Run(runspace, ps => ps.AddScript(command)) ? 0 : 1;
            }

            if (arguments.Count > 0)
            {
                var script = Path.GetFullPath(arguments[0]);
                if (!File.Exists(script))
                {
                    Console.Error.WriteLine($"The script '{arguments[0]}' does not exist.");
                    return 2;
                }

                return Run(runspace, ps =>
                {
                    ps.AddCommand(script);
                    foreach (var argument in arguments.Skip(1))
                    {
                        ps.AddArgument(argument);
                    }
                }) ? 0 : 1;
            }

            return Interactive(runspace);
        }

        private static int Interactive(Runspace runspace)
        {
            Console.WriteLine("Secrets on the PowerShell engine. Type 'exit' to leave.");
            while (true)
            {
                Console.Write("PS> ");
                var line = Console.ReadLine();
                if (line == null || line.Trim() == "exit")
                {
                    return 0;
                }

                if (line.Trim().Length > 0)
                {
                    Run(runspace, ps => ps.AddScript(line));
                }
            }
        }

        /// <summary>Runs a pipeline, shows its output and errors through Out-Default; false if anything failed.</summary>
        private static bool Run(Runspace runspace, Action<PowerShell> build)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            build(ps);
            ps.Commands.Commands[ps.Commands.Commands.Count - 1].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
            ps.AddCommand("Out-Default");
            try
            {
                ps.Invoke();
            }
            catch (RuntimeException e)
            {
                WriteError(runspace, e.ErrorRecord);
                return false;
            }

            return !ps.HadErrors;
        }

        private static void WriteError(Runspace runspace, ErrorRecord record)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddCommand("Out-Default");
            ps.Invoke(new[] { record });
        }

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

        private static string DefaultModule() =>
            typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .First(a => a.Key == "ModuleManifest").Value!;
    }
}
