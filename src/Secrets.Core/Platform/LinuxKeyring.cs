using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace Secrets.Core.Platform
{
    /// <summary>
    /// The Linux kernel key retention service (keyrings(7)), through the add_key and keyctl system
    /// calls: "user" keys in the caller's user keyring, which every process of the same user can
    /// reach and no process of another user can, with a timeout the kernel enforces. Unavailable
    /// elsewhere, on an architecture whose call numbers are not known here, and where the calls are
    /// refused (a container whose seccomp profile blocks them): then every method says so, and the
    /// caller keeps what it has in its own process.
    /// </summary>
    internal static class LinuxKeyring
    {
        private const int KeySpecUserKeyring = -4;
        private const int KeyctlRevoke = 3;
        private const int KeyctlSetPerm = 5;
        private const int KeyctlDescribe = 6;
        private const int KeyctlUnlink = 9;
        private const int KeyctlSearch = 10;
        private const int KeyctlRead = 11;
        private const int KeyctlSetTimeout = 15;
        private const int KeyctlInvalidate = 21;

        /// <summary>
        /// Possessor: everything. The same user (any of its processes, possessing the key or not):
        /// view, read, write, search, set attributes. Group and others: nothing.
        /// </summary>
        internal const uint Permissions = 0x3f000000u | 0x00010000u | 0x00020000u | 0x00040000u | 0x00080000u | 0x00200000u;

        private static readonly Lazy<(long AddKey, long Keyctl)?> Calls = new Lazy<(long, long)?>(() =>
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                return null;
            }

            switch (RuntimeInformation.ProcessArchitecture)
            {
                case Architecture.X64: return (248, 250);
                case Architecture.Arm64: return (217, 219);
                default: return null;
            }
        });

        /// <summary>Whether this platform has the calls (they may still be refused).</summary>
        public static bool IsSupported => Calls.Value != null;

        /// <summary>
        /// Makes every call fail as a kernel that refuses them would (tests of the fallback to
        /// in-process unlocks; a seccomp profile cannot be put on a running test process).
        /// </summary>
        internal static bool Refused { get; set; }

        /// <summary>
        /// Adds (or replaces) a "user" key with that description in the user keyring, owner-only,
        /// expiring after <paramref name="timeout"/>. Returns its serial number, or null when the
        /// keyring cannot be used (the key is not left behind then), with the reason in
        /// <paramref name="refusal"/>.
        /// </summary>
        public static int? Add(string description, byte[] payload, TimeSpan timeout, out string? refusal)
        {
            refusal = null;
            var calls = Calls.Value;
            if (calls == null)
            {
                refusal = "the kernel keyring calls are not known for this system";
                return null;
            }

            if (Refused)
            {
                refusal = Explain(1);
                return null;
            }

            var handle = GCHandle.Alloc(payload, GCHandleType.Pinned);
            long id;
            try
            {
                id = Native.syscall(calls.Value.AddKey, "user", description, handle.AddrOfPinnedObject(), (IntPtr)payload.Length, (IntPtr)KeySpecUserKeyring);
                if (id < 0)
                {
                    refusal = Explain(Marshal.GetLastWin32Error());
                    return null;
                }
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                refusal = "the C library's syscall function cannot be called";
                return null;
            }
            finally
            {
                handle.Free();
            }

            long seconds = (long)Math.Ceiling(Math.Max(1, timeout.TotalSeconds));
            if (Keyctl(KeyctlSetPerm, (IntPtr)id, (IntPtr)unchecked((int)Permissions)) < 0
                || Keyctl(KeyctlSetTimeout, (IntPtr)id, (IntPtr)Math.Min(seconds, uint.MaxValue)) < 0)
            {
                refusal = Explain(Marshal.GetLastWin32Error());
                Remove((int)id);
                return null;
            }

            return (int)id;
        }

        /// <summary>The serial number of the key with that description in the user keyring, or null.</summary>
        public static int? Find(string description)
        {
            var calls = Calls.Value;
            if (calls == null || Refused)
            {
                return null;
            }

            long id;
            try
            {
                id = Native.syscall(calls.Value.Keyctl, (IntPtr)KeyctlSearch, (IntPtr)KeySpecUserKeyring, "user", description, IntPtr.Zero);
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                return null;
            }

            return id < 0 ? (int?)null : (int)id;
        }

        /// <summary>The payload of a key (the caller zeroes it), or null when it cannot be read (expired, revoked, not ours).</summary>
        public static byte[]? Read(int id, int maxBytes)
        {
            var buffer = new byte[maxBytes];
            var handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
            try
            {
                long length = Keyctl(KeyctlRead, (IntPtr)id, handle.AddrOfPinnedObject(), (IntPtr)buffer.Length);
                if (length < 0 || length > buffer.Length)
                {
                    return null;
                }

                var result = new byte[length];
                Buffer.BlockCopy(buffer, 0, result, 0, (int)length);
                return result;
            }
            finally
            {
                Array.Clear(buffer, 0, buffer.Length);
                handle.Free();
            }
        }

        /// <summary>
        /// Makes a key unusable at once for every process: invalidated, or revoked on kernels before
        /// 3.5, or at least unlinked from the user keyring (which drops it when nothing else holds it).
        /// </summary>
        public static bool Remove(int id) =>
            Keyctl(KeyctlInvalidate, (IntPtr)id) == 0 || Keyctl(KeyctlRevoke, (IntPtr)id) == 0
            || Keyctl(KeyctlUnlink, (IntPtr)id, (IntPtr)KeySpecUserKeyring) == 0;

        /// <summary>The serial numbers and descriptions of the "user" keys in the user keyring whose description starts with <paramref name="prefix"/>.</summary>
        public static List<(int Id, string Description)> List(string prefix)
        {
            var result = new List<(int, string)>();
            if (Calls.Value == null || Refused)
            {
                return result;
            }

            var ring = new byte[4 * 4096];
            var handle = GCHandle.Alloc(ring, GCHandleType.Pinned);
            long length;
            try
            {
                length = Keyctl(KeyctlRead, (IntPtr)KeySpecUserKeyring, handle.AddrOfPinnedObject(), (IntPtr)ring.Length);
            }
            finally
            {
                handle.Free();
            }

            for (int offset = 0; length > 0 && offset + 4 <= Math.Min(length, ring.Length); offset += 4)
            {
                int id = BitConverter.ToInt32(ring, offset);
                var description = Describe(id);
                if (description != null && description.StartsWith("user;", StringComparison.Ordinal))
                {
                    var parts = description.Split(new[] { ';' }, 5);
                    if (parts.Length == 5 && parts[4].StartsWith(prefix, StringComparison.Ordinal))
                    {
                        result.Add((id, parts[4]));
                    }
                }
            }

            return result;
        }

        /// <summary>"type;uid;gid;perm;description" of a key, or null.</summary>
        internal static string? Describe(int id)
        {
            var buffer = new byte[512];
            var handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
            try
            {
                long length = Keyctl(KeyctlDescribe, (IntPtr)id, handle.AddrOfPinnedObject(), (IntPtr)buffer.Length);
                if (length <= 0 || length > buffer.Length)
                {
                    return null;
                }

                return Encoding.UTF8.GetString(buffer, 0, (int)length - 1);
            }
            finally
            {
                handle.Free();
            }
        }

        /// <summary>Why the kernel refused, for a verbose message.</summary>
        private static string Explain(int errno)
        {
            string name = errno switch
            {
                1 => "EPERM: the calls are blocked, as a container's seccomp profile does",
                13 => "EACCES: the user keyring does not let this process add keys",
                38 => "ENOSYS: this kernel has no key retention service",
                122 => "EDQUOT: this user's key quota is used up",
                _ => "errno " + errno.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            return "the kernel keyring refused the key (" + name + ")";
        }

        private static long Keyctl(int operation, IntPtr a2, IntPtr a3 = default, IntPtr a4 = default, IntPtr a5 = default)
        {
            var calls = Calls.Value;
            if (calls == null || Refused)
            {
                return -1;
            }

            try
            {
                return Native.syscall(calls.Value.Keyctl, (IntPtr)operation, a2, a3, a4, a5);
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                return -1;
            }
        }

        private static class Native
        {
            [DllImport("libc", SetLastError = true)]
            public static extern long syscall(long number, IntPtr a1, IntPtr a2, IntPtr a3, IntPtr a4, IntPtr a5);

            [DllImport("libc", SetLastError = true)]
            public static extern long syscall(long number, string type, string description, IntPtr payload, IntPtr length, IntPtr keyring);

            [DllImport("libc", SetLastError = true)]
            public static extern long syscall(long number, IntPtr operation, IntPtr keyring, string type, string description, IntPtr destination);
        }
    }
}
