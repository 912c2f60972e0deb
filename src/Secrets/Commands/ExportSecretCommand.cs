using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text;
using Secrets.Core.Errors;
using Secrets.Core.Interop;
using Secrets.Core.Platform;
using Secrets.Core.Values;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Writes secrets out as a .env, JSON, YAML or INI file, or as Kubernetes Secret manifests for kubectl apply.</para>
    /// </summary>
    /// <remarks>
    /// Export is the verb for writing data out in a file format (Export-Csv, Export-Clixml); the
    /// values leave the store in plain text, which the help says plainly.
    /// </remarks>
    [Cmdlet(VerbsData.Export, "Secret", SupportsShouldProcess = true, DefaultParameterSetName = TextSet, HelpUri = HelpLinks.Base + "Export-Secret.md")]
    [OutputType(typeof(string), ParameterSetName = new[] { TextSet })]
    [OutputType(typeof(SecretExportFile), ParameterSetName = new[] { FileSet })]
    public sealed class ExportSecretCommand : IdentityCmdlet
    {
        private const string TextSet = "Text";
        private const string FileSet = "File";

        private readonly List<(string Name, int? Version, string? Store)> _requested = new List<(string, int?, string?)>();

        /// <summary>The secrets to export; several only as Kubernetes manifests.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SecretNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; } = new string[0];

        /// <summary>A kept older version; the newest when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, int.MaxValue)]
        public int? Version { get; set; }

        /// <summary>Env, Json, Yaml, Ini or Kubernetes. Told from the -Path file name when omitted.</summary>
        [Parameter(Position = 1)]
        [ValidateSet("Env", "Json", "Yaml", "Ini", "Kubernetes")]
        public string? Format { get; set; }

        /// <summary>The file to write (owner-only). Without it, the text is written to the pipeline.</summary>
        [Parameter(Mandatory = true, ParameterSetName = FileSet)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Replace an existing file that holds something else (a copy of it is kept next to it).</summary>
        [Parameter(ParameterSetName = FileSet)]
        public SwitchParameter Force { get; set; }

        /// <summary>Ini: the section's name (default: the section it was imported from, else default).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Section { get; set; }

        /// <summary>Kubernetes: the namespace of the Secrets (default: the one recorded when imported, else none).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Namespace { get; set; }

        /// <summary>The store folder; the personal default store when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(StoreNameCompleter))]
        public string? Store { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var name in Name)
            {
                // A secret URI names its store.
                ForItem(name, () =>
                {
                    var (secretName, store) = InStore(name, Store, nameof(Name));
                    _requested.Add((secretName, Version, store));
                });
            }
        }

        protected override void EndProcessing()
        {
            if (_requested.Count == 0)
            {
                return;
            }

            var items = new List<ExportItem>();
            try
            {
                string? file = Path == null ? null : ResolvePath(Path);
                var format = ChooseFormat(file);
                foreach (var (name, version, store) in _requested)
                {
                    var opened = GetStore(store, createDefault: false) ?? throw new SecretNotFoundException(name, SecretsPaths.DefaultStorePath);
                    var value = opened.Read(name, Caller, version, out var record);
                    items.Add(new ExportItem(record.Name, value, record.Metadata));
                    WriteVerbose($"Read secret '{record.Name}' version {record.Version} ({record.Type}) from '{opened.Path}'.");
                }

                var text = SecretExchange.Write(format, items, Section, Namespace);
                var names = string.Join(", ", items.Select(i => "'" + i.Name + "'"));
                if (file == null)
                {
                    WriteObject(text);
                    return;
                }

                if (!ShouldProcess(file, $"Write {names} as {format}, in plain text"))
                {
                    return;
                }

                var written = InteropFiles.Write(file, new UTF8Encoding(false).GetBytes(text), Force);
                if (written.Backup != null)
                {
                    WriteVerbose($"Kept the file it replaced as '{written.Backup}'.");
                }

                WriteObject(new SecretExportFile(written.Path, string.Join(", ", items.Select(i => i.Name)), format.ToString(),
                    FilePermissions.FormatUnixMode(written.UnixMode), written.Backup, written.Changed));
            }
            catch (SecretsException e)
            {
                ThrowFailure(e, Path ?? string.Join(", ", _requested.Select(r => r.Name)));
            }
            finally
            {
                foreach (var item in items)
                {
                    item.Value.Dispose();
                }
            }
        }

        private ExchangeFormat ChooseFormat(string? file)
        {
            if (Format != null)
            {
                return (ExchangeFormat)Enum.Parse(typeof(ExchangeFormat), Format, ignoreCase: true);
            }

            var byName = file == null ? null : SecretExchange.FromFileName(file);
            return byName ?? throw new InvalidInputException("FormatRequired", "Format",
                file == null
                    ? "Give -Format Env, Json, Yaml, Ini or Kubernetes: the text written to the pipeline has no file name to tell it from."
                    : $"The format cannot be told from the name '{System.IO.Path.GetFileName(file)}'. Give -Format Env, Json, Yaml, Ini or Kubernetes.");
        }

        private string ResolvePath(string path)
        {
            var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
            if (provider.Name != "FileSystem")
            {
                throw new InvalidInputException("PathNotOnFileSystem", "Path", $"The path '{path}' is on the {provider.Name} provider; give a file on the file system.");
            }

            return resolved;
        }
    }
}
