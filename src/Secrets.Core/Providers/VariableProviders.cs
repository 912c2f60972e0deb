using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Interop;
using Secrets.Core.Values;

namespace Secrets.Core.Providers
{
    /// <summary>One key of a variable provider: the variables it is read from (first set wins) and written to.</summary>
    public sealed class ProviderKey
    {
        public ProviderKey(string key, string[] readFrom, string[] writeTo, bool required = true)
        {
            Key = key;
            ReadFrom = readFrom;
            WriteTo = writeTo;
            Required = required;
        }

        public string Key { get; }

        public IReadOnlyList<string> ReadFrom { get; }

        public IReadOnlyList<string> WriteTo { get; }

        public bool Required { get; }
    }

    /// <summary>
    /// A provider whose tools read environment variables only (an API key, a token, a service
    /// principal). -Path names a .env file that sets the variables, for import and export alike.
    /// </summary>
    public class VariableProvider : SecretProvider
    {
        private readonly string _name;
        private readonly string _description;
        private readonly IReadOnlyList<ProviderKey> _keys;

        public VariableProvider(string name, string description, params ProviderKey[] keys)
        {
            _name = name;
            _description = description;
            _keys = keys;
        }

        public override string Name => _name;

        public override string Description => _description;

        public override IReadOnlyList<string> Keys => _keys.Where(k => k.Required).Select(k => k.Key).ToList();

        public override IReadOnlyList<string> OptionalKeys => _keys.Where(k => !k.Required).Select(k => k.Key).ToList();

        public override IReadOnlyList<string> Variables => _keys.SelectMany(k => k.ReadFrom).Distinct().ToList();

        public override IReadOnlyList<string> JobVariables => _keys.SelectMany(k => k.WriteTo).Distinct().ToList();

        public override IReadOnlyList<string> DefaultFiles(ProviderEnvironment environment) => Array.Empty<string>();

        public override ProviderStatus Detect(ProviderEnvironment environment)
        {
            var found = new List<string>();
            foreach (var key in _keys)
            {
                var variable = key.ReadFrom.FirstOrDefault(v => environment.Variable(v) != null);
                if (variable != null)
                {
                    found.Add(variable);
                }
                else if (key.Required)
                {
                    return new ProviderStatus(false, null);
                }
            }

            return new ProviderStatus(true, string.Join(", ", found));
        }

        public override ProviderImport Import(ProviderEnvironment environment, string? path, string? profile)
        {
            NoProfile(profile);
            Func<string, string?> lookup = environment.Variable;
            string where = "the environment";
            string? source = null;
            if (path != null)
            {
                source = InteropFiles.Describe(path);
                var entries = DotEnv.Parse(Read(path), source, path);
                lookup = name => entries.FirstOrDefault(e => e.Key == name)?.Value is string v && v.Length > 0 ? v : null;
                where = source;
            }

            var import = NewImport(path ?? string.Empty, fromFile: path != null);
            var used = new List<string>();
            foreach (var key in _keys)
            {
                var variable = key.ReadFrom.FirstOrDefault(v => lookup(v) != null);
                if (variable == null)
                {
                    if (!key.Required)
                    {
                        continue;
                    }

                    var names = string.Join(" or ", key.ReadFrom);
                    if (path != null)
                    {
                        throw new InvalidContentException("ProviderNotConfigured", source!, 0, $"it does not set {names}, which the {Name} provider needs.", path);
                    }

                    throw NotConfigured($"{names} is not set in {where}");
                }

                import.Entries.Add(new KeyValuePair<string, string>(key.Key, lookup(variable)!));
                used.Add(variable);
            }

            import.Source = path != null ? environment.Display(path) : "the variables " + string.Join(", ", used);
            return import;
        }

        public override IReadOnlyList<ProviderFile> Export(ProviderEnvironment environment, string secretName, SecretValue value, IReadOnlyDictionary<string, object> metadata, string? path, string? profile)
        {
            NoProfile(profile);
            if (path == null)
            {
                throw new InvalidInputException("ProviderHasNoFile", "Path",
                    $"The {Name} provider's tools read variables ({string.Join(", ", JobVariables)}), not a file, so there is nowhere to write it back to. "
                    + $"Give -Path to write a .env file that sets them, or run the tools with Invoke-WithSecrets -Provider @{{ {Name} = '{secretName}' }}.");
            }

            var keys = TextKeys(secretName, value);
            var lines = new List<KeyValuePair<string, string>>();
            foreach (var key in _keys)
            {
                if (keys.TryGetValue(key.Key, out var text) && text.Length > 0)
                {
                    lines.AddRange(key.WriteTo.Select(v => new KeyValuePair<string, string>(v, text)));
                }
            }

            return new[] { new ProviderFile(path, Utf8(DotEnv.Write(lines, secretName))) };
        }

        public override ProviderJob PlanJob(string secretName, SecretValue value, IReadOnlyDictionary<string, object> metadata)
        {
            var keys = TextKeys(secretName, value);
            var job = new ProviderJob();
            foreach (var key in _keys)
            {
                if (keys.TryGetValue(key.Key, out var text) && text.Length > 0)
                {
                    job.Variables.AddRange(key.WriteTo.Select(v => new ProviderVariable(v, text, secret: true)));
                }
            }

            return job;
        }
    }

    /// <summary>A Hugging Face token: HF_TOKEN, or the token file huggingface-cli login writes.</summary>
    public sealed class HuggingFaceProvider : SecretProvider
    {
        public override string Name => "huggingface";

        public override string Description => "A Hugging Face access token (~/.cache/huggingface/token, or HF_TOKEN)";

        public override IReadOnlyList<string> Keys { get; } = new[] { "token" };

        public override IReadOnlyList<string> Variables { get; } = new[] { "HF_TOKEN", "HF_TOKEN_PATH", "HF_HOME" };

        public override IReadOnlyList<string> JobVariables { get; } = new[] { "HF_TOKEN" };

        public override IReadOnlyList<string> DefaultFiles(ProviderEnvironment environment) => new[] { TokenFile(environment) };

        private static string TokenFile(ProviderEnvironment environment) =>
            environment.Variable("HF_TOKEN_PATH")
            ?? Path.Combine(environment.Variable("HF_HOME") ?? Path.Combine(environment.Variable("XDG_CACHE_HOME") ?? environment.InHome(".cache"), "huggingface"), "token");

        public override ProviderStatus Detect(ProviderEnvironment environment) =>
            environment.Variable("HF_TOKEN") != null ? new ProviderStatus(true, "HF_TOKEN")
            : File.Exists(TokenFile(environment)) ? new ProviderStatus(true, environment.Display(TokenFile(environment)))
            : new ProviderStatus(false, null);

        public override ProviderImport Import(ProviderEnvironment environment, string? path, string? profile)
        {
            NoProfile(profile);
            if (path == null && environment.Variable("HF_TOKEN") != null)
            {
                var fromVariable = NewImport("the variable HF_TOKEN", fromFile: false);
                fromVariable.Entries.Add(new KeyValuePair<string, string>("token", environment.Variable("HF_TOKEN")!.Trim()));
                return fromVariable;
            }

            var file = path ?? TokenFile(environment);
            if (path == null && !File.Exists(file))
            {
                throw NotConfigured($"HF_TOKEN is not set and there is no {environment.Display(file)}");
            }

            var token = Read(file).Trim();
            // A token is one word of visible characters: a byte order mark left inside it (a file that
            // starts with two) would be written back where a reader drops it.
            if (token.Length == 0 || token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '\uFEFF'))
            {
                throw new InvalidContentException("InvalidProviderFile", InteropFiles.Describe(file), 0, "it does not hold one token (one word on one line).", file);
            }

            var import = NewImport(environment.Display(file), fromFile: true);
            import.Entries.Add(new KeyValuePair<string, string>("token", token));
            return import;
        }

        public override IReadOnlyList<ProviderFile> Export(ProviderEnvironment environment, string secretName, SecretValue value, IReadOnlyDictionary<string, object> metadata, string? path, string? profile)
        {
            NoProfile(profile);
            return new[] { new ProviderFile(path ?? TokenFile(environment), Utf8(TextKeys(secretName, value)["token"])) };
        }

        public override ProviderJob PlanJob(string secretName, SecretValue value, IReadOnlyDictionary<string, object> metadata)
        {
            var job = new ProviderJob();
            job.Variables.Add(new ProviderVariable("HF_TOKEN", TextKeys(secretName, value)["token"], secret: true));
            return job;
        }
    }

    /// <summary>The built-in providers.</summary>
    public static class SecretProviders
    {
        private static readonly Lazy<IReadOnlyList<SecretProvider>> Providers = new Lazy<IReadOnlyList<SecretProvider>>(Create);

        /// <summary>Every built-in provider, in the order of docs/PROVIDERS.md.</summary>
        public static IReadOnlyList<SecretProvider> All => Providers.Value;

        /// <summary>The provider of a name (case-insensitive); throws <see cref="InvalidInputException"/> (ProviderNotFound) listing the names.</summary>
        public static SecretProvider Find(string name, string parameterName = "Provider") =>
            All.FirstOrDefault(p => string.Equals(p.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidInputException("ProviderNotFound", parameterName,
                $"There is no provider named '{name}'. The providers are {string.Join(", ", All.Select(p => p.Name))}.");

        private static IReadOnlyList<SecretProvider> Create()
        {
            var providers = new List<SecretProvider>
            {
                new AwsProvider(),
                new GcpProvider(),
                new VariableProvider("azure", "An Azure service principal (AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_TENANT_ID)",
                    new ProviderKey("client_id", new[] { "AZURE_CLIENT_ID" }, new[] { "AZURE_CLIENT_ID" }),
                    new ProviderKey("client_secret", new[] { "AZURE_CLIENT_SECRET" }, new[] { "AZURE_CLIENT_SECRET" }),
                    new ProviderKey("tenant_id", new[] { "AZURE_TENANT_ID" }, new[] { "AZURE_TENANT_ID" }),
                    new ProviderKey("subscription_id", new[] { "AZURE_SUBSCRIPTION_ID" }, new[] { "AZURE_SUBSCRIPTION_ID" }, required: false)),
                new VariableProvider("github", "A GitHub token (GH_TOKEN or GITHUB_TOKEN)",
                    new ProviderKey("token", new[] { "GH_TOKEN", "GITHUB_TOKEN" }, new[] { "GH_TOKEN", "GITHUB_TOKEN" })),
                new HuggingFaceProvider(),
            };
            foreach (var (name, variable, what) in new[]
            {
                ("openai", "OPENAI_API_KEY", "An OpenAI API key"),
                ("anthropic", "ANTHROPIC_API_KEY", "An Anthropic API key"),
                ("cohere", "COHERE_API_KEY", "A Cohere API key"),
                ("mistral", "MISTRAL_API_KEY", "A Mistral AI API key"),
                ("groq", "GROQ_API_KEY", "A Groq API key"),
                ("gemini", "GEMINI_API_KEY", "A Google Gemini API key"),
                ("together", "TOGETHER_API_KEY", "A Together AI API key"),
                ("pinecone", "PINECONE_API_KEY", "A Pinecone API key"),
                ("wandb", "WANDB_API_KEY", "A Weights & Biases API key"),
                ("langchain", "LANGCHAIN_API_KEY", "A LangChain (LangSmith) API key"),
            })
            {
                providers.Add(new VariableProvider(name, $"{what} ({variable})", new ProviderKey("api_key", new[] { variable }, new[] { variable })));
            }

            providers.Add(new SshProvider());
            providers.Add(new DockerProvider());
            providers.Add(new KubeconfigProvider());
            return providers;
        }
    }
}
