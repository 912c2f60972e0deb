using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace Secrets.PowerShell.Tests
{
    /// <summary>The README's quick start (examples/quickstart.ps1) runs as documented, so it cannot rot.</summary>
    public class QuickStartTests
    {
        [Fact]
        public void QuickStartRunsAndPrintsWhatItPromises()
        {
            var result = Runner.Run(new[] { Path.Combine(PowerShellSession.RepoRoot, "examples", "quickstart.ps1") });

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(string.Empty, result.Error);
            var lines = result.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            Assert.Matches(new Regex("^Your recipient string \\(hand it to people who share secrets with you\\): secrets1[02-9ac-hj-np-z]{109}$"), lines[0]);
            Assert.Equal(new[] { "ghp_example_token_value", "app", "ghp_example_token_value" }, lines.Skip(1).Take(3));
            Assert.Contains(lines, l => Regex.IsMatch(l, @"^Name\s+Store\s+Type\s+Access\s+Version\s+Modified\s+ModifiedBy\s+Metadata$"));
            Assert.Contains(lines, l => Regex.IsMatch(l, @"^github-token\s+personal\s+String\s+Manage\s+2\s"));
            Assert.Contains(lines, l => Regex.IsMatch(l, @"^prod/db\s+personal\s+Hashtable\s+Manage\s+1\s.*owner=ops; rotateDays=90$"));
        }
    }
}
