using System;
using Secrets.Core.Store;
using Secrets.Core.Values;
using Xunit;

namespace Secrets.Core.Tests.Values
{
    public class MetadataRoundTripTests
    {
        public static readonly TheoryData<string, object> Values = new TheoryData<string, object>
        {
            { "s", "ops-team" },
            { "empty", string.Empty },
            { "unicode", "Grüße ✓ ユーザー 🔑" },
            { "spaces", "  two  spaces  " },
            { "long", new string('ü', 2048) },
            { "int", 42 },
            { "negative", -42 },
            { "zero", 0 },
            { "intMin", int.MinValue },
            { "intMax", int.MaxValue },
            { "longValue", 9000000000L },
            { "longSmall", 5L },
            { "longMin", long.MinValue },
            { "longMax", long.MaxValue },
            { "yes", true },
            { "no", false },
            { "utc", new DateTime(2026, 11, 23, 7, 32, 0, DateTimeKind.Utc).AddTicks(1234567) },
            { "minDate", DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc) },
        };

        [Theory]
        [MemberData(nameof(Values))]
        public void ValueReadsBackWithTheSameTypeAndValue(string key, object value)
        {
            using var t = new TestStore();
            var metadata = new SecretMetadata();
            metadata.Set(key, value);
            Write(t, metadata);

            var read = t.Reopen().GetInfo("meta/test").Metadata;
            Assert.Equal(key, Assert.Single(read.Keys));
            Assert.IsType(value.GetType(), read[key]);
            Assert.Equal(value, read[key]);
        }

        [Fact]
        public void EveryTypeTogetherReadsBackInCanonicalOrder()
        {
            using var t = new TestStore();
            var metadata = new SecretMetadata();
            metadata.Set("Zeta", "last");
            metadata.Set("alpha", 1);
            metadata.Set("Beta.key_2-x", 2L);
            metadata.Set("gamma", true);
            metadata.Set("delta", new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc));
            Write(t, metadata);

            var read = t.Reopen().GetInfo("META/TEST").Metadata;
            Assert.Equal(new[] { "alpha", "Beta.key_2-x", "delta", "gamma", "Zeta" }, read.Keys);
            Assert.Equal(1, read["ALPHA"]);
            Assert.Equal(2L, read["beta.KEY_2-x"]);
            Assert.Equal(true, read["gamma"]);
            Assert.Equal("last", read["zeta"]);
        }

        [Fact]
        public void LocalDateTimeIsStoredAsTheSameInstantInUtc()
        {
            var local = new DateTime(2026, 6, 1, 12, 0, 0, DateTimeKind.Local).AddTicks(7);
            var read = ReadBack("when", local);
            var utc = Assert.IsType<DateTime>(read);
            Assert.Equal(DateTimeKind.Utc, utc.Kind);
            Assert.Equal(local.ToUniversalTime(), utc);
        }

        [Fact]
        public void UnspecifiedDateTimeIsTakenAsLocalTime()
        {
            var unspecified = new DateTime(2026, 1, 15, 8, 30, 0, DateTimeKind.Unspecified);
            var utc = Assert.IsType<DateTime>(ReadBack("when", unspecified));
            Assert.Equal(DateTimeKind.Utc, utc.Kind);
            Assert.Equal(DateTime.SpecifyKind(unspecified, DateTimeKind.Local).ToUniversalTime(), utc);
        }

        [Fact]
        public void DateTimeOffsetIsStoredAsItsUtcInstant()
        {
            var offset = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(-5));
            var utc = Assert.IsType<DateTime>(ReadBack("when", offset));
            Assert.Equal(DateTimeKind.Utc, utc.Kind);
            Assert.Equal(offset.UtcDateTime, utc);
        }

        [Fact]
        public void KeysAreCaseInsensitiveAndTheLastSpellingWins()
        {
            var metadata = new SecretMetadata();
            metadata.Set("Owner", "a");
            metadata.Set("OWNER", "b");
            Assert.Equal("OWNER", Assert.Single(metadata.Keys));
            Assert.Equal("b", metadata["owner"]);
        }

        private static object ReadBack(string key, object value)
        {
            using var t = new TestStore();
            var metadata = new SecretMetadata();
            metadata.Set(key, value);
            Write(t, metadata);
            return t.Reopen().GetInfo("meta/test").Metadata[key];
        }

        private static void Write(TestStore t, SecretMetadata metadata)
        {
            using var value = SecretValue.FromString("v");
            t.Store.Write("meta/test", value, metadata, t.Owner, WriteMode.CreateOnly);
        }
    }
}
