using System;
using System.IO;
using System.Linq;
using System.Text;
using Secrets.Core.Codecs;
using Secrets.Core.Crypto;
using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Identity;
using Secrets.Core.Tests.Conformance;
using Secrets.Core.Tests.Support;
using Xunit;

namespace Secrets.Core.Tests.Fuzz
{
    /// <summary>
    /// Display names (owner-name, member-name, an identity's name) that the readers accepted and the
    /// writers refuse: white space other than single spaces, and control characters outside ASCII
    /// (FORMAT.md's 'text' allows no control characters). The manifest and identity fuzz targets'
    /// round trip threw ArgumentException writing them again, as Set-SecretStore or New-SecretStore
    /// would have on such a manifest or identity. The inputs are in
    /// tests/Secrets.Fuzz/corpus/{manifest,identity}/crash-*.
    /// </summary>
    public class DisplayTextFindingsTests
    {
        [Theory]
        [InlineData("Vector\u00A0Owner")]   // no-break space
        [InlineData("Vector\u0085Owner")]   // next line, a C1 control character
        [InlineData("Vector Owner\u2028")]  // line separator
        [InlineData("Vector\u3000Owner")]   // ideographic space
        [InlineData("Vector\u0080Owner")]   // a C1 control character
        public void ANameTheWritersRefuseIsRefusedWhenRead(string name)
        {
            Assert.Throws<ArgumentException>(() => DisplayText.Validate(name, "owner-name"));
            var line = LineReader.Parse(Encoding.UTF8.GetBytes("owner-name " + name + "\n")).ExpectKey("owner-name");
            var problem = Assert.Throws<FormatProblem>(() => DisplayText.Parse(line));
            Assert.Contains("line 1 ('owner-name')", problem.Message);
        }

        [Theory]
        [InlineData("Vector Owner")]
        [InlineData("Vector Reader ✓")]
        [InlineData("Ada Ädmin 🔑")]
        public void ANameTheWritersWriteIsRead(string name)
        {
            DisplayText.Validate(name, "owner-name");
            var line = LineReader.Parse(Encoding.UTF8.GetBytes("owner-name " + name + "\n")).ExpectKey("owner-name");
            Assert.Equal(name, DisplayText.Parse(line));
        }

        [Fact]
        public void AnIdentityFileWhoseNameHoldsANoBreakSpaceIsInvalid()
        {
            using var folder = new TempFolder();
            var path = Vectors.CopyIdentity(folder, "unprotected.identity");
            var text = File.ReadAllText(path).Replace("name Vector Owner\n", "name Vector\u00A0Owner\n");
            var body = Encoding.UTF8.GetBytes(text.Substring(0, text.IndexOf("check ", StringComparison.Ordinal)));
            File.WriteAllBytes(path, body.Concat(Encoding.ASCII.GetBytes("check " + Base64.Encode(Sha256.Hash(body)) + "\n")).ToArray());

            var error = Assert.Throws<InvalidFileException>(() => IdentityFile.Load(path));
            Assert.Equal("IdentityFileInvalid", error.ErrorId);
            Assert.Contains("('name')", error.Message);
        }
    }
}
