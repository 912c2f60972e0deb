using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Secrets.Core.Names;

namespace Secrets.Core.Operations
{
    /// <summary>
    /// Renaming a secret within a store. A version file is bound to its name (the name is signed and
    /// is part of the encryption's associated data), so a file cannot be moved: the current value
    /// and metadata are written as a new secret under the new name, then the old secret is removed.
    /// The older versions are not carried over: copies of them would be signed by whoever renames
    /// and dated now, a history that misstates who wrote each value and when, and older versions
    /// may not even be readable by the person renaming. Members' access to the old name is granted
    /// on the new one. The new secret is written before the old one is removed, so a failure at any
    /// point leaves the value under at least one of the two names.
    /// </summary>
    public static class SecretRename
    {
        /// <summary>
        /// Checks a rename without changing anything, as far as it can be known in advance: both
        /// names, that the secret exists, that the new name is free (or <paramref name="replace"/>),
        /// and that <paramref name="caller"/> (when known) may remove the old secret, create the new
        /// one and carry the access over.
        /// </summary>
        public static RenamePlan Check(SecretStore store, string name, string newName, Recipient? caller, bool replace)
        {
            if (store == null)
            {
                throw new ArgumentNullException(nameof(store));
            }

            var from = ParseName(name, "Name");
            var to = ParseName(newName, "NewName");
            if (from.Value == to.Value)
            {
                throw new InvalidInputException("SameSecretName", "NewName", $"The new name '{to.Value}' is the secret's name already; give another name.");
            }

            var current = store.GetInfo(from.Value);
            if (from.Equals(to))
            {
                // Only the case changes: the same secret, written again under the name as now spelt.
                RequireAtLeast(store, caller, from, AccessLevel.Write, $"rename '{current.Name}'", "write");
                return new RenamePlan(current, current, caseOnly: true, Array.Empty<SecretAccessEntry>(), to.Value);
            }

            SecretRecord? existing = null;
            try
            {
                existing = store.GetInfo(to.Value);
            }
            catch (SecretNotFoundException)
            {
            }

            if (existing != null && !replace)
            {
                throw new SecretExistsException(existing.Name, existing.Version)
                {
                    RecommendedAction = $"Choose another name, or add -Force to write the value of '{current.Name}' over '{existing.Name}' as its next version.",
                };
            }

            var grants = store.IsShared
                ? store.GetAccess(from.Value).Where(a => !a.IsImplicit && !a.RotationPending && a.Level != AccessLevel.None).ToList()
                : new List<SecretAccessEntry>();
            if (existing != null)
            {
                // A secret written over keeps its own access list; only members without a line there get the old one's.
                var present = new HashSet<string>(store.GetAccess(to.Value).Where(a => !a.IsImplicit).Select(a => a.Member.Recipient.Text), StringComparer.Ordinal);
                grants = grants.Where(g => !present.Contains(g.Member.Recipient.Text)).ToList();
            }

            RequireAtLeast(store, caller, from, AccessLevel.Manage, $"rename '{current.Name}'", "manage (renaming removes it)");
            if (existing == null)
            {
                RequireCreate(store, caller, to);
            }
            else
            {
                RequireAtLeast(store, caller, to, grants.Count > 0 ? AccessLevel.Manage : AccessLevel.Write,
                    $"write '{current.Name}' over '{existing.Name}'", grants.Count > 0 ? "manage (to grant the access of the old name on it)" : "write");
            }

            return new RenamePlan(current, existing, caseOnly: false, grants, to.Value);
        }

        /// <summary>
        /// Renames <paramref name="name"/> to <paramref name="newName"/>: writes the newest value and
        /// metadata under the new name (as version 1, or as the next version of the secret there with
        /// <paramref name="replace"/>), grants members the access they had, then removes the old
        /// secret. When only the case of the name changes, the secret is written again under the new
        /// spelling and keeps its history. If a step after the first write fails, nothing is undone:
        /// <see cref="SecretsException"/> RenameIncomplete says what was done and what is left.
        /// </summary>
        public static RenameResult Rename(SecretStore store, string name, string newName, UnlockedIdentity actor, bool replace)
        {
            if (actor == null)
            {
                throw new ArgumentNullException(nameof(actor));
            }

            var plan = Check(store, name, newName, actor.Recipient, replace);
            var oldName = plan.Current.Name;
            SecretRecord written;
            using (var value = store.Read(oldName, actor, null, out var read))
            {
                if (read.Version != plan.Current.Version)
                {
                    throw Changed(oldName, plan.Current.Version, read.Version);
                }

                var mode = plan.CaseOnly || plan.Existing != null ? WriteMode.CreateOrUpdate : WriteMode.CreateOnly;
                written = store.Write(plan.NewName, value, read.Metadata, actor, mode);
            }

            if (plan.CaseOnly)
            {
                return new RenameResult(oldName, written, droppedVersions: 0, replaced: false, keptHistory: true, Array.Empty<SecretAccessEntry>());
            }

            var step = string.Empty;
            try
            {
                foreach (var grant in plan.Grants)
                {
                    step = $"granting {grant.Member.Name} {grant.Level} access to '{written.Name}'";
                    written = store.Grant(written.Name, grant.Member.Recipient.Text, grant.Level, actor);
                }

                step = $"removing '{oldName}'";
                var now = store.GetInfo(oldName);
                if (now.Version != plan.Current.Version)
                {
                    throw Changed(oldName, plan.Current.Version, now.Version);
                }

                store.Remove(oldName, actor);
            }
            catch (Exception e) when (e is SecretsException || e is IOException || e is UnauthorizedAccessException)
            {
                throw new SecretsException("RenameIncomplete", FailureKind.InvalidOperation,
                    $"The value of '{oldName}' was written to '{written.Name}' (version {written.Version}), but {step} failed, so '{oldName}' is still in the store: {e.Message}", e)
                {
                    FilePath = store.Path,
                    RecommendedAction = $"Check '{written.Name}' (Get-SecretInfo, Get-SecretAccess), then remove the old name: Remove-Secret -Name '{oldName}'.",
                };
            }

            return new RenameResult(oldName, written, plan.Current.Versions.Count - 1, plan.Existing != null, keptHistory: false, plan.Grants);
        }

        private static SecretsException Changed(string name, int expected, int found) =>
            new SecretsException("SecretChanged", FailureKind.InvalidOperation,
                $"Secret '{name}' changed while it was being renamed: version {expected} was read, and the newest is now version {found}.")
            {
                RecommendedAction = "Run the command again.",
            };

        private static SecretName ParseName(string name, string parameterName)
        {
            var problem = SecretName.Validate(name);
            if (problem != null)
            {
                throw new InvalidInputException("InvalidSecretName", parameterName, problem);
            }

            return SecretName.Parse(name);
        }

        private static void RequireAtLeast(SecretStore store, Recipient? caller, SecretName name, AccessLevel needed, string what, string neededText)
        {
            if (caller == null)
            {
                return;
            }

            var has = store.AccessOf(caller, name.Value);
            if (has >= needed)
            {
                return;
            }

            var member = MemberOf(store, caller);
            throw new SecretsException("AccessDenied", FailureKind.Permission, member == null
                ? $"Your identity ({caller.Fingerprint}) is not a member of the store at '{store.Path}'."
                : $"To {what} you need {neededText} access to '{name.Value}'; you ({member.Name}) have {has.ToString().ToLowerInvariant()}.")
            {
                FilePath = store.Path,
                RecommendedAction = "Ask the store's owner or an admin (Get-SecretStoreMember lists them) to rename it, or to grant you that access.",
            };
        }

        private static void RequireCreate(SecretStore store, Recipient? caller, SecretName name)
        {
            if (caller == null || !store.IsShared)
            {
                RequireAtLeast(store, caller, name, AccessLevel.Manage, $"create '{name.Value}'", "manage");
                return;
            }

            var member = MemberOf(store, caller);
            if (member != null && member.Role == MemberRole.Member)
            {
                throw new SecretsException("AccessDenied", FailureKind.Permission,
                    $"Renaming to '{name.Value}' creates a secret, and only the owner and admins create secrets in a shared store; you ({member.Name}) are a member.")
                {
                    FilePath = store.Path,
                    RecommendedAction = "Ask the store's owner or an admin (Get-SecretStoreMember lists them) to rename it.",
                };
            }

            RequireAtLeast(store, caller, name, AccessLevel.Manage, $"create '{name.Value}'", "manage");
        }

        private static StoreMember? MemberOf(SecretStore store, Recipient caller) =>
            store.GetMembers().FirstOrDefault(m => m.Recipient.Equals(caller));
    }

    /// <summary>What a rename will do, checked before anything changes (for -WhatIf and -Confirm).</summary>
    public sealed class RenamePlan
    {
        internal RenamePlan(SecretRecord current, SecretRecord? existing, bool caseOnly, IReadOnlyList<SecretAccessEntry> grants, string newName)
        {
            Current = current;
            Existing = caseOnly ? null : existing;
            CaseOnly = caseOnly;
            Grants = grants;
            NewName = newName;
        }

        /// <summary>The newest version of the secret to rename.</summary>
        public SecretRecord Current { get; }

        /// <summary>The secret the new name already has (written over with -Force), or null.</summary>
        public SecretRecord? Existing { get; }

        /// <summary>Whether only the case of the name changes (the secret keeps its history).</summary>
        public bool CaseOnly { get; }

        /// <summary>Members' access to the old name that will be granted on the new one.</summary>
        public IReadOnlyList<SecretAccessEntry> Grants { get; }

        /// <summary>The new name as given.</summary>
        public string NewName { get; }

        /// <summary>How many older versions of the secret are not carried over.</summary>
        public int DroppedVersions => CaseOnly ? 0 : Current.Versions.Count - 1;

        public override string ToString() => $"RenamePlan({Current.Name} -> {NewName})";
    }

    /// <summary>What a rename did.</summary>
    public sealed class RenameResult
    {
        internal RenameResult(string oldName, SecretRecord record, int droppedVersions, bool replaced, bool keptHistory, IReadOnlyList<SecretAccessEntry> grants)
        {
            OldName = oldName;
            Record = record;
            DroppedVersions = droppedVersions;
            Replaced = replaced;
            KeptHistory = keptHistory;
            Grants = grants;
        }

        /// <summary>The old name, as it was spelt.</summary>
        public string OldName { get; }

        /// <summary>The newest version under the new name.</summary>
        public SecretRecord Record { get; }

        /// <summary>How many older versions of the old secret were not carried over (they were removed with it).</summary>
        public int DroppedVersions { get; }

        /// <summary>Whether the new name was an existing secret, written over (-Force).</summary>
        public bool Replaced { get; }

        /// <summary>Whether only the case changed, so the secret kept its history.</summary>
        public bool KeptHistory { get; }

        /// <summary>The access granted on the new name, as members had it on the old one.</summary>
        public IReadOnlyList<SecretAccessEntry> Grants { get; }

        public override string ToString() => $"RenameResult({OldName} -> {Record.Name} v{Record.Version})";
    }
}
