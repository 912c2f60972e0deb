using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace Secrets.PowerShell.Tests
{
    /// <summary>
    /// A session with an identity, a folder of its own and a copy of the sample home folder
    /// (tests/Fixtures/Interop/home) as HOME. The variables providers read are cleared for the
    /// test and everything is put back on dispose, so that no test reads or writes the real home.
    /// </summary>
    public sealed class InteropSession : IDisposable
    {
        /// <summary>Every variable a provider reads or a job of one sets.</summary>
        private static readonly string[] ProviderVariables =
        {
            "HOME", "USERPROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE", "AWS_REGION",
            "AWS_DEFAULT_REGION", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "GOOGLE_APPLICATION_CREDENTIALS", "CLOUDSDK_CONFIG",
            "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_TENANT_ID", "AZURE_SUBSCRIPTION_ID", "GH_TOKEN", "GITHUB_TOKEN", "HF_TOKEN",
            "HF_TOKEN_PATH", "HF_HOME", "XDG_CACHE_HOME", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "DOCKER_CONFIG", "KUBECONFIG",
        };

        private readonly Dictionary<string, string?> _saved = new Dictionary<string, string?>();

        public InteropSession(ScriptedHost? host = null)
        {
            foreach (var variable in ProviderVariables)
            {
                _saved[variable] = Environment.GetEnvironmentVariable(variable);
                Environment.SetEnvironmentVariable(variable, null);
            }

            Session = PowerShellSession.WithIdentity(host);
            Folder = Path.Combine(Session.Home, "work");
            Directory.CreateDirectory(Folder);
            Home = Path.Combine(Folder, "home");
            Copy(Fixture("home"), Home);
            Environment.SetEnvironmentVariable(OperatingSystem.IsWindows() ? "USERPROFILE" : "HOME", Home);
            Session.Invoke("$null = $ExecutionContext.SessionState.Path.SetLocation($args[0])", Folder);
        }

        public PowerShellSession Session { get; }

        /// <summary>A folder of the test's own, the current location of the session.</summary>
        public string Folder { get; }

        /// <summary>The home folder providers see: a copy of the sample one.</summary>
        public string Home { get; }

        public static string FixtureRoot => typeof(InteropSession).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "InteropFixtures").Value!;

        public static string Fixture(params string[] parts) => Path.Combine(new[] { FixtureRoot }.Concat(parts).ToArray());

        public void Dispose()
        {
            Session.Dispose();
            foreach (var pair in _saved)
            {
                Environment.SetEnvironmentVariable(pair.Key, pair.Value);
            }
        }

        public static void Copy(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (var file in Directory.GetFiles(from))
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }

            foreach (var directory in Directory.GetDirectories(from))
            {
                Copy(directory, Path.Combine(to, Path.GetFileName(directory)));
            }
        }

        /// <summary>The Unix mode of a file as chmod writes it (0600); "owner-only" on Windows, where an ACL stands for it.</summary>
        public static string Mode(string path) =>
            OperatingSystem.IsWindows() ? "owner-only" : Convert.ToString((int)File.GetUnixFileMode(path), 8).PadLeft(4, '0');
    }
}
