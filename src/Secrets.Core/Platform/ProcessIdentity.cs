using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;

namespace Secrets.Core.Platform
{
    /// <summary>
    /// A process told apart from any later process that gets the same id: its id and its start
    /// time. On Linux the start time is the kernel's own count of clock ticks since boot
    /// (/proc/&lt;pid&gt;/stat, field 22), exact; elsewhere the start time the system reports, in UTC,
    /// compared to within a second.
    /// </summary>
    internal static class ProcessIdentity
    {
        private const string LinuxPrefix = "l";
        private const string UtcPrefix = "u";

        private static readonly bool IsLinux = RuntimeInformation.IsOSPlatform(OSPlatform.Linux);

        /// <summary>The id of this process.</summary>
        public static int CurrentId
        {
            get
            {
                using var process = Process.GetCurrentProcess();
                return process.Id;
            }
        }

        /// <summary>The start of this process, as text made of letters and digits.</summary>
        public static string CurrentStart => StartOf(CurrentId) ?? UtcPrefix + "0";

        /// <summary>Whether the process that had <paramref name="start"/> (from <see cref="CurrentStart"/>) still runs as <paramref name="id"/>.</summary>
        public static bool IsRunning(int id, string start)
        {
            var now = StartOf(id);
            if (now == null)
            {
                return false;
            }

            if (start.StartsWith(UtcPrefix, StringComparison.Ordinal) && now.StartsWith(UtcPrefix, StringComparison.Ordinal)
                && long.TryParse(start.Substring(1), NumberStyles.None, CultureInfo.InvariantCulture, out long recorded)
                && long.TryParse(now.Substring(1), NumberStyles.None, CultureInfo.InvariantCulture, out long current))
            {
                return Math.Abs(recorded - current) <= TimeSpan.TicksPerSecond;
            }

            return string.Equals(start, now, StringComparison.Ordinal);
        }

        /// <summary>The start of process <paramref name="id"/>, or null when no such process can be seen.</summary>
        private static string? StartOf(int id)
        {
            if (IsLinux)
            {
                try
                {
                    var stat = File.ReadAllText("/proc/" + id.ToString(CultureInfo.InvariantCulture) + "/stat");

                    // The command name (field 2) is in parentheses and may hold spaces and ')'.
                    var fields = stat.Substring(stat.LastIndexOf(')') + 2).Split(' ');
                    return fields.Length > 19 ? LinuxPrefix + fields[19] : null;
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    return null;
                }
            }

            try
            {
                using var process = Process.GetProcessById(id);
                return UtcPrefix + process.StartTime.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is ArgumentException || e is InvalidOperationException || e is System.ComponentModel.Win32Exception || e is NotSupportedException)
            {
                // Gone, or a process this user may not inspect: not one of this user's jobs.
                return null;
            }
        }
    }
}
