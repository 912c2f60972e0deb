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
            Type = (SecretType)(int)record.Type;
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

        public override string ToString() => Name;
    }

    /// <summary>The type of a secret's value (the same names as SecretManagement's SecretType).</summary>
    public enum SecretType
    {
        String = 1,
        SecureString = 2,
        PSCredential = 3,
        ByteArray = 4,
        Hashtable = 5,
    }
}
