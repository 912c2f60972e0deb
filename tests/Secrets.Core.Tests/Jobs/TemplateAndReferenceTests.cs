using System.Linq;
using Secrets.Core.Jobs;
using Xunit;

namespace Secrets.Core.Tests.Jobs
{
    public class TemplateAndReferenceTests
    {
        [Theory]
        [InlineData("prod/db", "prod/db", null)]
        [InlineData("aws.access_key", "aws", "access_key")]
        [InlineData("tls.tls.crt", "tls", "tls.crt")]
        [InlineData(" cred.UserName ", "cred", "UserName")]
        public void ParsesNameAndKey(string text, string name, string? key)
        {
            Assert.True(SecretReference.TryParse(text, out var reference, out _));
            Assert.Equal(name, reference!.Name.Value);
            Assert.Equal(key, reference.Key);
        }

        [Theory]
        [InlineData("")]
        [InlineData("bad name")]
        [InlineData("name.")]
        [InlineData("/lead")]
        public void RejectsBadReferences(string text)
        {
            Assert.False(SecretReference.TryParse(text, out _, out var problem));
            Assert.False(string.IsNullOrEmpty(problem));
        }

        [Fact]
        public void FindsReferencesAndLeavesOtherBracesAlone()
        {
            const string template = "user={{ db.user }}\npass={{db.password}}\nhelm={{ .Values.x }}\nagain={{db.user}}\ntoken={{ api-token }}";
            var found = TemplateRenderer.FindReferences(template).Select(r => r.Text).ToArray();
            Assert.Equal(new[] { "db.user", "db.password", "api-token" }, found);
            var rendered = TemplateRenderer.Render(template, r => "<" + r.Text + ">");
            Assert.Equal("user=<db.user>\npass=<db.password>\nhelm={{ .Values.x }}\nagain=<db.user>\ntoken=<api-token>", rendered);
        }

        [Theory]
        [InlineData("\\{{ item }}", "{{ item }}")]
        [InlineData("\\{{ item.name \\}}", "{{ item.name }}")]
        [InlineData("{% raw %}\\{{ x }}{% endraw %} {{db}}", "{% raw %}{{ x }}{% endraw %} <db>")]
        [InlineData("a \\}} b", "a }} b")]
        [InlineData("\\\\{{db}}", "\\{{db}}")]
        [InlineData("path\\file {{db}}", "path\\file <db>")]
        public void ABackslashBeforeDoubleBracesKeepsThemAsText(string template, string expected)
        {
            Assert.Equal(expected, TemplateRenderer.Render(template, r => "<" + r.Text + ">"));
        }

        [Fact]
        public void EscapedBracesAreNotReferences()
        {
            Assert.Equal(new[] { "db.user" }, TemplateRenderer.FindReferences("\\{{ item }} {{ db.user }} \\{{ other.key }}").Select(r => r.Text));
        }

        [Fact]
        public void SecretUrisAreTokensAndMalformedOnesAreFoundToBeReported()
        {
            const string template = "a={{ secret://team/db#password }} b={{db.user}} c={{SECRET://other/api}} d={{ secret:bad }} e={{ .Values.x }} f=\\{{ secret://team/x }}";
            Assert.Equal(new[] { "secret://team/db#password", "db.user", "SECRET://other/api", "secret:bad" }, TemplateRenderer.FindTokens(template));
            Assert.Equal("a=<secret://team/db#password> b=<db.user> c=<SECRET://other/api> d={{ secret:bad }} e={{ .Values.x }} f={{ secret://team/x }}",
                TemplateRenderer.RenderTokens(template, t => t == "secret:bad" ? null : "<" + t + ">"));

            // The references of the older interface are unchanged: URIs are not among them.
            Assert.Equal(new[] { "db.user" }, TemplateRenderer.FindReferences(template).Select(r => r.Text));
        }

        [Fact]
        public void AReferenceTheResolverDoesNotKnowIsLeftAsWritten()
        {
            Assert.Equal("a=<a> b={{ b.key }}", TemplateRenderer.Render("a={{a}} b={{ b.key }}", r => r.Text == "a" ? "<a>" : null));
        }

        [Theory]
        [InlineData("prod/db-password", "", null, "PROD_DB_PASSWORD")]
        [InlineData("aws", "APP_", "access_key", "APP_AWS_ACCESS_KEY")]
        [InlineData("x/y.z", "", "tls.crt", "X_Y_Z_TLS_CRT")]
        public void EnvironmentNameMapping(string name, string prefix, string? key, string expected)
        {
            Assert.Equal(expected, EnvironmentNames.For(prefix, name, key));
        }
    }
}
