namespace Secrets
{
    /// <summary>A file Export-Secret or Export-SecretProvider wrote (or found already holding what it would write).</summary>
    public sealed class SecretExportFile
    {
        internal SecretExportFile(string path, string secret, string format, string mode, string? backup, bool changed)
        {
            Path = path;
            Secret = secret;
            Format = format;
            Mode = mode;
            Backup = backup;
            Changed = changed;
        }

        /// <summary>The file.</summary>
        public string Path { get; }

        /// <summary>The secret (or secrets) it holds.</summary>
        public string Secret { get; }

        /// <summary>The format (Env, Kubernetes…) or the provider (aws…).</summary>
        public string Format { get; }

        /// <summary>Its Unix permissions (0600: only you can read it; 0644 for a public key). Owner-only on Windows.</summary>
        public string Mode { get; }

        /// <summary>The copy of the file it replaced, or null when it replaced nothing.</summary>
        public string? Backup { get; }

        /// <summary>False when the file already held exactly this and was left as it was.</summary>
        public bool Changed { get; }

        public override string ToString() => Path;
    }
}
