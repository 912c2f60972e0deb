using System.Linq;
using Secrets.Core.Sync;
using Xunit;

namespace Secrets.Core.Tests.Sync
{
    /// <summary>
    /// The commit message of a sync: a first sync of a large store adds thousands of secrets, and a
    /// message listing each one made git's command line too long for the system to start it.
    /// </summary>
    public sealed class CommitMessageTests
    {
        [Fact]
        public void A_message_for_ten_thousand_changes_lists_the_first_hundred_and_counts_the_rest()
        {
            var changes = Enumerable.Range(1, 10000).Select(i => $"wrote 'app/s{i:D5}' (version 1)").ToList();

            var message = SyncSession.CommitMessage(changes);

            var lines = message.TrimEnd('\n').Split('\n');
            Assert.StartsWith("Secrets: wrote 'app/s00001' (version 1); wrote 'app/s00002' (version 1); wrote 'app/s00003' (version 1); and 9997 more", lines[0]);
            Assert.Equal(string.Empty, lines[1]);
            Assert.Equal("- wrote 'app/s00001' (version 1)", lines[2]);
            Assert.Equal("- wrote 'app/s00100' (version 1)", lines[101]);
            Assert.Equal("- and 9900 more", lines[102]);
            Assert.Equal(103, lines.Length);
        }

        [Fact]
        public void A_message_for_a_few_changes_lists_each()
        {
            var message = SyncSession.CommitMessage(new[] { "wrote 'db' (version 4)", "changed access to 'api'" });

            Assert.Equal("Secrets: wrote 'db' (version 4); changed access to 'api'\n\n- wrote 'db' (version 4)\n- changed access to 'api'\n", message);
        }
    }
}
