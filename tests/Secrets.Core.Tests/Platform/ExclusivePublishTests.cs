using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Secrets.Core.Platform;
using Secrets.Core.Tests.Support;
using Xunit;

namespace Secrets.Core.Tests.Platform
{
    /// <summary>
    /// Publishing a file under a name that must be free is one atomic step: of two writers that
    /// reach the rename at the same instant, exactly one wins and the other is told the name exists.
    /// </summary>
    public class ExclusivePublishTests
    {
        [Fact]
        public void OfTwoWritersPublishingOneNameExactlyOneWinsAndItsContentIsIntact()
        {
            using var folder = new TempFolder();
            const int rounds = 300;
            for (int round = 0; round < rounds; round++)
            {
                var target = folder.Combine($"v{round}.secret");
                using var bothReady = new Barrier(2);
                var outcomes = new Exception?[2];
                var contents = new[] { Content(round, 0), Content(round, 1) };
                Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, writer =>
                {
                    try
                    {
                        // Both temporary files are written and flushed; both renames start together.
                        AtomicFile.Write(target, contents[writer], overwrite: false, ownerOnly: false, beforeRename: () => bothReady.SignalAndWait());
                    }
                    catch (Exception e)
                    {
                        outcomes[writer] = e;
                    }
                });

                int winners = (outcomes[0] == null ? 1 : 0) + (outcomes[1] == null ? 1 : 0);
                Assert.True(winners == 1, $"Round {round}: {winners} writers published '{target}' ({outcomes[0]?.Message} / {outcomes[1]?.Message}).");
                int winner = outcomes[0] == null ? 0 : 1;
                var loss = Assert.IsType<FileExistsException>(outcomes[1 - winner]);
                Assert.Equal(target, loss.FilePath);
                Assert.Equal(contents[winner], File.ReadAllBytes(target));
            }

            // No temporary file is left behind by either side.
            Assert.Equal(rounds, Directory.GetFiles(folder.Path).Length);
        }

        [Fact]
        public void PublishingOverAnExistingFileFailsAndLeavesItAsItWas()
        {
            using var folder = new TempFolder();
            var target = folder.Combine("1.entry");
            AtomicFile.Write(target, Content(0, 0), overwrite: false, ownerOnly: false);
            var loss = Assert.Throws<FileExistsException>(() => AtomicFile.Write(target, Content(0, 1), overwrite: false, ownerOnly: false));
            Assert.Equal(target, loss.FilePath);
            Assert.Equal(Content(0, 0), File.ReadAllBytes(target));
            Assert.Single(Directory.GetFiles(folder.Path));
        }

        [Fact]
        public void ReplacingWritesOverAnExistingFileAndCreatesAMissingOne()
        {
            using var folder = new TempFolder();
            var target = folder.Combine("seen");
            AtomicFile.Write(target, Content(0, 0), overwrite: true, ownerOnly: false);
            Assert.Equal(Content(0, 0), File.ReadAllBytes(target));
            AtomicFile.Write(target, Content(0, 1), overwrite: true, ownerOnly: false);
            Assert.Equal(Content(0, 1), File.ReadAllBytes(target));
            Assert.Single(Directory.GetFiles(folder.Path));
        }

        private static byte[] Content(int round, int writer) => Encoding.ASCII.GetBytes($"round {round}, writer {writer}\n" + new string((char)('a' + writer), 4000));
    }
}
