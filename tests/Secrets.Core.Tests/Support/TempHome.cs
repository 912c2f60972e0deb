using System;
using Xunit;

namespace Secrets.Core.Tests.Support
{
    /// <summary>Tests that point SECRETS_HOME (a process-wide variable) at a folder of their own: never run beside others.</summary>
    [CollectionDefinition("Secrets home", DisableParallelization = true)]
    public sealed class SecretsHomeCollection
    {
    }

    /// <summary>A temporary Secrets home: SECRETS_HOME points at it until dispose, which restores the variables.</summary>
    public sealed class TempHome : IDisposable
    {
        private static readonly string[] Variables = { "SECRETS_HOME", "SECRETS_IDENTITY", "SECRETS_STORE", "SECRETS_UNLOCK" };
        private readonly string?[] _saved;
        private readonly TempFolder _folder = new TempFolder();

        public TempHome()
        {
            _saved = Array.ConvertAll(Variables, Environment.GetEnvironmentVariable);
            foreach (var variable in Variables)
            {
                Environment.SetEnvironmentVariable(variable, null);
            }

            Environment.SetEnvironmentVariable("SECRETS_HOME", _folder.Path);
        }

        public string Path => _folder.Path;

        public string Combine(params string[] parts) => _folder.Combine(parts);

        public void Dispose()
        {
            // Unlocks shared with the user's other processes outlive this process: end this home's.
            Secrets.Core.Identity.SharedUnlock.ForgetAll();
            for (int i = 0; i < Variables.Length; i++)
            {
                Environment.SetEnvironmentVariable(Variables[i], _saved[i]);
            }

            _folder.Dispose();
        }
    }
}
