using System.Collections.Generic;
using CsCheck;
using Secrets.Core.Store;
using Xunit;
using Secrets.Core.Names;

namespace Secrets.Core.Tests.Names
{
    /// <summary>The name-to-folder mapping of docs/FORMAT.md, "Secret names", and its inverse.</summary>
    public class FolderMappingTests
    {
        public static readonly TheoryData<string, string> Mappings = new TheoryData<string, string>
        {
            { "prod/db/password", "prod.db.password" },
            { "GitHub-Token", "github-token" },
            { "CON/x", "~con.x" },
            { "con/x", "~con.x" },
            { "con", "~con" },
            { "Nul", "~nul" },
            { "PRN/a/b", "~prn.a.b" },
            { "aux", "~aux" },
            { "com0/a", "~com0.a" },
            { "COM9", "~com9" },
            { "lpt0", "~lpt0" },
            { "LPT9/x", "~lpt9.x" },
            { "x/con", "x.con" },
            { "conx", "conx" },
            { "com10", "com10" },
            { "lpt", "lpt" },
            { "aux-1", "aux-1" },
            { "nul_", "nul_" },
        };

        public static readonly TheoryData<string> NotFolders = new TheoryData<string>
        {
            "con.x",
            "nul",
            "~prod",
            "~prod.db",
            "Prod",
            "prod.DB",
            "a..b",
            ".a",
            "a.",
            "~",
            "~~con",
            "",
            "a b",
            ".lock",
            "v1.secret.",
            "prod~db",
        };

        [Theory]
        [MemberData(nameof(Mappings))]
        public void FolderIsTheCanonicalNameWithDotsAndATildeForDeviceNames(string name, string folder)
        {
            Assert.Equal(folder, SecretName.Parse(name).Folder);
        }

        [Theory]
        [MemberData(nameof(Mappings))]
        public void CanonicalFromFolderInvertsTheMapping(string name, string folder)
        {
            Assert.Equal(name.ToLowerInvariant(), SecretName.CanonicalFromFolder(folder));
        }

        [Theory]
        [MemberData(nameof(NotFolders))]
        public void FoldersSecretsNeverWritesAreNotSecrets(string folder)
        {
            Assert.Null(SecretName.CanonicalFromFolder(folder));
        }

        [Fact]
        public void MappingIsOneToOneAndInvertibleForArbitraryNames()
        {
            var segment = Gen.OneOf(
                Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"].Array[1, 6].Select(c => new string(c)),
                Gen.OneOf(Gen.Const("con"), Gen.Const("NUL"), Gen.Const("com1"), Gen.Const("Lpt0"), Gen.Const("aux")));
            var name = segment.Array[1, 4].Select(s => string.Join("/", s));
            var seen = new Dictionary<string, string>();
            name.Sample(text =>
            {
                var parsed = SecretName.Parse(text);
                Assert.Equal(parsed.Canonical, SecretName.CanonicalFromFolder(parsed.Folder));
                if (seen.TryGetValue(parsed.Folder, out var other))
                {
                    Assert.Equal(other, parsed.Canonical);
                }

                seen[parsed.Folder] = parsed.Canonical;
            }, iter: 5000, threads: 1);
        }
    }
}
