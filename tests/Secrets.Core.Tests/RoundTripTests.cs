using System.Linq;
using Secrets.Core.Store;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests
{
    public class RoundTripTests
    {
        [Fact]
        public void StringRoundTrip()
        {
            using var t = new TestStore();
            var record = t.Store.Write("prod/db/password", SecretValue.FromString("s3cret ✓"), null, t.Owner, WriteMode.CreateOnly);
            Assert.Equal(1, record.Version);
            using var value = t.Reopen().Read("PROD/db/Password", t.Owner);
            Assert.Equal(SecretType.String, value.Type);
            Assert.Equal("s3cret ✓", value.GetText());
        }
    }
}
