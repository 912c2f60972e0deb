using System;
using System.Collections;
using System.Linq;
using Secrets.Core.Store;

namespace Secrets
{
    /// <summary>What Get-SecretInfo shows about a secret: never its value.</summary>
    public sealed class SecretInfo
    {
        internal SecretInfo(SecretRecord record, SecretAccessLevel? access = null)
        {
            Access = access;
            Name = record.Name;
            Type = (SecretType)Enum.Parse(typeof(SecretType), record.Type.ToString());
            Version = record.Version;
            Versions = record.Versions.ToArray();
            Modified = record.Modified.ToLocalTime();
            ModifiedBy = record.ModifiedBy;
            Store = record.StorePath;
            var metadata = new Hashtable(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in record.Metadata)
            {
                metadata[entry.Key] = entry.Value is DateTime d ? d.ToLocalTime() : entry.Value;
            }

            Metadata = metadata;
        }

        /// <summary>The secret's name.</summary>
        public string Name { get; }

        /// <summary>The type its value comes back as.</summary>
        public SecretType Type { get; }

        /// <summary>Your access to the secret (null when you have no identity).</summary>
        public SecretAccessLevel? Access { get; }

        /// <summary>The version this object describes (the newest unless asked otherwise).</summary>
        public int Version { get; }

        /// <summary>Every version the store still keeps, oldest first.</summary>
        public int[] Versions { get; }

        /// <summary>When this version was written (local time).</summary>
        public DateTime Modified { get; }

        /// <summary>Who wrote this version.</summary>
        public string ModifiedBy { get; }

        /// <summary>Non-secret metadata.</summary>
        public Hashtable Metadata { get; }

        /// <summary>The folder of the store the secret is in.</summary>
        public string Store { get; }

        /// <summary>The name the store is registered under ('personal' for your personal store), or null.</summary>
        public string? StoreName { get; internal set; }

        /// <summary>The SecretManagement vault it was listed through (Get-SecretInfo -Vault, or a vault of the lookup order), else null.</summary>
        public string? VaultName { get; internal set; }

        /// <summary>
        /// Whether a place before this one in the lookup order has a secret of the same name, so
        /// that commands without -Store or -Vault read that copy instead of this one.
        /// </summary>
        public bool Shadowed { get; internal set; }

        public override string ToString() => Name;
    }

    /// <summary>
    /// The type of a secret's value: the same names and numbers as SecretManagement's SecretType,
    /// so scripts that compare or convert either one get the same answer.
    /// </summary>
    public enum SecretType
    {
        ByteArray = 1,
        String = 2,
        SecureString = 3,
        PSCredential = 4,
        Hashtable = 5,
    }
}
