using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Secrets.Core.Codecs;
using Secrets.Core.Format;
using Secrets.Core.Identity;
using Secrets.Core.Names;
using Secrets.Core.Platform;
using Secrets.Core.Values;

namespace Secrets.Core.Store
{
    /// <summary>
    /// Appending to the store log: a membership change or a secret's new access list, signed, as
    /// the next entry under a name that must be free.
    /// </summary>
    internal sealed partial class StoreLog
    {
        /// <summary>
        /// Appends a membership change (the caller holds the store lock and has checked it). False
        /// when another writer appended the next entry first (see <see cref="Append"/>).
        /// </summary>
        public bool AppendMember(byte[] storeId, string action, Recipient member, string? name, MemberRole? role, UnlockedIdentity signer) =>
            Append(storeId, signer, lines =>
            {
                lines.Line("action", action);
                lines.Line("member", member.Text);
                if (name != null)
                {
                    lines.TextLine("member-name", name);
                }

                if (role != null)
                {
                    lines.Line("role", role == MemberRole.Admin ? "admin" : "member");
                }
            }, DateTime.UtcNow);

        /// <summary>
        /// Appends a secret's new access list (the caller holds the store lock and has checked it).
        /// False when another writer appended the next entry first (see <see cref="Append"/>).
        /// </summary>
        public bool AppendAccess(byte[] storeId, SecretName name, IReadOnlyList<AccessGrant> grants, DateTime created, UnlockedIdentity signer) =>
            Append(storeId, signer, lines =>
            {
                lines.Line("action", "set-access");
                lines.Line("secret", name.Value);
                foreach (var grant in grants.OrderBy(g => g.SigningKey, StringComparer.Ordinal))
                {
                    lines.Line("grant", grant.SigningKey, AccessGrant.LevelText(grant.Level), grant.GrantedBy, SecretMetadata.FormatTimestamp(grant.Granted));
                }
            }, created);

        /// <summary>
        /// Publishes entry <see cref="Head"/> + 1 under a name that must be free. Where the file system
        /// does not share locks, another writer can publish that entry first: then nothing is written
        /// and the result is false; the caller loads the log again and decides anew, since the change
        /// was checked against a state that is no longer the newest.
        /// </summary>
        private bool Append(byte[] storeId, UnlockedIdentity signer, Action<LineWriter> body, DateTime created)
        {
            var lines = new LineWriter();
            lines.Line(SecretFileFormat.Magic, "log");
            lines.Line("store", Base64.Encode(storeId));
            int seq = Head + 1;
            lines.Line("seq", seq.ToString(CultureInfo.InvariantCulture));
            lines.Line("previous", seq == 1 ? "-" : Base64.Encode(HeadHash!));
            body(lines);
            lines.Line("created", SecretMetadata.FormatTimestamp(created));
            lines.Line("signer", Base64.Encode(signer.Recipient.SigningKey));
            var unsigned = lines.ToArray();
            lines.Line("signature", Base64.Encode(signer.Sign(unsigned, unsigned.Length)));
            Directory.CreateDirectory(Folder);
            try
            {
                AtomicFile.Write(EntryPath(seq), lines.ToArray(), overwrite: false, ownerOnly: false);
                return true;
            }
            catch (FileExistsException)
            {
                return false;
            }
        }
    }
}
