using System;
using System.IO;
using System.Linq;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;

namespace Secrets.PowerShell.Tests
{
    /// <summary>
    /// Opens runspaces that see only the modules of the hosted engine itself: never what this
    /// machine has installed. Opening a runspace puts the user's and the machine's module folders
    /// back in front of PSModulePath (it is process-wide), so every runspace of the tests is opened
    /// here and the path is narrowed right after. Without this, a machine with the real
    /// Microsoft.PowerShell.SecretManagement installed would load it into the test process, where
    /// its types and commands clash with the stand-in the tests use.
    /// </summary>
    internal static class IsolatedEngine
    {
        private static readonly object Gate = new object();

        /// <summary>Opens a runspace on <paramref name="state"/> (and <paramref name="host"/>) and narrows the module path.</summary>
        public static Runspace Open(InitialSessionState state, PSHost? host = null)
        {
            lock (Gate)
            {
                var runspace = host == null ? RunspaceFactory.CreateRunspace(state) : RunspaceFactory.CreateRunspace(host, state);
                runspace.Open();
                Environment.SetEnvironmentVariable("PSModulePath", Narrow(Environment.GetEnvironmentVariable("PSModulePath")));
                return runspace;
            }
        }

        /// <summary>
        /// The folders of <paramref name="modulePath"/> that belong to the hosted engine (under this
        /// test assembly's folder), in their order; every other folder is dropped.
        /// </summary>
        public static string Narrow(string? modulePath)
        {
            var engine = Path.GetFullPath(AppContext.BaseDirectory);
            var kept = (modulePath ?? string.Empty)
                .Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries)
                .Where(folder => Path.IsPathRooted(folder) && Path.GetFullPath(folder).StartsWith(engine, StringComparison.Ordinal));
            return string.Join(Path.PathSeparator.ToString(), kept);
        }
    }
}
