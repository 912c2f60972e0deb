using Secrets.Core.Store;

namespace Secrets
{
    /// <summary>What Test-SecretStore and Repair-SecretStore found in a store, and whether it was repaired.</summary>
    public sealed class SecretStoreFinding
    {
        internal SecretStoreFinding(StoreFinding finding, string store)
        {
            Store = store;
            Kind = finding.Kind.ToString();
            Secret = finding.Secret;
            File = finding.File;
            Message = finding.Message;
            Repairable = finding.Repairable;
            Action = finding.Action;
            Repaired = finding.Repaired;
            Problem = finding.Problem;
        }

        /// <summary>The store folder.</summary>
        public string Store { get; }

        /// <summary>InvalidFile, NotInHistory, TemporaryFile or RotationPending.</summary>
        public string Kind { get; }

        /// <summary>The secret the finding is about.</summary>
        public string? Secret { get; }

        public string? File { get; }

        public string Message { get; }

        /// <summary>Whether Repair-SecretStore can put it right without a new value.</summary>
        public bool Repairable { get; }

        /// <summary>What puts it right.</summary>
        public string Action { get; }

        /// <summary>Whether Repair-SecretStore put it right.</summary>
        public bool Repaired { get; }

        /// <summary>Why a repair that was tried was not made.</summary>
        public string? Problem { get; }

        public override string ToString() => $"{Kind}: {Message}";
    }
}
