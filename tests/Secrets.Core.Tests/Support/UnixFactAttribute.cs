using System;
using Xunit;

namespace Secrets.Core.Tests.Support
{
    /// <summary>A fact about Unix file modes: skipped (and reported as skipped) on Windows.</summary>
    public sealed class UnixFactAttribute : FactAttribute
    {
        public UnixFactAttribute()
        {
            if (OperatingSystem.IsWindows())
            {
                Skip = "Unix file modes only; Windows uses an owner-only ACL.";
            }
        }
    }
}
