using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security;
using Microsoft.PowerShell.SecretManagement;
using Xunit;
using Vault = Secrets.PowerShell.Tests.SecretManagementStandIn.Vault;

namespace Secrets.PowerShell.Tests
{
    /// <summary>
    /// The SecretManagement vault contract, exercised the way SecretManagement exercises it: a
    /// second runspace, module-qualified calls, the parameter names and the result filtering of
    /// SecretManagement's own code (<see cref="SecretManagementStandIn"/>).
    /// </summary>
    public class VaultContractTests
    {
        private const string Passphrase = "correct horse battery staple";
        private const string Value = "hunter2-distinctive-value";

        private static SecureString Secure(string text) => new NetworkCredential(string.Empty, text).SecurePassword;

        private static string Plain(SecureString secure) => new NetworkCredential(string.Empty, secure).Password;

        /// <summary>A user session with an identity without passphrase, and the vault "work" on the default store.</summary>
        private static (PowerShellSession Session, SecretManagementStandIn Sm, Vault Vault) Start(Hashtable? vaultParameters = null)
        {
            var session = new PowerShellSession();
            session.Invoke("New-SecretIdentity -DisplayName tester -NoPassword");
            return (session, new SecretManagementStandIn(), new Vault("work", vaultParameters));
        }

        private static void NoErrors(SecretManagementStandIn.Call call)
        {
            Assert.True(call.TerminatingError == null, call.TerminatingError?.ToString());
            Assert.True(call.Errors.Count == 0, string.Join("; ", call.Errors.Select(e => e.FullyQualifiedErrorId + ": " + (e.ErrorDetails?.Message ?? e.ToString()))));
        }

        [Fact]
        public void RegistrationFindsTheExtensionWithEveryCommandAndParameterSecretManagementChecks()
        {
            var (parent, extension) = SecretManagementStandIn.ImportLikeRegistration();
            Assert.Equal("Secrets", parent.Name);
            Assert.Equal("Secrets.Extension", extension.Name);

            // The required five and the parameter names Register-SecretVault checks, then the optional three.
            void Has(string command, params string[] parameters)
            {
                Assert.True(extension.ExportedCommands.ContainsKey(command), command + " is not exported");
                foreach (var parameter in parameters)
                {
                    Assert.True(extension.ExportedCommands[command].Parameters.ContainsKey(parameter), $"{command} has no -{parameter}");
                }
            }

            Has("Get-Secret", "Name", "VaultName", "AdditionalParameters");
            Has("Set-Secret", "Name", "Secret", "VaultName", "AdditionalParameters", "Metadata");
            Has("Remove-Secret", "Name", "VaultName", "AdditionalParameters");
            Has("Get-SecretInfo", "Filter", "VaultName", "AdditionalParameters");
            Has("Test-SecretVault", "VaultName", "AdditionalParameters");
            Has("Set-SecretInfo", "Name", "Metadata", "VaultName", "AdditionalParameters");
            Has("Unlock-SecretVault", "Password", "VaultName", "AdditionalParameters");
            Has("Unregister-SecretVault", "VaultName", "AdditionalParameters");
        }

        [Fact]
        public void ParentModuleExportsNoExtensionCommandAndCarriesTheSecretManagementTag()
        {
            using var session = new PowerShellSession();
            var module = (PSModuleInfo)session.Invoke("Get-Module -Name Secrets")[0].BaseObject;
            Assert.Empty(module.ExportedFunctions);
            Assert.Contains("SecretManagement", module.Tags);
            Assert.Contains(module.NestedModules, m => m.Name == "Secrets.Extension");
            foreach (var name in new[] { "Get-Secret", "Set-Secret", "Remove-Secret", "Get-SecretInfo", "Set-SecretInfo" })
            {
                var command = (CommandInfo)session.Invoke("Get-Command -Name $args[0]", name)[0].BaseObject;
                Assert.Equal(CommandTypes.Cmdlet, command.CommandType);
                Assert.Equal("Secrets", command.ModuleName);
            }

            Assert.Empty(session.Invoke("Get-Command -Name Test-SecretVault, Unlock-SecretVault, Unregister-SecretVault -ErrorAction Ignore"));
        }

        [Fact]
        public void EveryTypeComesBackAsTheSameTypeAndValue()
        {
            var (session, sm, vault) = Start();
            using var _ = session;
            using var __ = sm;
            var bytes = new byte[] { 0, 1, 2, 254, 255 };
            var credential = new PSCredential("deploy", Secure(Value));
            var table = new Hashtable { ["user"] = "app", ["password"] = Secure(Value), ["blob"] = new byte[] { 7, 8 }, ["login"] = credential };
            NoErrors(sm.SetSecret(vault, "text", Value));
            NoErrors(sm.SetSecret(vault, "secure", Secure(Value)));
            NoErrors(sm.SetSecret(vault, "credential", credential));
            NoErrors(sm.SetSecret(vault, "bytes", bytes));
            NoErrors(sm.SetSecret(vault, "table", table));

            var text = sm.GetSecret(vault, "text");
            NoErrors(text);
            Assert.Equal(Value, Assert.IsType<string>(text.Secret));
            Assert.Single(text.Results);

            Assert.Equal(Value, Plain(Assert.IsType<SecureString>(sm.GetSecret(vault, "secure").Secret)));

            var gotCredential = Assert.IsType<PSCredential>(sm.GetSecret(vault, "credential").Secret);
            Assert.Equal("deploy", gotCredential.UserName);
            Assert.Equal(Value, Plain(gotCredential.Password));

            var gotBytes = sm.GetSecret(vault, "bytes");
            Assert.Equal(bytes, Assert.IsType<byte[]>(gotBytes.Secret));
            Assert.Single(gotBytes.Results);

            var gotTable = Assert.IsType<Hashtable>(sm.GetSecret(vault, "table").Secret);
            Assert.Equal(4, gotTable.Count);
            Assert.Equal("app", Assert.IsType<string>(gotTable["user"]));
            Assert.Equal(Value, Plain(Assert.IsType<SecureString>(gotTable["password"])));
            Assert.Equal(new byte[] { 7, 8 }, Assert.IsType<byte[]>(gotTable["blob"]));
            Assert.Equal("deploy", Assert.IsType<PSCredential>(gotTable["login"]).UserName);

            // And the user's own session reads the same store: one store, two doors.
            Assert.Equal(Value, session.Invoke("Get-Secret -Name text -AsPlainText")[0].BaseObject);
        }

        [Fact]
        public void NameDotKeyGivesOneKeyOfTheStoredType()
        {
            var (session, sm, vault) = Start();
            using var _ = session;
            using var __ = sm;
            NoErrors(sm.SetSecret(vault, "table", new Hashtable { ["user"] = "app", ["password"] = Secure(Value) }));
            NoErrors(sm.SetSecret(vault, "credential", new PSCredential("deploy", Secure(Value))));

            Assert.Equal("app", Assert.IsType<string>(sm.GetSecret(vault, "table.user").Secret));
            Assert.Equal(Value, Plain(Assert.IsType<SecureString>(sm.GetSecret(vault, "table.PASSWORD").Secret)));
            Assert.Equal("deploy", Assert.IsType<string>(sm.GetSecret(vault, "credential.UserName").Secret));
            Assert.Equal(Value, Plain(Assert.IsType<SecureString>(sm.GetSecret(vault, "credential.Password").Secret)));

            // A missing secret is nothing at all, as ever; a missing key is an error naming the keys.
            var missing = sm.GetSecret(vault, "nothing.user");
            NoErrors(missing);
            Assert.Empty(missing.Results);
            var noKey = sm.GetSecret(vault, "table.nokey");
            Assert.Null(noKey.Secret);
            var error = Assert.Single(noKey.Errors);
            Assert.StartsWith("SecretKeyNotFound", error.FullyQualifiedErrorId);
            Assert.Contains("'user'", error.ErrorDetails?.Message ?? error.Exception.Message);
            Assert.DoesNotContain(Value, error.ErrorDetails?.Message ?? error.Exception.Message);
        }

        [Fact]
        public void GetSecretInfoReturnsSecretInformationWithTypeVaultAndMetadata()
        {
            var (session, sm, vault) = Start();
            using var _ = session;
            using var __ = sm;
            var expires = new DateTime(2027, 3, 1, 12, 0, 0, DateTimeKind.Utc);
            NoErrors(sm.SetSecret(vault, "prod/db", Value, new Hashtable { ["owner"] = "ops", ["rotateDays"] = 90, ["expires"] = expires }));
            NoErrors(sm.SetSecret(vault, "prod/api", new byte[] { 1 }));
            NoErrors(sm.SetSecret(vault, "dev/db", Secure(Value)));

            var call = sm.GetSecretInfo(vault, "PROD/*");
            NoErrors(call);
            var infos = call.Results.Select(r => Assert.IsType<SecretInformation>(r)).OrderBy(i => i.Name).ToList();
            Assert.Equal(new[] { "prod/api", "prod/db" }, infos.Select(i => i.Name));
            Assert.All(infos, i => Assert.Equal("work", i.VaultName));
            Assert.Equal(SecretType.ByteArray, infos[0].Type);
            Assert.Equal(SecretType.String, infos[1].Type);
            Assert.Equal("ops", infos[1].Metadata!["owner"]);
            Assert.Equal("ops", infos[1].Metadata!["OWNER"]);
            Assert.Equal(90, infos[1].Metadata!["rotateDays"]);
            Assert.Equal(expires, ((DateTime)infos[1].Metadata!["expires"]).ToUniversalTime());

            var all = sm.GetSecretInfo(vault, string.Empty);
            NoErrors(all);
            Assert.Equal(3, all.Results.Count);
            Assert.Equal(SecretType.SecureString, all.Results.Cast<SecretInformation>().Single(i => i.Name == "dev/db").Type);
            Assert.Equal(all.Results.Count, all.Results.Cast<SecretInformation>().Select(i => i.Name.ToLowerInvariant()).Distinct().Count());
        }

        [Fact]
        public void SecretNamesKeepTheirCaseAndNeverRepeat()
        {
            var (session, sm, vault) = Start();
            using var _ = session;
            using var __ = sm;
            NoErrors(sm.SetSecret(vault, "GitHub-Token", Value));
            NoErrors(sm.SetSecret(vault, "github-token", Value + "2"));
            var call = sm.GetSecretInfo(vault, "*");
            NoErrors(call);
            Assert.Equal("github-token", Assert.IsType<SecretInformation>(Assert.Single(call.Results)).Name);
            Assert.Equal(Value + "2", sm.GetSecret(vault, "GITHUB-TOKEN").Secret);
        }

        [Fact]
        public void MetadataThroughSetSecretInfoReplacesAndSetSecretWithoutMetadataKeepsIt()
        {
            var (session, sm, vault) = Start();
            using var _ = session;
            using var __ = sm;
            NoErrors(sm.SetSecret(vault, "api", Value, new Hashtable { ["owner"] = "ops" }));
            NoErrors(sm.SetSecretInfo(vault, "api", new Hashtable { ["team"] = "core", ["critical"] = true }));
            var info = (SecretInformation)Assert.Single(sm.GetSecretInfo(vault, "api").Results);
            Assert.Equal(new[] { "critical", "team" }, info.Metadata!.Keys.OrderBy(k => k));
            Assert.Equal(true, info.Metadata["critical"]);

            // SecretManagement hands Set-Secret an empty table when the caller gave no -Metadata: the metadata stays.
            NoErrors(sm.SetSecret(vault, "api", Value + "-rotated"));
            info = (SecretInformation)Assert.Single(sm.GetSecretInfo(vault, "api").Results);
            Assert.Equal("core", info.Metadata!["team"]);
            Assert.Equal(Value + "-rotated", sm.GetSecret(vault, "api").Secret);

            // An empty table through Set-SecretInfo removes it.
            NoErrors(sm.SetSecretInfo(vault, "api", new Hashtable()));
            info = (SecretInformation)Assert.Single(sm.GetSecretInfo(vault, "api").Results);
            Assert.Empty(info.Metadata!);
            Assert.Equal(0, Assert.Single(sm.SetSecretInfo(vault, "api", new Hashtable()).Results));
        }

        [Fact]
        public void WithoutTheMetadataParameterSecretManagementFallsBackToSetSecretInfo()
        {
            var (session, sm, vault) = Start();
            using var _ = session;
            using var __ = sm;
            sm.SetSecretSupportsMetadata = false;
            NoErrors(sm.SetSecret(vault, "api", Value));
            NoErrors(sm.SetSecretInfo(vault, "api", new Hashtable { ["owner"] = "ops" }));
            Assert.Equal("ops", ((SecretInformation)Assert.Single(sm.GetSecretInfo(vault, "api").Results)).Metadata!["owner"]);
        }

        [Fact]
        public void MissingSecretWritesNothingAtAll()
        {
            var (session, sm, vault) = Start();
            using var _ = session;
            using var __ = sm;

            // Before the store exists, after it exists, and for a name no secret can have.
            foreach (var name in new[] { "missing", "missing", "not a valid name.txt" })
            {
                var call = sm.GetSecret(vault, name);
                NoErrors(call);
                Assert.Empty(call.Results);
                Assert.Null(call.Secret);
                Assert.Empty(call.Warnings);
                NoErrors(sm.SetSecret(vault, "present", Value));
            }

            var info = sm.GetSecretInfo(vault, "missing*");
            NoErrors(info);
            Assert.Empty(info.Results);

            // SecretManagement's Get-Secret without -Vault asks the default vault with the name as the filter.
            var notAPattern = sm.GetSecretInfo(vault, "present[");
            NoErrors(notAPattern);
            Assert.Empty(notAPattern.Results);
        }

        [Fact]
        public void RemoveSecretRemovesAndAMissingOneIsAnErrorNamingTheStore()
        {
            var (session, sm, vault) = Start();
            using var _ = session;
            using var __ = sm;
            NoErrors(sm.SetSecret(vault, "api", Value));
            NoErrors(sm.RemoveSecret(vault, "api"));
            Assert.Null(sm.GetSecret(vault, "api").Secret);

            var again = sm.RemoveSecret(vault, "api");
            Assert.Null(again.TerminatingError);
            var error = Assert.Single(again.Errors);
            Assert.Equal("SecretNotFound,Remove-Secret", error.FullyQualifiedErrorId);
            Assert.StartsWith("Vault 'work': No secret named 'api' in the store at '", error.ErrorDetails.Message);
        }

        [Fact]
        public void RemovingASecretWhoseNewestFileIsDamagedWorksThroughTheVaultAsThroughRemoveSecret()
        {
            var (session, sm, vault) = Start();
            using var _ = session;
            using var __ = sm;
            NoErrors(sm.SetSecret(vault, "api", Value));
            NoErrors(sm.SetSecret(vault, "api", Value + "-2"));
            NoErrors(sm.SetSecret(vault, "web", Value));
            NoErrors(sm.SetSecret(vault, "web", Value + "-2"));
            StoreTamperingTests.FlipPayloadCharacter(StoreTamperingTests.VersionFile(session, "api", 2));
            StoreTamperingTests.FlipPayloadCharacter(StoreTamperingTests.VersionFile(session, "web", 2));

            NoErrors(sm.RemoveSecret(vault, "api"));
            Assert.Empty(session.Run("Secrets\\Remove-Secret -Name web -Confirm:$false").Errors);
            Assert.Empty(session.Invoke("Get-SecretInfo"));
            Assert.Equal("SecretNotFound,Remove-Secret", Assert.Single(sm.RemoveSecret(vault, "api").Errors).FullyQualifiedErrorId);
        }

        [Fact]
        public void SetSecretRefusesAnInvalidNameOrTypeWithAnErrorAndNoValue()
        {
            var (session, sm, vault) = Start();
            using var _ = session;
            using var __ = sm;
            var badName = sm.SetSecret(vault, "my secret.txt", Value);
            Assert.Null(badName.TerminatingError);
            Assert.Equal(ErrorCategory.InvalidArgument, Assert.Single(badName.Errors).CategoryInfo.Category);
            Assert.Contains("my secret.txt", badName.Errors[0].ErrorDetails.Message);

            var badType = sm.SetSecret(vault, "number", 42);
            Assert.Equal("InvalidSecretValue,Set-Secret", Assert.Single(badType.Errors).FullyQualifiedErrorId);
            Assert.DoesNotContain(Value, badName.AllText + badType.AllText);
        }

        [Fact]
        public void TestSecretVaultWritesExactlyOneBool()
        {
            var (session, sm, vault) = Start();
            using var _ = session;
            using var __ = sm;
            var fresh = sm.TestSecretVault(vault, verbose: true);
            NoErrors(fresh);
            Assert.Equal(true, Assert.Single(fresh.Results));
            Assert.Contains(fresh.Verbose, v => v.Contains("does not exist yet; the first Set-Secret creates it"));

            NoErrors(sm.SetSecret(vault, "api", Value));
            var used = sm.TestSecretVault(vault);
            NoErrors(used);
            Assert.Equal(true, Assert.Single(used.Results));
        }

        [Fact]
        public void TestSecretVaultExplainsEachProblemOnTheErrorStream()
        {
            using var session = new PowerShellSession();
            using var sm = new SecretManagementStandIn();
            var store = Path.Combine(session.Home, "nowhere");
            var identity = Path.Combine(session.Home, "none.identity");
            var call = sm.TestSecretVault(new Vault("broken", new Hashtable { ["Store"] = store, ["Identity"] = identity }));
            Assert.Null(call.TerminatingError);
            Assert.Equal(false, Assert.Single(call.Results));
            Assert.Equal(new[] { "IdentityNotFound,Test-SecretVault", "StoreNotFound,Test-SecretVault" }, call.Errors.Select(e => e.FullyQualifiedErrorId));
            Assert.Contains($"Vault 'broken': There is no identity at '{identity}'.", call.Errors[0].ErrorDetails.Message);
            Assert.Contains($"New-SecretIdentity -Path '{identity}'", call.Errors[0].ErrorDetails.Message);
            Assert.Contains($"New-SecretStore -Path '{store}'", call.Errors[1].ErrorDetails.Message);

            var unknown = sm.TestSecretVault(new Vault("typo", new Hashtable { ["StorePath"] = store }));
            Assert.Equal(false, Assert.Single(unknown.Results));
            var error = Assert.Single(unknown.Errors);
            Assert.Equal("VaultParameterUnknown,Test-SecretVault", error.FullyQualifiedErrorId);
            Assert.Contains("Vault 'typo' has the parameter 'StorePath'", error.ErrorDetails.Message);
        }

        [Fact]
        public void TestSecretVaultSaysWhenTheIdentityIsNotAMemberOfTheStore()
        {
            using var session = new PowerShellSession();
            using var sm = new SecretManagementStandIn();
            var store = Path.Combine(session.Home, "team");
            var stranger = Path.Combine(session.Home, "stranger.identity");
            session.Invoke("New-SecretIdentity -DisplayName owner -NoPassword | Out-Null; New-SecretStore -Path $args[0] | Out-Null; New-SecretIdentity -DisplayName stranger -NoPassword -Path $args[1] | Out-Null", store, stranger);

            var call = sm.TestSecretVault(new Vault("team", new Hashtable { ["Store"] = store, ["Identity"] = stranger }));
            Assert.Equal(false, Assert.Single(call.Results));
            var error = Assert.Single(call.Errors);
            Assert.Equal("NotAMember,Test-SecretVault", error.FullyQualifiedErrorId);
            Assert.Contains("is not a member of the store", error.ErrorDetails.Message);
            Assert.Contains("Add-SecretStoreMember", error.ErrorDetails.Message);

            var owner = sm.TestSecretVault(new Vault("mine", new Hashtable { ["Store"] = store }));
            NoErrors(owner);
            Assert.Equal(true, Assert.Single(owner.Results));
        }

        [Fact]
        public void AMemberOfASharedStoreListsWhatTheyCanReadThroughTheVault()
        {
            using var session = new PowerShellSession();
            using var sm = new SecretManagementStandIn();
            var store = Path.Combine(session.Home, "team");
            var bobIdentity = Path.Combine(session.Home, "bob.identity");
            session.Invoke(@"
                New-SecretIdentity -DisplayName owner -NoPassword | Out-Null
                $bob = (New-SecretIdentity -DisplayName bob -NoPassword -Path $args[1]).Recipient
                New-SecretStore -Path $args[0] | Out-Null
                Add-SecretStoreMember -Store $args[0] -Name bob -Recipient $bob | Out-Null
                Set-Secret -Store $args[0] -Name shared/db -Secret 'for-bob'
                Set-Secret -Store $args[0] -Name private/key -Secret 'not-for-bob'
                Grant-SecretAccess -Store $args[0] -Name shared/db -Member bob -Access Read", store, bobIdentity);

            var vault = new Vault("team", new Hashtable { ["Store"] = store, ["Identity"] = bobIdentity });
            var call = sm.GetSecretInfo(vault, "*");
            NoErrors(call);
            Assert.Equal(new[] { "shared/db" }, call.Results.Cast<SecretInformation>().Select(i => i.Name));
            Assert.Equal("for-bob", sm.GetSecret(vault, "shared/db").Secret);

            var denied = sm.SetSecret(vault, "shared/db", "from-bob");
            var error = Assert.Single(denied.Errors);
            Assert.Equal("AccessDenied,Set-Secret", error.FullyQualifiedErrorId);
            Assert.True(string.IsNullOrEmpty(error.ErrorDetails.RecommendedAction));
        }

        [Fact]
        public void UnknownVaultParameterFailsEveryCommandInsteadOfUsingTheDefaultStore()
        {
            var (session, sm, _) = Start();
            using var __ = session;
            using var ___ = sm;
            var typo = new Vault("typo", new Hashtable { ["Stor"] = Path.Combine(session.Home, "team") });
            var call = sm.SetSecret(typo, "api", Value);
            Assert.Equal("VaultParameterUnknown,Set-Secret", Assert.Single(call.Errors).FullyQualifiedErrorId);
            Assert.Empty(session.Invoke("Get-SecretInfo"));
        }

        [Fact]
        public void LockedIdentityIsAnErrorThatNamesTheUnlockCommandsAndNothingIsPrompted()
        {
            using var session = new PowerShellSession();
            using var sm = new SecretManagementStandIn();
            var identity = Path.Combine(session.Home, "work.identity");
            var store = Path.Combine(session.Home, "work-store");
            session.Invoke("New-SecretIdentity -DisplayName worker -Path $args[0] -Password $args[1]", identity, Secure(Passphrase));
            session.Invoke("$env:SECRETS_IDENTITY = $args[0]; New-SecretStore -Path $args[1]; Set-Secret -Name api -Secret $args[2] -Store $args[1]; $env:SECRETS_IDENTITY = $null",
                identity, store, Value);
            session.Invoke("Lock-SecretIdentity -All");
            var vault = new Vault("work", new Hashtable { ["Store"] = store, ["Identity"] = identity });

            var call = sm.GetSecret(vault, "api");
            Assert.Null(call.TerminatingError);
            Assert.Null(call.Secret);
            var error = Assert.Single(call.Errors);
            Assert.Equal("IdentityLocked,Get-Secret", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.Equal($"Vault 'work': The identity '{identity}' is locked. Run: Unlock-SecretVault -Name 'work' -Password $password  (or Unlock-SecretIdentity -Path '{identity}' -Password $password), then try again.",
                error.ErrorDetails.Message);

            // Listing needs no key; Test-SecretVault passes with a warning naming the same commands.
            NoErrors(sm.GetSecretInfo(vault, "*"));
            var test = sm.TestSecretVault(vault);
            NoErrors(test);
            Assert.Equal(true, Assert.Single(test.Results));
            Assert.Contains("Unlock-SecretVault -Name 'work'", Assert.Single(test.Warnings));
            Assert.DoesNotContain(Value, call.AllText + test.AllText);
        }

        [Fact]
        public void AnIdentityUnlockedInTheUsersSessionIsUnlockedForTheVault()
        {
            using var session = new PowerShellSession();
            using var sm = new SecretManagementStandIn();
            session.Invoke("New-SecretIdentity -DisplayName tester -Password $args[0]; Set-Secret -Name api -Secret $args[1]; Lock-SecretIdentity",
                Secure(Passphrase), Value);
            var vault = new Vault("personal");
            Assert.Equal("IdentityLocked,Get-Secret", Assert.Single(sm.GetSecret(vault, "api").Errors).FullyQualifiedErrorId);

            session.Invoke("Unlock-SecretIdentity -Password $args[0]", Secure(Passphrase));
            var call = sm.GetSecret(vault, "api");
            NoErrors(call);
            Assert.Equal(Value, call.Secret);
        }

        [Fact]
        public void UnlockSecretVaultUnlocksOurIdentityForTheWholeProcess()
        {
            using var session = new PowerShellSession();
            using var sm = new SecretManagementStandIn();
            session.Invoke("New-SecretIdentity -DisplayName tester -Password $args[0]; Set-Secret -Name api -Secret $args[1]; Lock-SecretIdentity",
                Secure(Passphrase), Value);
            var vault = new Vault("personal", new Hashtable { ["UnlockTimeout"] = 600 });

            var wrong = sm.UnlockSecretVault(vault, Secure("not the passphrase"));
            Assert.Null(wrong.TerminatingError);
            Assert.Equal(0, Assert.Single(wrong.Results));
            var error = Assert.Single(wrong.Errors);
            Assert.Equal("WrongPassphrase,Unlock-SecretVault", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.DoesNotContain("not the passphrase", wrong.AllText);

            var unlock = sm.UnlockSecretVault(vault, Secure(Passphrase));
            NoErrors(unlock);
            Assert.Equal(0, Assert.Single(unlock.Results));
            Assert.Equal(Value, sm.GetSecret(vault, "api").Secret);

            // The user's session sees it unlocked too, for the vault's UnlockTimeout.
            var identity = session.Invoke("Get-SecretIdentity")[0];
            Assert.Equal(false, identity.Properties["IsLocked"].Value);
            var until = (DateTime)identity.Properties["UnlockedUntil"].Value;
            Assert.InRange(until, DateTime.Now.AddSeconds(590), DateTime.Now.AddSeconds(610));
            Assert.Equal(Value, session.Invoke("Get-Secret -Name api -AsPlainText")[0].BaseObject);
        }

        [Fact]
        public void SeveralVaultsOnDifferentStoresAndIdentitiesWorkSideBySide()
        {
            using var session = new PowerShellSession();
            using var sm = new SecretManagementStandIn();
            var vaults = new[] { "alpha", "beta" }.Select(name =>
            {
                var identity = Path.Combine(session.Home, name + ".identity");
                var store = Path.Combine(session.Home, name + "-store");
                session.Invoke("New-SecretIdentity -DisplayName $args[0] -Path $args[1] -NoPassword; $env:SECRETS_IDENTITY = $args[1]; New-SecretStore -Path $args[2]; $env:SECRETS_IDENTITY = $null",
                    name, identity, store);
                return new Vault(name, new Hashtable { ["Store"] = store, ["Identity"] = identity });
            }).ToArray();

            NoErrors(sm.SetSecret(vaults[0], "shared-name", "from alpha"));
            NoErrors(sm.SetSecret(vaults[1], "shared-name", "from beta"));
            NoErrors(sm.SetSecret(vaults[1], "only-beta", Value));

            Assert.Equal("from alpha", sm.GetSecret(vaults[0], "shared-name").Secret);
            Assert.Equal("from beta", sm.GetSecret(vaults[1], "shared-name").Secret);
            Assert.Null(sm.GetSecret(vaults[0], "only-beta").Secret);
            Assert.Equal(new[] { "alpha" }, sm.GetSecretInfo(vaults[0], "*").Results.Cast<SecretInformation>().Select(i => i.VaultName));
            Assert.Equal(new[] { "beta", "beta" }, sm.GetSecretInfo(vaults[1], "*").Results.Cast<SecretInformation>().Select(i => i.VaultName));

            // Nothing went to the default store or needed the default identity.
            Assert.Empty(session.Invoke("Get-SecretInfo"));
        }

        [Fact]
        public void ATamperedFileIsReportedWithItsCauseAndTheOtherSecretsStillList()
        {
            var (session, sm, vault) = Start();
            using var _ = session;
            using var __ = sm;
            NoErrors(sm.SetSecret(vault, "good", Value));
            NoErrors(sm.SetSecret(vault, "bad", Value));
            var file = Directory.GetFiles(Path.Combine(session.Home, "store", "secrets", "bad"), "v1.secret").Single();
            var lines = File.ReadAllLines(file);
            var payload = Array.FindIndex(lines, l => l.StartsWith("payload ", StringComparison.Ordinal));
            var fields = lines[payload].Split(' ');
            fields[2] = (fields[2][0] == 'A' ? "B" : "A") + fields[2].Substring(1);
            lines[payload] = string.Join(" ", fields);
            File.WriteAllText(file, string.Join("\n", lines) + "\n");

            var read = sm.GetSecret(vault, "bad");
            Assert.Null(read.TerminatingError);
            Assert.Null(read.Secret);
            var error = Assert.Single(read.Errors);
            Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
            Assert.Contains(file, error.ErrorDetails.Message);
            Assert.StartsWith("Vault 'work': ", error.ErrorDetails.Message);

            Assert.Equal(Value, sm.GetSecret(vault, "good").Secret);
            Assert.DoesNotContain(Value, read.AllText);
        }

        [Fact]
        public void VerboseOutputOnlyWhenTheCallerAskedAndNeverAValue()
        {
            var (session, sm, vault) = Start();
            using var _ = session;
            using var __ = sm;
            var quiet = sm.SetSecret(vault, "api", Value);
            NoErrors(quiet);
            Assert.Empty(quiet.Verbose);

            var loud = sm.SetSecret(vault, "api", Value, verbose: true);
            NoErrors(loud);
            Assert.Contains(loud.Verbose, v => v.StartsWith("Vault 'work': wrote secret 'api' version 2 (String)", StringComparison.Ordinal));
            var read = sm.GetSecret(vault, "api", verbose: true);
            Assert.Contains(read.Verbose, v => v.StartsWith("Vault 'work': read secret 'api' version 2", StringComparison.Ordinal));
            Assert.DoesNotContain(Value, loud.AllText + read.AllText);
        }

        [Fact]
        public void UnregisterDeletesNothing()
        {
            var (session, sm, vault) = Start();
            using var _ = session;
            using var __ = sm;
            NoErrors(sm.SetSecret(vault, "api", Value));
            var call = sm.UnregisterSecretVault(vault, verbose: true);
            NoErrors(call);
            Assert.Contains(call.Verbose, v => v.Contains("nothing was deleted"));
            Assert.Equal(Value, session.Invoke("Get-Secret -Name api -AsPlainText")[0].BaseObject);
        }
    }
}
