using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Lookup;
using Secrets.Core.Platform;
using Secrets.Core.Providers;
using Secrets.Core.Store;
using Secrets.Core.Values;
using Secrets.Core.Names;

namespace Secrets.Core.Jobs
{
    /// <summary>
    /// Resolves every reference of a job before anything runs: each secret is read once, every
    /// missing secret, missing key, wrong type, unreadable template or file that would be
    /// overwritten is collected, and if there is any the job does not start and one
    /// <see cref="JobValidationException"/> lists them all. Only then are files written.
    /// <see cref="Resolve(JobSpec, SecretSource)"/> does everything but write (a dry run: -WhatIf); <see cref="ResolvedJob.Start"/>
    /// writes. With a relaxed <see cref="JobSpec.Validation"/>, what the level lets through is a
    /// warning and is skipped. Secrets come from a <see cref="SecretSource"/>: one store, or the
    /// lookup order of stores and vaults, and the places secret URIs name.
    /// </summary>
    public sealed class JobPreparer
    {
        /// <summary>The largest template file.</summary>
        public const int MaxTemplateBytes = 16 * 1024 * 1024;

        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        private readonly JobSpec _spec;
        private readonly SecretSource _source;
        private readonly List<string> _problems = new List<string>();
        private readonly List<string> _warnings = new List<string>();
        private readonly Dictionary<string, Loaded> _loaded = new Dictionary<string, Loaded>(StringComparer.Ordinal);
        private readonly List<SecretValue> _owned = new List<SecretValue>();
        private readonly List<(string Variable, string RelativePath, string Format)> _pathVariables = new List<(string, string, string)>();
        private readonly List<string> _unset = new List<string>();
        private readonly Dictionary<string, (string Where, List<string> Users)> _missing = new Dictionary<string, (string, List<string>)>(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _unreadable = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly List<byte[]> _masked = new List<byte[]>();
        private readonly List<string> _description = new List<string>();

        /// <summary>Why a secret gave no value.</summary>
        private enum Unavailable
        {
            /// <summary>A problem was recorded: the job cannot start.</summary>
            Failed,

            /// <summary>The secret does not exist (reported with everything that uses it, at the end).</summary>
            NotFound,

            /// <summary>The secret is not encrypted to the reader.</summary>
            NotReadable,
        }

        private JobPreparer(JobSpec spec, SecretSource source)
        {
            _spec = spec;
            _source = source;
        }

        /// <summary>Resolves and validates the job, then writes its files. Throws <see cref="JobValidationException"/> listing every problem.</summary>
        public static PreparedJob Prepare(JobSpec spec, SecretStore store, UnlockedIdentity reader)
        {
            using var resolved = Resolve(spec, store, reader);
            return resolved.Start();
        }

        /// <summary>
        /// Reads and checks everything the job would get, as a run does, and writes nothing: the
        /// problems that would stop it, the warnings for what would be skipped, and what would go
        /// where. <see cref="ResolvedJob.Start"/> then writes the files; disposing it erases the
        /// values it holds.
        /// </summary>
        public static ResolvedJob Resolve(JobSpec spec, SecretStore store, UnlockedIdentity reader)
        {
            if (store == null || reader == null)
            {
                throw new ArgumentNullException(store == null ? nameof(store) : nameof(reader));
            }

            using var source = SecretSource.ForStore(store, reader);
            return Resolve(spec, source);
        }

        /// <summary>
        /// As <see cref="Resolve(JobSpec, SecretStore, UnlockedIdentity)"/>, with the secrets of
        /// <paramref name="source"/>: plain names are looked up in its order, secret URIs in the
        /// place they name. The job holds copies of what it uses; the source can be disposed.
        /// </summary>
        public static ResolvedJob Resolve(JobSpec spec, SecretSource source)
        {
            if (spec == null)
            {
                throw new ArgumentNullException(nameof(spec));
            }

            return new JobPreparer(spec, source ?? throw new ArgumentNullException(nameof(source))).Run();
        }

        /// <summary>What the job would get, without reading any value (for -WhatIf).</summary>
        public static IReadOnlyList<string> Describe(JobSpec spec, SecretStore store)
        {
            if (store == null)
            {
                throw new ArgumentNullException(nameof(store));
            }

            return Describe(spec, store.List);
        }

        /// <summary>What the job would get, without reading any value; -AllSecrets lists the store places of <paramref name="source"/>.</summary>
        public static IReadOnlyList<string> Describe(JobSpec spec, SecretSource source)
        {
            if (source == null)
            {
                throw new ArgumentNullException(nameof(source));
            }

            return Describe(spec, filter => source.List(filter).Select(p => p.Listed));
        }

        private static IReadOnlyList<string> Describe(JobSpec spec, Func<Func<string, bool>?, IEnumerable<ListedSecret>> list)
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

            foreach (var mount in spec.SecretFolders)
            {
                lines.Add($"folder '{DescribePath(spec, mount.Path)}' <- one entry per secret matching '{mount.Pattern}'");
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

                foreach (var listed in list(spec.AllSecretsFilter))
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

        private ResolvedJob Run()
        {
            var environment = new Dictionary<string, string>(EnvironmentComparer);
            var files = new List<PlannedFile>();
            try
            {
                ResolveAllSecrets(environment);
                ResolveEnvironment(environment);
                ResolveProviders(environment, files);
                ResolveFiles(files);
                ResolveDirectories(files);
                ResolveSecretFolders(files);
                ResolveTemplates(files);
                ReportMissing();
                CheckTargets(files);
                if (files.Exists(f => f.InPrivateFolder))
                {
                    _description.Add($"environment variable {_spec.PrivateDirectoryVariable} <- the job's private folder");
                }

                return new ResolvedJob(_spec, environment, files, _masked, _description, _problems.Distinct().ToList(), _warnings.Distinct().ToList())
                {
                    PathVariables = _pathVariables,
                    Unset = _unset.Where(v => !environment.ContainsKey(v)).Distinct(EnvironmentComparer).ToList(),
                };
            }
            catch
            {
                foreach (var file in files)
                {
                    JobFiles.Zero(file.Content);
                }

                foreach (var bytes in _masked)
                {
                    JobFiles.Zero(bytes);
                }

                throw;
            }
            finally
            {
                foreach (var value in _owned)
                {
                    value.Dispose();
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
            foreach (var (place, listed) in _source.List(_spec.AllSecretsFilter))
            {
                if (listed.Error != null)
                {
                    _problems.Add($"-AllSecrets: secret '{listed.CanonicalName}' cannot be read: {listed.Error.Message}");
                    continue;
                }

                var name = SecretName.Parse(listed.Record!.Name);
                var value = Load(SecretLocator.Parse(name.Value, "Name"), "-AllSecrets", reportNotARecipient: false, out _, out _, place: place);
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

                var bytes = ResolveReference(pair.Value, usedBy, forFile: false, out _);
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
                var locator = Locate(pair.Value, usedBy);
                if (locator == null)
                {
                    continue;
                }

                if (KeyOf(locator) != null)
                {
                    _problems.Add($"{usedBy}: '{locator.Text}' names one key; a provider takes a whole secret (made with Import-SecretProvider {provider.Name})");
                    continue;
                }

                var value = Load(locator, usedBy, reportNotARecipient: true, out _, out var hit);
                if (value == null)
                {
                    continue;
                }

                ProviderJob plan;
                try
                {
                    plan = provider.PlanJob(hit!.SecretName, value, hit.Metadata);
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
                _description.Add($"provider {provider.Name} <- '{locator.Text}': environment variables "
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

                var bytes = ResolveReference(pair.Value, usedBy, forFile: true, out _);
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

                var locator = Locate(pair.Value, usedBy);
                if (locator == null)
                {
                    continue;
                }

                if (KeyOf(locator) != null)
                {
                    _problems.Add($"{usedBy}: '{locator.Text}' names one key; a folder takes a whole hashtable or credential secret (use -File for one key)");
                    continue;
                }

                var value = Load(locator, usedBy, reportNotARecipient: true, out _, out _);
                if (value == null)
                {
                    continue;
                }

                if (value.Type != SecretType.PSCredential && value.Type != SecretType.Hashtable)
                {
                    _problems.Add($"{usedBy}: '{locator.Text}' is a {value.Type}; a folder takes a hashtable or credential secret (use -File)");
                    continue;
                }

                var folder = Plan(pair.Key, Array.Empty<byte>());
                AddKeyFiles(files, folder.InPrivateFolder, folder.Path, value, locator.Text, usedBy);
                _description.Add($"folder '{DescribePath(_spec, pair.Key)}' <- one file per key of '{locator.Text}'");
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

                var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
                bool complete = true;
                int skipped = 0;
                foreach (var token in TemplateRenderer.FindTokens(template))
                {
                    var bytes = ResolveReference(token, usedBy, forFile: false, out bool skippable, "the reference is left as written");
                    if (bytes == null)
                    {
                        complete &= skippable;
                        skipped += skippable ? 1 : 0;
                        continue;
                    }

                    resolved[token] = StrictUtf8.GetString(bytes);
                    _masked.Add(bytes);
                }

                if (complete)
                {
                    var rendered = TemplateRenderer.RenderTokens(template, t => resolved.TryGetValue(t, out var text) ? text : null);
                    files.Add(Plan(pair.Key, StrictUtf8.GetBytes(rendered)));
                    _description.Add($"file '{DescribePath(_spec, pair.Key)}' <- template '{templatePath}' ({resolved.Count} references"
                        + (skipped > 0 ? $", {skipped} left as written)" : ")"));
                }
            }
        }

        /// <summary>
        /// The bytes a reference stands for, or null after recording the problem, or (when the
        /// validation level lets it through) the warning: <paramref name="skippable"/> then says
        /// that the job can run without it. <paramref name="skipped"/> says what happens to it.
        /// </summary>
        private byte[]? ResolveReference(string text, string usedBy, bool forFile, out bool skippable, string skipped = "skipped")
        {
            skippable = false;
            var locator = Locate(text, usedBy);
            if (locator == null)
            {
                return null;
            }

            var value = Load(locator, usedBy, reportNotARecipient: true, out var unavailable, out var hit, skipped);
            if (value == null)
            {
                skippable = unavailable == Unavailable.NotFound ? _spec.Validation == JobValidation.None
                    : unavailable == Unavailable.NotReadable && _spec.Validation != JobValidation.Strict;
                return null;
            }

            var key = hit!.Key;
            if (key == null)
            {
                var keyed = locator.Uri != null ? "#" : ".";
                switch (value.Type)
                {
                    case SecretType.PSCredential:
                        _problems.Add($"{usedBy}: '{locator.Text}' is a PSCredential; use '{locator.Text}{keyed}UserName' or '{locator.Text}{keyed}Password'");
                        return null;
                    case SecretType.Hashtable:
                        _problems.Add($"{usedBy}: '{locator.Text}' is a hashtable; use '{locator.Text}{keyed}<key>' (keys: {string.Join(", ", value.Entries.Select(e => e.Key))})"
                            + (forFile ? " or -Directory for one file per key" : string.Empty));
                        return null;
                    default:
                        return forFile ? value.GetBytes() : AsText(value);
                }
            }

            SecretValue part;
            try
            {
                part = SecretReference.SelectKey(value, key, hit.SecretName);
            }
            catch (SecretKeyNotFoundException e)
            {
                // Only a key a hashtable or credential lacks is "missing"; a key of a value that has none is a mistake.
                skippable = _spec.Validation != JobValidation.Strict && (e.Type == SecretType.Hashtable || e.Type == SecretType.PSCredential);
                if (skippable)
                {
                    Skip(usedBy, e.Message, skipped);
                }
                else
                {
                    _problems.Add($"{usedBy}: {e.Message}");
                }

                return null;
            }

            using (part)
            {
                if (part.Type == SecretType.PSCredential)
                {
                    _problems.Add($"{usedBy}: key '{key}' of '{hit.SecretName}' is a PSCredential; store its parts as separate keys");
                    return null;
                }

                return forFile ? part.GetBytes() : AsText(part);
            }
        }

        /// <summary>Records what a relaxed validation level lets the job run without.</summary>
        private void Skip(string usedBy, string reason, string skipped) =>
            _warnings.Add($"{usedBy}: {reason.TrimEnd('.')}; {skipped} (-Validation {_spec.Validation})");

        /// <summary>
        /// The files of a hashtable or credential value in a folder: one per key (UserName and
        /// Password for a credential). Keys that cannot be file names, and credentials inside a
        /// hashtable, are problems.
        /// </summary>
        private void AddKeyFiles(List<PlannedFile> files, bool inPrivateFolder, string folder, SecretValue value, string source, string usedBy)
        {
            var entries = new List<(string Key, byte[] Bytes)>();
            if (value.Type == SecretType.PSCredential)
            {
                entries.Add((SecretReference.UserNameKey, StrictUtf8.GetBytes(value.UserName!)));
                entries.Add((SecretReference.PasswordKey, value.GetBytes()));
            }
            else
            {
                foreach (var entry in value.Entries)
                {
                    var fileProblem = FileNameProblem(entry.Key);
                    if (fileProblem != null)
                    {
                        _problems.Add($"{usedBy}: key '{entry.Key}' of '{source}' {fileProblem}");
                    }
                    else if (entry.Value.Type == SecretType.PSCredential)
                    {
                        _problems.Add($"{usedBy}: key '{entry.Key}' of '{source}' is a PSCredential; a folder holds text and byte values");
                    }
                    else
                    {
                        entries.Add((entry.Key, entry.Value.GetBytes()));
                    }
                }
            }

            foreach (var (key, bytes) in entries)
            {
                files.Add(new PlannedFile(inPrivateFolder, Path.Combine(folder, key), bytes));
                _masked.Add((byte[])bytes.Clone());
            }
        }

        /// <summary>
        /// Folders that get every readable secret a filter accepts (<see cref="SecretFolderMount"/>):
        /// secrets not encrypted to the reader are left out, as -AllSecrets leaves them out; a secret
        /// whose file is invalid is a problem, since it may be one the job needs.
        /// </summary>
        private void ResolveSecretFolders(List<PlannedFile> files)
        {
            foreach (var mount in _spec.SecretFolders)
            {
                var usedBy = $"folder '{mount.Path}'";
                if (!CheckPath(mount.Path, usedBy))
                {
                    continue;
                }

                var folder = Plan(mount.Path, Array.Empty<byte>());
                var names = new List<string>();
                foreach (var (place, listed) in _source.List(mount.Matches))
                {
                    if (listed.Error != null)
                    {
                        _problems.Add($"{usedBy}: secret '{listed.CanonicalName}' cannot be read: {listed.Error.Message}");
                        continue;
                    }

                    var name = SecretName.Parse(listed.Record!.Name);
                    var value = Load(SecretLocator.Parse(name.Value, "Name"), usedBy, reportNotARecipient: false, out _, out _, place: place);
                    if (value == null)
                    {
                        continue;
                    }

                    var entry = SecretFolderMount.EntryName(name.Value);
                    var entryProblem = FileNameProblem(entry);
                    if (entryProblem != null)
                    {
                        _problems.Add($"{usedBy}: the entry for secret '{name.Value}', '{entry}', {entryProblem}; narrow the filter '{mount.Pattern}'");
                        continue;
                    }

                    var path = Path.Combine(folder.Path, entry);
                    if (value.Type == SecretType.Hashtable || value.Type == SecretType.PSCredential)
                    {
                        AddKeyFiles(files, folder.InPrivateFolder, path, value, name.Value, usedBy);
                    }
                    else
                    {
                        var bytes = value.GetBytes();
                        files.Add(new PlannedFile(folder.InPrivateFolder, path, bytes));
                        _masked.Add((byte[])bytes.Clone());
                    }

                    names.Add(name.Value);
                }

                if (names.Count == 0)
                {
                    var reason = $"no secret you can read matches '{mount.Pattern}'";
                    if (_spec.Validation == JobValidation.None)
                    {
                        Skip(usedBy, reason, "the folder is not created");
                    }
                    else
                    {
                        _problems.Add($"{usedBy}: {reason}");
                    }

                    continue;
                }

                _description.Add($"folder '{DescribePath(_spec, mount.Path)}' <- {names.Count} secret{(names.Count == 1 ? string.Empty : "s")} matching '{mount.Pattern}': "
                    + string.Join(", ", names.Select(n => SecretFolderMount.EntryName(n))));
            }
        }

        /// <summary>What a reference or URI names; null after recording why it names nothing.</summary>
        private SecretLocator? Locate(string text, string usedBy)
        {
            if (!SecretLocator.TryParse(text, out var locator, out var error))
            {
                _problems.Add($"{usedBy}: {Clause(error!.Message)}");
                return null;
            }

            // Plain text that cannot be a name of a store names nothing unless a vault of another module is searched.
            if (locator!.Reference == null && (locator.Uri != null || !_source.Order.Any(p => p is VaultPlace)))
            {
                _problems.Add($"{usedBy}: {Clause(locator.ReferenceProblem!)}");
                return null;
            }

            return locator;
        }

        /// <summary>The key a locator names, as far as can be told before it is found: a URI's '#key', or the 'name.key' of a store.</summary>
        private static string? KeyOf(SecretLocator locator) => locator.Uri != null ? locator.Uri.Key : locator.Reference?.Key;

        /// <summary>A sentence as a clause after "used by: ".</summary>
        private static string Clause(string sentence)
        {
            var text = sentence.TrimEnd('.');
            return text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text.Substring(1) : text;
        }

        /// <summary>How reports name the secret a locator names: its canonical name, or its URI without the key.</summary>
        private static string ShownName(SecretLocator locator) =>
            locator.Uri != null ? SecretUri.Format(locator.Uri.Source, locator.Uri.Name)
            : locator.Reference?.Name.Canonical ?? locator.Text;

        /// <summary>A secret as read for the job: the whole value and where it was found, or why there is none.</summary>
        private sealed class Loaded
        {
            public SecretValue? Value { get; set; }

            public LookupHit? Hit { get; set; }

            public Unavailable Reason { get; set; } = Unavailable.Failed;
        }

        /// <summary>
        /// The whole value of a secret, read once per job; null when it has none to give, with
        /// <paramref name="unavailable"/> saying why. <paramref name="hit"/> says where it was found
        /// and which key the locator takes. A secret that does not exist is reported at the end with
        /// everything that uses it; one that is not encrypted to the reader is a problem (a warning
        /// when the validation level lets it through, or nothing at all when
        /// <paramref name="reportNotARecipient"/> is false); any other failure is a problem.
        /// <paramref name="place"/>, when given, is the only place read.
        /// </summary>
        private SecretValue? Load(SecretLocator locator, string usedBy, bool reportNotARecipient, out Unavailable unavailable, out LookupHit? hit,
            string skipped = "skipped", LookupPlace? place = null)
        {
            var shown = ShownName(locator);
            var cacheKey = (place == null ? string.Empty : place.Display + "\n") + (locator.Uri != null ? "uri:" + locator.Uri.Source.ToUpperInvariant() + "/" + locator.Uri.Name
                : "name:" + (locator.Reference?.Name.Canonical ?? string.Empty) + "\n" + locator.VaultSecretName);
            if (!_loaded.TryGetValue(cacheKey, out var loaded))
            {
                loaded = new Loaded();
                try
                {
                    var found = place == null ? _source.Find(locator) : _source.FindIn(place, locator);
                    if (found == null)
                    {
                        loaded.Reason = Unavailable.NotFound;
                        Missing(shown, null);
                    }
                    else
                    {
                        loaded.Hit = found;
                        if (found.Value != null)
                        {
                            loaded.Value = found.Value;
                        }
                        else
                        {
                            loaded.Value = found.Foreign!.ToValue();
                            _owned.Add(loaded.Value);
                        }
                    }
                }
                catch (SecretNotFoundException e) when (e.ErrorId == "SecretNotFound")
                {
                    loaded.Reason = Unavailable.NotFound;
                    Missing(shown, e.Places);
                }
                catch (NotARecipientException e)
                {
                    loaded.Reason = Unavailable.NotReadable;
                    _unreadable[shown] = e.Message;
                }
                catch (SecretsException e)
                {
                    _problems.Add($"{usedBy}: secret '{shown}' cannot be read: {e.Message}");
                }

                _loaded[cacheKey] = loaded;
            }

            hit = loaded.Hit;
            unavailable = loaded.Reason;
            if (loaded.Value != null)
            {
                return loaded.Value;
            }

            if (loaded.Reason == Unavailable.NotFound)
            {
                _missing[shown].Users.Add(usedBy);
            }
            else if (loaded.Reason == Unavailable.NotReadable && _unreadable.TryGetValue(shown, out var message))
            {
                if (!reportNotARecipient)
                {
                    return null;
                }

                if (_spec.Validation == JobValidation.Strict)
                {
                    _problems.Add($"{usedBy}: {message}");
                }
                else
                {
                    Skip(usedBy, message, skipped);
                }
            }

            return null;
        }

        /// <summary>Notes a secret that does not exist, with where it was looked for when that was more than one store.</summary>
        private void Missing(string shown, IReadOnlyList<string>? places)
        {
            if (!_missing.ContainsKey(shown))
            {
                _missing[shown] = (places == null ? string.Empty : $" in {string.Join(", ", places)}", new List<string>());
            }
        }

        private void ReportMissing()
        {
            foreach (var pair in _missing)
            {
                var problem = $"secret '{pair.Key}' does not exist{pair.Value.Where} (used by {string.Join(", ", pair.Value.Users.Distinct())})";
                if (_spec.Validation == JobValidation.None)
                {
                    _warnings.Add($"{problem}; skipped (-Validation None)");
                }
                else
                {
                    _problems.Add(problem);
                }
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
