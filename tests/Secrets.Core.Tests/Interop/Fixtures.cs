using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Secrets.Core.Interop;
using Secrets.Core.Providers;
using Xunit;

namespace Secrets.Core.Tests.Interop
{
    /// <summary>The sample files in tests/Fixtures/Interop: .env, INI, JSON, YAML, Kubernetes manifests, and a home folder of provider files.</summary>
    internal static class Fixtures
    {
        public static string Root => typeof(Fixtures).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "InteropFixtures").Value!;

        public static string Path(params string[] parts) => System.IO.Path.Combine(new[] { Root }.Concat(parts).ToArray());

        public static string Text(params string[] parts) => File.ReadAllText(Path(parts));

        /// <summary>A copy of the fixture home in <paramref name="folder"/>/home, so that tests can change it.</summary>
        public static string CopyHome(string folder)
        {
            var home = System.IO.Path.Combine(folder, "home");
            Copy(Path("home"), home);
            return home;
        }

        /// <summary>A provider environment on a copy of the fixture home, with only the variables given.</summary>
        public static ProviderEnvironment Environment(string home, params (string Name, string Value)[] variables) =>
            new ProviderEnvironment(home, variables.ToDictionary(v => v.Name, v => v.Value), isWindows: false);

        private static void Copy(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (var file in Directory.GetFiles(from))
            {
                File.Copy(file, System.IO.Path.Combine(to, System.IO.Path.GetFileName(file)));
            }

            foreach (var directory in Directory.GetDirectories(from))
            {
                Copy(directory, System.IO.Path.Combine(to, System.IO.Path.GetFileName(directory)));
            }
        }

        /// <summary>The message of the InvalidContentException the action throws, checked to have the id.</summary>
        public static InvalidContentException Fails(string errorId, Action action)
        {
            var error = Assert.Throws<InvalidContentException>(action);
            Assert.Equal(errorId, error.ErrorId);
            return error;
        }

        public static Dictionary<string, string> ToDictionary(IEnumerable<FlatEntry> entries) => entries.ToDictionary(e => e.Key, e => e.Value);
    }
}
