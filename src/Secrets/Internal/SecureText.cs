using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using Secrets.Core.Crypto;

namespace Secrets.Internal
{
    /// <summary>SecureString to and from UTF-8 bytes, zeroing every intermediate buffer.</summary>
    internal static class SecureText
    {
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        /// <summary>The UTF-8 bytes of a SecureString; the caller zeroes them.</summary>
        public static byte[] ToUtf8(SecureString secure)
        {
            if (secure == null)
            {
                throw new ArgumentNullException(nameof(secure));
            }

            IntPtr unmanaged = IntPtr.Zero;
            char[] chars = new char[secure.Length];
            try
            {
                unmanaged = Marshal.SecureStringToGlobalAllocUnicode(secure);
                Marshal.Copy(unmanaged, chars, 0, chars.Length);
                return StrictUtf8.GetBytes(chars);
            }
            finally
            {
                Sensitive.Zero(chars);
                if (unmanaged != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
                }
            }
        }

        /// <summary>A read-only SecureString from characters; the caller zeroes them.</summary>
        public static SecureString FromChars(char[] chars)
        {
            var secure = new SecureString();
            foreach (var c in chars)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }

        /// <summary>The plain text of a SecureString (for -AsPlainText style output only).</summary>
        public static string ToPlainString(SecureString secure)
        {
            IntPtr unmanaged = IntPtr.Zero;
            try
            {
                unmanaged = Marshal.SecureStringToGlobalAllocUnicode(secure);
                return Marshal.PtrToStringUni(unmanaged, secure.Length);
            }
            finally
            {
                if (unmanaged != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
                }
            }
        }
    }
}
