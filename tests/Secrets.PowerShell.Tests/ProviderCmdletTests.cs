using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace Secrets.PowerShell.Tests
{
    /// <summary>Get-, Import- and Export-SecretProvider on a sample home folder, and jobs that ask for a provider.</summary>
    public class ProviderCmdletTests
    {
        private static string CheckScript => InteropSession.Fixture("jobs", "aws-cli-check.sh");

        private static Hashtable Metadata(PowerShellSession session, string name) =>
            (Hashtable)Assert.Single(session.Invoke("(Get-SecretInfo -Name $args[0]).Metadata", name)).BaseObject;

        [Fact]
        public void GetSecretProviderSaysWhatTheMachineHasAndWhichSecretsHoldIt()
        {
            using var t = new InteropSession();
            var configured = t.Session.Invoke("Get-SecretProvider -Configured | ForEach-Object { $_.Provider + '|' + $_.Source }").Select(o => (string)o.BaseObject).ToList();
            Assert.Equal(new[]
            {
                "aws|~/.aws/credentials (default, ci)",
                "gcp|~/.config/gcloud/application_default_credentials.json",
                "huggingface|~/.cache/huggingface/token",
                "ssh|~/.ssh/id_ed25519",
                "docker|~/.docker/config.json (ghcr.io, registry.example.com:5000, https://index.docker.io/v1/)",
                "kubeconfig|~/.kube/config",
            }, configured);

            t.Session.Invoke("Import-SecretProvider aws -Profile ci; Import-SecretProvider aws -Name aws/main");
            var aws = Assert.Single(t.Session.Invoke("Get-SecretProvider aws"));
            Assert.Equal(new[] { "aws/ci", "aws/main" }, ((string[])aws.Properties["Secrets"].Value).OrderBy(n => n));
            Assert.Equal(new[] { "aws_access_key_id", "aws_secret_access_key" }, (string[])aws.Properties["Keys"].Value);
            Assert.Contains("AWS_SHARED_CREDENTIALS_FILE", (string[])aws.Properties["JobVariables"].Value);

            var all = t.Session.Run("Get-SecretProvider a*, nothing");
            Assert.Equal(new[] { "aws", "azure", "anthropic" }, all.Output.Select(o => (string)o.Properties["Provider"].Value));
            Expect.Error(Assert.Single(all.Errors), "ProviderNotFound", "GetSecretProvider", ErrorCategory.InvalidArgument);
        }

        [Fact]
        public void ImportSecretProviderRecordsTheProviderAndWhereItCameFrom()
        {
            using var t = new InteropSession();
            var info = Assert.Single(t.Session.Invoke("Import-SecretProvider aws -Profile ci -PassThru"));
            Assert.Equal("aws/ci", info.Properties["Name"].Value);
            var metadata = Metadata(t.Session, "aws/ci");
            Assert.Equal("aws", metadata["provider"]);
            Assert.Equal("ci", metadata["provider.profile"]);
            Assert.Equal("file", metadata["provider.source"]);
            var values = (Hashtable)t.Session.Invoke("Get-Secret aws/ci -AsPlainText")[0].BaseObject;
            Assert.Equal("us-east-2", values["region"]);

            // Importing again replaces what the import recorded and keeps the user's own metadata.
            t.Session.Invoke("Set-SecretInfo -Name aws/ci -Metadata @{ owner = 'ops'; provider = 'aws'; 'provider.profile' = 'ci'; 'provider.source' = 'file' }");
            t.Session.Invoke("$env:AWS_ACCESS_KEY_ID = 'AKIAFROMENV'; $env:AWS_SECRET_ACCESS_KEY = 'from/env'; Import-SecretProvider aws -Name aws/ci");
            metadata = Metadata(t.Session, "aws/ci");
            Assert.Equal("ops", metadata["owner"]);
            Assert.Equal("environment", metadata["provider.source"]);
            Assert.False(metadata.ContainsKey("provider.profile"));

            t.Session.Invoke("Import-SecretProvider kubeconfig -Name kube/prod; Import-SecretProvider docker; Import-SecretProvider ssh; Import-SecretProvider gcp");
            Assert.Equal("prod-deployer", Metadata(t.Session, "kube/prod")["provider.context"]);
            Assert.Equal(File.ReadAllText(Path.Combine(t.Home, ".kube", "config")), ((Hashtable)t.Session.Invoke("Get-Secret kube/prod -AsPlainText")[0].BaseObject)["config"]);
        }

        [Fact]
        public void ImportErrorsNameTheProfileFileAndVariable()
        {
            using var t = new InteropSession();
            var profile = Expect.Error(t.Session.Throws("Import-SecretProvider aws -Profile prod"), "ProviderProfileNotFound", "ImportSecretProvider", ErrorCategory.ObjectNotFound);
            Assert.Equal("There is no AWS profile 'prod' in ~/.aws/credentials or ~/.aws/config; its profiles are default, ci, deploy. Give one of them with -Profile.", Expect.Message(profile));
            Expect.Error(t.Session.Throws("Import-SecretProvider asw"), "ProviderNotFound", "ImportSecretProvider", ErrorCategory.InvalidArgument);
            var azure = Expect.Error(t.Session.Throws("Import-SecretProvider azure"), "ProviderNotConfigured", "ImportSecretProvider", ErrorCategory.ObjectNotFound);
            Assert.Contains("AZURE_CLIENT_ID is not set in the environment", Expect.Message(azure));
            Expect.Error(t.Session.Throws("Import-SecretProvider openai -Profile x"), "ProfileNotSupported", "ImportSecretProvider", ErrorCategory.InvalidArgument);
            var role = Expect.Error(t.Session.Throws("Import-SecretProvider aws -Profile deploy"), "ProviderSecretInvalid", "ImportSecretProvider", ErrorCategory.InvalidData);
            Assert.Contains("aws configure export-credentials --profile deploy", Expect.Message(role));
            Assert.Empty(t.Session.Invoke("Get-SecretInfo"));
        }

        [Fact]
        public void ExportSecretProviderWritesOwnerOnlyAndReplacesOnlyWithForce()
        {
            using var t = new InteropSession();
            t.Session.Invoke("Import-SecretProvider aws -Profile ci; Import-SecretProvider ssh");

            // A new machine: a home without the files.
            var fresh = Path.Combine(t.Folder, "fresh");
            Environment.SetEnvironmentVariable("HOME", fresh);
            var written = t.Session.Invoke("Export-SecretProvider aws/ci").Select(o => ((string)o.Properties["Path"].Value, (string)o.Properties["Mode"].Value)).ToList();
            Assert.Equal(new[] { (Path.Combine(fresh, ".aws", "credentials"), "0600"), (Path.Combine(fresh, ".aws", "config"), "0600") }, written);
            Assert.StartsWith("[ci]\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\n", File.ReadAllText(Path.Combine(fresh, ".aws", "credentials")));
            Assert.Equal("0600", InteropSession.Mode(Path.Combine(fresh, ".aws", "credentials")));
            Assert.Equal("0700", InteropSession.Mode(Path.Combine(fresh, ".aws")));
            t.Session.Invoke("Export-SecretProvider ssh");
            Assert.Equal("0600", InteropSession.Mode(Path.Combine(fresh, ".ssh", "id_ed25519")));
            Assert.Equal("0644", InteropSession.Mode(Path.Combine(fresh, ".ssh", "id_ed25519.pub")));
            Assert.Equal(File.ReadAllText(InteropSession.Fixture("home", ".ssh", "id_ed25519")), File.ReadAllText(Path.Combine(fresh, ".ssh", "id_ed25519")));

            // Back in the sample home, the profile goes into a file that holds others: only with -Force, keeping a copy.
            Environment.SetEnvironmentVariable("HOME", t.Home);
            var credentials = Path.Combine(t.Home, ".aws", "credentials");
            var original = File.ReadAllText(credentials);
            var refused = Expect.Error(t.Session.Throws("Export-SecretProvider aws/ci -Profile staging"), "FileExists", "ExportSecretProvider", ErrorCategory.ResourceExists);
            Assert.StartsWith($"The file '{credentials}' exists and holds something else. Nothing was written.", Expect.Message(refused));
            Assert.Equal(original, File.ReadAllText(credentials));

            var replaced = t.Session.Invoke("Export-SecretProvider aws/ci -Profile staging -Force");
            var backup = (string)replaced[0].Properties["Backup"].Value;
            Assert.Equal(original, File.ReadAllText(backup));
            Assert.Equal("0600", InteropSession.Mode(backup));
            Assert.StartsWith(original.TrimEnd('\n'), File.ReadAllText(credentials));
            Assert.Contains("\n[staging]\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\n", File.ReadAllText(credentials));

            // Again: nothing changes, nothing is copied.
            Assert.All(t.Session.Invoke("Export-SecretProvider aws/ci -Profile staging"), o => Assert.Equal(false, o.Properties["Changed"].Value));

            t.Session.Invoke("Set-Secret -Name plain -Secret @{ token = 'x' }");
            Expect.Error(t.Session.Throws("Export-SecretProvider plain"), "ProviderRequired", "ExportSecretProvider", ErrorCategory.InvalidArgument);
            Expect.Error(t.Session.Throws("Export-SecretProvider plain -Provider github"), "ProviderHasNoFile", "ExportSecretProvider", ErrorCategory.InvalidArgument);
        }

        [Fact]
        public void ExportSecretProviderWhatIfWritesNothing()
        {
            var host = new ScriptedHost();
            using var t = new InteropSession(host);
            t.Session.Invoke("Import-SecretProvider aws -Profile ci; Import-SecretProvider aws -Profile ci -Name aws/copy -WhatIf");
            Assert.Equal(new[] { "aws/ci" }, t.Session.Invoke("(Get-SecretInfo).Name").Select(o => (string)o.BaseObject));
            var fresh = Path.Combine(t.Folder, "fresh");
            Environment.SetEnvironmentVariable("HOME", fresh);
            Assert.Empty(t.Session.Invoke("Export-SecretProvider aws/ci -WhatIf"));
            Assert.False(Directory.Exists(fresh));
            Assert.Contains($"What if: Performing the operation \"Write the aws credentials of 'aws/ci'\" on target \"{Path.Combine(fresh, ".aws", "credentials")}\"", host.Transcript.ToString());
        }

        [Fact]
        public void AJobWithTheAwsProviderGetsWhatTheAwsCliReads()
        {
            using var t = new InteropSession();
            t.Session.Invoke("Import-SecretProvider aws -Profile ci; Import-SecretProvider aws -Profile default -Name aws/main");
            var reference = Path.Combine(t.Home, ".aws", "credentials");

            var output = t.Session.Invoke("Invoke-WithSecrets -Provider @{ aws = 'aws/ci' } -FilePath /bin/bash -ArgumentList $args[0], $args[1], 'ci', 'token'", CheckScript, reference)
                .Select(o => (string)o.BaseObject).ToList();
            Assert.Equal("profile=ci region=us-east-2", output[0]);
            var credentials = output[1].Substring("credentials=".Length);
            Assert.EndsWith(Path.Combine("aws", "credentials"), credentials);
            Assert.Equal("secret=***", output[2]);
            Assert.False(File.Exists(credentials));
            Assert.False(Directory.Exists(Path.GetDirectoryName(Path.GetDirectoryName(credentials))));

            // Keys without a session token: a token the session has is not passed on with them.
            t.Session.Invoke("$env:AWS_SESSION_TOKEN = 'token-of-other-keys'");
            output = t.Session.Invoke("Invoke-WithSecrets -Provider @{ aws = 'aws/main' } -FilePath /bin/bash -ArgumentList $args[0], $args[1], 'default', 'no-token'", CheckScript, reference)
                .Select(o => (string)o.BaseObject).ToList();
            Assert.Equal("profile=default region=eu-west-1", output[0]);
            Assert.Equal("token-of-other-keys", t.Session.Invoke("$env:AWS_SESSION_TOKEN")[0].BaseObject);

            // A script block sees the same, only while it runs.
            var inBlock = t.Session.Invoke("Invoke-WithSecrets -Provider @{ aws = 'aws/main' } -ScriptBlock { \"$env:AWS_PROFILE|$([string]::IsNullOrEmpty($env:AWS_SESSION_TOKEN))|$([IO.File]::Exists($env:AWS_SHARED_CREDENTIALS_FILE))\" }; \"after|$env:AWS_PROFILE|$env:AWS_SESSION_TOKEN\"");
            Assert.Equal(new[] { "default|True|True", "after||token-of-other-keys" }, inBlock.Select(o => (string)o.BaseObject));
        }

        [Fact]
        public void AJobWithAProviderIsCheckedBeforeItRuns()
        {
            using var t = new InteropSession();
            t.Session.Invoke("Set-Secret -Name plain -Secret 'not-a-provider'; Import-SecretProvider docker");
            var error = t.Session.Throws("Invoke-WithSecrets -Provider @{ aws = 'plain'; docker = 'docker'; nope = 'x' } -Environment @{ DOCKER_CONFIG = 'plain' } -ScriptBlock { 'ran' }");
            Assert.Equal("JobValidationFailed,Secrets.Commands.InvokeWithSecretsCommand", error.FullyQualifiedErrorId);
            var message = Expect.Message(error);
            Assert.Contains("provider aws: Secret 'plain': it is a String", message);
            Assert.Contains("provider docker: the variable DOCKER_CONFIG is also set by another mapping", message);
            Assert.Contains("there is no provider named 'nope'", message);
            Assert.DoesNotContain("not-a-provider", message);
        }

        [Fact]
        public void ProviderNamesCompleteWithTab()
        {
            using var t = new InteropSession();
            var matches = t.Session.Invoke("(TabExpansion2 -inputScript 'Import-SecretProvider a' -cursorColumn 23).CompletionMatches.CompletionText").Select(o => (string)o.BaseObject);
            Assert.Equal(new[] { "aws", "azure", "anthropic" }, matches);
        }
    }
}
