using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Platform;
using Secrets.Core.Providers;
using Secrets.Core.Store;
using Secrets.Core.Values;

namespace Secrets.Core.Jobs
{
    /// <summary>
    /// Resolves every reference of a job before anything runs: each secret is read once, every
    /// missing secret, missing key, wrong type, unreadable template or file that would be
    /// overwritten is collected, and if there is any the job does not start and one
    /// <see cref="JobValidationException"/> lists them all. Only then are files written.
    /// </summary>
    public sealed class JobPreparer
    {
        /// <summary>The largest template file.</summary>
        public const int MaxTemplateBytes = 16 * 1024 * 1024;

        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        private readonly JobSpec _spec;
        private readonly SecretStore _store;
        private readonly UnlockedIdentity? _reader;
        private readonly List<string> _problems = new List<string>();
        private readonly Dictionary<string, SecretValue?> _values = new Dictionary<string, SecretValue?>(StringComparer.Ordinal);
        private readonly Dictionary<string, SecretMetadata> _metadata = new Dictionary<string, SecretMetadata>(StringComparer.Ordinal);
        private readonly List<(string Variable, string RelativePath, string Format)> _pathVariables = new List<(string, string, string)>();
        private readonly List<string> _unset = new List<string>();
        private readonly Dictionary<string, List<string>> _missing = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        private readonly List<byte[]> _masked = new List<byte[]>();
        private readonly List<string> _description = new List<string>();

        /// <summary>A file to write: in the job's private folder (relative path) or at a full path.</summary>
        private sealed class PlannedFile
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

        private JobPreparer(JobSpec spec, SecretStore store, UnlockedIdentity? reader)
        {
            _spec = spec;
            _store = store;
            _reader = reader;
        }

        /// <summary>Resolves and validates the job, then writes its files. Throws <see cref="JobValidationException"/> listing every problem.</summary>
        public static PreparedJob Prepare(JobSpec spec, SecretStore store, UnlockedIdentity reader)
        {
            if (spec == null)
            {
                throw new ArgumentNullException(nameof(spec));
            }

            return new JobPreparer(spec, store ?? throw new ArgumentNullException(nameof(store)), reader ?? throw new ArgumentNullException(nameof(reader))).Run();
        }

        /// <summary>What the job would get, without reading any value (for -WhatIf).</summary>
        public static IReadOnlyList<string> Describe(JobSpec spec, SecretStore store)
        {
            var lines = new List<string>();
            foreach (var pair in spec.Environment)
            {
                lines.Add($"environment variable {pair.Key} <- '{pair.Value}'");
            }

            foreach (var pair in spec.Files)
            {
                lines.Add($"file '{DescribePath(spec, pair.Key)}' <- '{pair.Value}'");
            }

            foreach (var pair in spec.Directories)
            {
                lines.Add($"folder '{DescribePath(spec, pair.Key)}' <- one file per key of '{pair.Value}'");
            }

            foreach (var pair in spec.Templates)
            {
                lines.Add($"file '{DescribePath(spec, pair.Key)}' <- template '{Path.Combine(spec.BaseDirectory, pair.Value)}'");
            }

            foreach (var pair in spec.Providers)
            {
                var provider = SecretProviders.All.FirstOrDefault(p => string.Equals(p.Name, pair.Key, StringComparison.OrdinalIgnoreCase));
                if (provider == null)
                {
                    lines.Add($"provider '{pair.Key}' <- '{pair.Value}': {UnknownProvider(pair.Key)}");
                    continue;
                }

                var files = provider.JobFiles.Select(f => "$" + spec.PrivateDirectoryVariable + "/" + provider.Name + "/" + f).ToList();
                lines.Add($"provider {provider.Name} <- '{pair.Value}': environment variables {string.Join(", ", provider.JobVariables)}"
                    + (files.Count == 0 ? string.Empty : "; files " + string.Join(", ", files)));
            }

            if (spec.AllSecrets)
            {
                if (EnvironmentNames.PrefixProblem(spec.AllSecretsPrefix) is string prefixProblem)
                {
                    throw new JobValidationException(new[] { prefixProblem });
                }

                foreach (var listed in store.List(spec.AllSecretsFilter))
                {
                    if (listed.Record == null)
                    {
                        continue;
                    }

                    var record = listed.Record;
                    var variable = EnvironmentNames.For(spec.AllSecretsPrefix, record.Name);
                    lines.Add(record.Type == SecretType.Hashtable ? $"environment variables {variable}_<KEY> <- each key of '{record.Name}'"
                        : record.Type == SecretType.PSCredential ? $"environment variables {variable}_USERNAME, {variable}_PASSWORD <- '{record.Name}'"
                        : $"environment variable {variable} <- '{record.Name}'");
                }
            }

            return lines;
        }

        private static string DescribePath(JobSpec spec, string path) =>
            IsBareName(path) ? "$" + spec.PrivateDirectoryVariable + "/" + path : Path.GetFullPath(Path.Combine(spec.BaseDirectory, path));

        private PreparedJob Run()
        {
            var environment = new Dictionary<string, string>(EnvironmentComparer);
            var files = new List<PlannedFile>();
            var jobFiles = new JobFiles(_spec.JournalDirectory);
            try
            {
                ResolveAllSecrets(environment);
                ResolveEnvironment(environment);
                ResolveProviders(environment, files);
                ResolveFiles(files);
                ResolveDirectories(files);
                ResolveTemplates(files);
                ReportMissing();
                CheckTargets(files);
                if (_problems.Count > 0)
                {
                    throw new JobValidationException(_problems.Distinct().ToList());
                }

                foreach (var file in files)
                {
                    jobFiles.Write(file.InPrivateFolder ? Path.Combine(jobFiles.PrivateDirectory, file.Path) : file.Path, file.Content);
                }

                foreach (var (variable, relativePath, format) in _pathVariables)
                {
                    var path = Path.Combine(jobFiles.PrivateDirectory, relativePath);
                    environment[variable] = format.Replace("{0}", path);
                }

                if (jobFiles.HasPrivateDirectory)
                {
                    environment[_spec.PrivateDirectoryVariable] = jobFiles.PrivateDirectory;
                    _description.Add($"environment variable {_spec.PrivateDirectoryVariable} <- the job's private folder");
                }

                var masker = _spec.Mask ? new OutputMasker(_masked) : OutputMasker.None;
                var unset = _unset.Where(v => !environment.ContainsKey(v)).Distinct(EnvironmentComparer).ToList();
                return new PreparedJob(environment, jobFiles, masker, _description, unset);
            }
            catch
            {
                jobFiles.Dispose();
                throw;
            }
            finally
            {
                foreach (var file in files)
                {
                    JobFiles.Zero(file.Content);
                }

                foreach (var bytes in _masked)
                {
                    JobFiles.Zero(bytes);
                }

                foreach (var value in _values.Values)
                {
                    value?.Dispose();
                }
            }
        }

        private static StringComparer EnvironmentComparer =>
            System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows)
                ? StringComparer.OrdinalIgnoreCase
                : StringComparer.Ordinal;

        private void ResolveAllSecrets(Dictionary<string, string> environment)
        {
            if (!_spec.AllSecrets)
            {
                return;
            }

            if (EnvironmentNames.PrefixProblem(_spec.AllSecretsPrefix) is string prefixProblem)
            {
                _problems.Add(prefixProblem);
                return;
            }

            var sources = new Dictionary<string, string>(EnvironmentComparer);
            foreach (var listed in _store.List(_spec.AllSecretsFilter))
            {
                if (listed.Error != null)
                {
                    _problems.Add($"-AllSecrets: secret '{listed.CanonicalName}' cannot be read: {listed.Error.Message}");
                    continue;
                }

                var name = SecretName.Parse(listed.Record!.Name);
                var value = Load(name, "-AllSecrets", reportNotARecipient: false);
                if (value == null)
                {
                    continue;
                }

                foreach (var (variable, bytes) in Expand(name.Value, value))
                {
                    if (sources.TryGetValue(variable, out var other))
                    {
                        _problems.Add($"-AllSecrets: secrets '{other}' and '{name.Value}' both map to the variable {variable}; use -Environment to name them");
                        JobFiles.Zero(bytes);
                        continue;
                    }

                    // Names come from secret names and hashtable keys, which anyone with write access
                    // to a secret chooses: each starts with the prefix checked above, so none is a
                    // variable programs read, and none replaces a variable the job already has. A
                    // variable the caller names with -Environment takes precedence.
                    bool explicitlyNamed = _spec.Environment.Exists(e => EnvironmentComparer.Equals(e.Key, variable));
                    if (!explicitlyNamed && System.Environment.GetEnvironmentVariable(variable) != null)
                    {
                        _problems.Add($"-AllSecrets: '{name.Value}' would replace the existing environment variable {variable}; give another -Prefix, or name it with -Environment");
                        JobFiles.Zero(bytes);
                        continue;
                    }

                    sources[variable] = name.Value;
                    AddVariable(environment, variable, bytes, $"'{name.Value}'");
                }
            }
        }

        private IEnumerable<(string Variable, byte[] Bytes)> Expand(string name, SecretValue value)
        {
            var prefix = _spec.AllSecretsPrefix;
            switch (value.Type)
            {
                case SecretType.PSCredential:
                    yield return (EnvironmentNames.For(prefix, name, "UserName"), StrictUtf8.GetBytes(value.UserName!));
                    yield return (EnvironmentNames.For(prefix, name, "Password"), value.GetBytes());
                    break;
                case SecretType.Hashtable:
                    foreach (var entry in value.Entries)
                    {
                        if (entry.Value.Type == SecretType.PSCredential)
                        {
                            yield return (EnvironmentNames.For(prefix, name, entry.Key + "_UserName"), StrictUtf8.GetBytes(entry.Value.UserName!));
                            yield return (EnvironmentNames.For(prefix, name, entry.Key + "_Password"), entry.Value.GetBytes());
                        }
                        else
                        {
                            yield return (EnvironmentNames.For(prefix, name, entry.Key), AsText(entry.Value));
                        }
                    }

                    break;
                default:
                    yield return (EnvironmentNames.For(prefix, name), AsText(value));
                    break;
            }
        }

        private void ResolveEnvironment(Dictionary<string, string> environment)
        {
            foreach (var pair in _spec.Environment)
            {
                var usedBy = $"environment variable {pair.Key}";
                var nameProblem = EnvironmentNames.Validate(pair.Key);
                if (nameProblem != null)
                {
                    _problems.Add(nameProblem);
                    continue;
                }

                var bytes = ResolveReference(pair.Value, usedBy, forFile: false);
                if (bytes != null)
                {
                    AddVariable(environment, pair.Key, bytes, $"'{pair.Value}'");
                }
            }
        }

        private void AddVariable(Dictionary<string, string> environment, string variable, byte[] bytes, string source)
        {
            if (Array.IndexOf(bytes, (byte)0) >= 0)
            {
                _problems.Add($"environment variable {variable}: the value of {source} contains a NUL character, which environment variables cannot hold; use -File");
                JobFiles.Zero(bytes);
                return;
            }

            environment[variable] = StrictUtf8.GetString(bytes);
            _masked.Add(bytes);
            _description.Add($"environment variable {variable} <- {source}");
        }

        /// <summary>
        /// Each provider's variables and files for its secret: files go in a folder named after the
        /// provider in the job's private folder, and variables that hold their paths are set once
        /// that folder exists.
        /// </summary>
        private void ResolveProviders(Dictionary<string, string> environment, List<PlannedFile> files)
        {
            foreach (var pair in _spec.Providers)
            {
                var provider = SecretProviders.All.FirstOrDefault(p => string.Equals(p.Name, pair.Key, StringComparison.OrdinalIgnoreCase));
                if (provider == null)
                {
                    _problems.Add(UnknownProvider(pair.Key));
                    continue;
                }

                var usedBy = $"provider {provider.Name}";
                if (!SecretReference.TryParse(pair.Value, out var reference, out var problem))
                {
                    _problems.Add($"{usedBy}: {problem}");
                    continue;
                }

                if (reference!.Key != null)
                {
                    _problems.Add($"{usedBy}: '{reference.Text}' names one key; a provider takes a whole secret (made with Import-SecretProvider {provider.Name})");
                    continue;
                }

                var value = Load(reference.Name, usedBy, reportNotARecipient: true);
                if (value == null)
                {
                    continue;
                }

                ProviderJob plan;
                try
                {
                    plan = provider.PlanJob(reference.Name.Value, value, _metadata.TryGetValue(reference.Name.Canonical, out var metadata) ? metadata : SecretMetadata.Empty);
                }
                catch (SecretsException e)
                {
                    _problems.Add($"{usedBy}: {e.Message}");
                    continue;
                }

                foreach (var variable in plan.Variables)
                {
                    if (!AddProviderVariable(environment, variable.Name, usedBy))
                    {
                        continue;
                    }

                    environment[variable.Name] = variable.Value;
                    if (variable.Secret)
                    {
                        _masked.Add(StrictUtf8.GetBytes(variable.Value));
                    }
                }

                foreach (var file in plan.Files)
                {
                    files.Add(new PlannedFile(true, Path.Combine(provider.Name, file.Key), file.Value));
                }

                foreach (var (variable, relativePath, format) in plan.PathVariables)
                {
                    if (AddProviderVariable(environment, variable, usedBy))
                    {
                        environment[variable] = string.Empty;
                        _pathVariables.Add((variable, relativePath.Length == 0 ? provider.Name : Path.Combine(provider.Name, relativePath), format));
                    }
                }

                _masked.AddRange(plan.Masked.Select(m => StrictUtf8.GetBytes(m)));
                _unset.AddRange(plan.Unset);
                _description.Add($"provider {provider.Name} <- '{reference.Text}': environment variables "
                    + string.Join(", ", plan.Variables.Select(v => v.Name).Concat(plan.PathVariables.Select(v => v.Variable)))
                    + (plan.Files.Count == 0 ? string.Empty : "; files " + string.Join(", ", plan.Files.Select(f => "$" + _spec.PrivateDirectoryVariable + "/" + provider.Name + "/" + f.Key)))
                    + (plan.Unset.Count == 0 ? string.Empty : "; removed from its environment: " + string.Join(", ", plan.Unset)));
            }
        }

        /// <summary>False (with a problem) when another mapping of the job already sets the variable.</summary>
        private bool AddProviderVariable(Dictionary<string, string> environment, string variable, string usedBy)
        {
            if (environment.ContainsKey(variable))
            {
                _problems.Add($"{usedBy}: the variable {variable} is also set by another mapping of the job; remove one of them");
                return false;
            }

            return true;
        }

        private static string UnknownProvider(string name) =>
            $"there is no provider named '{name}' (the providers are {string.Join(", ", SecretProviders.All.Select(p => p.Name))})";

        private PlannedFile Plan(string path, byte[] content) =>
            IsBareName(path) ? new PlannedFile(true, path, content) : new PlannedFile(false, FullPath(path), content);

        private void ResolveFiles(List<PlannedFile> files)
        {
            foreach (var pair in _spec.Files)
            {
                var usedBy = $"file '{pair.Key}'";
                if (!CheckPath(pair.Key, usedBy))
                {
                    continue;
                }

                var bytes = ResolveReference(pair.Value, usedBy, forFile: true);
                if (bytes != null)
                {
                    files.Add(Plan(pair.Key, bytes));
                    _masked.Add((byte[])bytes.Clone());
                    _description.Add($"file '{DescribePath(_spec, pair.Key)}' <- '{pair.Value}'");
                }
            }
        }

        private void ResolveDirectories(List<PlannedFile> files)
        {
            foreach (var pair in _spec.Directories)
            {
                var usedBy = $"folder '{pair.Key}'";
                if (!CheckPath(pair.Key, usedBy))
                {
                    continue;
                }

                if (!SecretReference.TryParse(pair.Value, out var reference, out var problem))
                {
                    _problems.Add($"{usedBy}: {problem}");
                    continue;
                }

                if (reference!.Key != null)
                {
                    _problems.Add($"{usedBy}: '{reference.Text}' names one key; a folder takes a whole hashtable or credential secret (use -File for one key)");
                    continue;
                }

                var value = Load(reference.Name, usedBy, reportNotARecipient: true);
                if (value == null)
                {
                    continue;
                }

                var entries = new List<(string Key, byte[] Bytes)>();
                if (value.Type == SecretType.PSCredential)
                {
                    entries.Add(("UserName", StrictUtf8.GetBytes(value.UserName!)));
                    entries.Add(("Password", value.GetBytes()));
                }
                else if (value.Type == SecretType.Hashtable)
                {
                    foreach (var entry in value.Entries)
                    {
                        var fileProblem = FileNameProblem(entry.Key);
                        if (fileProblem != null)
                        {
                            _problems.Add($"{usedBy}: key '{entry.Key}' of '{reference.Text}' {fileProblem}");
                        }
                        else if (entry.Value.Type == SecretType.PSCredential)
                        {
                            _problems.Add($"{usedBy}: key '{entry.Key}' of '{reference.Text}' is a PSCredential; a folder holds text and byte values");
                        }
                        else
                        {
                            entries.Add((entry.Key, entry.Value.GetBytes()));
                        }
                    }
                }
                else
                {
                    _problems.Add($"{usedBy}: '{reference.Text}' is a {value.Type}; a folder takes a hashtable or credential secret (use -File)");
                    continue;
                }

                var folder = Plan(pair.Key, Array.Empty<byte>());
                foreach (var (key, bytes) in entries)
                {
                    files.Add(new PlannedFile(folder.InPrivateFolder, Path.Combine(folder.Path, key), bytes));
                    _masked.Add((byte[])bytes.Clone());
                }

                _description.Add($"folder '{DescribePath(_spec, pair.Key)}' <- one file per key of '{reference.Text}'");
            }
        }

        /// <summary>
        /// The text of a template, read no further than <see cref="MaxTemplateBytes"/> and only from
        /// a regular file (a device such as /dev/zero would otherwise be read until memory runs
        /// out); null after adding the problem.
        /// </summary>
        private string? ReadTemplate(string templatePath, string usedBy)
        {
            try
            {
                var kind = FileKinds.NotRegular(templatePath);
                byte[]? bytes = null;
                if (kind == null)
                {
                    using var stream = new FileStream(templatePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                    kind = FileKinds.NotRegular(stream);
                    if (kind == null)
                    {
                        bytes = ValueFile.ReadAtMost(stream, MaxTemplateBytes);
                        if (bytes == null)
                        {
                            _problems.Add($"{usedBy}: '{templatePath}' is larger than {MaxTemplateBytes / (1024 * 1024)} MiB");
                            return null;
                        }
                    }
                }

                if (bytes == null)
                {
                    _problems.Add($"{usedBy}: '{templatePath}' is {kind}, not a regular file");
                    return null;
                }

                using var reader = new StreamReader(new MemoryStream(bytes), StrictUtf8, detectEncodingFromByteOrderMarks: true);
                return reader.ReadToEnd();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is DecoderFallbackException)
            {
                _problems.Add($"{usedBy}: cannot be read as UTF-8 text from '{templatePath}' ({e.GetType().Name})");
                return null;
            }
        }

        private void ResolveTemplates(List<PlannedFile> files)
        {
            foreach (var pair in _spec.Templates)
            {
                var usedBy = $"template '{pair.Value}'";
                if (!CheckPath(pair.Key, $"template output '{pair.Key}'"))
                {
                    continue;
                }

                var templatePath = Path.GetFullPath(Path.Combine(_spec.BaseDirectory, pair.Value));
                var template = ReadTemplate(templatePath, usedBy);
                if (template == null)
                {
                    continue;
                }

                var resolved = new Dictionary<SecretReference, string>();
                bool complete = true;
                foreach (var reference in TemplateRenderer.FindReferences(template))
                {
                    var bytes = ResolveReference(reference.Text, usedBy, forFile: false);
                    if (bytes == null)
                    {
                        complete = false;
                        continue;
                    }

                    resolved[reference] = StrictUtf8.GetString(bytes);
                    _masked.Add(bytes);
                }

                if (complete)
                {
                    var rendered = TemplateRenderer.Render(template, r => resolved[r]);
                    files.Add(Plan(pair.Key, StrictUtf8.GetBytes(rendered)));
                    _description.Add($"file '{DescribePath(_spec, pair.Key)}' <- template '{templatePath}' ({resolved.Count} references)");
                }
            }
        }

        /// <summary>The bytes a reference stands for, or null after recording the problem.</summary>
        private byte[]? ResolveReference(string text, string usedBy, bool forFile)
        {
            if (!SecretReference.TryParse(text, out var reference, out var problem))
            {
                _problems.Add($"{usedBy}: {problem}");
                return null;
            }

            var value = Load(reference!.Name, usedBy, reportNotARecipient: true);
            if (value == null)
            {
                return null;
            }

            if (reference.Key == null)
            {
                switch (value.Type)
                {
                    case SecretType.PSCredential:
                        _problems.Add($"{usedBy}: '{reference.Text}' is a PSCredential; use '{reference.Text}.UserName' or '{reference.Text}.Password'");
                        return null;
                    case SecretType.Hashtable:
                        _problems.Add($"{usedBy}: '{reference.Text}' is a hashtable; use '{reference.Text}.<key>' (keys: {string.Join(", ", value.Entries.Select(e => e.Key))})"
                            + (forFile ? " or -Directory for one file per key" : string.Empty));
                        return null;
                    default:
                        return forFile ? value.GetBytes() : AsText(value);
                }
            }

            if (value.Type == SecretType.PSCredential)
            {
                if (string.Equals(reference.Key, "UserName", StringComparison.OrdinalIgnoreCase))
                {
                    return StrictUtf8.GetBytes(value.UserName!);
                }

                if (string.Equals(reference.Key, "Password", StringComparison.OrdinalIgnoreCase))
                {
                    return value.GetBytes();
                }

                _problems.Add($"{usedBy}: '{reference.Name}' is a PSCredential; its keys are UserName and Password, not '{reference.Key}'");
                return null;
            }

            if (value.Type != SecretType.Hashtable)
            {
                _problems.Add($"{usedBy}: '{reference.Name}' is a {value.Type}; it has no key '{reference.Key}'");
                return null;
            }

            var entry = value.Entries.FirstOrDefault(e => string.Equals(e.Key, reference.Key, StringComparison.OrdinalIgnoreCase));
            if (entry == null)
            {
                _problems.Add($"{usedBy}: secret '{reference.Name}' has no key '{reference.Key}' (keys: {string.Join(", ", value.Entries.Select(e => e.Key))})");
                return null;
            }

            if (entry.Value.Type == SecretType.PSCredential)
            {
                _problems.Add($"{usedBy}: key '{reference.Key}' of '{reference.Name}' is a PSCredential; store its parts as separate keys");
                return null;
            }

            return forFile ? entry.Value.GetBytes() : AsText(entry.Value);
        }

        private SecretValue? Load(SecretName name, string usedBy, bool reportNotARecipient)
        {
            if (_values.TryGetValue(name.Canonical, out var cached))
            {
                if (cached == null && _missing.TryGetValue(name.Canonical, out var users))
                {
                    users.Add(usedBy);
                }

                return cached;
            }

            SecretValue? value = null;
            try
            {
                value = _store.Read(name.Value, _reader!, null, out var record);
                _metadata[name.Canonical] = record.Metadata;
            }
            catch (SecretNotFoundException)
            {
                _missing[name.Canonical] = new List<string> { usedBy };
            }
            catch (NotARecipientException e)
            {
                if (reportNotARecipient)
                {
                    _problems.Add($"{usedBy}: {e.Message}");
                }
            }
            catch (SecretsException e)
            {
                _problems.Add($"{usedBy}: secret '{name.Value}' cannot be read: {e.Message}");
            }

            _values[name.Canonical] = value;
            return value;
        }

        private void ReportMissing()
        {
            foreach (var pair in _missing)
            {
                _problems.Add($"secret '{pair.Key}' does not exist (used by {string.Join(", ", pair.Value)})");
            }
        }

        private bool CheckPath(string path, string usedBy)
        {
            if (string.IsNullOrWhiteSpace(path) || path.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || path.IndexOf('\0') >= 0)
            {
                _problems.Add($"{usedBy}: the path is empty or contains invalid characters");
                return false;
            }

            if (IsBareName(path) && FileNameProblem(path) is string problem)
            {
                _problems.Add($"{usedBy}: the file name {problem}");
                return false;
            }

            return true;
        }

        private void CheckTargets(List<PlannedFile> files)
        {
            var seen = new HashSet<string>(EnvironmentComparer);
            foreach (var file in files)
            {
                var shown = file.InPrivateFolder ? "$" + _spec.PrivateDirectoryVariable + "/" + file.Path.Replace('\\', '/') : file.Path;
                if (!seen.Add((file.InPrivateFolder ? "private:" : string.Empty) + file.Path))
                {
                    _problems.Add($"two secrets would be written to the same file '{shown}'");
                }
                else if (!file.InPrivateFolder && File.Exists(file.Path))
                {
                    _problems.Add($"the file '{file.Path}' already exists; a job never overwrites files (choose another path or remove it)");
                }
                else if (!file.InPrivateFolder && Directory.Exists(file.Path))
                {
                    _problems.Add($"'{file.Path}' is a folder; give a file path");
                }
            }
        }

        private string FullPath(string path) => Path.GetFullPath(Path.Combine(_spec.BaseDirectory, path));

        /// <summary>A path without any folder part goes in the job's private folder.</summary>
        internal static bool IsBareName(string path) => path.IndexOf('/') < 0 && path.IndexOf('\\') < 0 && !Path.IsPathRooted(path);

        private static string? FileNameProblem(string name)
        {
            if (name == "." || name == ".." || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.IndexOf('/') >= 0 || name.IndexOf('\\') >= 0)
            {
                return "is not a valid file name";
            }

            // Windows treats these as devices whatever the folder or extension.
            var stem = name.Split('.')[0].TrimEnd(' ').ToUpperInvariant();
            if (stem == "CON" || stem == "PRN" || stem == "AUX" || stem == "NUL"
                || ((stem.StartsWith("COM", StringComparison.Ordinal) || stem.StartsWith("LPT", StringComparison.Ordinal)) && stem.Length == 4 && char.IsDigit(stem[3])))
            {
                return "is a device name on Windows";
            }

            return null;
        }

        private static byte[] AsText(SecretValue value) =>
            value.Type == SecretType.ByteArray ? Encoding.ASCII.GetBytes(Convert.ToBase64String(value.RawData)) : value.GetBytes();
    }
}
