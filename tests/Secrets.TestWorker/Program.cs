using System;
using System.Globalization;
using Secrets.Core.Identity;
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
    /// <item><c>race &lt;store&gt; &lt;stateRoot&gt; &lt;identityFile&gt; &lt;prefix&gt; &lt;count&gt;</c>:
    /// prints "file locking on" or "file locking off" (whether two exclusive opens of one file exclude
    /// each other in this process, see DOTNET_SYSTEM_IO_DISABLEFILELOCKING), then "ready", waits for a
    /// line, then count times writes <c>&lt;prefix&gt;-&lt;i&gt;</c> as a new version of <c>shared</c>
    /// and adds a member named <c>&lt;prefix&gt;-m&lt;i&gt;</c> (a store log entry); prints "done".</item>
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
                    case "race" when args.Length == 6:
                        return Race(args[1], args[2], args[3], args[4], int.Parse(args[5], CultureInfo.InvariantCulture));
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
