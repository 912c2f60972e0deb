using System.Text;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Store;
using Secrets.Core.Tests.Sharing;
using Secrets.Core.Tests.Support;
using Xunit;

namespace Secrets.Core.Tests.Tamper
{
    /// <summary>
    /// ChaCha20-Poly1305 does not commit to its key, so every version file commits to its one file
    /// key in its signed part, and every reader checks the key it unwraps against that commitment:
    /// a writer cannot give different readers different keys (and so different values).
    /// </summary>
    public class KeyCommitmentTests
    {
        [Fact]
        public void AReaderGivenAnotherKeyThanTheFileCommitsToRefusesTheVersion()
        {
            using var team = new Team();
            team.Alice.Write("prod/db", "genuine");
            team.Alice.Store.Grant("prod/db", "bob", AccessLevel.Read, team.Alice.Identity);
            Assert.Equal("genuine", team.Bob.Read("prod/db"));

            // Alice, who may write, wraps the file's key for herself and carol, and another key for bob.
            var otherKey = RandomBytes.Get(32);
            var file = team.VersionFile("prod.db", 3);
            System.IO.File.WriteAllBytes(file, FileForge.Secret(team.StoreId, "prod/db", 3, "String",
                FileForge.Padded(0x01, Encoding.UTF8.GetBytes("for alice")), team.Alice.Identity,
                new[] { team.Alice.Identity.Recipient, team.Bob.Identity.Recipient },
                keyFor: r => r.Equals(team.Bob.Identity.Recipient) ? otherKey : null, logSeq: team.LogCount,
                previous: FileForge.HashOf(team.VersionFile("prod.db", 2))));

            Assert.Equal("for alice", team.Alice.Read("prod/db"));
            var error = Assert.Throws<InvalidFileException>(() => team.Bob.Read("prod/db"));
            Assert.Equal("SecretFileInvalid", error.ErrorId);
            Assert.Equal(file, error.FilePath);
            Assert.Contains("not the key the file commits to", error.Message);
        }

        [Fact]
        public void TheCommitmentIsSigned()
        {
            using var t = new TestStore();
            using (var value = Secrets.Core.Values.SecretValue.FromString("v"))
            {
                t.Store.Write("a", value, null, t.Owner, WriteMode.CreateOrUpdate);
            }

            var file = t.VersionFile("a", 1);
            var commit = FileEdits.Fields(System.IO.File.ReadAllBytes(file), "commit")[0];
            var flipped = (commit[0] == 'A' ? 'B' : 'A') + commit.Substring(1);
            System.IO.File.WriteAllBytes(file, FileEdits.ReplaceLine(System.IO.File.ReadAllBytes(file), "commit", "commit " + flipped));
            Assert.Equal("SecretFileInvalid", Assert.Throws<InvalidFileException>(() => t.Reopen().Read("a", t.Owner)).ErrorId);

            // Re-signed by the writer, the file verifies, but no recipient's key matches the commitment.
            System.IO.File.WriteAllBytes(file, FileEdits.Resign(System.IO.File.ReadAllBytes(file), t.Owner));
            var error = Assert.Throws<InvalidFileException>(() => t.OpenAsNewReader().Read("a", t.Owner));
            Assert.Contains("not the key the file commits to", error.Message);
        }
    }
}
