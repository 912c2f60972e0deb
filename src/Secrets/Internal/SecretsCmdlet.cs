using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Platform;
using Secrets.Core.Store;

namespace Secrets.Internal
{
    /// <summary>
    /// What every Secrets cmdlet shares: finding the store and the identity (prompting only when
    /// the session is interactive), SecretManagement vaults named by -Vault (SecretsCmdlet.Vault.cs),
    /// and turning core failures into error records.
    /// </summary>
    public abstract partial class SecretsCmdlet : PSCmdlet, IDisposable
    {
        internal const int MaxPassphraseAttempts = IdentityAccess.MaxPassphraseAttempts;

        private readonly System.Collections.Generic.Dictionary<string, SecretStore> _stores =
            new System.Collections.Generic.Dictionary<string, SecretStore>(StringComparer.Ordinal);

        private readonly System.Collections.Generic.Dictionary<string, UnlockedIdentity> _identities =
            new System.Collections.Generic.Dictionary<string, UnlockedIdentity>(StringComparer.Ordinal);

        /// <summary>
        /// Every command of the module starts by erasing what jobs killed outright left on disk
        /// (<see cref="Core.Jobs.JobJournal.CleanAbandoned"/>: one folder check when there is
        /// nothing), and says what it erased. Sealed so that no command skips it; a command that
        /// needs its own start adds it here.
        /// </summary>
        protected sealed override void BeginProcessing() => CleanAbandonedJobs();

        private void CleanAbandonedJobs()
        {
            Core.Jobs.JobJournalCleanup cleanup;
            try
            {
                cleanup = Core.Jobs.JobJournal.CleanAbandoned();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                WriteVerbose($"Could not look for files left by jobs that were killed: {e.Message}");
                return;
            }

            if (cleanup.Erased.Count > 0)
            {
                WriteWarning("A job that was killed before it could clean up had left secrets on disk. They are now overwritten and deleted: "
                    + string.Join(", ", cleanup.Erased.Select(p => "'" + p + "'")) + ".");
            }

            if (cleanup.Kept.Count > 0)
            {
                WriteWarning("A job that was killed before it could clean up had written files that were left in place because they are no longer the files it wrote: "
                    + string.Join(", ", cleanup.Kept) + ". Check them, and delete any that holds a secret.");
            }
        }

        /// <summary>The unlocked identity (see <see cref="IdentityPath"/>), acquired on first use and kept for the rest of the pipeline.</summary>
        internal UnlockedIdentity Caller
        {
            get
            {
                var path = IdentityPath;
                if (!_identities.TryGetValue(path, out var identity))
                {
                    identity = AcquireIdentity();
                    _identities[path] = identity;
                }

                return identity;
            }
        }

        /// <summary>The store for a -Store value, opened once per pipeline (see <see cref="OpenStore"/>).</summary>
        internal SecretStore? GetStore(string? store, bool createDefault)
        {
            var key = store ?? string.Empty;
            if (_stores.TryGetValue(key, out var cached))
            {
                return cached;
            }

            var opened = OpenStore(store, createDefault);
            if (opened != null)
            {
                _stores[key] = opened;
            }

            return opened;
        }

        /// <summary>The store for a -Store value that must exist (the personal store is not created by commands that manage a store).</summary>
        internal SecretStore ExistingStore(string? store) =>
            GetStore(store, createDefault: false) ?? throw new StoreNotFoundException(SecretsPaths.DefaultStorePath);

        /// <summary>
        /// What Get-SecretInfo would show of <paramref name="record"/> to the caller: with their
        /// access to the secret and the vault it was reached through. For -PassThru.
        /// </summary>
        internal SecretInfo Describe(SecretStore store, SecretRecord record)
        {
            var caller = CallerRecipient;
            SecretAccessLevel? access = caller == null ? (SecretAccessLevel?)null : (SecretAccessLevel)(int)store.AccessOf(caller, record.Name);
            return new SecretInfo(record, access) { VaultName = VaultName, StoreName = StoreNameOf(store.Path) };
        }

        private readonly System.Collections.Generic.Dictionary<string, Recipient?> _callers =
            new System.Collections.Generic.Dictionary<string, Recipient?>(StringComparer.Ordinal);

        /// <summary>The public side of the identity in use (the vault's or the default), read without unlocking it; null when there is none.</summary>
        internal Recipient? CallerRecipient
        {
            get
            {
                var path = IdentityPath;
                if (!_callers.TryGetValue(path, out var caller))
                {
                    try
                    {
                        caller = File.Exists(path) ? IdentityFile.ReadRecipient(path) : null;
                    }
                    catch (SecretsException)
                    {
                        caller = null;
                    }

                    _callers[path] = caller;
                }

                return caller;
            }
        }

        /// <summary>Writes a progress record for item <paramref name="done"/> of <paramref name="total"/> (total 0: unknown).</summary>
        internal void Progress(int activityId, string activity, string status, int done, int total)
        {
            var record = new ProgressRecord(activityId, activity, status);
            if (total > 0)
            {
                record.PercentComplete = Math.Min(100, done * 100 / total);
            }

            WriteProgress(record);
        }

        internal void CompleteProgress(int activityId, string activity)
        {
            WriteProgress(new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed });
        }

        /// <summary>Says so when a write replaced a newest version file that was damaged or forged.</summary>
        internal void WarnIfReplacedInvalid(SecretRecord record)
        {
            if (record.ReplacedInvalidFile != null)
            {
                WriteWarning($"Version {record.Version} of '{record.Name}' replaces the newest version file, which was invalid: {record.ReplacedInvalidReason} The invalid file stays in the store until it is pruned.");
            }
        }

        /// <summary>Zeroes the keys this pipeline used.</summary>
        public void Dispose()
        {
            foreach (var identity in _identities.Values)
            {
                identity.Dispose();
            }

            _identities.Clear();
        }

        /// <summary>Whether prompts can be shown: a host with a UI, not -NonInteractive, input not redirected.</summary>
        protected bool IsInteractive => IdentityAccess.IsInteractive(this);

        /// <summary>
        /// Opens the store. The default store is created on first use when <paramref name="createDefault"/>
        /// is set (it needs the identity); otherwise a missing default store gives null.
        /// </summary>
        protected SecretStore? OpenStore(string? store, bool createDefault)
        {
            var path = ResolveStorePath(store);
            if (SecretStore.Exists(path))
            {
                return OpenStoreAt(path, mayBeMissing: false);
            }

            bool isDefault = IsPersonalStore(store);
            if (!isDefault)
            {
                throw new StoreNotFoundException(path);
            }

            if (!createDefault)
            {
                return null;
            }

            using (var owner = AcquireIdentity())
            {
                WriteVerbose($"Creating your personal store at '{path}'.");
                try
                {
                    return SecretStore.Create(path, owner);
                }
                catch (SecretsException e) when (e.ErrorId == "StoreExists")
                {
                    return SecretStore.Open(path);
                }
            }
        }

        /// <summary>
        /// The unlocked identity at <see cref="IdentityPath"/> (a copy the caller disposes).
        /// Interactive sessions are offered to create a missing default identity and prompted for
        /// the passphrase of a locked one; other sessions get an error naming the command to run.
        /// </summary>
        protected UnlockedIdentity AcquireIdentity() =>
            IdentityAccess.Acquire(this, IdentityPath, UnlockTimeout, VaultName,
                IsInteractive && VaultName == null ? OfferToCreateIdentity : (Func<string, UnlockedIdentity>?)null);

        /// <summary>
        /// Set when the host refused to read a passphrase: it has no user interface (a runspace
        /// created without a host has one that throws), so asking again is pointless.
        /// </summary>
        internal bool HostCannotPrompt { get; private set; }

        /// <summary>Reads a passphrase from the host; null when the user gives nothing or the host cannot prompt.</summary>
        internal byte[]? PromptSecure(string prompt)
        {
            var passphrase = IdentityAccess.PromptSecure(this, prompt, out bool hostRefused);
            HostCannotPrompt |= hostRefused;
            return passphrase;
        }

        /// <summary>Asks a yes/no question; false when the host cannot ask.</summary>
        internal bool Ask(string query, string caption)
        {
            try
            {
                return ShouldContinue(query, caption);
            }
            catch (Exception e) when (e is PSInvalidOperationException || e is HostException || e is NotImplementedException || e is PSNotImplementedException)
            {
                return false;
            }
        }

        /// <summary>Reports a core failure as a terminating error.</summary>
        protected void ThrowFailure(SecretsException exception, object? target) =>
            ThrowTerminatingError(ErrorMapping.ToErrorRecord(exception, target));

        /// <summary>Reports a core failure for one pipeline item and carries on.</summary>
        protected void WriteFailure(SecretsException exception, object? target) =>
            WriteError(ErrorMapping.ToErrorRecord(exception, target));

        /// <summary>Runs one pipeline item: core failures and file-system failures become non-terminating errors.</summary>
        protected void ForItem(object? target, Action action)
        {
            try
            {
                action();
            }
            catch (SecretsException e)
            {
                if (e.Kind == FailureKind.Authentication || e.Kind == FailureKind.Busy || e is UnprotectedIdentityFileException)
                {
                    // Every further item would fail the same way.
                    ThrowFailure(e, target);
                }

                WriteFailure(e, target);
            }
            catch (IOException e)
            {
                WriteError(ErrorMapping.FromIo(e, "StoreIOError", target));
            }
            catch (UnauthorizedAccessException e)
            {
                WriteError(ErrorMapping.FromIo(e, "StoreAccessDenied", target));
            }
        }

        private UnlockedIdentity OfferToCreateIdentity(string path)
        {
            if (!Ask($"You have no Secrets identity yet. Create one at '{path}' now?", "Secrets: first use"))
            {
                throw new IdentityNotFoundException(path);
            }

            var name = Environment.UserName + "@" + Environment.MachineName;
            Host.UI.WriteLine("Choose a passphrase. It protects your private keys; it cannot be recovered.");
            Host.UI.WriteLine("Leave it empty to store the keys without one (for unattended automation: anyone who can read the file can read your secrets).");
            for (int attempt = 1; attempt <= MaxPassphraseAttempts; attempt++)
            {
                var first = PromptSecure("New passphrase");
                if (first == null)
                {
                    if (!Ask("Store your identity without a passphrase?", "Secrets: first use"))
                    {
                        continue;
                    }

                    var created = IdentityFile.Create(path, name, null);
                    Host.UI.WriteLine($"Created identity '{created.Name}' ({created.Recipient.Fingerprint}) at '{created.Path}'.");
                    return created.Unlock(null);
                }

                var verdict = PassphrasePolicy.Check(first);
                if (verdict.TooShort)
                {
                    Sensitive.Zero(first);
                    Host.UI.WriteWarningLine($"That passphrase is shorter than {PassphrasePolicy.MinLength} characters. Choose a longer one (a few unrelated words are easy to remember).");
                    continue;
                }

                if (verdict.IsCommon)
                {
                    Host.UI.WriteWarningLine(PassphrasePolicy.CommonWarning);
                }

                var second = PromptSecure("Repeat the passphrase");
                try
                {
                    if (second == null || !Sensitive.FixedTimeEquals(first, second))
                    {
                        Host.UI.WriteWarningLine("The passphrases differ. Try again.");
                        continue;
                    }

                    var created = IdentityFile.Create(path, name, first);
                    var unlocked = created.Unlock(first);
                    var outcome = IdentitySession.Remember(unlocked, IdentitySession.DefaultTimeout, IdentitySession.PreferredScope);
                    WriteVerbose($"Identity '{created.Name}' unlocked for {IdentityAccess.Describe(IdentitySession.DefaultTimeout)}, {IdentityAccess.DescribeScope(outcome)}.");
                    Host.UI.WriteLine($"Created identity '{created.Name}' ({created.Recipient.Fingerprint}) at '{created.Path}'.");
                    return unlocked;
                }
                finally
                {
                    Sensitive.Zero(first);
                    Sensitive.Zero(second);
                }
            }

            throw new IdentityNotFoundException(path);
        }
    }
}
