using System;
using System.Globalization;
using Secrets.Core.Crypto;
using Secrets.Core.Codecs;
using Secrets.Core.Format;
using Secrets.Core.Identity;
using Secrets.Core.Values;

namespace Secrets.Core.Store
{
    /// <summary>The signed <c>store.manifest</c> (docs/FORMAT.md, "Store manifest").</summary>
    public sealed class StoreManifest
    {
        public const string FileName = "store.manifest";
        public const int DefaultKeepVersions = 10;
        public const int MaxKeepVersions = 1000;
        internal const int MaxFileBytes = 64 * 1024;

        internal StoreManifest(byte[] id, DateTime created, Recipient owner, string ownerName, int keepVersions, int revision = 1)
        {
            Id = id;
            Created = created;
            Owner = owner;
            OwnerName = ownerName;
            KeepVersions = keepVersions;
            Revision = revision;
        }

        internal byte[] Id { get; }

        /// <summary>The store id as 32 hexadecimal digits.</summary>
        public string IdHex => BitConverter.ToString(Id).Replace("-", string.Empty).ToLowerInvariant();

        public DateTime Created { get; }
        public Recipient Owner { get; }
        public string OwnerName { get; }
        public int KeepVersions { get; }

        /// <summary>
        /// How many times the manifest has been written: 1 when the store is created, one more at
        /// every change. Readers remember the highest they have seen and refuse an older manifest.
        /// </summary>
        public int Revision { get; }

        internal static void CheckKeepVersions(int keepVersions)
        {
            if (keepVersions < 1 || keepVersions > MaxKeepVersions)
            {
                throw new Errors.InvalidInputException("InvalidKeepVersions", "VersionsToKeep", $"A store keeps 1 to {MaxKeepVersions} versions of each secret; {keepVersions} is outside that range.");
            }
        }

        internal StoreManifest WithKeepVersions(int keepVersions)
        {
            if (Revision == int.MaxValue)
            {
                throw new Errors.SecretsException("ManifestRevisionLimit", Errors.FailureKind.InvalidOperation, "The store manifest has reached its highest revision number.");
            }

            return new StoreManifest(Id, Created, Owner, OwnerName, keepVersions, Revision + 1);
        }

        internal byte[] Serialize(UnlockedIdentity owner)
        {
            if (!owner.Recipient.Equals(Owner))
            {
                throw new ArgumentException("Only the owner signs the manifest.", nameof(owner));
            }

            var lines = new LineWriter();
            lines.Line(SecretFileFormat.Magic, "store");
            lines.Line("id", Base64.Encode(Id));
            lines.Line("created", SecretMetadata.FormatTimestamp(Created));
            lines.Line("owner", Owner.Text);
            lines.TextLine("owner-name", OwnerName);
            lines.Line("keep-versions", KeepVersions.ToString(CultureInfo.InvariantCulture));
            lines.Line("revision", Revision.ToString(CultureInfo.InvariantCulture));
            var body = lines.ToArray();
            lines.Line("signature", Base64.Encode(owner.Sign(body, body.Length)));
            return lines.ToArray();
        }

        /// <summary>Parses strictly and verifies the owner's signature; throws <see cref="FormatProblem"/>.</summary>
        internal static StoreManifest Parse(byte[] data)
        {
            var reader = LineReader.Parse(data);
            var magic = reader.Expect(SecretFileFormat.Magic, 2);
            if (magic.Fields[1] != "store")
            {
                throw new FormatProblem($"it is a '{magic.Fields[1]}' file, not a store manifest");
            }

            var id = Base64.Decode(reader.Expect("id", 2).Fields[1], 16) ?? throw new FormatProblem("the 'id' line is not 16 bytes of base64");
            var createdLine = reader.Expect("created", 2);
            if (!SecretMetadata.TryParseTimestamp(createdLine.Fields[1], out var created))
            {
                throw new FormatProblem($"line {createdLine.Number} holds an invalid timestamp");
            }

            var ownerLine = reader.Expect("owner", 2);
            if (!Recipient.TryParse(ownerLine.Fields[1], out var owner, out var problem) || owner!.Text != ownerLine.Fields[1])
            {
                throw new FormatProblem($"line {ownerLine.Number} is not a valid recipient: {problem}");
            }

            var ownerName = DisplayText.Parse(reader.ExpectKey("owner-name"));
            var keepLine = reader.Expect("keep-versions", 2);
            if (!IdentityFile.TryParseUInt(keepLine.Fields[1], out int keep) || keep < 1 || keep > MaxKeepVersions)
            {
                throw new FormatProblem($"line {keepLine.Number} must hold a number from 1 to {MaxKeepVersions}");
            }

            var revisionLine = reader.Expect("revision", 2);
            if (!IdentityFile.TryParseUInt(revisionLine.Fields[1], out int revision) || revision < 1)
            {
                throw new FormatProblem($"line {revisionLine.Number} must hold a revision number of at least 1");
            }

            var signatureLine = reader.Expect("signature", 2);
            reader.ExpectEnd();
            var signature = Base64.Decode(signatureLine.Fields[1], Ed25519Signing.SignatureSize)
                ?? throw new FormatProblem("the signature is not 64 bytes of base64");
            if (!Ed25519Signing.Verify(owner.SigningKey, signature, data, signatureLine.Offset))
            {
                throw new FormatProblem("the owner's signature does not verify (the file was modified)");
            }

            return new StoreManifest(id, created, owner, ownerName, keep, revision);
        }
    }
}
