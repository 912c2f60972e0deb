using System;
using System.Linq;
using Secrets.Core.Codecs;

namespace Secrets.Core.Tests.Support
{
    /// <summary>Whether bytes on disk give a value away, as raw bytes or as base64 at any alignment.</summary>
    public static class PlaintextOnDisk
    {
        public static bool HoldsPlaintext(byte[] file, byte[] plaintext)
        {
            if (FileEdits.Contains(file, plaintext))
            {
                return true;
            }

            var text = System.Text.Encoding.ASCII.GetString(file);
            for (int shift = 0; shift < 3; shift++)
            {
                // Base64 of the plaintext preceded by 'shift' bytes: drop the characters those
                // bytes and the last partial group influence, keep the ones fixed by the plaintext.
                var encoded = Base64.Encode(new byte[shift].Concat(plaintext).ToArray());
                var core = encoded.Substring(4, encoded.Length - 8);
                if (text.IndexOf(core, StringComparison.Ordinal) >= 0)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
