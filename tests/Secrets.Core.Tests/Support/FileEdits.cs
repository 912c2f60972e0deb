using System;
using System.Linq;
using System.Text;
using Secrets.Core.Codecs;
using Secrets.Core.Identity;

namespace Secrets.Core.Tests.Support
{
    /// <summary>Edits of the line-based files, the way an attacker (or the owner) would make them.</summary>
    public static class FileEdits
    {
        public static string[] Lines(byte[] data) => Encoding.UTF8.GetString(data).TrimEnd('\n').Split('\n');

        public static byte[] Join(string[] lines) => Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");

        /// <summary>Replaces the first line whose key is <paramref name="key"/>.</summary>
        public static byte[] ReplaceLine(byte[] data, string key, string line)
        {
            var lines = Lines(data);
            int index = Array.FindIndex(lines, l => l.Split(' ')[0] == key);
            if (index < 0)
            {
                throw new ArgumentException($"No '{key}' line.", nameof(key));
            }

            lines[index] = line;
            return Join(lines);
        }

        /// <summary>The value fields of the first line with that key.</summary>
        public static string[] Fields(byte[] data, string key) =>
            Lines(data).First(l => l.Split(' ')[0] == key).Split(' ').Skip(1).ToArray();

        /// <summary>Drops the signature line and signs the rest with <paramref name="signer"/>, as the format does.</summary>
        public static byte[] Resign(byte[] data, UnlockedIdentity signer)
        {
            var lines = Lines(data);
            if (lines[lines.Length - 1].Split(' ')[0] != "signature")
            {
                throw new ArgumentException("The last line is not a signature.", nameof(data));
            }

            var body = Join(lines.Take(lines.Length - 1).ToArray());
            var signature = signer.Sign(body, body.Length);
            return Join(lines.Take(lines.Length - 1).Append("signature " + Base64.Encode(signature)).ToArray());
        }

        /// <summary>Whether <paramref name="needle"/> occurs in <paramref name="haystack"/>.</summary>
        public static bool Contains(byte[] haystack, byte[] needle) =>
            needle.Length == 0 || haystack.AsSpan().IndexOf(needle) >= 0;
    }
}
