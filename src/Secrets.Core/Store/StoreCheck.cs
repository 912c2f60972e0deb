using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Identity;
using Secrets.Core.Platform;
using Secrets.Core.Names;

namespace Secrets.Core.Store
{
    /// <summary>
    /// The store check (Test-SecretStore, Repair-SecretStore): every file of every secret verified
    /// as a reader verifies it, and what can be put right without a new value put right: temporary
    /// files left by interrupted writes, files outside a secret's history, rotations left unfinished.
    /// </summary>
    internal sealed class StoreCheck
    {
        private readonly StoreContext _store;
        private readonly VersionReader _reader;
        private readonly VersionWriter _writer;
        private readonly Rotation _rotation;

        public StoreCheck(StoreContext store, VersionReader reader, VersionWriter writer, Rotation rotation)
        {
            _store = store;
            _reader = reader;
            _writer = writer;
            _rotation = rotation;
        }

        /// <summary>Checks every secret of the store; changes nothing.</summary>
        public IReadOnlyList<StoreFinding> Check(Action<string>? progress = null)
        {
            var findings = new List<StoreFinding>();
            foreach (var canonical in _store.AllSecrets())
            {
                progress?.Invoke(canonical);
                CheckSecret(SecretName.Parse(canonical), findings);
            }

            return findings;
        }

        /// <summary>
        /// Checks the store under its lock and repairs each repairable finding that
        /// <paramref name="approve"/> accepts (null: every one). Finishing a rotation needs
        /// <paramref name="actor"/>, with manage access to the secret; without it, the finding stays.
        /// </summary>
        public IReadOnlyList<StoreFinding> Repair(UnlockedIdentity? actor, Func<StoreFinding, bool>? approve = null, Action<string>? progress = null)
        {
            return _store.Locked(() =>
            {
                var findings = Check(progress);
                foreach (var finding in findings.Where(f => f.Repairable && (approve == null || approve(f))))
                {
                    switch (finding.Kind)
                    {
                        case StoreFindingKind.TemporaryFile:
                        case StoreFindingKind.NotInHistory:
                            AtomicFile.TryDelete(finding.File!);
                            finding.Repaired = !File.Exists(finding.File!);
                            break;
                        case StoreFindingKind.RotationPending:
                            if (actor == null)
                            {
                                finding.Problem = "it needs an unlocked identity with manage access to the secret";
                                break;
                            }

                            var name = SecretName.Parse(finding.Secret!);
                            if (_store.Policy.AccessOf(actor.Recipient, name) < AccessLevel.Manage)
                            {
                                finding.Problem = $"your identity ({actor.Recipient.Fingerprint}) does not have manage access to it";
                                break;
                            }

                            var problem = _writer.TryReseal(name, actor, out bool resealed);
                            finding.Repaired = problem == null && resealed;
                            finding.Problem = problem;
                            break;
                    }
                }

                return findings;
            });
        }

        internal void CheckSecret(SecretName name, List<StoreFinding> findings)
        {
            var folder = _store.FolderOf(name);
            List<(int Version, string File)> versions;
            try
            {
                versions = VersionReader.ListVersions(folder);
            }
            catch (SecretsException e)
            {
                findings.Add(new StoreFinding(StoreFindingKind.InvalidFile, name.Value, folder, e.Message, false, "Remove the link and restore the secret's folder."));
                return;
            }

            foreach (var temp in Directory.EnumerateFiles(folder, "*" + AtomicFile.TempSuffix))
            {
                findings.Add(new StoreFinding(StoreFindingKind.TemporaryFile, name.Value, temp,
                    $"'{temp}' is a temporary file left by a write that did not finish (it holds no plaintext).", true, "Delete it."));
            }

            if (versions.Count == 0)
            {
                return;
            }

            // The newest version readers accept; every newer file is a problem only a new value solves.
            SecretFileHeader? anchor = null;
            int anchorIndex = -1;
            for (int i = versions.Count - 1; i >= 0 && anchor == null; i--)
            {
                try
                {
                    anchor = _reader.ReadVerified(versions[i].File, name, versions[i].Version, newest: true);
                    anchorIndex = i;
                }
                catch (SecretsException e) when (e is InvalidFileException || e is SecurityViolationException)
                {
                    findings.Add(new StoreFinding(StoreFindingKind.InvalidFile, name.Value, versions[i].File, e.Message, false,
                        $"Write a new value (Set-Secret -Name '{name.Value}'), which replaces it; older versions stay readable with -Version."));
                }
            }

            if (anchor == null)
            {
                return;
            }

            List<(int Version, string File, byte[] Hash)> history;
            try
            {
                history = _reader.HistoryFrom(name, versions, versions[anchorIndex].Version, anchor);
                if (anchorIndex == versions.Count - 1)
                {
                    _reader.CheckAgainstSeen(name, versions, anchor, versions[anchorIndex].File, _store.State.GetSeen(name.Folder));
                }
            }
            catch (SecretsException e)
            {
                findings.Add(new StoreFinding(StoreFindingKind.InvalidFile, name.Value, e.FilePath ?? folder, e.Message, false,
                    "Check the secret's history (the store's git log or backups) with the store's owner."));
                return;
            }

            int previousLog = 0;
            foreach (var (version, file, _) in history)
            {
                try
                {
                    var header = _reader.ReadVerified(file, name, version, newest: version == versions[anchorIndex].Version);
                    if (header.LogSeq < previousLog)
                    {
                        throw VersionReader.OutOfOrder(file, header.LogSeq, previousLog);
                    }

                    previousLog = header.LogSeq;
                }
                catch (SecretsException e)
                {
                    findings.Add(new StoreFinding(StoreFindingKind.InvalidFile, name.Value, file, e.Message, false, "Do not trust this version; newer versions are not affected."));
                }
            }

            foreach (var (version, file) in versions.Take(anchorIndex))
            {
                if (!history.Any(h => h.Version == version))
                {
                    findings.Add(new StoreFinding(StoreFindingKind.NotInHistory, name.Value, file,
                        $"'{file}' (version {version}) is not part of the history of '{name.Value}': it was left behind by an interrupted pruning or a repair, or planted.",
                        true, "Delete it (readers refuse it anyway)."));
                }
            }

            var rotation = _rotation.Of(name, anchor);
            if (rotation.IsPending)
            {
                var who = rotation.NoLongerAllowed.Count > 0
                    ? $"is still encrypted to {string.Join(", ", rotation.NoLongerAllowed.Select(m => m.Name))}, whose access ended"
                    : $"is not encrypted yet to {string.Join(", ", rotation.NotYetRecipients.Select(m => m.Name))}, who may read it";
                findings.Add(new StoreFinding(StoreFindingKind.RotationPending, name.Value, versions[anchorIndex].File,
                    $"The newest version of '{name.Value}' {who}: a change of access was recorded but the secret was not written again.",
                    true, "Write it again for its readers (the same value, a fresh key)."));
            }
        }
    }

    /// <summary>What a store check finds.</summary>
    public enum StoreFindingKind
    {
        /// <summary>A file readers refuse (damaged, forged, replaced, not a plain file).</summary>
        InvalidFile,

        /// <summary>A version file outside the secret's history.</summary>
        NotInHistory,

        /// <summary>A temporary file left by a write that did not finish.</summary>
        TemporaryFile,

        /// <summary>A change of access recorded, and the secret not yet written again for its readers.</summary>
        RotationPending,
    }

    /// <summary>One thing a store check found, and whether it was repaired.</summary>
    public sealed class StoreFinding
    {
        internal StoreFinding(StoreFindingKind kind, string? secret, string? file, string message, bool repairable, string action)
        {
            Kind = kind;
            Secret = secret;
            File = file;
            Message = message;
            Repairable = repairable;
            Action = action;
        }

        public StoreFindingKind Kind { get; }

        /// <summary>The secret's name, when the finding is about one.</summary>
        public string? Secret { get; }

        public string? File { get; }

        public string Message { get; }

        /// <summary>Whether Repair-SecretStore can put it right without a new value.</summary>
        public bool Repairable { get; }

        /// <summary>What puts it right.</summary>
        public string Action { get; }

        public bool Repaired { get; internal set; }

        /// <summary>Why a repair was not made, when it was tried.</summary>
        public string? Problem { get; internal set; }

        public override string ToString() => $"{Kind}: {Message}";
    }
}
