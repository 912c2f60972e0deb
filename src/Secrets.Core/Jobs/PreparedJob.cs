using System;
using System.Collections.Generic;

namespace Secrets.Core.Jobs
{
    /// <summary>
    /// A job ready to run: its environment variables, the files written for it and the masker for
    /// its output. Dispose deletes the files (after overwriting them with zeros).
    /// </summary>
    public sealed class PreparedJob : IDisposable
    {
        internal PreparedJob(Dictionary<string, string> environment, JobFiles files, OutputMasker masker, IReadOnlyList<string> description, IReadOnlyList<string>? unset = null)
        {
            Environment = environment;
            Unset = unset ?? Array.Empty<string>();
            Files = files;
            Masker = masker;
            Description = description;
        }

        /// <summary>Variables to set for the job (names → values). Values are secret.</summary>
        public IReadOnlyDictionary<string, string> Environment { get; }

        /// <summary>Variables the job must not inherit from the session (a provider's, such as a session token of other keys).</summary>
        public IReadOnlyList<string> Unset { get; }

        public JobFiles Files { get; }

        public OutputMasker Masker { get; }

        /// <summary>What goes where, without values (for -WhatIf and -Verbose).</summary>
        public IReadOnlyList<string> Description { get; }

        /// <summary>What a relaxed validation level let the job run without, each skipped.</summary>
        public IReadOnlyList<string> Warnings { get; internal set; } = Array.Empty<string>();

        public void Dispose() => Files.Dispose();

        public override string ToString() => $"PreparedJob({Environment.Count} variables, {Files.Files.Count} files)";
    }
}
