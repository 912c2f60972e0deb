using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Jobs;
using Secrets.Core.Store;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Store
{
    public class LowSeverityReviewTests
    {
        [Theory]
        [InlineData("CON")]
        [InlineData("nul.txt")]
        [InlineData("com1")]
        [InlineData("LPT9.key")]
        public void DirectoryKeysThatWindowsTreatsAsDevicesAreRefused(string key)
        {
            using var t = new TestStore();
            t.Store.Write("tls", SecretValue.FromEntries(new[] { new SecretEntry(key, SecretValue.FromString("v")) }), null, t.Owner, WriteMode.CreateOnly);
            var spec = new JobSpec { BaseDirectory = t.Root };
            spec.Directories.Add(new KeyValuePair<string, string>("./tls", "tls"));
            var error = Assert.Throws<JobValidationException>(() => JobPreparer.Prepare(spec, t.Store, t.Owner));
            Assert.Contains("is a device name on Windows", Assert.Single(error.Problems));
        }

        [Fact]
        public void ClearingKeyMaterialLeavesNothingToUnlockWith()
        {
            using var folder = new TempFolder();
            var path = folder.Combine("ci.identity");
            var created = IdentityFile.Create(path, "ci", null);
            var recipient = IdentityFile.ReadRecipient(path);
            Assert.Equal(created.Recipient, recipient);

            var file = IdentityFile.Load(path);
            file.ClearKeyMaterial();
            Assert.Throws<InvalidFileException>(() => file.Unlock(null).Dispose());
            using var fresh = IdentityFile.Load(path).Unlock(null);
            Assert.Equal(recipient, fresh.Recipient);
        }

        [Fact]
        public void ReadersRecordingAtOnceNeverLowerWhatWasSeen()
        {
            using var folder = new TempFolder();
            var state = new LocalState(folder.Path, "0123456789abcdef0123456789abcdef");
            var versions = Enumerable.Range(1, 64).OrderBy(_ => Guid.NewGuid()).ToArray();
            Parallel.ForEach(versions, new ParallelOptions { MaxDegreeOfParallelism = 8 }, v => state.RecordSeen("prod.db", v, new byte[32]));
            Assert.Equal(64, state.GetSeen("prod.db").Version);
            Parallel.ForEach(versions, new ParallelOptions { MaxDegreeOfParallelism = 8 }, v => state.RecordSeenLog(v));
            Assert.Equal(64, state.GetSeenLog());
        }
    }
}
