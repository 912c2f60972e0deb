using System;
using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Identity;

namespace Secrets.Core.Store
{
    /// <summary>
    /// Copies a store into a new one owned by the caller (docs/FORMAT.md, "Lost owner"): the way out
    /// when nobody can sign for the old store as its owner any more. Every secret the caller can
    /// read is copied (its newest value and metadata), the members and admins are added again with
    /// the same names and roles, and members get back the access they had.
    /// </summary>
    public static class StoreCopy
    {
        /// <summary>What would be copied, without writing anything.</summary>
        public static StoreCopyPlan Plan(SecretStore source, UnlockedIdentity identity)
        {
            if (source == null)
            {
                throw new ArgumentNullException(nameof(source));
            }

            if (identity == null)
            {
                throw new ArgumentNullException(nameof(identity));
            }

            var secrets = source.ListFor(identity.Recipient).Select(s => s.Record?.Name ?? s.CanonicalName).ToList();
            var members = source.GetMembers().Where(m => m.Role != MemberRole.Owner && !m.Recipient.Equals(identity.Recipient)).ToList();
            return new StoreCopyPlan(secrets, members);
        }

        /// <summary>
        /// Creates a store at <paramref name="destination"/> owned by <paramref name="identity"/> and copies
        /// <paramref name="source"/> into it. What cannot be copied is reported to <paramref name="notCopied"/>
        /// (what, why) and left out; nothing stops the copy but a failure of the new store itself.
        /// </summary>
        public static SecretStore Copy(SecretStore source, string destination, UnlockedIdentity identity, string? stateRoot = null,
            Action<string, int, int>? progress = null, Action<string, string>? notCopied = null)
        {
            var plan = Plan(source, identity);
            var target = SecretStore.Create(destination, identity, source.Manifest.KeepVersions, stateRoot);
            var sourceOwner = source.GetMembers().First(m => m.Role == MemberRole.Owner);
            if (!sourceOwner.Recipient.Equals(identity.Recipient))
            {
                notCopied?.Invoke($"owner '{sourceOwner.Name}'", "the source's owner is not added to the new store (you own it); add them with Add-SecretStoreMember if their identity still exists");
            }

            // Members first: adding an admin to a store with secrets would write every secret again.
            int total = plan.Members.Count + plan.Secrets.Count;
            int done = 0;
            foreach (var member in plan.Members)
            {
                progress?.Invoke($"member '{member.Name}'", ++done, total);
                try
                {
                    target.AddMember(member.Recipient, member.Name, member.Role, identity);
                }
                catch (SecretsException e)
                {
                    notCopied?.Invoke($"member '{member.Name}'", e.Message);
                }
            }

            foreach (var name in plan.Secrets)
            {
                progress?.Invoke(name, ++done, total);
                try
                {
                    SecretRecord record;
                    using (var value = source.Read(name, identity, null, out record))
                    {
                        target.Write(record.Name, value, record.Metadata, identity, WriteMode.CreateOnly);
                    }

                    foreach (var entry in source.GetAccess(name).Where(a => !a.IsImplicit && a.Level > AccessLevel.None && a.Member.Role == MemberRole.Member))
                    {
                        try
                        {
                            target.Grant(record.Name, entry.Member.Name, entry.Level, identity);
                        }
                        catch (SecretsException e)
                        {
                            notCopied?.Invoke($"{entry.Level.ToString().ToLowerInvariant()} access of '{entry.Member.Name}' to '{record.Name}'", e.Message);
                        }
                    }
                }
                catch (SecretsException e)
                {
                    notCopied?.Invoke($"secret '{name}'", e.Message);
                }
            }

            return target;
        }
    }

    /// <summary>What <see cref="StoreCopy"/> copies: the secrets (by name) and the members other than the owner and the caller.</summary>
    public sealed class StoreCopyPlan
    {
        internal StoreCopyPlan(IReadOnlyList<string> secrets, IReadOnlyList<StoreMember> members)
        {
            Secrets = secrets;
            Members = members;
        }

        public IReadOnlyList<string> Secrets { get; }

        public IReadOnlyList<StoreMember> Members { get; }
    }
}
