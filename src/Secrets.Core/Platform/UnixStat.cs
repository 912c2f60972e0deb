using System;
using System.Runtime.InteropServices;

namespace Secrets.Core.Platform
{
    /// <summary>
    /// The mode of a path on Unix (type and permission bits, links followed), through the stat
    /// call of .NET's own native library: its result structure is the same on every Unix and
    /// architecture (a 32-bit flags field, then the 32-bit mode), unlike the C library's.
    /// </summary>
    internal static class UnixStat
    {
        public const int TypeMask = 0xF000;
        public const int NamedPipe = 0x1000;
        public const int CharacterDevice = 0x2000;
        public const int Directory = 0x4000;
        public const int BlockDevice = 0x6000;
        public const int RegularFile = 0x8000;
        public const int Socket = 0xC000;

        /// <summary>The mode, or null when the path does not exist or the runtime has no such call.</summary>
        public static int? Mode(string path)
        {
            // Larger than the structure of any .NET version, which is about 120 bytes.
            var status = new byte[512];
            try
            {
                if (NativeMethods.SystemNative_Stat(path, status) != 0)
                {
                    return null;
                }
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                return null;
            }

            return BitConverter.ToInt32(status, 4);
        }

        private static class NativeMethods
        {
#pragma warning disable IDE1006, SA1300 // the native names
            [DllImport("libSystem.Native", SetLastError = true)]
            public static extern int SystemNative_Stat(string path, byte[] status);
#pragma warning restore IDE1006, SA1300
        }
    }
}
