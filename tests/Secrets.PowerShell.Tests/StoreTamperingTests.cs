using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using Xunit;
using static Secrets.PowerShell.Tests.GetSecretTests;

namespace Secrets.PowerShell.Tests
{
    /// <summary>
    /// What a reader reports when someone with write access to the store folder (but no key allowed
    /// to write) edits, forges or rolls back files: the threat model of docs/FORMAT.md.
    /// </summary>
    public class StoreTamperingTests
    {
        [Fact]
        public void EditedFileIsInvalidDataNamingTheFile()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'prod/db' -Secret 'one'; Set-Secret -Name 'prod/db' -Secret 'two'; Set-Secret -Name 'other' -Secret 'fine'");
            var file = VersionFile(session, "prod.db", 2);
            FlipPayloadCharacter(file);

            var error = Expect.Error(session.Throws("Get-Secret -Name 'prod/db'"), "SecretFileInvalid", "GetSecret", ErrorCategory.InvalidData);
            Assert.Contains(file, Expect.Message(error));

            // No silent fallback to version 1, but it can be asked for.
            Assert.Equal("one", Single(session.Invoke("Get-Secret -Name 'prod/db' -Version 1 -AsPlainText")));

            // Listing reports the bad secret and still lists the others.
            var listing = session.Run("Get-SecretInfo");
            Assert.Equal(new[] { "other" }, listing.Output.Select(o => (string)o.Properties["Name"].Value));
            Expect.Error(Assert.Single(listing.Errors), "SecretFileInvalid", "GetSecretInfo", ErrorCategory.InvalidData);

            // Writing a new version is the repair: it never builds on the bad file, and says that it replaced it.
            var repaired = session.Run("Set-Secret -Name 'prod/db' -Secret 'three'");
            Assert.Empty(repaired.Errors);
            Assert.Contains(repaired.Warnings, w => w.Contains("replaces the newest version file, which was invalid") && w.Contains(file));
            Assert.Equal("three", Single(session.Invoke("Get-Secret -Name 'prod/db' -AsPlainText")));
        }

        [Fact]
        public void FileSignedByAnotherKeyIsUnauthorizedWriter()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'db' -Secret 'genuine'");

            // An attacker with their own key writes a well-formed version 2 for this store, signed by
            // that key and encrypted to the owner, so only the writer check can stop it.
            session.Invoke(PowerShellSession.CorePrelude + @"
                $store = (Get-CoreType 'Secrets.Core.Store.SecretStore')::Open($args[0])
                $mallory = (Get-CoreType 'Secrets.Core.Identity.UnlockedIdentity')::Generate('mallory')
                $recipients = [Array]::CreateInstance((Get-CoreType 'Secrets.Core.Identity.Recipient'), 2)
                $recipients[0] = $store.Manifest.Owner
                $recipients[1] = $mallory.Recipient
                $bytes = (Get-CoreType 'Secrets.Core.Format.SecretFileFormat')::WriteSecret(
                    [Convert]::FromHexString($store.Manifest.IdHex),
                    (Get-CoreType 'Secrets.Core.Names.SecretName')::Parse('db'), 2,
                    (Get-CoreType 'Secrets.Core.Values.SecretValue')::FromString('forged'),
                    (Get-CoreType 'Secrets.Core.Values.SecretMetadata')::Empty,
                    [DateTime]::UtcNow, $mallory, $recipients)
                [IO.File]::WriteAllBytes($args[1], $bytes)", session.StorePath, Path.Combine(session.StorePath, "secrets", "db", "v2.secret"));

            var error = Expect.Error(session.Throws("Get-Secret -Name 'db' -AsPlainText"), "UnauthorizedWriter", "GetSecret", ErrorCategory.SecurityError);
            Assert.Contains("v2.secret", Expect.Message(error));
            Assert.Contains("a key that is not in the store", Expect.Message(error));
            Assert.Equal("genuine", Single(session.Invoke("Get-Secret -Name 'db' -Version 1 -AsPlainText")));

            // The owner repairs it by writing a new version; the forged value is never carried over.
            var repaired = session.Run("Set-Secret -Name 'db' -Secret 'next'");
            Assert.Contains(repaired.Warnings, w => w.Contains("v2.secret"));
            Assert.Equal("next", Single(session.Invoke("Get-Secret -Name 'db' -AsPlainText")));
        }

        [Fact]
        public void OlderCopyPutBackIsRollbackDetected()
        {
            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'db' -Secret 'old'; Set-Secret -Name 'db' -Secret 'new'");
            Assert.Equal("new", Single(session.Invoke("Get-Secret -Name 'db' -AsPlainText")));

            // The store as it was before version 2: a restored backup or a reverted git commit.
            File.Delete(VersionFile(session, "db", 2));

            var error = Expect.Error(session.Throws("Get-Secret -Name 'db' -AsPlainText"), "RollbackDetected", "GetSecret", ErrorCategory.SecurityError);
            Assert.Contains("already seen version 2", Expect.Message(error));

            // Listing refuses too, so the piped form cannot read the old version as if it were the newest.
            var piped = session.Run("Get-SecretInfo -Name 'db' | Get-Secret -AsPlainText");
            Assert.Empty(piped.Output);
            Expect.Error(Assert.Single(piped.Errors), "RollbackDetected", "GetSecretInfo", ErrorCategory.SecurityError);
            Assert.Equal("old", Single(session.Invoke("Get-Secret -Name 'db' -Version 1 -AsPlainText")));
            Expect.Error(session.Throws("Set-Secret -Name 'db' -Secret 'newer'"), "RollbackDetected", "SetSecret", ErrorCategory.SecurityError);
        }

        [Fact]
        public void AFifoInTheStoreIsRefusedAtOnceAndSetSecretReplacesIt()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            using var session = PowerShellSession.WithIdentity();
            session.Invoke("Set-Secret -Name 'db' -Secret 'one'; Set-Secret -Name 'other' -Secret 'fine'");

            // A named pipe, which anyone who can add files to the store can make: opening it would wait for a writer.
            var fifo = VersionFile(session, "db", 2);
            Assert.True(mkfifo(fifo, 0x180) == 0, "mkfifo failed");

            var error = Expect.Error(Promptly(fifo, () => session.Throws("Get-Secret -Name 'db' -AsPlainText")), "SecretFileInvalid", "GetSecret", ErrorCategory.InvalidData);
            Assert.Contains(fifo, Expect.Message(error));
            Assert.Contains("not a regular file", Expect.Message(error));

            var listing = Promptly(fifo, () => session.Run("Get-SecretInfo"));
            Assert.Equal(new[] { "other" }, listing.Output.Select(o => (string)o.Properties["Name"].Value));
            Expect.Error(Assert.Single(listing.Errors), "SecretFileInvalid", "GetSecretInfo", ErrorCategory.InvalidData);

            // Set-Secret replaces it (and so does not hang holding the store lock), then the next one works too.
            var repaired = Promptly(fifo, () => session.Run("Set-Secret -Name 'db' -Secret 'two'; Set-Secret -Name 'db' -Secret 'three'"));
            Assert.Empty(repaired.Errors);
            Assert.Contains(repaired.Warnings, w => w.Contains(fifo));
            Assert.Equal("three", Single(session.Invoke("Get-Secret -Name 'db' -AsPlainText")));
        }

        /// <summary>The result of <paramref name="action"/>, which must come within a few seconds.</summary>
        private static T Promptly<T>(string fifo, Func<T> action)
        {
            var task = System.Threading.Tasks.Task.Run(action);
            if (!task.Wait(TimeSpan.FromSeconds(10)))
            {
                // Open the other end, so the command and the lock it may hold are released.
                int fd = open(fifo, 1 | (OperatingSystem.IsMacOS() ? 0x4 : 0x800)); // O_WRONLY | O_NONBLOCK
                if (fd >= 0)
                {
                    close(fd);
                }

                Assert.Fail($"The command did not return within 10 s: it waited on the FIFO '{fifo}'.");
            }

            return task.Result;
        }

        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
        private static extern int mkfifo(string path, uint mode);

        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
        private static extern int open(string path, int flags);

        [System.Runtime.InteropServices.DllImport("libc")]
        private static extern int close(int fd);

        internal static string VersionFile(PowerShellSession session, string folder, int version) =>
            Path.Combine(session.StorePath, "secrets", folder, $"v{version}.secret");

        /// <summary>Replaces one base64 character in the middle of the payload line with another valid one.</summary>
        internal static void FlipPayloadCharacter(string file)
        {
            var bytes = File.ReadAllBytes(file);
            var text = Encoding.ASCII.GetString(bytes);
            int payload = text.IndexOf("\npayload ", StringComparison.Ordinal);
            int end = text.IndexOf('\n', payload + 1);
            int index = (payload + end) / 2 + 10;
            bytes[index] = bytes[index] == (byte)'A' ? (byte)'B' : (byte)'A';
            File.WriteAllBytes(file, bytes);
        }
    }
}
