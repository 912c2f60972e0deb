using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
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

        internal StoreManifest(byte[] id, DateTime created, Recipient owner, string ownerName, int keepVersions, int revision = 1,
            IReadOnlyList<OwnerHandOver>? handOvers = null)
        {
            Id = id;
            Created = created;
            Owner = owner;
            OwnerName = ownerName;
            KeepVersions = keepVersions;
            Revision = revision;
            HandOvers = handOvers ?? Array.Empty<OwnerHandOver>();
        }

        /// <summary>The owners before the current one, oldest first, each with the hand-over they signed.</summary>
        public IReadOnlyList<OwnerHandOver> HandOvers { get; }

        /// <summary>The owner who created the store (the first former owner, or the owner when there was no hand-over).</summary>
        public Recipient FirstOwner => HandOvers.Count > 0 ? HandOvers[0].From : Owner;

        /// <summary>The display name of the owner who created the store.</summary>
        public string FirstOwnerName => HandOvers.Count > 0 ? HandOvers[0].FromName : OwnerName;

        /// <summary>
        /// Whether a reader who pinned <paramref name="pinned"/> accepts this manifest: it is the owner,
        /// or the hand-overs (every one verified when the manifest was parsed) lead from it to the owner.
        /// </summary>
        public bool IsOwnedThrough(Recipient pinned) => Owner.Equals(pinned) || HandOvers.Any(h => h.From.Equals(pinned));

        /// <summary>Who signs this revision: the former owner for the revision their hand-over wrote, the owner otherwise.</summary>
        internal Recipient Signer => HandOvers.Count > 0 && HandOvers[HandOvers.Count - 1].Revision == Revision ? HandOvers[HandOvers.Count - 1].From : Owner;

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

            return new StoreManifest(Id, Created, Owner, OwnerName, keepVersions, Revision + 1, HandOvers);
        }

        /// <summary>
        /// The next revision with the store handed over to <paramref name="newOwner"/> (known in the
        /// store as <paramref name="newOwnerName"/>) after store log entry <paramref name="log"/>,
        /// signed by the owner (docs/FORMAT.md, "Owner hand-over").
        /// </summary>
        internal StoreManifest WithHandOver(Recipient newOwner, string newOwnerName, int log, UnlockedIdentity owner)
        {
            if (!owner.Recipient.Equals(Owner))
            {
                throw new ArgumentException("Only the owner hands the store over.", nameof(owner));
            }

            if (Revision == int.MaxValue)
            {
                throw new Errors.SecretsException("ManifestRevisionLimit", Errors.FailureKind.InvalidOperation, "The store manifest has reached its highest revision number.");
            }

            var created = DateTime.UtcNow;
            var message = OwnerHandOver.Message(Id, Owner, OwnerName, newOwner, Revision + 1, log, created);
            var signature = Ed25519Signing.SignMessage(owner.SigningPrivate, owner.Recipient.SigningKey, message);
            var handOver = new OwnerHandOver(Owner, OwnerName, newOwner, Revision + 1, log, created, signature);
            return new StoreManifest(Id, Created, newOwner, newOwnerName, KeepVersions, Revision + 1, HandOvers.Concat(new[] { handOver }).ToList());
        }

        internal byte[] Serialize(UnlockedIdentity owner)
        {
            if (!owner.Recipient.Equals(Signer))
            {
                throw new ArgumentException("Only the owner (or, for a hand-over, the former owner) signs the manifest.", nameof(owner));
            }

            var lines = new LineWriter();
            lines.Line(SecretFileFormat.Magic, "store");
            lines.Line("id", Base64.Encode(Id));
            lines.Line("created", SecretMetadata.FormatTimestamp(Created));
            lines.Line("owner", Owner.Text);
            lines.TextLine("owner-name", OwnerName);
            foreach (var handOver in HandOvers)
            {
                lines.Line("handover", handOver.From.Text, handOver.Revision.ToString(CultureInfo.InvariantCulture), handOver.Log.ToString(CultureInfo.InvariantCulture),
                    SecretMetadata.FormatTimestamp(handOver.Created), Base64.Encode(handOver.Signature));
                lines.TextLine("handover-name", handOver.FromName);
            }

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
            var parsed = new List<(Recipient From, string Name, int Revision, int Log, DateTime Created, byte[] Signature)>();
            while (reader.TryTake("handover", out var line))
            {
                if (line.Fields.Length != 6)
                {
                    throw new FormatProblem($"line {line.Number} ('handover') must hold five values");
                }

                if (!Recipient.TryParse(line.Fields[1], out var from, out var fromProblem) || from!.Text != line.Fields[1])
                {
                    throw new FormatProblem($"line {line.Number} does not name a valid recipient: {fromProblem}");
                }

                if (!IdentityFile.TryParseUInt(line.Fields[2], out int handOverRevision) || handOverRevision < 2
                    || !IdentityFile.TryParseUInt(line.Fields[3], out int handOverLog) || handOverLog < 1
                    || !SecretMetadata.TryParseTimestamp(line.Fields[4], out var handOverCreated))
                {
                    throw new FormatProblem($"line {line.Number} is not 'handover <recipient> <revision> <log> <timestamp> <signature>'");
                }

                var handOverSignature = Base64.Decode(line.Fields[5], Ed25519Signing.SignatureSize)
                    ?? throw new FormatProblem($"the signature on line {line.Number} is not 64 bytes of base64");
                var name = DisplayText.Parse(reader.ExpectKey("handover-name"));
                if (parsed.Count > 0 && (handOverRevision <= parsed[parsed.Count - 1].Revision || handOverLog < parsed[parsed.Count - 1].Log))
                {
                    throw new FormatProblem($"line {line.Number}: hand-overs must be in order (revisions ascending, store log entries not descending)");
                }

                parsed.Add((from, name, handOverRevision, handOverLog, handOverCreated, handOverSignature));
            }
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
            if (parsed.Count > 0 && parsed[parsed.Count - 1].Revision > revision)
            {
                throw new FormatProblem($"a hand-over names revision {parsed[parsed.Count - 1].Revision}, later than the manifest's revision {revision}");
            }

            // Each hand-over is signed by the owner it names, for the next one: a chain from the first owner to the owner.
            var handOvers = new List<OwnerHandOver>(parsed.Count);
            for (int i = 0; i < parsed.Count; i++)
            {
                var to = i + 1 < parsed.Count ? parsed[i + 1].From : owner;
                var p = parsed[i];
                if (p.From.Equals(to))
                {
                    throw new FormatProblem($"hand-over {i + 1} hands the store from {p.From.Fingerprint} to the same key");
                }

                var message = OwnerHandOver.Message(id, p.From, p.Name, to, p.Revision, p.Log, p.Created);
                if (!Ed25519Signing.VerifyMessage(p.From.SigningKey, p.Signature, message))
                {
                    throw FormatProblem.ForgedHandOver($"the hand-over from {p.From.Fingerprint} to {to.Fingerprint} is not signed by {p.From.Fingerprint}, the owner it names");
                }

                handOvers.Add(new OwnerHandOver(p.From, p.Name, to, p.Revision, p.Log, p.Created, p.Signature));
            }

            var manifest = new StoreManifest(id, created, owner, ownerName, keep, revision, handOvers);
            if (!Ed25519Signing.Verify(manifest.Signer.SigningKey, signature, data, signatureLine.Offset))
            {
                throw new FormatProblem(manifest.Signer.Equals(owner)
                    ? "the owner's signature does not verify (the file was modified)"
                    : "the signature of the former owner who handed the store over does not verify (the file was modified)");
            }

            return manifest;
        }
    }

    /// <summary>One hand-over of a store to a new owner, signed by the former owner (docs/FORMAT.md, "Owner hand-over").</summary>
    public sealed class OwnerHandOver
    {
        internal OwnerHandOver(Recipient from, string fromName, Recipient to, int revision, int log, DateTime created, byte[] signature)
        {
            From = from;
            FromName = fromName;
            To = to;
            Revision = revision;
            Log = log;
            Created = created;
            Signature = signature;
        }

        /// <summary>The former owner, who signed the hand-over.</summary>
        public Recipient From { get; }

        /// <summary>The former owner's display name (their name as an admin afterwards).</summary>
        public string FromName { get; }

        /// <summary>The owner the store was handed to.</summary>
        public Recipient To { get; }

        /// <summary>The manifest revision the hand-over wrote.</summary>
        public int Revision { get; }

        /// <summary>The store log entry after which the new owner is the owner.</summary>
        public int Log { get; }

        public DateTime Created { get; }

        internal byte[] Signature { get; }

        /// <summary>What the former owner signs.</summary>
        internal static byte[] Message(byte[] storeId, Recipient from, string fromName, Recipient to, int revision, int log, DateTime created)
        {
            var lines = new LineWriter();
            lines.Line("secrets/v1", "owner", "handover");
            lines.Line("store", Base64.Encode(storeId));
            lines.Line("from", from.Text);
            lines.TextLine("from-name", fromName);
            lines.Line("to", to.Text);
            lines.Line("revision", revision.ToString(CultureInfo.InvariantCulture));
            lines.Line("log", log.ToString(CultureInfo.InvariantCulture));
            lines.Line("created", SecretMetadata.FormatTimestamp(created));
            return lines.ToArray();
        }

        public override string ToString() => $"hand-over from {FromName} ({From.Fingerprint}) to {To.Fingerprint} at revision {Revision}";
    }
}
