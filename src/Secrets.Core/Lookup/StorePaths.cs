using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Secrets.Core.Lookup
{
    /// <summary>Store folders compared as the file system compares them.</summary>
    public static class StorePaths
    {
        /// <summary>How folder names compare: without regard to case on Windows, exactly elsewhere.</summary>
        public static StringComparison Comparison =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

        /// <summary>Whether two paths name the same folder (after making them full, without a trailing separator).</summary>
        public static bool Same(string? a, string? b)
        {
            if (a == null || b == null)
            {
                return false;
            }

            return string.Equals(Normalize(a), Normalize(b), Comparison);
        }

        /// <summary>The full path without a trailing separator.</summary>
        public static string Normalize(string path)
        {
            var full = Path.GetFullPath(path);
            var root = Path.GetPathRoot(full) ?? string.Empty;
            return full.Length > root.Length ? full.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) : full;
        }
    }
}
