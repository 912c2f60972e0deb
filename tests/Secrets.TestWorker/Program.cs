using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using Secrets.Core.Identity;
using Secrets.Core.Jobs;
using Secrets.Core.Store;
using Secrets.Core.Values;

namespace Secrets.TestWorker
{
    /// <summary>
    /// A separate process for the core tests. Commands:
    /// <list type="bullet">
    /// <item><c>write &lt;store&gt; &lt;stateRoot&gt; &lt;identityFile&gt; &lt;namePrefix&gt; &lt;count&gt;</c>:
    /// prints "ready", waits for a line on stdin (a start barrier shared by several workers), then
    /// for i in 0..count-1 creates <c>&lt;namePrefix&gt;/s&lt;i&gt;</c> with value
    /// <c>&lt;namePrefix&gt;-&lt;i&gt;</c> and writes the same value as a new version of
    /// <c>shared</c>; prints "done".</item>
    /// <item><c>write-loop &lt;store&gt; &lt;stateRoot&gt; &lt;identityFile&gt; &lt;name,name,...&gt;</c>:
    /// writes the names round-robin until killed (or for at most a minute), each value
    /// <c>loop-&lt;name&gt;-&lt;version&gt;</c>, printing "wrote &lt;name&gt; &lt;version&gt;" after each write.</item>
    /// <item><c>share-grants &lt;store&gt; &lt;stateRoot&gt; &lt;identityFile&gt; &lt;secret&gt; &lt;member&gt; &lt;count&gt;</c>:
    /// prints "ready", waits for a line, then grants the member Read on the secret and revokes it,
    /// count times; prints "done".</item>
    /// <item><c>share-writes &lt;store&gt; &lt;stateRoot&gt; &lt;identityFile&gt; &lt;secret&gt; &lt;count&gt;</c>:
    /// prints "ready", waits for a line, then writes the secret count times (values w-1 … w-count); prints "done".</item>
    /// <item><c>job-hang &lt;store&gt; &lt;stateRoot&gt; &lt;identityFile&gt; &lt;journalDir&gt; &lt;secret&gt; &lt;file&gt; &lt;templateOutput&gt; &lt;template&gt;</c>:
    /// prepares a job that gets the secret as the file at the full path &lt;file&gt;, as the bare file
    /// name private.txt (in its private folder) and through the template rendered to
    /// &lt;templateOutput&gt;, prints "ready &lt;private folder&gt;", then hangs (at most two minutes) to be killed.</item>
    /// <item><c>job-loop &lt;store&gt; &lt;stateRoot&gt; &lt;identityFile&gt; &lt;journalDir&gt; &lt;folder&gt; &lt;value&gt;</c>:
    /// writes job files holding the value under &lt;folder&gt; (a new job every three files, each
    /// erased when its job ends) until killed or for at most a minute, printing "wrote &lt;n&gt;" after each.</item>
    /// <item><c>access-loop &lt;store&gt; &lt;stateRoot&gt; &lt;identityFile&gt; &lt;member&gt; &lt;name,name,...&gt;</c>:
    /// prints "ready", then grants the member Read on each secret and revokes it, round-robin, until
    /// killed (or for at most a minute), printing "granted &lt;name&gt;" and "revoked &lt;name&gt;" after each.</item>
    /// <item><c>race &lt;store&gt; &lt;stateRoot&gt; &lt;identityFile&gt; &lt;prefix&gt; &lt;count&gt;</c>:
    /// prints "file locking on" or "file locking off" (whether two exclusive opens of one file exclude
    /// each other in this process, see DOTNET_SYSTEM_IO_DISABLEFILELOCKING), then "ready", waits for a
    /// line, then count times writes <c>&lt;prefix&gt;-&lt;i&gt;</c> as a new version of <c>shared</c>
    /// and adds a member named <c>&lt;prefix&gt;-m&lt;i&gt;</c> (a store log entry); prints "done".</item>
    /// <item><c>unlock-status &lt;identityFile&gt;</c>: prints "unlocked &lt;scope&gt; &lt;fingerprint&gt;" when the
    /// identity is unlocked for this process (by another one, through the shared unlock), else "locked".</item>
    /// <item><c>lock &lt;identityFile&gt;</c>: locks the identity (everywhere); prints "locked".</item>
    /// <item><c>keyring-probe &lt;description&gt; &lt;serial&gt;</c>: looks for a key with that description in
    /// this user's keyring and reads the key with that serial number; prints "find found|none" and
    /// "read &lt;bytes&gt;|refused" (never the payload).</item>
    /// <item><c>generate-vectors &lt;dir&gt;</c>: writes the conformance vectors (see VectorGenerator).</item>
    /// </list>
    /// Exit codes: 0 success, 1 failure (message on stderr), 2 usage.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            try
            {
                switch (args.Length > 0 ? args[0] : string.Empty)
                {
                    case "write" when args.Length == 6:
                        return Write(args[1], args[2], args[3], args[4], int.Parse(args[5], CultureInfo.InvariantCulture));
                    case "write-loop" when args.Length == 5:
                        return WriteLoop(args[1], args[2], args[3], args[4].Split(','));
                    case "share-grants" when args.Length == 7:
                        return ShareGrants(args[1], args[2], args[3], args[4], args[5], int.Parse(args[6], CultureInfo.InvariantCulture));
                    case "share-writes" when args.Length == 6:
                        return ShareWrites(args[1], args[2], args[3], args[4], int.Parse(args[5], CultureInfo.InvariantCulture));
                    case "job-hang" when args.Length == 9:
                        return JobHang(args[1], args[2], args[3], args[4], args[5], args[6], args[7], args[8]);
                    case "job-loop" when args.Length == 7:
                        return JobLoop(args[4], args[5], args[6]);
                    case "access-loop" when args.Length == 6:
                        return AccessLoop(args[1], args[2], args[3], args[4], args[5].Split(','));
                    case "race" when args.Length == 6:
                        return Race(args[1], args[2], args[3], args[4], int.Parse(args[5], CultureInfo.InvariantCulture));
                    case "unlock-status" when args.Length == 2:
                        return UnlockStatus(args[1]);
                    case "lock" when args.Length == 2:
                        IdentitySession.Forget(args[1]);
                        Console.Out.WriteLine("locked");
                        return 0;
                    case "keyring-probe" when args.Length == 3:
                        return KeyringProbe(args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
                    case "generate-vectors" when args.Length == 2:
                        VectorGenerator.Generate(args[1]);
                        return 0;
                    default:
                        Console.Error.WriteLine("usage: Secrets.TestWorker write <store> <stateRoot> <identityFile> <namePrefix> <count>");
                        Console.Error.WriteLine("       Secrets.TestWorker write-loop <store> <stateRoot> <identityFile> <name,name,...>");
                        Console.Error.WriteLine("       Secrets.TestWorker generate-vectors <dir>");
                        return 2;
                }
            }
            catch (Exception e)
            {
                Console.Error.WriteLine(e.ToString());
                return 1;
            }
        }

        private static UnlockedIdentity Unlock(string identityFile) => IdentityFile.Load(identityFile).Unlock(null);

        private static int UnlockStatus(string identityFile)
        {
            var status = IdentitySession.StatusOf(identityFile);
            using var unlocked = IdentitySession.TryGet(identityFile);
            Console.Out.WriteLine(unlocked == null || status == null ? "locked" : $"unlocked {status.Value.Scope} {unlocked.Recipient.Fingerprint}");
            return 0;
        }

        private static int KeyringProbe(string description, int serial)
        {
            Console.Out.WriteLine(Secrets.Core.Platform.LinuxKeyring.Find(description) == null ? "find none" : "find found");
            var payload = Secrets.Core.Platform.LinuxKeyring.Read(serial, 4096);
            Console.Out.WriteLine(payload == null ? "read refused" : "read " + payload.Length.ToString(CultureInfo.InvariantCulture));
            if (payload != null)
            {
                Array.Clear(payload, 0, payload.Length);
            }

            return 0;
        }

        private static int Write(string storePath, string stateRoot, string identityFile, string prefix, int count)
        {
            using var identity = Unlock(identityFile);
            var store = SecretStore.Open(storePath, stateRoot);
            Console.Out.WriteLine("ready");
            Console.Out.Flush();
            Console.In.ReadLine();
            for (int i = 0; i < count; i++)
            {
                var text = $"{prefix}-{i}";
                using (var value = SecretValue.FromString(text))
                {
                    store.Write($"{prefix}/s{i}", value, null, identity, WriteMode.CreateOnly);
                    store.Write("shared", value, null, identity, WriteMode.CreateOrUpdate);
                }
            }

            Console.Out.WriteLine("done");
            return 0;
        }

        private static int ShareGrants(string storePath, string stateRoot, string identityFile, string secret, string member, int count)
        {
            using var identity = Unlock(identityFile);
            var store = SecretStore.Open(storePath, stateRoot);
            Console.Out.WriteLine("ready");
            Console.Out.Flush();
            Console.In.ReadLine();
            for (int i = 0; i < count; i++)
            {
                store.Grant(secret, member, AccessLevel.Read, identity);
                store.Revoke(secret, member, identity);
            }

            Console.Out.WriteLine("done");
            return 0;
        }

        private static int ShareWrites(string storePath, string stateRoot, string identityFile, string secret, int count)
        {
            using var identity = Unlock(identityFile);
            var store = SecretStore.Open(storePath, stateRoot);
            Console.Out.WriteLine("ready");
            Console.Out.Flush();
            Console.In.ReadLine();
            for (int i = 1; i <= count; i++)
            {
                using var value = SecretValue.FromString("w-" + i.ToString(CultureInfo.InvariantCulture));
                store.Write(secret, value, null, identity, WriteMode.CreateOrUpdate);
            }

            Console.Out.WriteLine("done");
            return 0;
        }

        private static int Race(string storePath, string stateRoot, string identityFile, string prefix, int count)
        {
            using var identity = Unlock(identityFile);
            var store = SecretStore.Open(storePath, stateRoot);
            Console.Out.WriteLine(FileLockingWorks(stateRoot) ? "file locking on" : "file locking off");
            Console.Out.WriteLine("ready");
            Console.Out.Flush();
            Console.In.ReadLine();
            for (int i = 0; i < count; i++)
            {
                using (var value = SecretValue.FromString($"{prefix}-{i}"))
                {
                    store.Write("shared", value, null, identity, WriteMode.CreateOrUpdate);
                }

                using var member = UnlockedIdentity.Generate($"{prefix}-m{i}");
                store.AddMember(member.Recipient, member.Name, MemberRole.Member, identity);
            }

            Console.Out.WriteLine("done");
            return 0;
        }

        /// <summary>Whether a second exclusive open of a file fails while the first is open (as the store lock relies on).</summary>
        private static bool FileLockingWorks(string folder)
        {
            System.IO.Directory.CreateDirectory(folder);
            var path = System.IO.Path.Combine(folder, $"probe-{Environment.ProcessId}.lock");
            try
            {
                using var first = new System.IO.FileStream(path, System.IO.FileMode.OpenOrCreate, System.IO.FileAccess.ReadWrite, System.IO.FileShare.None);
                try
                {
                    using var second = new System.IO.FileStream(path, System.IO.FileMode.Open, System.IO.FileAccess.ReadWrite, System.IO.FileShare.None);
                    return false;
                }
                catch (System.IO.IOException)
                {
                    return true;
                }
            }
            finally
            {
                System.IO.File.Delete(path);
            }
        }

        private static int WriteLoop(string storePath, string stateRoot, string identityFile, string[] names)
        {
            using var identity = Unlock(identityFile);
            var store = SecretStore.Open(storePath, stateRoot);
            var deadline = DateTime.UtcNow.AddMinutes(1);
            Console.Out.WriteLine("ready");
            Console.Out.Flush();
            while (DateTime.UtcNow < deadline)
            {
                foreach (var name in names)
                {
                    // This process is the only writer: the next version is the newest plus one.
                    int next = NewestVersion(store, name) + 1;
                    using var value = SecretValue.FromString($"loop-{name}-{next}");
                    var record = store.Write(name, value, null, identity, WriteMode.CreateOrUpdate);
                    if (record.Version != next)
                    {
                        throw new InvalidOperationException($"Wrote version {record.Version} of {name}; expected {next}.");
                    }

                    Console.Out.WriteLine($"wrote {name} {record.Version}");
                    Console.Out.Flush();
                }
            }

            return 0;
        }

        private static int JobHang(string storePath, string stateRoot, string identityFile, string journalDirectory, string secret, string file, string templateOutput, string template)
        {
            using var identity = Unlock(identityFile);
            var store = SecretStore.Open(storePath, stateRoot);
            var spec = new JobSpec { BaseDirectory = Path.GetDirectoryName(template)!, JournalDirectory = journalDirectory };
            spec.Files.Add(new KeyValuePair<string, string>(file, secret));
            spec.Files.Add(new KeyValuePair<string, string>("private.txt", secret));
            spec.Templates.Add(new KeyValuePair<string, string>(templateOutput, template));
            using var job = JobPreparer.Prepare(spec, store, identity);
            Console.Out.WriteLine("ready " + job.Environment[JobSpec.DefaultPrivateDirectoryVariable]);
            Console.Out.Flush();
            Thread.Sleep(TimeSpan.FromMinutes(2));
            return 0;
        }

        private static int JobLoop(string journalDirectory, string folder, string value)
        {
            var deadline = DateTime.UtcNow.AddMinutes(1);
            var content = Encoding.UTF8.GetBytes(value);
            for (int n = 0; DateTime.UtcNow < deadline;)
            {
                using var files = new JobFiles(journalDirectory);
                for (int i = 0; i < 3; i++, n++)
                {
                    files.Write(Path.Combine(folder, "job" + (n % 7).ToString(CultureInfo.InvariantCulture), "f" + n.ToString(CultureInfo.InvariantCulture)), content);
                    Console.Out.WriteLine("wrote " + n.ToString(CultureInfo.InvariantCulture));
                    Console.Out.Flush();
                }
            }

            return 0;
        }

        private static int AccessLoop(string storePath, string stateRoot, string identityFile, string member, string[] names)
        {
            using var identity = Unlock(identityFile);
            var store = SecretStore.Open(storePath, stateRoot);
            var deadline = DateTime.UtcNow.AddMinutes(1);
            Console.Out.WriteLine("ready");
            Console.Out.Flush();
            while (DateTime.UtcNow < deadline)
            {
                foreach (var name in names)
                {
                    store.Grant(name, member, AccessLevel.Read, identity);
                    Console.Out.WriteLine($"granted {name}");
                    Console.Out.Flush();
                    store.Revoke(name, member, identity);
                    Console.Out.WriteLine($"revoked {name}");
                    Console.Out.Flush();
                }
            }

            return 0;
        }

        private static int NewestVersion(SecretStore store, string name)
        {
            try
            {
                return store.GetInfo(name).Version;
            }
            catch (Secrets.Core.Errors.SecretNotFoundException)
            {
                return 0;
            }
        }
    }
}
