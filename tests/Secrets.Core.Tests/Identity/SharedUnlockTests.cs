using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using Secrets.Core.Identity;
using Secrets.Core.Platform;
using Secrets.Core.Tests.Support;
using Xunit;

namespace Secrets.Core.Tests.Identity
{
    /// <summary>
    /// The unlock shared by the processes of one user (Linux: the kernel's user keyring): another
    /// process uses it without a passphrase, a lock anywhere ends it everywhere, and no process of
    /// another user can find or read it.
    /// </summary>
    [Collection("Secrets home")]
    public class SharedUnlockTests
    {
        private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

        [KeyringFact]
        public void TwoProcessesShareOneUnlockAndALockInOneLocksTheOther()
        {
            using var home = new TempHome();
            var path = IdentityNames.PathOf("default");
            var file = IdentityFile.Create(path, "tester", IdentityFiles.Passphrase, TestStore.FastKdf);
            var environment = new Dictionary<string, string> { ["SECRETS_HOME"] = home.Path };
            try
            {
                Assert.Equal("locked", Status(environment, path));

                using (var unlocked = file.Unlock(IdentityFiles.Passphrase))
                {
                    var outcome = IdentitySession.Remember(unlocked, TimeSpan.FromMinutes(5), UnlockScope.User);
                    Assert.Equal(UnlockScope.User, outcome.Scope);
                    Assert.Null(outcome.NotSharedBecause);
                    Assert.InRange(outcome.Expires, DateTime.UtcNow.AddMinutes(4), DateTime.UtcNow.AddMinutes(5));
                }

                Assert.Equal($"unlocked User {file.Recipient.Fingerprint}", Status(environment, path));
                Assert.Equal(UnlockScope.User, IdentitySession.StatusOf(path)!.Value.Scope);

                // A lock in the other process ends the unlock here too: the next command asks again.
                using (var locker = Worker.Start(environment, "lock", path))
                {
                    Assert.Equal("locked", locker.ReadLine(Wait));
                    locker.AssertExitsCleanly(Wait);
                }

                Assert.Null(IdentitySession.TryGet(path));
                Assert.Equal("locked", Status(environment, path));
            }
            finally
            {
                IdentitySession.Forget(path);
            }
        }

        [KeyringFact]
        public void AProcessOnlyUnlockIsNotShared()
        {
            using var home = new TempHome();
            var path = IdentityNames.PathOf("default");
            var file = IdentityFile.Create(path, "tester", IdentityFiles.Passphrase, TestStore.FastKdf);
            var environment = new Dictionary<string, string> { ["SECRETS_HOME"] = home.Path };
            try
            {
                using (var unlocked = file.Unlock(IdentityFiles.Passphrase))
                {
                    var outcome = IdentitySession.Remember(unlocked, TimeSpan.FromMinutes(5), UnlockScope.Process);
                    Assert.Equal(UnlockScope.Process, outcome.Scope);
                    Assert.Null(outcome.NotSharedBecause);
                }

                using (var here = IdentitySession.TryGet(path))
                {
                    Assert.NotNull(here);
                }

                Assert.Equal("locked", Status(environment, path));
                Assert.Null(LinuxKeyring.Find(SharedUnlock.DescriptionOf(path)));
            }
            finally
            {
                IdentitySession.Forget(path);
            }
        }

        [Fact]
        public void WhereTheKeyringRefusesTheUnlockStaysInThisProcessAndSaysWhy()
        {
            using var home = new TempHome();
            var path = IdentityNames.PathOf("default");
            var file = IdentityFile.Create(path, "tester", IdentityFiles.Passphrase, TestStore.FastKdf);
            LinuxKeyring.Refused = true;
            try
            {
                UnlockOutcome outcome;
                using (var unlocked = file.Unlock(IdentityFiles.Passphrase))
                {
                    outcome = IdentitySession.Remember(unlocked, TimeSpan.FromMinutes(5), UnlockScope.User);
                }

                Assert.Equal(UnlockScope.Process, outcome.Scope);
                Assert.NotNull(outcome.NotSharedBecause);
                Assert.Contains(OperatingSystem.IsLinux() ? "EPERM" : "only Linux", outcome.NotSharedBecause);
                using (var here = IdentitySession.TryGet(path))
                {
                    Assert.NotNull(here);
                    Assert.Equal(file.Recipient, here!.Recipient);
                }

                Assert.Equal(UnlockScope.Process, IdentitySession.StatusOf(path)!.Value.Scope);
                LinuxKeyring.Refused = false;
                Assert.Null(LinuxKeyring.Find(SharedUnlock.DescriptionOf(path)));
                Assert.True(IdentitySession.Forget(path));
                Assert.Null(IdentitySession.TryGet(path));
            }
            finally
            {
                LinuxKeyring.Refused = false;
                IdentitySession.Forget(path);
            }
        }

        [KeyringFact]
        public void TheSharedKeysAreNotGivenForAnotherFileAtTheSamePathNorAfterTheirTime()
        {
            using var home = new TempHome();
            var path = IdentityNames.PathOf("default");
            var file = IdentityFile.Create(path, "tester", IdentityFiles.Passphrase, TestStore.FastKdf);
            try
            {
                using (var unlocked = file.Unlock(IdentityFiles.Passphrase))
                {
                    IdentitySession.Remember(unlocked, TimeSpan.FromMinutes(5), UnlockScope.User);
                }

                File.Delete(path);
                IdentityFile.Create(path, "tester", IdentityFiles.Passphrase, TestStore.FastKdf);
                Assert.Null(IdentitySession.TryGet(path));
                Assert.Null(LinuxKeyring.Find(SharedUnlock.DescriptionOf(path)));

                var again = IdentityFile.Load(path);
                using (var unlocked = again.Unlock(IdentityFiles.Passphrase))
                {
                    Assert.Equal(UnlockScope.User, IdentitySession.Remember(unlocked, TimeSpan.FromSeconds(1), UnlockScope.User).Scope);
                }

                Thread.Sleep(TimeSpan.FromSeconds(2.2));
                Assert.Null(IdentitySession.TryGet(path));
            }
            finally
            {
                IdentitySession.Forget(path);
            }
        }

        [KeyringFact]
        public void LockAllEndsTheSharedUnlocksOfThisHomeOnly()
        {
            using var home = new TempHome();
            var first = IdentityFile.Create(IdentityNames.PathOf("default"), "tester", IdentityFiles.Passphrase, TestStore.FastKdf);
            var second = IdentityFile.Create(IdentityNames.PathOf("work"), "tester", IdentityFiles.Passphrase, TestStore.FastKdf);
            using var elsewhere = new TempFolder();
            var outside = IdentityFile.Create(elsewhere.Combine("other.identity"), "tester", IdentityFiles.Passphrase, TestStore.FastKdf);
            try
            {
                foreach (var file in new[] { first, second })
                {
                    using var unlocked = file.Unlock(IdentityFiles.Passphrase);
                    IdentitySession.Remember(unlocked, TimeSpan.FromMinutes(5), UnlockScope.User);
                }

                // Unlocked with another Secrets home in effect: not this home's to lock.
                using (var otherHome = new TempHome())
                using (var unlocked = outside.Unlock(IdentityFiles.Passphrase))
                {
                    IdentitySession.Remember(unlocked, TimeSpan.FromMinutes(5), UnlockScope.User);
                    Environment.SetEnvironmentVariable("SECRETS_HOME", home.Path);
                    Assert.Equal(2, IdentitySession.ForgetAll());
                    Assert.Null(IdentitySession.TryGet(first.Path));
                    Assert.Null(IdentitySession.TryGet(second.Path));
                    Environment.SetEnvironmentVariable("SECRETS_HOME", otherHome.Path);
                    using var still = IdentitySession.TryGet(outside.Path);
                    Assert.NotNull(still);
                    IdentitySession.Forget(outside.Path);
                }
            }
            finally
            {
                IdentitySession.Forget(first.Path);
                IdentitySession.Forget(second.Path);
            }
        }

        /// <summary>
        /// A process of another local user (made with useradd, run with runuser) finds nothing in its
        /// keyring and is refused the key itself, even given its serial number.
        /// </summary>
        [OtherUserFact]
        public void AnotherUserCannotFindOrReadTheSharedUnlock()
        {
            OtherUser.Ensure();

            using var home = new TempHome();
            var path = IdentityNames.PathOf("default");
            var file = IdentityFile.Create(path, "tester", IdentityFiles.Passphrase, TestStore.FastKdf);
            try
            {
                using (var unlocked = file.Unlock(IdentityFiles.Passphrase))
                {
                    Assert.Equal(UnlockScope.User, IdentitySession.Remember(unlocked, TimeSpan.FromMinutes(5), UnlockScope.User).Scope);
                }

                var description = SharedUnlock.DescriptionOf(path);
                var serial = LinuxKeyring.Find(description);
                Assert.NotNull(serial);

                // The same probe as this user reads it: the probe works.
                var mine = OtherUser.RunWorker(null, "keyring-probe", description, serial!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Assert.Equal(new[] { "find found", "read 76" }, mine);

                var theirs = OtherUser.RunWorker(OtherUser.Name, "keyring-probe", description, serial.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Assert.Equal(new[] { "find none", "read refused" }, theirs);
            }
            finally
            {
                IdentitySession.Forget(path);
            }
        }

        private static string Status(IDictionary<string, string> environment, string path)
        {
            using var worker = Worker.Start(environment, "unlock-status", path);
            var line = worker.ReadLine(Wait);
            worker.AssertExitsCleanly(Wait);
            return line;
        }

        /// <summary>A second local user for the test above, and the worker run as them.</summary>
        internal static class OtherUser
        {
            public const string Name = "secrets-keyring-probe";

            /// <summary>Whether a second user can be made here (no side effect: asked while the tests are discovered).</summary>
            public static bool CanMake(out string why)
            {
                why = string.Empty;
                if (!File.Exists("/usr/sbin/useradd") || !File.Exists("/usr/sbin/runuser"))
                {
                    why = "useradd or runuser is missing";
                    return false;
                }

                var uid = Run("/usr/bin/id", new[] { "-u" });
                if (uid.ExitCode != 0 || uid.Output.Trim() != "0")
                {
                    why = "not running as root (id -u: " + uid.Output.Trim() + ")";
                    return false;
                }

                return true;
            }

            /// <summary>Makes the user (a system user without a home or a login shell) unless it exists.</summary>
            public static void Ensure()
            {
                if (Run("/usr/bin/id", new[] { "-u", Name }).ExitCode != 0)
                {
                    var added = Run("/usr/sbin/useradd", new[] { "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", Name });
                    Assert.True(added.ExitCode == 0, "useradd failed: " + added.Errors);
                }
            }

            /// <summary>
            /// Runs the test worker, as <paramref name="user"/> (null: this user); returns its output
            /// lines. It runs from a copy that every user can read: the build folder may sit in a
            /// home that only its owner can enter (a clean clone under /root).
            /// </summary>
            public static string[] RunWorker(string? user, params string[] args)
            {
                var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
                if (string.IsNullOrEmpty(dotnet))
                {
                    dotnet = "/usr/bin/dotnet";
                }

                if (!OperatingSystem.IsLinux())
                {
                    throw new PlatformNotSupportedException("The keyring probe runs on Linux only.");
                }

                var copy = Path.Combine(Path.GetTempPath(), "secrets-keyring-probe-" + Guid.NewGuid().ToString("N"));
                try
                {
                    CopyReadable(Path.GetDirectoryName(Worker.DllPath)!, copy);
                    var command = new List<string>();
                    if (user != null)
                    {
                        command.AddRange(new[] { "-u", user, "--", "/usr/bin/env", "HOME=/tmp", "DOTNET_CLI_HOME=/tmp", "DOTNET_NOLOGO=1", dotnet });
                    }

                    command.Add(Path.Combine(copy, Path.GetFileName(Worker.DllPath)));
                    command.AddRange(args);
                    var result = user == null ? Run(dotnet, command.ToArray()) : Run("/usr/sbin/runuser", command.ToArray());
                    Assert.True(result.ExitCode == 0, $"The worker{(user == null ? string.Empty : " as " + user)} failed ({result.ExitCode}; can that user run '{dotnet}'?): {result.Output} {result.Errors}");
                    return result.Output.Trim().Split('\n');
                }
                finally
                {
                    if (Directory.Exists(copy))
                    {
                        Directory.Delete(copy, recursive: true);
                    }
                }
            }

            [System.Runtime.Versioning.SupportedOSPlatform("linux")]
            private static void CopyReadable(string from, string to)
            {
                const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
                Directory.CreateDirectory(to);
                File.SetUnixFileMode(to, Folder);
                foreach (var file in Directory.GetFiles(from))
                {
                    var target = Path.Combine(to, Path.GetFileName(file));
                    File.Copy(file, target);
                    File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                }

                foreach (var folder in Directory.GetDirectories(from))
                {
                    CopyReadable(folder, Path.Combine(to, Path.GetFileName(folder)));
                }
            }

            private static (int ExitCode, string Output, string Errors) Run(string program, string[] args)
            {
                var info = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var arg in args)
                {
                    info.ArgumentList.Add(arg);
                }

                using var process = Process.Start(info)!;
                var output = process.StandardOutput.ReadToEndAsync();
                var error = process.StandardError.ReadToEndAsync();
                if (!process.WaitForExit(60_000))
                {
                    process.Kill(entireProcessTree: true);
                    return (-1, string.Empty, "timed out");
                }

                process.WaitForExit();
                return (process.ExitCode, output.Result, error.Result);
            }
        }
    }

    /// <summary>A fact that needs the Linux kernel keyring: skipped, and reported as skipped, elsewhere.</summary>
    public sealed class KeyringFactAttribute : FactAttribute
    {
        public KeyringFactAttribute()
        {
            if (!OperatingSystem.IsLinux())
            {
                Skip = "Linux only: the shared unlock uses the kernel keyring.";
            }
        }
    }

    /// <summary>
    /// A fact that makes a second local user: needs Linux, root, useradd and runuser. Skipped, with
    /// the reason, elsewhere (run the tests as root to check that another user is refused).
    /// </summary>
    public sealed class OtherUserFactAttribute : FactAttribute
    {
        public OtherUserFactAttribute()
        {
            if (!OperatingSystem.IsLinux())
            {
                Skip = "Linux only: the shared unlock uses the kernel keyring.";
            }
            else if (!SharedUnlockTests.OtherUser.CanMake(out var why))
            {
                Skip = "Needs a second local user (root, useradd and runuser): " + why + ".";
            }
        }
    }
}
