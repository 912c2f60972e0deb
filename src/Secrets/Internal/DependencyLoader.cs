using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace Secrets.Internal
{
    /// <summary>
    /// Loads Secrets.Core and its dependencies (BouncyCastle, YamlDotNet) from the module's
    /// <c>dependencies</c> folder. On PowerShell 7 they go into a private AssemblyLoadContext, every
    /// one of them loaded there before anything asks for it, so a different BouncyCastle loaded by
    /// another module can never be picked instead of ours. On Windows PowerShell (no load contexts)
    /// they are loaded from that folder on demand.
    /// </summary>
    public sealed class DependencyLoader : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly object Gate = new object();
        private static readonly string DependencyFolder =
            Path.Combine(Path.GetDirectoryName(typeof(DependencyLoader).Assembly.Location)!, "dependencies");

        private static Assembly? _core;
        private static bool _registered;

        public void OnImport()
        {
            lock (Gate)
            {
                if (!_registered)
                {
                    AppDomain.CurrentDomain.AssemblyResolve += Resolve;
                    _registered = true;
                }
            }
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            // The handler stays: the cmdlet assembly cannot be unloaded, and a later Import-Module of
            // the same assembly must still resolve the core the same way.
        }

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name).Name;
            if (name != "Secrets.Core")
            {
                // On Windows PowerShell the core's own dependencies come through here too: answer
                // only for what the module ships, and only for the module's own assemblies (or when
                // the runtime does not say who asks), never for another module's requests.
                return IsNetFramework && name != null && Array.IndexOf(Shipped, name) >= 0 && IsOurs(args.RequestingAssembly)
                    ? LoadFromDependencies(name)
                    : null;
            }

            lock (Gate)
            {
                return _core ??= LoadCore();
            }
        }

        private static readonly string[] Shipped = { "BouncyCastle.Cryptography", "YamlDotNet" };

        private static bool IsOurs(Assembly? requesting)
        {
            if (requesting == null)
            {
                return true;
            }

            var requester = requesting.GetName().Name;
            return requester == "Secrets" || requester == "Secrets.Core" || Array.IndexOf(Shipped, requester) >= 0;
        }

        private static bool IsNetFramework =>
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        private static Assembly LoadCore()
        {
            var corePath = Path.Combine(DependencyFolder, "Secrets.Core.dll");
            var loadContextType = typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext");
            if (loadContextType == null)
            {
                return Assembly.LoadFrom(corePath);
            }

            var context = loadContextType.GetConstructor(new[] { typeof(string), typeof(bool) })!
                .Invoke(new object[] { "Secrets", false });
            var loadFromPath = loadContextType.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) })!;

            // Load every dependency into the private context first: its assemblies are then found in
            // the context's own cache before the default context (where a conflicting copy may live).
            foreach (var dependency in Directory.GetFiles(DependencyFolder, "*.dll"))
            {
                if (!string.Equals(Path.GetFileName(dependency), "Secrets.Core.dll", StringComparison.OrdinalIgnoreCase))
                {
                    loadFromPath.Invoke(context, new object[] { dependency });
                }
            }

            return (Assembly)loadFromPath.Invoke(context, new object[] { corePath })!;
        }

        private static Assembly? LoadFromDependencies(string name)
        {
            var path = Path.Combine(DependencyFolder, name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
