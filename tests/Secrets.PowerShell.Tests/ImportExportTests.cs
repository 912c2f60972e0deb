using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace Secrets.PowerShell.Tests
{
    /// <summary>Import-Secret and Export-Secret on the sample files: every format, round trips, files written owner-only.</summary>
    public class ImportExportTests
    {
        private static Hashtable Values(PowerShellSession session, string name) =>
            (Hashtable)Assert.Single(session.Invoke("Get-Secret -Name $args[0] -AsPlainText", name)).BaseObject;

        private static Hashtable Metadata(PowerShellSession session, string name) =>
            (Hashtable)Assert.Single(session.Invoke("(Get-SecretInfo -Name $args[0]).Metadata", name)).BaseObject;

        [Fact]
        public void ADotEnvFileIsImportedAndExportedBackToTheSameValues()
        {
            using var t = new InteropSession();
            t.Session.Invoke("Import-Secret -Path $args[0] -Name app", InteropSession.Fixture("env", "app.env"));
            var values = Values(t.Session, "app");
            Assert.Equal(12, values.Count);
            Assert.Equal("single $NOT_EXPANDED # not a comment", values["SINGLE"]);
            Assert.Equal("first line\nsecond line", values["MULTILINE_SINGLE"]);

            var text = (string)Assert.Single(t.Session.Invoke("Export-Secret -Name app -Format Env")).BaseObject;
            Assert.Contains("APP_ENV=production\n", text);
            t.Session.Invoke("$args[0] | Import-Secret -Format Env -Name app2", text);
            Assert.Equal(values.Cast<DictionaryEntry>().OrderBy(e => e.Key), Values(t.Session, "app2").Cast<DictionaryEntry>().OrderBy(e => e.Key));
        }

        [Fact]
        public void AnAwsCredentialsFileIsImportedBySectionAndSetSecretSaysHow()
        {
            using var t = new InteropSession();
            var credentials = Path.Combine(t.Home, ".aws", "credentials");

            // -Values takes JSON or YAML; given this file, it says which command reads it.
            var values = Expect.Error(t.Session.Throws("Set-Secret aws -Values ([IO.File]::ReadAllText($args[0]))", credentials), "InvalidValues", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("It is an INI file (such as ~/.aws/credentials): import a section of it with Import-Secret -Format Ini -Section <name> -Name <secret>", Expect.Message(values));
            var manifest = Expect.Error(t.Session.Throws("Set-Secret k8s -Values ([IO.File]::ReadAllText($args[0]))", InteropSession.Fixture("kubernetes", "tls.yaml")), "InvalidValues", "SetSecret", ErrorCategory.InvalidArgument);
            Assert.Contains("Import-Secret -Format Kubernetes", Expect.Message(manifest));

            t.Session.Invoke("Import-Secret -Path $args[0] -Section ci -Name aws/ci", credentials);
            var imported = Values(t.Session, "aws/ci");
            Assert.Equal("ASIAIOSFODNN7EXAMPLE", imported["aws_access_key_id"]);
            Assert.Equal("ci", Metadata(t.Session, "aws/ci")["ini.section"]);

            var error = t.Session.Throws("Import-Secret -Path $args[0] -Name aws", credentials);
            Expect.Error(error, "IniSectionNotFound", "ImportSecret", ErrorCategory.InvalidData);
            Assert.Contains("[default], [ci], [deploy]", Expect.Message(error));

            var ini = (string)Assert.Single(t.Session.Invoke("Export-Secret -Name aws/ci -Format Ini")).BaseObject;
            Assert.StartsWith("[ci]\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\n", ini);
        }

        [Fact]
        public void FlatJsonAndYamlComeInAndOutAndNestedValuesAreRefusedByKey()
        {
            using var t = new InteropSession();
            t.Session.Invoke("Import-Secret -Path $args[0] -Name db; Import-Secret -Path $args[1] -Name db2", InteropSession.Fixture("values", "flat.json"), InteropSession.Fixture("values", "flat.yaml"));
            Assert.Equal("p@ss\"w0rd\\with\nnewline", Values(t.Session, "db")["password"]);
            Assert.Equal("p@ss: w0rd", Values(t.Session, "db2")["password"]);

            var json = (string)Assert.Single(t.Session.Invoke("Export-Secret db -Format Json")).BaseObject;
            var yaml = (string)Assert.Single(t.Session.Invoke("Export-Secret db -Format Yaml")).BaseObject;
            t.Session.Invoke("Import-Secret -Content $args[0] -Format Json -Name db3; Import-Secret -Content $args[1] -Format Yaml -Name db4", json, yaml);
            Assert.Equal("p@ss\"w0rd\\with\nnewline", Values(t.Session, "db3")["password"]);
            Assert.Equal("p@ss\"w0rd\\with\nnewline", Values(t.Session, "db4")["password"]);

            var nested = InteropSession.Fixture("values", "nested.yaml");
            var error = Expect.Error(t.Session.Throws("Import-Secret -Path $args[0] -Name n", nested), "NestedValue", "ImportSecret", ErrorCategory.InvalidData);
            Assert.StartsWith($"The file '{nested}', line 2: the value of 'database' is a mapping", Expect.Message(error));
            Assert.Contains("'database.host'", Expect.Message(error));
        }

        [Fact]
        public void KubernetesSecretsRoundTripByteForByte()
        {
            using var t = new InteropSession();
            foreach (var file in new[] { "opaque.yaml", "tls.yaml", "dockerconfigjson.json", "basic-auth.yaml", "ssh-auth.yaml", "list.json", "multi.yaml", "binary.yaml" })
            {
                t.Session.Invoke("Import-Secret -Path $args[0] -NamePrefix k8s -WarningAction SilentlyContinue", InteropSession.Fixture("kubernetes", file));
            }

            var names = t.Session.Invoke("(Get-SecretInfo -Name 'k8s/*').Name").Select(o => (string)o.BaseObject).OrderBy(n => n).ToList();
            Assert.Equal(new[]
            {
                "k8s/api-keys", "k8s/app-env", "k8s/app-tls", "k8s/db-credentials", "k8s/ghcr-pull", "k8s/git-deploy-key", "k8s/grafana-admin",
                "k8s/session-signing", "k8s/truststore", "k8s/web-example-com-tls",
            }, names);

            var tls = Metadata(t.Session, "k8s/web-example-com-tls");
            Assert.Equal("kubernetes.io/tls", tls["kubernetes.type"]);
            Assert.Equal("web.example.com-tls", tls["kubernetes.name"]);
            Assert.Equal("web", tls["kubernetes.namespace"]);
            Assert.Equal(true, t.Session.Invoke("(Get-Secret k8s/truststore)['ca.der'] -is [byte[]]")[0].BaseObject);

            // Out, and in again under another prefix: every key holds the same bytes.
            var manifest = (string)Assert.Single(t.Session.Invoke("Get-SecretInfo -Name 'k8s/*' | Export-Secret -Format Kubernetes")).BaseObject;
            Assert.Equal(10, manifest.Split("\nkind: Secret\n").Length - 1);
            t.Session.Invoke("$args[0] | Import-Secret -NamePrefix again", manifest);
            var same = t.Session.Invoke(@"
                foreach ($name in (Get-SecretInfo -Name 'k8s/*').Name) {
                    $a = Get-Secret $name -AsPlainText; $b = Get-Secret ('again/' + $name.Substring(4)) -AsPlainText
                    foreach ($key in $a.Keys) {
                        $x = if ($a[$key] -is [byte[]]) { [Convert]::ToBase64String($a[$key]) } else { 't:' + $a[$key] }
                        $y = if ($b[$key] -is [byte[]]) { [Convert]::ToBase64String($b[$key]) } else { 't:' + $b[$key] }
                        if ($x -ne $y -or $a.Count -ne $b.Count) { ""$name.$key differs"" }
                    }
                    $m = (Get-SecretInfo $name).Metadata; $n = (Get-SecretInfo ('again/' + $name.Substring(4))).Metadata
                    foreach ($key in 'kubernetes.type', 'kubernetes.name', 'kubernetes.namespace', 'kubernetes.labels', 'kubernetes.immutable') {
                        if ($m[$key] -ne $n[$key]) { ""$name metadata $key differs"" }
                    }
                }");
            Assert.Empty(same);
        }

        [Fact]
        public void TlsAndRegistrySecretsAreMadeAsKubectlMakesThem()
        {
            using var t = new InteropSession();
            t.Session.Invoke("Import-Secret -Name web/tls -CertificatePath $args[0] -KeyPath $args[1]", InteropSession.Fixture("tls", "tls.crt"), InteropSession.Fixture("tls", "tls.key"));
            Assert.Equal(File.ReadAllText(InteropSession.Fixture("tls", "tls.key")), Values(t.Session, "web/tls")["tls.key"]);
            var manifest = (string)Assert.Single(t.Session.Invoke("Export-Secret -Name web/tls -Format Kubernetes -Namespace web")).BaseObject;
            Assert.StartsWith("apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\n  namespace: web\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ", manifest);

            var mismatch = t.Session.Throws("Import-Secret -Name web/tls -CertificatePath $args[0] -KeyPath $args[1]", InteropSession.Fixture("tls", "tls.crt"), InteropSession.Fixture("tls", "other.key"));
            Expect.Error(mismatch, "TlsKeyMismatch", "ImportSecret", ErrorCategory.InvalidData);
            Assert.Contains(InteropSession.Fixture("tls", "other.key"), Expect.Message(mismatch));
            var swapped = t.Session.Throws("Import-Secret -Name web/tls -CertificatePath $args[1] -KeyPath $args[0]", InteropSession.Fixture("tls", "tls.crt"), InteropSession.Fixture("tls", "tls.key"));
            Expect.Error(swapped, "InvalidPem", "ImportSecret", ErrorCategory.InvalidData);
            Assert.Equal(1, (int)t.Session.Invoke("(Get-SecretInfo web/tls).Version")[0].BaseObject);

            t.Session.Invoke("Import-Secret -Name regcred -Server ghcr.io -Credential ([pscredential]::new('octocat', [System.Net.NetworkCredential]::new('', 'ghp_registry').SecurePassword))");
            Assert.Equal("kubernetes.io/dockerconfigjson", Metadata(t.Session, "regcred")["kubernetes.type"]);
            var config = (string)Values(t.Session, "regcred")[".dockerconfigjson"]!;
            Assert.Equal("{\"auths\":{\"ghcr.io\":{\"username\":\"octocat\",\"password\":\"ghp_registry\",\"auth\":\"b2N0b2NhdDpnaHBfcmVnaXN0cnk=\"}}}", config);
        }

        [Fact]
        public void AnExportFileIsOwnerOnlyAndReplacedOnlyWithForceKeepingACopy()
        {
            using var t = new InteropSession();
            t.Session.Invoke("Set-Secret -Name app -Secret @{ TOKEN = 'first-token' }");
            var file = Assert.Single(t.Session.Invoke("Export-Secret -Name app -Path ./.env"));
            var path = Path.Combine(t.Folder, ".env");
            Assert.Equal(path, file.Properties["Path"].Value);
            Assert.Equal("0600", file.Properties["Mode"].Value);
            Assert.Equal("TOKEN=first-token\n", File.ReadAllText(path));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal("0600", InteropSession.Mode(path));
            }

            // The same content again: nothing to do.
            Assert.Equal(false, Assert.Single(t.Session.Invoke("Export-Secret -Name app -Path ./.env")).Properties["Changed"].Value);

            t.Session.Invoke("Set-Secret -Name app -Secret @{ TOKEN = 'second-token' }");
            var refused = Expect.Error(t.Session.Throws("Export-Secret -Name app -Path ./.env"), "FileExists", "ExportSecret", ErrorCategory.ResourceExists);
            Assert.Equal($"The file '{path}' exists and holds something else. Nothing was written. Add -Force to replace it; a copy of the current file is kept next to it first.", Expect.Message(refused));
            Assert.DoesNotContain("second-token", Expect.Message(refused));
            Assert.Equal("TOKEN=first-token\n", File.ReadAllText(path));

            var replaced = Assert.Single(t.Session.Invoke("Export-Secret -Name app -Path ./.env -Force"));
            var backup = (string)replaced.Properties["Backup"].Value;
            Assert.Equal("TOKEN=second-token\n", File.ReadAllText(path));
            Assert.Equal("TOKEN=first-token\n", File.ReadAllText(backup));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal("0600", InteropSession.Mode(backup));
            }
        }

        [Fact]
        public void ErrorsHaveStableIdsAndNameTheFileLineAndKey()
        {
            using var t = new InteropSession();
            var env = Path.Combine(t.Folder, "broken.env");
            File.WriteAllText(env, "A=1\nB=\"never closed\n");

            var error = Expect.Error(t.Session.Throws("Import-Secret -Path $args[0] -Name x", env), "InvalidEnvFile", "ImportSecret", ErrorCategory.InvalidData);
            Assert.StartsWith($"The file '{env}', line 2: the value of 'B' starts with a double quote that is never closed.", Expect.Message(error));
            Assert.Equal(env, error.TargetObject);

            Expect.Error(t.Session.Throws("Import-Secret -Path $args[0]", InteropSession.Fixture("env", "app.env")), "NameRequired", "ImportSecret", ErrorCategory.InvalidArgument);
            Expect.Error(t.Session.Throws("'just some words' | Import-Secret -Name x"), "FormatUnknown", "ImportSecret", ErrorCategory.InvalidData);
            Expect.Error(t.Session.Throws("Import-Secret -Path $args[0] -Name one", InteropSession.Fixture("kubernetes", "list.json")), "NameForOneSecret", "ImportSecret", ErrorCategory.InvalidArgument);
            Expect.Error(t.Session.Throws("Export-Secret -Name nothing -Format Env"), "SecretNotFound", "ExportSecret", ErrorCategory.ObjectNotFound);
            t.Session.Invoke("Set-Secret -Name web -Secret @{ 'tls.crt' = 'x'; bin = [byte[]](1, 2) }");
            var notExportable = Expect.Error(t.Session.Throws("Export-Secret -Name web -Format Env"), "ValueNotExportable", "ExportSecret", ErrorCategory.InvalidData);
            Assert.StartsWith("Secret 'web': the key ", Expect.Message(notExportable));
            Expect.Error(t.Session.Throws("Export-Secret -Name web"), "FormatRequired", "ExportSecret", ErrorCategory.InvalidArgument);
            Expect.Error(t.Session.Throws("Export-Secret -Name web, web -Format Json"), "ExportNeedsOneSecret", "ExportSecret", ErrorCategory.InvalidArgument);
        }

        [Fact]
        public void FailuresNeverShowTheValue()
        {
            const string canary = "Zq7xIMPORTv4lu3";
            using var t = new InteropSession();
            t.Session.Invoke("$global:VerbosePreference = 'Continue'; Set-Secret -Name bin -Secret @{ text = $args[0]; blob = [byte[]](1, 2, 3) }", canary);
            var azure = Path.Combine(t.Folder, "sp.env");
            File.WriteAllText(azure, $"AZURE_CLIENT_SECRET='{canary}'\nAZURE_CLIENT_ID=x\n");
            var scripts = new[]
            {
                ("Import-Secret -Content (\"A='\" + $args[0]) -Format Env -Name x", "InvalidEnvFile"),
                ("Import-Secret -Content ($args[0] + ' words') -Name x", "FormatUnknown"),
                ("Import-Secret -Content (\"A=1`n\" + $args[0] + \"/b=2\") -Format Env -Name x", "InvalidEnvFile"),
                ("Import-Secret -Content (\"apiVersion: v1`nkind: Secret`nmetadata: {name: x}`ndata: {k: '\" + $args[0] + \"!'}\") -Format Kubernetes", "InvalidKubernetesManifest"),
                ("Import-Secret -Content ('{\"a\": {\"b\": \"' + $args[0] + '\"}}') -Format Json -Name x", "NestedValue"),
                ("Import-Secret -Content (\"[s]`nk = 1`n  \" + $args[0]) -Format Ini -Name x", "InvalidIniFile"),
                ("Export-Secret -Name bin -Format Env", "ValueNotExportable"),
                ("Import-SecretProvider azure -Path $args[1]", "ProviderNotConfigured"),
            };
            foreach (var (script, errorId) in scripts)
            {
                var result = t.Session.Run("try { " + script + " -ErrorAction Stop } catch { $_ }", canary, azure);
                var record = (ErrorRecord)Assert.Single(result.Output).BaseObject;
                Assert.StartsWith(errorId + ",", record.FullyQualifiedErrorId);
                var shown = string.Join("\n", new[] { record.ToString(), Expect.Message(record), record.Exception.ToString(), record.TargetObject?.ToString() ?? string.Empty }
                    .Concat(result.Verbose).Concat(result.Warnings));
                Assert.DoesNotContain(canary, shown);
            }
        }

        [Fact]
        public void WhatIfWritesNothing()
        {
            var host = new ScriptedHost();
            using var t = new InteropSession(host);
            t.Session.Invoke("Set-Secret -Name app -Secret @{ TOKEN = 'whatif-token' }");
            var before = Directory.GetFiles(t.Session.StorePath, "*", SearchOption.AllDirectories).Length;

            t.Session.Invoke("Import-Secret -Path $args[0] -Name other -WhatIf", InteropSession.Fixture("env", "app.env"));
            t.Session.Invoke("Import-Secret -Path $args[0] -NamePrefix k8s -WhatIf -WarningAction SilentlyContinue", InteropSession.Fixture("kubernetes", "multi.yaml"));
            t.Session.Invoke("Export-Secret -Name app -Path ./out.env -WhatIf");

            Assert.Equal(before, Directory.GetFiles(t.Session.StorePath, "*", SearchOption.AllDirectories).Length);
            Assert.False(File.Exists(Path.Combine(t.Folder, "out.env")));
            var said = host.Transcript.ToString();
            Assert.Contains("What if: Performing the operation \"Import secret\" on target \"'other' (Hashtable, keys APP_ENV, DATABASE_URL", said);
            Assert.Contains("'k8s/app-tls' (Hashtable, keys tls.crt, tls.key) from Secret 'app-tls' (line ", said);
            Assert.Contains($"What if: Performing the operation \"Write 'app' as Env, in plain text\" on target \"{Path.Combine(t.Folder, "out.env")}\"", said);
            Assert.DoesNotContain("whatif-token", said);
        }
    }
}
