using System;
using System.Collections.Generic;
using System.IO;

namespace Secrets.Core.Jobs
{
    /// <summary>A file a job will get: in its private folder (a relative path) or at a full path.</summary>
    internal sealed class PlannedFile
    {
        public PlannedFile(bool inPrivateFolder, string path, byte[] content)
        {
            InPrivateFolder = inPrivateFolder;
            Path = path;
            Content = content;
        }

        public bool InPrivateFolder { get; }

        public string Path { get; }

        public byte[] Content { get; }
    }

    /// <summary>
    /// A job whose references are all read and checked, before anything is written: what
    /// <see cref="JobPreparer.Resolve(JobSpec, Lookup.SecretSource)"/> gives. It holds the values until <see cref="Start"/> writes
    /// the files, or until it is disposed (the values are then overwritten with zeros). A dry run
    /// (-WhatIf) looks at <see cref="Description"/>, <see cref="Warnings"/> and
    /// <see cref="Problems"/> and never starts it.
    /// </summary>
    public sealed class ResolvedJob : IDisposable
    {
        private readonly JobSpec _spec;
        private readonly Dictionary<string, string> _environment;
        private readonly List<PlannedFile> _files;
        private readonly List<byte[]> _masked;
        private bool _started;
        private bool _disposed;

        internal ResolvedJob(JobSpec spec, Dictionary<string, string> environment, List<PlannedFile> files, List<byte[]> masked,
            IReadOnlyList<string> description, IReadOnlyList<string> problems, IReadOnlyList<string> warnings)
        {
            _spec = spec;
            _environment = environment;
            _files = files;
            _masked = masked;
            Description = description;
            Problems = problems;
            Warnings = warnings;
        }

        /// <summary>What goes where, without values.</summary>
        public IReadOnlyList<string> Description { get; }

        /// <summary>Every problem that stops the job; empty when it can start.</summary>
        public IReadOnlyList<string> Problems { get; }

        /// <summary>What a relaxed validation level lets the job run without, each skipped.</summary>
        public IReadOnlyList<string> Warnings { get; }

        /// <summary>Variables that name a file of the private folder (a provider's), set once the folder exists: the format puts the path in.</summary>
        internal IReadOnlyList<(string Variable, string RelativePath, string Format)> PathVariables { get; set; } = Array.Empty<(string, string, string)>();

        /// <summary>Variables the program must not inherit from this session.</summary>
        internal IReadOnlyList<string> Unset { get; set; } = Array.Empty<string>();

        /// <summary>
        /// Writes the job's files and returns the job ready to run. Throws
        /// <see cref="JobValidationException"/> listing every problem when there is any; then nothing
        /// is written. Once only.
        /// </summary>
        public PreparedJob Start()
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(ResolvedJob));
            }

            if (_started)
            {
                throw new InvalidOperationException("The job was started already.");
            }

            if (Problems.Count > 0)
            {
                throw new JobValidationException(Problems);
            }

            _started = true;
            var jobFiles = new JobFiles(_spec.JournalDirectory);
            try
            {
                foreach (var file in _files)
                {
                    jobFiles.Write(file.InPrivateFolder ? Path.Combine(jobFiles.PrivateDirectory, file.Path) : file.Path, file.Content);
                }

                var environment = new Dictionary<string, string>(_environment, _environment.Comparer);
                foreach (var (variable, relativePath, format) in PathVariables)
                {
                    environment[variable] = format.Replace("{0}", Path.Combine(jobFiles.PrivateDirectory, relativePath));
                }

                if (jobFiles.HasPrivateDirectory)
                {
                    environment[_spec.PrivateDirectoryVariable] = jobFiles.PrivateDirectory;
                }

                var masker = _spec.Mask ? new OutputMasker(_masked) : OutputMasker.None;
                return new PreparedJob(environment, jobFiles, masker, Description, Unset) { Warnings = Warnings };
            }
            catch
            {
                jobFiles.Dispose();
                throw;
            }
        }

        /// <summary>Overwrites every value it holds with zeros.</summary>
        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var file in _files)
            {
                JobFiles.Zero(file.Content);
            }

            foreach (var bytes in _masked)
            {
                JobFiles.Zero(bytes);
            }

            _environment.Clear();
        }

        public override string ToString() => $"ResolvedJob({_environment.Count} variables, {_files.Count} files, {Problems.Count} problems)";
    }
}
