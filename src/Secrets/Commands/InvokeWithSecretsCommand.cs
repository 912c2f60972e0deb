using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using Secrets.Core.Errors;
using Secrets.Core.Jobs;
using Secrets.Core.Platform;
using Secrets.Core.Store;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Runs a script block or a program with secrets as environment variables and files that exist only for the run.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "WithSecrets", SupportsShouldProcess = true, DefaultParameterSetName = ScriptBlockSet, HelpUri = HelpLinks.Base + "Invoke-WithSecrets.md")]
    [OutputType(typeof(object))]
    public sealed class InvokeWithSecretsCommand : IdentityCmdlet
    {
        private const string ScriptBlockSet = "ScriptBlock";
        private const string FilePathSet = "FilePath";

        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();
        private System.Management.Automation.PowerShell? _nested;

        /// <summary>The script block to run in this session.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ScriptBlockSet)]
        public ScriptBlock? ScriptBlock { get; set; }

        /// <summary>The program to run as a child process.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = FilePathSet)]
        [ValidateNotNullOrEmpty]
        public string? FilePath { get; set; }

        /// <summary>Arguments for the program or the script block. Never put secrets here: every user of the machine can read a process's command line.</summary>
        [Parameter(Position = 1)]
        [Alias("Args")]
        public object[]? ArgumentList { get; set; }

        /// <summary>Environment variables: @{ VARIABLE = 'secret-name', 'secret-name.key' or a secret URI ('secret://team/db#password') }.</summary>
        [Parameter]
        public Hashtable? Environment { get; set; }

        /// <summary>Files: @{ 'path' = 'secret-name' or 'secret-name.key' }. A bare file name goes in the private folder ($env:SECRETS_DIR).</summary>
        [Parameter]
        public Hashtable? File { get; set; }

        /// <summary>Folders: @{ 'path' = 'hashtable-or-credential-secret' }: one file per key; @{ 'path' = '*' } (a wildcard): one entry per readable secret.</summary>
        [Parameter]
        public Hashtable? Directory { get; set; }

        /// <summary>Rendered templates: @{ 'output path' = 'template path' }; {{name}}, {{name.key}} and {{secret://store-or-vault/name#key}} are replaced.</summary>
        [Parameter]
        public Hashtable? Template { get; set; }

        /// <summary>Providers: @{ aws = 'aws/ci' }: the variables and files each provider's tools read, from a secret of that provider.</summary>
        [Parameter]
        public Hashtable? Provider { get; set; }

        /// <summary>Every readable secret as an environment variable under -Prefix (SECRET_PROD_DB_PASSWORD for 'prod/db-password').</summary>
        [Parameter]
        public SwitchParameter AllSecrets { get; set; }

        /// <summary>With -AllSecrets: which secrets (wildcards, default all).</summary>
        [Parameter]
        [SupportsWildcards]
        public string Filter { get; set; } = "*";

        /// <summary>With -AllSecrets: the prefix of every variable name (default SECRET_; never empty).</summary>
        [Parameter]
        public string Prefix { get; set; } = EnvironmentNames.DefaultPrefix;

        /// <summary>The store (a registered name or a folder); without it, the lookup order of stores and vaults.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(StoreNameCompleter))]
        public string? Store { get; set; }

        /// <summary>The program's working folder (default: the current location).</summary>
        [Parameter(ParameterSetName = FilePathSet)]
        public string? WorkingDirectory { get; set; }

        /// <summary>Do not write an error when the program exits with a non-zero code ($LASTEXITCODE is set either way).</summary>
        [Parameter(ParameterSetName = FilePathSet)]
        public SwitchParameter IgnoreExitCode { get; set; }

        /// <summary>Do not mask secret values in the output.</summary>
        [Parameter]
        public SwitchParameter NoMask { get; set; }

        /// <summary>What must exist before the job starts: Strict (every secret and key), SecretExists, or None; what is let through is skipped with a warning.</summary>
        [Parameter]
        public JobValidationLevel Validation { get; set; } = JobValidationLevel.Strict;

        protected override void EndProcessing()
        {
            try
            {
                var spec = BuildSpec();
                var what = ParameterSetName == FilePathSet ? $"program '{FilePath}'" : "script block";

                // Everything is read and checked first, as for a run: -WhatIf is a dry run that
                // reports what would be missing, and nothing is written before the job can start.
                // Secrets come from -Store, or else the lookup order; URIs name their own place.
                using var source = SourceFor(Store, asPlainText: false, vaultFailuresStop: true);
                using var resolved = JobPreparer.Resolve(spec, source);
                var plan = resolved.Description;
                var target = what + (plan.Count == 0 ? " (no secrets)" : ":\n  " + string.Join("\n  ", plan));
                if (!ShouldProcess(target, "Run with secrets"))
                {
                    if (WhatIfRequested)
                    {
                        WriteSkipped(resolved.Warnings);
                        if (resolved.Problems.Count > 0)
                        {
                            ThrowFailure(new JobValidationException(resolved.Problems, dryRun: true), FilePath ?? "ScriptBlock");
                        }
                    }

                    return;
                }

                WriteSkipped(resolved.Warnings);
                using var job = resolved.Start();
                foreach (var line in job.Description)
                {
                    WriteVerbose("Job gets " + line);
                }

                WarnAboutSecretArguments(job.Masker);
                if (ParameterSetName == FilePathSet)
                {
                    RunProgram(job);
                }
                else
                {
                    RunScriptBlock(job);
                }
            }
            catch (SecretsException e)
            {
                ThrowFailure(e, FilePath ?? "ScriptBlock");
            }
        }

        /// <summary>Whether this run is -WhatIf (given, or from $WhatIfPreference).</summary>
        private bool WhatIfRequested => MyInvocation.BoundParameters.TryGetValue("WhatIf", out var given)
            ? LanguagePrimitives.IsTrue(given)
            : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));

        private void WriteSkipped(IReadOnlyList<string> warnings)
        {
            foreach (var warning in warnings)
            {
                WriteWarning(warning);
            }
        }

        protected override void StopProcessing()
        {
            _cancel.Cancel();
            _nested?.BeginStop(null, null);
        }

        private JobSpec BuildSpec()
        {
            var spec = new JobSpec
            {
                BaseDirectory = SessionState.Path.CurrentFileSystemLocation.ProviderPath,
                Mask = !NoMask,
                Validation = (JobValidation)(int)Validation,
                AllSecrets = AllSecrets,
                AllSecretsPrefix = Prefix,
            };
            if (AllSecrets)
            {
                var pattern = new WildcardPattern(string.IsNullOrEmpty(Filter) ? "*" : Filter, WildcardOptions.IgnoreCase);
                spec.AllSecretsFilter = pattern.IsMatch;
            }

            Copy(Environment, spec.Environment, nameof(Environment));
            Copy(File, spec.Files, nameof(File));
            Copy(Directory, spec.Directories, nameof(Directory));
            Copy(Template, spec.Templates, nameof(Template));
            Copy(Provider, spec.Providers, nameof(Provider));

            // A folder whose value is a wildcard pattern gets every readable secret it matches
            // (secret names never contain wildcard characters).
            foreach (var pair in spec.Directories.Where(d => WildcardPattern.ContainsWildcardCharacters(d.Value)).ToList())
            {
                var pattern = new WildcardPattern(pair.Value, WildcardOptions.IgnoreCase);
                spec.SecretFolders.Add(new SecretFolderMount(pair.Key, pair.Value, pattern.IsMatch));
                spec.Directories.Remove(pair);
            }

            return spec;
        }

        private static void Copy(Hashtable? table, List<KeyValuePair<string, string>> target, string parameter)
        {
            if (table == null)
            {
                return;
            }

            foreach (DictionaryEntry entry in table)
            {
                var key = (entry.Key is PSObject k ? k.BaseObject : entry.Key) as string;
                var value = (entry.Value is PSObject v ? v.BaseObject : entry.Value) as string;
                if (string.IsNullOrEmpty(key) || string.IsNullOrEmpty(value))
                {
                    throw new InvalidInputException("InvalidJobMapping", parameter,
                        $"Every entry of -{parameter} maps a non-empty string to a secret name (a string), e.g. @{{ DB_PASSWORD = 'prod/db' }}.");
                }

                target.Add(new KeyValuePair<string, string>(key!, value!));
            }
        }

        private void WarnAboutSecretArguments(OutputMasker masker)
        {
            if (ArgumentList == null || masker.PatternCount == 0)
            {
                return;
            }

            for (int i = 0; i < ArgumentList.Length; i++)
            {
                var text = ArgumentList[i]?.ToString();
                if (text != null && masker.Apply(text) != text)
                {
                    WriteWarning($"Argument {i + 1} contains a secret value. Every user of this machine can read a process's command line: pass secrets with -Environment, -File or -Template instead.");
                }
            }
        }

        private void RunProgram(PreparedJob job)
        {
            var program = FilePath!;
            if (program.IndexOf('/') >= 0 || program.IndexOf('\\') >= 0)
            {
                program = SessionState.Path.GetUnresolvedProviderPathFromPSPath(program);
            }
            else
            {
                // A bare name is looked up as PowerShell looks up '& name' (PATH, applications
                // only), never in the process's working folder, where anyone may have left a file.
                var application = InvokeCommand.GetCommand(program, CommandTypes.Application) as ApplicationInfo;
                if (application == null)
                {
                    ThrowTerminatingError(new ErrorRecord(new ItemNotFoundException($"No program named '{program}' was found on the PATH. Give its path, e.g. -FilePath ./{program}."),
                        "ProgramNotFound", ErrorCategory.ObjectNotFound, program));
                    return;
                }

                program = application.Path;
            }

            var workingDirectory = string.IsNullOrEmpty(WorkingDirectory)
                ? SessionState.Path.CurrentFileSystemLocation.ProviderPath
                : SessionState.Path.GetUnresolvedProviderPathFromPSPath(WorkingDirectory);
            var arguments = (ArgumentList ?? Array.Empty<object>()).Select(a => LanguagePrimitives.ConvertTo<string>(a is PSObject p ? p.BaseObject : a));
            using var process = new JobProcess(program, arguments, workingDirectory, job.Environment, job.Masker, job.Unset);
            IEnumerable<JobOutputLine> lines;
            var standardError = new NativeErrorStream(this);
            try
            {
                lines = process.Run(_cancel.Token);
                foreach (var line in lines)
                {
                    if (line.IsError)
                    {
                        standardError.Write(line.Text);
                    }
                    else
                    {
                        WriteObject(line.Text);
                    }
                }
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException($"The program '{FilePath}' could not be started: {e.Message}", e),
                    "ProgramNotStarted", ErrorCategory.ObjectNotFound, FilePath));
                return;
            }
            catch (OperationCanceledException)
            {
                WriteVerbose("The program was stopped; its files were deleted.");
                return;
            }

            SessionState.PSVariable.Set("global:LASTEXITCODE", process.ExitCode);
            if (process.ExitCode != 0 && !IgnoreExitCode)
            {
                WriteError(new ErrorRecord(new InvalidOperationException($"The program '{FilePath}' exited with code {process.ExitCode}."),
                    "ProgramFailed", ErrorCategory.NotSpecified, FilePath));
            }
        }

        /// <summary>
        /// Script-block jobs set variables in the process environment, which every runspace of the
        /// process shares: they run one at a time, so that one job can never restore another's
        /// values over it (a job nested inside another runs within it).
        /// </summary>
        private static readonly SemaphoreSlim ScriptBlockJobs = new SemaphoreSlim(1, 1);

        [ThreadStatic]
        private static int _scriptBlockDepth;

        private void RunScriptBlock(PreparedJob job)
        {
            bool nestedJob = _scriptBlockDepth > 0;
            if (!nestedJob && !ScriptBlockJobs.Wait(0))
            {
                WriteVerbose("Another script-block job of this process is running; waiting for it to end.");
                ScriptBlockJobs.Wait(_cancel.Token);
            }

            var saved = new Dictionary<string, string?>();
            var masker = job.Masker;
            var errors = SessionState.PSVariable.GetValue("global:Error") as System.Collections.ArrayList;
            int errorsBefore = errors?.Count ?? 0;
            _scriptBlockDepth++;
            try
            {
                foreach (var name in job.Unset)
                {
                    if (!saved.ContainsKey(name))
                    {
                        saved[name] = System.Environment.GetEnvironmentVariable(name);
                    }

                    System.Environment.SetEnvironmentVariable(name, null);
                }

                foreach (var pair in job.Environment)
                {
                    if (!saved.ContainsKey(pair.Key))
                    {
                        saved[pair.Key] = System.Environment.GetEnvironmentVariable(pair.Key);
                    }

                    System.Environment.SetEnvironmentVariable(pair.Key, pair.Value);
                }

                // Every stream is merged into the output (*>&1), so nothing the block writes reaches
                // the host before it is masked: each record is masked and written again through
                // this cmdlet, to the stream it came from.
                using var nested = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
                _nested = nested;
                nested.AddScript("param($__secretsBlock, $__secretsArgs) & $__secretsBlock @__secretsArgs *>&1", useLocalScope: true)
                    .AddArgument(ScriptBlock)
                    .AddArgument(ArgumentList ?? Array.Empty<object>());
                var output = new PSDataCollection<PSObject>();
                output.DataAdded += (sender, e) => WriteMasked(((PSDataCollection<PSObject>)sender)[e.Index], masker);
                nested.Streams.Error.DataAdded += (sender, e) => WriteError(MaskedError(((PSDataCollection<ErrorRecord>)sender)[e.Index], masker));
                nested.Invoke(null, output);
            }
            catch (RuntimeException e)
            {
                ThrowTerminatingError(MaskedError(e.ErrorRecord, masker));
            }
            finally
            {
                _scriptBlockDepth--;
                _nested = null;
                foreach (var pair in saved)
                {
                    System.Environment.SetEnvironmentVariable(pair.Key, pair.Value);
                }

                ScrubErrors(errors, errorsBefore, masker);
                if (!nestedJob)
                {
                    ScriptBlockJobs.Release();
                }
            }
        }

        /// <summary>One record of the merged streams, masked, written to the stream it came from.</summary>
        private void WriteMasked(PSObject item, OutputMasker masker)
        {
            switch (item?.BaseObject)
            {
                case ErrorRecord error:
                    WriteError(MaskedError(error, masker));
                    break;
                case WarningRecord warning:
                    WriteWarning(masker.Apply(warning.Message));
                    break;
                case VerboseRecord verbose:
                    WriteVerbose(masker.Apply(verbose.Message));
                    break;
                case DebugRecord debug:
                    WriteDebug(masker.Apply(debug.Message));
                    break;
                case InformationRecord information:
                    var data = information.MessageData is HostInformationMessage host
                        ? new HostInformationMessage { Message = masker.Apply(host.Message), ForegroundColor = host.ForegroundColor, BackgroundColor = host.BackgroundColor, NoNewLine = host.NoNewLine }
                        : (object)masker.Apply(information.MessageData?.ToString() ?? string.Empty);
                    WriteInformation(data, information.Tags.ToArray());
                    break;
                default:
                    WriteObject(MaskedObject(item!, masker));
                    break;
            }
        }

        /// <summary>
        /// The error records the block added to $Error hold what it wrote, unmasked: they are removed
        /// (this cmdlet wrote a masked copy of each one to the error stream, which $Error keeps).
        /// </summary>
        private static void ScrubErrors(System.Collections.ArrayList? errors, int before, OutputMasker masker)
        {
            if (errors == null || masker.PatternCount == 0)
            {
                return;
            }

            lock (errors.SyncRoot)
            {
                int added = errors.Count - before;
                for (int i = added - 1; i >= 0; i--)
                {
                    var text = errors[i] is ErrorRecord record
                        ? (record.ErrorDetails?.Message ?? string.Empty) + " " + record.Exception + " " + record.TargetObject
                        : errors[i]?.ToString() ?? string.Empty;
                    if (masker.Apply(text) != text)
                    {
                        errors.RemoveAt(i);
                    }
                }
            }
        }

        private static object MaskedObject(PSObject item, OutputMasker masker) =>
            item?.BaseObject is string text ? masker.Apply(text) : (object)item!;

        private static ErrorRecord MaskedError(ErrorRecord record, OutputMasker masker)
        {
            var message = record.ErrorDetails?.Message ?? record.Exception?.Message ?? string.Empty;
            var masked = masker.Apply(message);
            var target = record.TargetObject is string targetText ? masker.Apply(targetText) : record.TargetObject;
            if (masked == message && ReferenceEquals(target, record.TargetObject))
            {
                return record;
            }

            var copy = new ErrorRecord(new MaskedOutputException(masked), record.FullyQualifiedErrorId, record.CategoryInfo.Category, target);
            copy.ErrorDetails = new ErrorDetails(masked);
            return copy;
        }

        /// <summary>An error from inside the job whose message held a secret value, with the value masked.</summary>
        public sealed class MaskedOutputException : Exception
        {
            public MaskedOutputException(string message)
                : base(message)
            {
            }
        }
    }
}
