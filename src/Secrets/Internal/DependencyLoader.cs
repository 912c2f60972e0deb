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

        /// <summary>How this process loads the dependencies.</summary>
        internal static DependencyLoading Loading { get; } = DependencyPolicy.Choose(
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, LoadContextType != null);

        private static Type? LoadContextType => typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext");

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name).Name;
            if (!DependencyPolicy.Answers(Loading, name, args.RequestingAssembly?.GetName().Name))
            {
                return null;
            }

            if (name != DependencyPolicy.Core)
            {
                return LoadFromDependencies(name!);
            }

            lock (Gate)
            {
                return _core ??= LoadCore();
            }
        }

        private static Assembly LoadCore()
        {
            var corePath = Path.Combine(DependencyFolder, "Secrets.Core.dll");
            var loadContextType = LoadContextType;
            if (Loading == DependencyLoading.FromFolder || loadContextType == null)
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
