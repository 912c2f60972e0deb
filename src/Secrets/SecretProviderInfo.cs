namespace Secrets
{
    /// <summary>A built-in provider: where it reads credentials, whether they are on this machine, and which secrets hold them. Never a value.</summary>
    public sealed class SecretProviderInfo
    {
        internal SecretProviderInfo(string provider, string description)
        {
            Provider = provider;
            Description = description;
        }

        /// <summary>The provider's name (aws, gcp…), as -Provider takes it.</summary>
        public string Provider { get; }

        /// <summary>What it holds.</summary>
        public string Description { get; }

        /// <summary>Whether credentials of this provider were found on this machine (in its files or variables).</summary>
        public bool Configured { get; internal set; }

        /// <summary>Where they were found: files (with AWS profiles, Docker registries) or variable names.</summary>
        public string? Source { get; internal set; }

        /// <summary>Why a file that is there cannot be imported, when that is the case.</summary>
        public string? Problem { get; internal set; }

        /// <summary>The secrets of the store made from this provider (metadata 'provider').</summary>
        public string[] Secrets { get; internal set; } = new string[0];

        /// <summary>The keys of a secret of this provider.</summary>
        public string[] Keys { get; internal set; } = new string[0];

        /// <summary>Keys such a secret may also have.</summary>
        public string[] OptionalKeys { get; internal set; } = new string[0];

        /// <summary>The files Import-SecretProvider reads and Export-SecretProvider writes when -Path is not given.</summary>
        public string[] Files { get; internal set; } = new string[0];

        /// <summary>The variables Import-SecretProvider reads.</summary>
        public string[] Variables { get; internal set; } = new string[0];

        /// <summary>The variables a job gets with Invoke-WithSecrets -Provider.</summary>
        public string[] JobVariables { get; internal set; } = new string[0];

        /// <summary>The files a job gets, in the provider's folder of the job's private folder.</summary>
        public string[] JobFiles { get; internal set; } = new string[0];

        public override string ToString() => Provider;
    }
}
