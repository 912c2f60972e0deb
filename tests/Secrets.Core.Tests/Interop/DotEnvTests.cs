using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Interop;
using Secrets.Core.Tests.Leaks;
using Xunit;

namespace Secrets.Core.Tests.Interop
{
    /// <summary>.env files: the quoting rules of docker compose and the dotenv libraries, both ways.</summary>
    public class DotEnvTests
    {
        [Fact]
        public void ReadsEveryRuleOfTheSampleFile()
        {
            var path = Fixtures.Path("env", "app.env");
            var entries = DotEnv.Parse(Fixtures.Text("env", "app.env"), InteropFiles.Describe(path), path);
            var values = Fixtures.ToDictionary(entries);

            Assert.Equal("production", values["APP_ENV"]);
            Assert.Equal("postgres://app:s3cr3t@db.internal:5432/app?sslmode=require", values["DATABASE_URL"]);
            Assert.Equal("tok_live_4f9a2c", values["API_TOKEN"]);
            Assert.Equal("abc#def", values["HASH_IN_VALUE"]);
            Assert.Equal("single $NOT_EXPANDED # not a comment", values["SINGLE"]);
            Assert.Equal("tab\there \"quoted\" dollar $HOME backslash \\ and \\x kept", values["DOUBLE"]);
            Assert.Equal(string.Empty, values["EMPTY"]);
            Assert.Equal(string.Empty, values["EMPTY_QUOTED"]);
            Assert.Equal("-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUFixture\n-----END CERTIFICATE-----", values["MULTILINE_PEM"]);
            Assert.Equal("first line\nsecond line", values["MULTILINE_SINGLE"]);
            Assert.Equal("line1\nline2", values["ESCAPED_NEWLINES"]);
            Assert.Equal("value with spaces inside", values["TABBED"]);
            Assert.Equal(12, entries.Count);

            // Lines are counted across multi-line values.
            Assert.Equal(17, entries.Single(e => e.Key == "ESCAPED_NEWLINES").Line);
        }

        [Fact]
        public void CarriageReturnLineEndingsAreLineEndings()
        {
            var values = Fixtures.ToDictionary(DotEnv.Parse(Fixtures.Text("env", "windows.env"), "the file", null));
            Assert.Equal("svc-build", values["USER"]);
            Assert.Equal("p@ss word", values["PASSWORD"]);
        }

        [Theory]
        [InlineData("A=1\nB=\"unterminated\nC=3\n", 2, "'B'", "never closed")]
        [InlineData("A=1\njust some words\n", 2, "expected NAME=value", "'#'")]
        [InlineData("A=1\nB='x' trailing\n", 2, "'B'", "after the closing quote")]
        [InlineData("TOKEN=1\nToken=2\n", 2, "'Token' and 'TOKEN' (line 1)", "case-insensitive")]
        [InlineData("A=1\nA=2\n", 2, "'A' is set twice (also on line 1)", "Keep one")]
        public void ErrorsNameTheFileTheLineAndTheKey(string text, int line, string names, string says)
        {
            var error = Fixtures.Fails("InvalidEnvFile", () => DotEnv.Parse(text, "the file '/srv/app/.env'", "/srv/app/.env"));
            Assert.StartsWith($"The file '/srv/app/.env', line {line}: ", error.Message);
            Assert.Contains(names, error.Message);
            Assert.Contains(says, error.Message);
            Assert.Equal("/srv/app/.env", error.FilePath);
        }

        [Fact]
        public void ALineThatIsNotAnAssignmentIsNeverShown()
        {
            // A value pasted on a line of its own must not reach the message.
            NoValueIn.Exception(Fixtures.Fails("InvalidEnvFile", () => DotEnv.Parse($"A=1\n{NoValueIn.Value}\n", "the file", null)));
            NoValueIn.Exception(Fixtures.Fails("InvalidEnvFile", () => DotEnv.Parse($"{NoValueIn.Value}/x=1\n", "the file", null)));
            NoValueIn.Exception(Fixtures.Fails("InvalidEnvFile", () => DotEnv.Parse($"A=\"{NoValueIn.Value}\n", "the file", null)));
        }

        [Fact]
        public void WhatIsWrittenReadsBackExactly()
        {
            var values = new Dictionary<string, string>
            {
                ["PLAIN"] = "abc-123_./:@%+,=",
                ["SPACES"] = " leading and trailing ",
                ["HASH"] = "a #b",
                ["SINGLE_QUOTE"] = "it's",
                ["DOUBLE_QUOTE"] = "say \"hi\"",
                ["BACKSLASH"] = "C:\\path\\n",
                ["DOLLAR"] = "$HOME and ${VAR} and it's",
                ["NEWLINES"] = "a\nb\n",
                ["CRLF"] = "a\r\nb",
                ["TAB"] = "a\tb",
                ["EMPTY"] = string.Empty,
                ["UNICODE"] = "pässwörd ✓",
                ["PEM"] = Fixtures.Text("tls", "tls.key"),
            };

            var text = DotEnv.Write(values, "app");
            var back = Fixtures.ToDictionary(DotEnv.Parse(text, "the text", null));

            Assert.Equal(values, back);
        }

        [Fact]
        public void ValuesAreQuotedOnlyWhenTheyNeedIt()
        {
            Assert.Equal("A=plain-value\n", DotEnv.Write(new[] { Pair("A", "plain-value") }, "s"));
            Assert.Equal("A='two words'\n", DotEnv.Write(new[] { Pair("A", "two words") }, "s"));
            Assert.Equal("A='line 1\nline 2'\n", DotEnv.Write(new[] { Pair("A", "line 1\nline 2") }, "s"));
            Assert.Equal("A=\"it's \\$5\"\n", DotEnv.Write(new[] { Pair("A", "it's $5") }, "s"));
            Assert.Equal("A=\n", DotEnv.Write(new[] { Pair("A", string.Empty) }, "s"));
        }

        [Fact]
        public void AKeyThatIsNoVariableNameIsRefusedByName()
        {
            var error = Fixtures.Fails("ValueNotExportable", () => DotEnv.Write(new[] { Pair("tls.crt", "x") }, "web/tls"));
            Assert.StartsWith("Secret 'web/tls': ", error.Message);
            Assert.Contains("'tls.crt'", error.Message);
            Assert.Contains("-Format Json", error.Message);
        }

        private static KeyValuePair<string, string> Pair(string key, string value) => new KeyValuePair<string, string>(key, value);
    }
}
