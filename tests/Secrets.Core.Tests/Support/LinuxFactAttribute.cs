using System;
using Xunit;

namespace Secrets.Core.Tests.Support
{
    /// <summary>A fact that needs Linux (statx, /proc): skipped, and reported as skipped, elsewhere.</summary>
    public sealed class LinuxFactAttribute : FactAttribute
    {
        public LinuxFactAttribute()
        {
            if (!OperatingSystem.IsLinux())
            {
                Skip = "Linux only: files are told apart by device and inode through statx.";
            }
        }
    }
}
