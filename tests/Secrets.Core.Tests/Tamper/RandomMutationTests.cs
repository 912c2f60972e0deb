using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Secrets.Core.Identity;
using Secrets.Core.Store;
using Secrets.Core.Tests.Sharing;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;
using Xunit.Abstractions;

namespace Secrets.Core.Tests.Tamper
{
    /// <summary>
    /// Seeded random mutations of every kind of file a store reader meets (the manifest, a secret
    /// version, a tombstone, store log entries of each action, identity files with and without a
    /// passphrase): several bytes changed at once, lines removed, repeated, swapped or moved,
    /// bytes inserted, the file cut. Every one is refused as damage or tampering, never accepted and
    /// never reported as something else.
    /// </summary>
    public class RandomMutationTests
    {
        private const int PerFile = 120;
        private readonly ITestOutputHelper _output;

        public RandomMutationTests(ITestOutputHelper output) => _output = output;

        public static IEnumerable<object[]> Kinds() =>
            new[] { "manifest", "secret", "tombstone", "add-member", "set-access", "set-role", "remove-member" }.Select(k => new object[] { k });

        [Theory]
        [MemberData(nameof(Kinds))]
        public void EveryMutationOfAStoreFileIsRefused(string kind)
        {
            int seed = Environment.TickCount ^ kind.GetHashCode();
            _output.WriteLine($"seed {seed}");
            var random = new Random(seed);
            using var team = new Team();
            team.Alice.Write("prod/db", "db-value");
            team.Alice.Write("gone", "removed-value");
            team.Alice.Store.Grant("prod/db", "bob", AccessLevel.Read, team.Alice.Identity);
            team.Alice.Store.SetMemberRole("carol", MemberRole.Admin, team.Alice.Identity);
            team.Alice.Store.Remove("gone", team.Alice.Identity);
            var dave = new Person("dave", team.Root, team.StorePath);
            team.Alice.Store.AddMember(dave.Identity.Recipient, "dave", MemberRole.Member, team.Alice.Identity);
            team.Alice.Store.RemoveMember("dave", team.Alice.Identity);

            var (path, check) = Target(team, kind);
            var original = File.ReadAllBytes(path);
            int tried = 0;
            foreach (var (what, data) in Mutate(original, random).Take(PerFile))
            {
                File.WriteAllBytes(path, data);
                Detected.Tampering(() => check(), $"{kind}, {what} (seed {seed})");
                tried++;
            }

            // The original, put back, is accepted again (a tombstone reads as a removal).
            File.WriteAllBytes(path, original);
            if (kind == "tombstone")
            {
                Assert.Throws<Errors.SecretNotFoundException>(() => OpenAsNewReader(team).GetInfo("gone"));
            }
            else
            {
                check();
            }

            Assert.Equal(PerFile, tried);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void EveryMutationOfAnIdentityFileIsRefused(bool passphrase)
        {
            int seed = Environment.TickCount;
            _output.WriteLine($"seed {seed}");
            var random = new Random(seed);
            using var folder = new TempFolder();
            var path = folder.Combine("id.identity");
            var secret = passphrase ? System.Text.Encoding.UTF8.GetBytes("a passphrase") : null;
            IdentityFile.Create(path, "someone", secret, passphrase ? TestStore.FastKdf : null).Unlock(secret).Dispose();
            var original = File.ReadAllBytes(path);
            foreach (var (what, data) in Mutate(original, random).Take(passphrase ? PerFile / 4 : PerFile))
            {
                File.WriteAllBytes(path, data);
                Detected.Tampering(() => IdentityFile.Load(path).Unlock(secret).Dispose(), $"identity, {what} (seed {seed})");
            }
        }

        /// <summary>The file of that kind, and what a reader does that must refuse it when it is damaged.</summary>
        private static (string Path, Action Check) Target(Team team, string kind)
        {
            switch (kind)
            {
                case "manifest":
                    return (Path.Combine(team.StorePath, StoreManifest.FileName), () => team.Carol.Store.GetInfo("prod/db"));
                case "secret":
                    var newest = team.Alice.Store.GetInfo("prod/db");
                    return (newest.FilePath, () => OpenAsNewReader(team).Read("prod/db", team.Alice.Identity).Dispose());
                case "tombstone":
                    var tombstone = Directory.GetFiles(Path.Combine(team.StorePath, "secrets", "gone"), "v*.secret").Single();
                    return (tombstone, () =>
                    {
                        try
                        {
                            OpenAsNewReader(team).GetInfo("gone");
                        }
                        catch (Errors.SecretNotFoundException)
                        {
                            // Still read as a valid tombstone: the mutation was accepted.
                            throw new InvalidOperationException("the damaged tombstone reads as a removal");
                        }
                    });
                default:
                    var entry = Enumerable.Range(1, team.LogCount).Select(team.LogEntry)
                        .First(e => File.ReadAllText(e).Contains("\naction " + kind + "\n"));
                    return (entry, () => OpenAsNewReader(team));
            }
        }

        private static SecretStore OpenAsNewReader(Team team) =>
            SecretStore.Open(team.StorePath, Path.Combine(team.Root, "state-" + Guid.NewGuid().ToString("N")));

        /// <summary>Random damage: bytes, lines and lengths, each different from the original.</summary>
        private static IEnumerable<(string What, byte[] Data)> Mutate(byte[] original, Random random)
        {
            while (true)
            {
                var lines = FileEdits.Lines(original).ToList();
                byte[] data;
                string what;
                switch (random.Next(8))
                {
                    case 0:
                        data = (byte[])original.Clone();
                        int count = random.Next(1, 5);
                        for (int i = 0; i < count; i++)
                        {
                            data[random.Next(data.Length)] = (byte)random.Next(256);
                        }

                        what = $"{count} random bytes";
                        break;
                    case 1:
                        int removed = random.Next(lines.Count);
                        what = $"line {removed + 1} removed";
                        lines.RemoveAt(removed);
                        data = FileEdits.Join(lines.ToArray());
                        break;
                    case 2:
                        int repeated = random.Next(lines.Count);
                        what = $"line {repeated + 1} repeated";
                        lines.Insert(repeated, lines[repeated]);
                        data = FileEdits.Join(lines.ToArray());
                        break;
                    case 3:
                        int a = random.Next(lines.Count), b = random.Next(lines.Count);
                        what = $"lines {a + 1} and {b + 1} swapped";
                        (lines[a], lines[b]) = (lines[b], lines[a]);
                        data = FileEdits.Join(lines.ToArray());
                        break;
                    case 4:
                        int from = random.Next(lines.Count), to = random.Next(lines.Count);
                        what = $"line {from + 1} moved to {to + 1}";
                        var line = lines[from];
                        lines.RemoveAt(from);
                        lines.Insert(to, line);
                        data = FileEdits.Join(lines.ToArray());
                        break;
                    case 5:
                        int at = random.Next(original.Length + 1);
                        data = original.Take(at).Append((byte)random.Next(256)).Concat(original.Skip(at)).ToArray();
                        what = $"a byte inserted at {at}";
                        break;
                    case 6:
                        int cut = random.Next(original.Length);
                        data = original[..cut];
                        what = $"cut to {cut} bytes";
                        break;
                    default:
                        int target = random.Next(lines.Count);
                        var fields = lines[target].Split(' ');
                        int field = random.Next(fields.Length);
                        fields[field] = fields[field].Length > 1 ? fields[field].Substring(1) : fields[field] + "x";
                        lines[target] = string.Join(" ", fields);
                        what = $"field {field + 1} of line {target + 1} changed";
                        data = FileEdits.Join(lines.ToArray());
                        break;
                }

                if (!data.SequenceEqual(original))
                {
                    yield return (what, data);
                }
            }
        }
    }
}
