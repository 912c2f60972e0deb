using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text;
using Secrets.Core.Names;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Interop;
using Secrets.Core.Store;
using Secrets.Internal;

namespace Secrets.Commands
{
    /// <summary>
    /// <para type="synopsis">Imports secrets from the files people have: .env, JSON, YAML, INI (~/.aws/credentials) and Kubernetes Secret manifests, or makes a TLS or registry secret.</para>
    /// </summary>
    /// <remarks>
    /// Import is the verb for bringing data in from a file format (Import-Csv, Import-Clixml): the
    /// file keeps its own syntax, and the cmdlet turns it into secrets.
    /// </remarks>
    [Cmdlet(VerbsData.Import, "Secret", SupportsShouldProcess = true, DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Base + "Import-Secret.md")]
    [OutputType(typeof(SecretInfo))]
    public sealed class ImportSecretCommand : SecretImportCommand
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string ContentSet = "Content";
        private const string TlsSet = "Tls";
        private const string DockerSet = "DockerRegistry";

        private readonly StringBuilder _content = new StringBuilder();
        private bool _contentSeen;

        /// <summary>The file to import (wildcards allowed).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>The file to import, taken literally.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string? LiteralPath { get; set; }

        /// <summary>The text to import, such as the output of kubectl get secret -o yaml; lines piped in one by one are joined.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ContentSet, ValueFromPipeline = true)]
        [AllowEmptyString]
        public string[]? Content { get; set; }

        /// <summary>Env, Json, Yaml, Ini or Kubernetes; told from the file name or the content when omitted.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [Parameter(ParameterSetName = ContentSet)]
        [ValidateSet("Env", "Json", "Yaml", "Ini", "Kubernetes")]
        public string? Format { get; set; }

        /// <summary>The secret's name. Required for every format but Kubernetes, whose Secrets have names.</summary>
        [Parameter(Position = 1, ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [Parameter(ParameterSetName = ContentSet)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = TlsSet)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = DockerSet)]
        [ArgumentCompleter(typeof(SecretNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary>Kubernetes: a folder of names the Secrets are stored under (prod gives prod/web-tls).</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [Parameter(ParameterSetName = ContentSet)]
        [ValidateNotNullOrEmpty]
        public string? NamePrefix { get; set; }

        /// <summary>INI: the section to import ([default], or [profile ci] as ci).</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [Parameter(ParameterSetName = ContentSet)]
        [ValidateNotNullOrEmpty]
        public string? Section { get; set; }

        /// <summary>A TLS secret: the PEM certificate (chain) file.</summary>
        [Parameter(Mandatory = true, ParameterSetName = TlsSet)]
        [ValidateNotNullOrEmpty]
        public string? CertificatePath { get; set; }

        /// <summary>A TLS secret: the PEM private key file of the certificate.</summary>
        [Parameter(Mandatory = true, ParameterSetName = TlsSet)]
        [ValidateNotNullOrEmpty]
        public string? KeyPath { get; set; }

        /// <summary>A registry secret: the registry's host (ghcr.io, registry.example.com:5000).</summary>
        [Parameter(Mandatory = true, ParameterSetName = DockerSet)]
        [ValidateNotNullOrEmpty]
        public string? Server { get; set; }

        /// <summary>A registry secret: the user name and password (or token) of the registry.</summary>
        [Parameter(Mandatory = true, ParameterSetName = DockerSet)]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>A registry secret: the e-mail address recorded with the login, if any.</summary>
        [Parameter(ParameterSetName = DockerSet)]
        public string? Email { get; set; }

        protected override void ProcessRecord()
        {
            switch (ParameterSetName)
            {
                case ContentSet:
                    foreach (var line in Content ?? Array.Empty<string>())
                    {
                        if (_contentSeen)
                        {
                            _content.Append('\n');
                        }

                        _content.Append(line);
                        _contentSeen = true;
                    }

                    break;
                case PathSet:
                    ForItem(Path, () =>
                    {
                        var files = GetResolvedProviderPathFromPSPath(Path, out var provider);
                        if (provider.Name != "FileSystem")
                        {
                            throw new InvalidInputException("PathNotOnFileSystem", "Path", $"The path '{Path}' is on the {provider.Name} provider; give a file on the file system.");
                        }

                        if (files.Count > 1 && (Format == null || !string.Equals(Format, "Kubernetes", StringComparison.OrdinalIgnoreCase)))
                        {
                            throw new InvalidInputException("AmbiguousPath", "Path",
                                $"The path '{Path}' matches {files.Count} files; a secret is imported from one (only -Format Kubernetes takes several). Use -LiteralPath for names with wildcard characters.");
                        }

                        foreach (var file in files)
                        {
                            ForItem(file, () => ImportText(InteropFiles.ReadText(file), InteropFiles.Describe(file), file));
                        }
                    });
                    break;
                case LiteralPathSet:
                    ForItem(LiteralPath, () =>
                    {
                        var file = ResolveFilePath(LiteralPath!, "LiteralPath");
                        ImportText(InteropFiles.ReadText(file), InteropFiles.Describe(file), file);
                    });
                    break;
                case TlsSet:
                    ForItem(Name, ImportTls);
                    break;
                case DockerSet:
                    ForItem(Name, ImportDockerRegistry);
                    break;
            }
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName == ContentSet)
            {
                ForItem(Name ?? "Content", () => ImportText(_content.ToString(), "the -Content text", null));
            }
        }

        private void ImportText(string text, string source, string? file)
        {
            ExchangeFormat format;
            if (Format != null)
            {
                format = (ExchangeFormat)Enum.Parse(typeof(ExchangeFormat), Format, ignoreCase: true);
            }
            else
            {
                var byName = file == null ? null : SecretExchange.FromFileName(file);
                format = byName == null ? SecretExchange.Detect(text, source, file) : SecretExchange.Refine(byName.Value, text);
                WriteVerbose($"Reading {source} as {format}.");
            }

            if (NamePrefix != null && format != ExchangeFormat.Kubernetes)
            {
                throw new InvalidInputException("NamePrefixNotApplicable", "NamePrefix", $"-NamePrefix places the Secrets of a Kubernetes manifest; {source} is read as {format}, which holds one secret named by -Name.");
            }

            if (format != ExchangeFormat.Kubernetes && Name == null)
            {
                throw new InvalidInputException("NameRequired", "Name", $"Give the secret a name with -Name: {source} is read as {format}, which does not name its secret.");
            }

            var skipped = new List<string>();
            var imported = SecretExchange.Read(text, format, source, file, Section, skipped);
            try
            {
                if (skipped.Count > 0)
                {
                    WriteWarning($"Skipped what is not a Secret in {source}: {string.Join("; ", skipped)}.");
                }

                var names = imported.Select(i => NameFor(i, imported.Count, source)).ToList();
                for (int i = 0; i < names.Count; i++)
                {
                    int twin = names.FindIndex(n => string.Equals(n, names[i], StringComparison.OrdinalIgnoreCase));
                    if (twin != i)
                    {
                        throw new InvalidInputException("ImportNameClash", "NamePrefix",
                            $"{imported[twin].Description} and {imported[i].Description} of {source} would both be the secret '{names[i]}' (Secrets of other namespaces, or names that differ only in '.' and '-'). Import them one at a time with -Name.");
                    }
                }

                for (int i = 0; i < imported.Count; i++)
                {
                    int index = i;
                    ForItem(names[index], () => WriteImported(names[index], imported[index].Value, imported[index].Metadata, imported.Count == 1 ? source : $"{imported[index].Description} of {source}"));
                }
            }
            finally
            {
                foreach (var secret in imported)
                {
                    secret.Dispose();
                }
            }
        }

        /// <summary>The store name of an imported secret: -Name, or the Kubernetes name ('.' becomes '-') under -NamePrefix.</summary>
        private string NameFor(ImportedSecret secret, int count, string source)
        {
            if (Name != null)
            {
                if (count > 1)
                {
                    throw new InvalidInputException("NameForOneSecret", "Name",
                        $"{char.ToUpperInvariant(source[0]) + source.Substring(1)} holds {count} Secrets, and -Name names one. Leave -Name out to store each under its own name (with -NamePrefix to put them under a folder).");
                }

                return Name;
            }

            if (secret.Name == null)
            {
                throw new InvalidInputException("NameRequired", "Name", $"{secret.Description} of {source} has no metadata.name. Give the secret a name with -Name.");
            }

            var name = secret.Name.Replace('.', '-');
            if (NamePrefix != null)
            {
                name = NamePrefix.TrimEnd('/') + "/" + name;
            }

            var problem = SecretName.Validate(name);
            if (problem != null)
            {
                throw new InvalidInputException("InvalidSecretName", "Name", $"{secret.Description} of {source} cannot be stored as '{name}': {problem}. Give it a name with -Name.");
            }

            return name;
        }

        private void ImportTls()
        {
            var certificatePath = ResolveFilePath(CertificatePath!, nameof(CertificatePath));
            var keyPath = ResolveFilePath(KeyPath!, nameof(KeyPath));
            var certificate = InteropFiles.ReadBytes(certificatePath);
            var key = InteropFiles.ReadBytes(keyPath);
            try
            {
                using var secret = KubernetesManifest.NewTls(certificate, InteropFiles.Describe(certificatePath), certificatePath, key, InteropFiles.Describe(keyPath), keyPath);
                using var value = KubernetesManifest.ToSecretValue(secret);
                WriteImported(Name!, value, KubernetesManifest.ToMetadata(secret), $"'{certificatePath}' and '{keyPath}'");
            }
            finally
            {
                Sensitive.Zero(certificate);
                Sensitive.Zero(key);
            }
        }

        private void ImportDockerRegistry()
        {
            if (Credential == null || Credential.Password == null)
            {
                throw new InvalidInputException("InvalidDockerRegistry", "Credential", "Give the registry's user name and password (or token) as a credential: -Credential (Get-Credential).");
            }

            var password = SecureText.ToUtf8(Credential.Password);
            try
            {
                using var secret = KubernetesManifest.NewDockerRegistry(Server!, Credential.UserName, password, Email);
                using var value = KubernetesManifest.ToSecretValue(secret);
                WriteImported(Name!, value, KubernetesManifest.ToMetadata(secret), $"a login to '{Server}'");
            }
            finally
            {
                Sensitive.Zero(password);
            }
        }
    }
}
