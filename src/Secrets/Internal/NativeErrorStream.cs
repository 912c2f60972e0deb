using System;
using System.Management.Automation;
using System.Reflection;

namespace Secrets.Internal
{
    /// <summary>
    /// Writes a program's standard error the way PowerShell writes a native command's: one error
    /// record per line (NativeCommandError for the first, NativeCommandErrorMessage after it, each
    /// wrapping a RemoteException whose message is the line), in the error stream so that 2>&amp;1
    /// and 2> capture it.
    /// </summary>
    /// <remarks>
    /// PowerShell 7 writes those records past the error-action preference: a program that prints
    /// progress on standard error does not stop a script that runs with
    /// $ErrorActionPreference = 'Stop', and $? stays true. Its command runtime does that through
    /// an internal method, used here when it exists. Where it does not (Windows PowerShell 5.1,
    /// which applies the preference to a native command's captured standard error too), the
    /// records go through WriteError, and the preference applies.
    /// </remarks>
    internal sealed class NativeErrorStream
    {
        private static readonly MethodInfo? WritePastPreference = typeof(PSObject).Assembly
            .GetType("System.Management.Automation.MshCommandRuntime")?
            .GetMethod("_WriteErrorSkipAllowCheck", BindingFlags.Instance | BindingFlags.NonPublic, null,
                new[] { typeof(ErrorRecord), typeof(ActionPreference?), typeof(bool) }, null);

        private readonly PSCmdlet _cmdlet;
        private bool _first = true;

        public NativeErrorStream(PSCmdlet cmdlet) => _cmdlet = cmdlet;

        /// <summary>Whether this engine writes the lines past the error-action preference, as it does for native commands.</summary>
        public static bool WritesPastPreference => WritePastPreference != null;

        /// <summary>Writes one line of standard error (already masked).</summary>
        public void Write(string line)
        {
            var record = new ErrorRecord(new RemoteException(line), _first ? "NativeCommandError" : "NativeCommandErrorMessage",
                ErrorCategory.NotSpecified, _first ? line : null);
            _first = false;
            if (WritePastPreference != null && WritePastPreference.DeclaringType!.IsInstanceOfType(_cmdlet.CommandRuntime))
            {
                // Without this command's invocation, as the engine writes a program's lines: the
                // error id stays NativeCommandError, which the error view shows as the bare line.
                WritePastPreference.Invoke(_cmdlet.CommandRuntime, new object?[] { record, null, true });
                return;
            }

            _cmdlet.WriteError(record);
        }
    }
}
