using System;

namespace Secrets.Internal
{
    /// <summary>How the module loads Secrets.Core and what it ships with it.</summary>
    internal enum DependencyLoading
    {
        /// <summary>PowerShell 7: every dependency in a private AssemblyLoadContext.</summary>
        PrivateLoadContext,

        /// <summary>Windows PowerShell 5.1 (.NET Framework, no load contexts): Assembly.LoadFrom of the dependencies folder, on demand.</summary>
        FromFolder,
    }

    /// <summary>The loader's decisions, apart from the loading itself, so that each edition's path is tested on any.</summary>
    internal static class DependencyPolicy
    {
        public const string Core = "Secrets.Core";

        /// <summary>What the module ships in dependencies/ besides the core.</summary>
        public static readonly string[] Shipped = { "BouncyCastle.Cryptography", "YamlDotNet" };

        /// <summary>
        /// The .NET Framework (the Desktop edition, Windows PowerShell 5.1) or a runtime without load
        /// contexts loads from the folder; .NET (the Core edition) uses a private load context.
        /// </summary>
        public static DependencyLoading Choose(string frameworkDescription, bool hasLoadContexts) =>
            frameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal) || !hasLoadContexts
                ? DependencyLoading.FromFolder
                : DependencyLoading.PrivateLoadContext;

        /// <summary>
        /// Whether the resolve handler answers a request for <paramref name="name"/> made by
        /// <paramref name="requester"/> (null when the runtime does not say). The core, always. Its
        /// dependencies only when loading from the folder (in a load context they never reach the
        /// handler), only what the module ships, and only for the module's own assemblies, never for
        /// another module's requests.
        /// </summary>
        public static bool Answers(DependencyLoading loading, string? name, string? requester)
        {
            if (name == Core)
            {
                return true;
            }

            return loading == DependencyLoading.FromFolder && name != null && Array.IndexOf(Shipped, name) >= 0 &&
                (requester == null || requester == "Secrets" || requester == Core || Array.IndexOf(Shipped, requester) >= 0);
        }
    }
}
