using System;
using System.Text;
using Secrets.Core.Jobs;
using Xunit;

namespace Secrets.Core.Tests.Jobs
{
    public class OutputMaskerTests
    {
        private static OutputMasker For(params string[] values) =>
            new OutputMasker(Array.ConvertAll(values, v => Encoding.UTF8.GetBytes(v)));

        [Fact]
        public void MasksRawValueEverywhereInALine()
        {
            var masker = For("hunter2-password");
            Assert.Equal("a=*** b=*** end", masker.Apply("a=hunter2-password b=hunter2-password end"));
        }

        [Theory]
        [InlineData("aHVudGVyMi1wYXNzd29yZA==")] // base64 with padding
        [InlineData("aHVudGVyMi1wYXNzd29yZA")]   // without padding
        public void MasksBase64(string encoded)
        {
            Assert.Equal("token: ***", For("hunter2-password").Apply("token: " + encoded));
        }

        [Fact]
        public void MasksUrlSafeBase64OfBinaryValues()
        {
            var bytes = new byte[] { 0xfb, 0xff, 0xbf, 0x01, 0x02, 0x03 };
            var masker = new OutputMasker(new[] { bytes });
            var standard = Convert.ToBase64String(bytes);
            var urlSafe = standard.Replace('+', '-').Replace('/', '_');
            Assert.Contains('/', standard);
            Assert.Equal("*** ***", masker.Apply(standard + " " + urlSafe));
        }

        [Fact]
        public void MasksUrlAndJsonEncodings()
        {
            var masker = For("p@ss w\"ord/1");
            Assert.Equal("url=***", masker.Apply("url=" + Uri.EscapeDataString("p@ss w\"ord/1")));
            Assert.Equal("{\"pw\":\"***\"}", masker.Apply("{\"pw\":\"p@ss w\\\"ord/1\"}"));
        }

        [Fact]
        public void MasksEachLineOfAMultiLineValue()
        {
            var masker = For("-----BEGIN KEY-----\nMIIBOgIBAAJBAKj34\n-----END KEY-----");
            Assert.Equal("***", masker.Apply("MIIBOgIBAAJBAKj34"));
            Assert.Equal("***", masker.Apply("-----END KEY-----"));
        }

        [Fact]
        public void ShortValuesAreNotMasked()
        {
            var masker = For("abc", "abcd");
            Assert.Equal("abc ***", masker.Apply("abc abcd"));
            Assert.Equal(OutputMasker.MinimumLength, 4);
        }

        [Fact]
        public void LongestValueWinsWhenValuesOverlap()
        {
            var masker = For("secret", "secret-extended");
            Assert.Equal("*** and ***", masker.Apply("secret-extended and secret"));
        }

        [Fact]
        public void NoneChangesNothing()
        {
            Assert.Equal("hunter2-password", OutputMasker.None.Apply("hunter2-password"));
            Assert.Equal(0, OutputMasker.None.PatternCount);
        }
    }
}
