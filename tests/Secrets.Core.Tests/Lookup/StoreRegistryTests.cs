using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Secrets.Core.Errors;
using Secrets.Core.Lookup;
using Secrets.Core.Platform;
using Secrets.Core.Tests.Support;
using Xunit;

namespace Secrets.Core.Tests.Lookup
{
    public class StoreRegistryTests
    {
        [Theory]
        [InlineData("team")]
        [InlineData("Team-2")]
        [InlineData("ci_prod")]
        [InlineData("0")]
        public void ValidStoreNames(string name) => Assert.Null(StoreNames.Validate(name));

        [Theory]
        [InlineData("", "must not be empty")]
        [InlineData("-team", "starts with '-'")]
        [InlineData("_team", "starts with '_'")]
        [InlineData("my team", "contains ' ' at position 3")]
        [InlineData("team/x", "contains '/' at position 5")]
        [InlineData("./team", "starts with '.'")]
        [InlineData("~", "starts with '~'")]
        [InlineData("c:", "contains ':' at position 2")]
        [InlineData("tab\tx", "contains the control character U+0009 at position 4")]
        [InlineData("café", "contains 'é' at position 4")]
        public void InvalidStoreNamesSayWhy(string name, string expected)
        {
            var problem = StoreNames.Validate(name);
            Assert.NotNull(problem);
            Assert.Contains(expected, problem);
            Assert.Contains("Allowed: 1 to 64 letters", problem);
        }

        [Fact]
        public void TooLongAStoreNameIsRefused() =>
            Assert.Contains("65 characters long; at most 64", StoreNames.Validate(new string('a', 65)));

        [Fact]
        public void WithoutAFileOnlyThePersonalStoreIsRegistered()
        {
            using var folder = new TempFolder();
            var registry = StoreRegistry.Load(folder.Combine("stores.json"));
            var personal = Assert.Single(registry.Stores);
            Assert.Equal(StoreNames.Personal, personal.Name);
            Assert.True(personal.IsPersonal);
            Assert.Equal(Path.GetFullPath(SecretsPaths.DefaultStorePath), personal.Path);
            Assert.Null(registry.LookupOrder);
            Assert.Same(personal, registry.Find("PERSONAL"));
        }

        [Fact]
        public void RegistrationsAndTheLookupOrderSurviveTheFile()
        {
            using var folder = new TempFolder();
            var file = folder.Combine("home", "stores.json");
            var team = folder.Combine("team store");
            var ci = folder.Combine("ci");
            StoreRegistry.Update(r => r.Register("team", team), file);
            StoreRegistry.Update(r => r.Register("ci", ci).WithLookupOrder(new[] { "team", "personal", "Secret Store" }, excludeUnlistedVaults: true), file);

            var loaded = StoreRegistry.Load(file);
            Assert.Equal(new[] { "personal", "team", "ci" }, loaded.Stores.Select(s => s.Name));
            Assert.Equal(team, loaded.Find("TEAM")!.Path);
            Assert.Equal(new[] { "team", "personal", "Secret Store" }, loaded.LookupOrder);
            Assert.True(loaded.ExcludeUnlistedVaults);
            Assert.Same(loaded.Find("ci"), loaded.FindByPath(ci + Path.DirectorySeparatorChar));

            var text = File.ReadAllText(file);
            Assert.Contains("\"format\": 1", text);
            Assert.Contains("\"unlistedVaults\": \"skip\"", text);
            Assert.DoesNotContain("\"personal\", \"path\"", text);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal("0600", FilePermissions.FormatUnixMode((int)File.GetUnixFileMode(file)));
            }

            // Written the same way every time.
            Assert.Equal(loaded.Serialize(), File.ReadAllBytes(file));

            // Back to the default order.
            StoreRegistry.Update(r => r.WithLookupOrder(null, false), file);
            Assert.Null(StoreRegistry.Load(file).LookupOrder);
        }

        [Fact]
        public void ANewStoreJoinsALookupOrderTheUserSetAndLeavesItWhenUnregistered()
        {
            using var folder = new TempFolder();
            var registry = StoreRegistry.Load(folder.Combine("stores.json"))
                .WithLookupOrder(new[] { "personal" }, false)
                .Register("team", folder.Combine("team"));
            Assert.Equal(new[] { "personal", "team" }, registry.LookupOrder);

            registry = registry.Unregister("TEAM");
            Assert.Equal(new[] { "personal" }, registry.LookupOrder);
            Assert.Single(registry.Stores);
        }

        [Fact]
        public void RegisteringTwiceIsRefusedUnlessForcedAndForcingKeepsThePlace()
        {
            using var folder = new TempFolder();
            var registry = StoreRegistry.Load(folder.Combine("stores.json"))
                .Register("team", folder.Combine("team"))
                .Register("ci", folder.Combine("ci"));

            Assert.Same(registry, registry.Register("Team", folder.Combine("team")));
            var exists = Assert.Throws<SecretsException>(() => registry.Register("team", folder.Combine("other")));
            Assert.Equal("StoreNameExists", exists.ErrorId);
            Assert.Equal(FailureKind.AlreadyExists, exists.Kind);
            Assert.Contains($"already registered as 'team', at '{folder.Combine("team")}'", exists.Message);
            Assert.Contains("-Force", exists.RecommendedAction);

            var moved = registry.Register("team", folder.Combine("other"), force: true);
            Assert.Equal(new[] { "personal", "team", "ci" }, moved.Stores.Select(s => s.Name));
            Assert.Equal(folder.Combine("other"), moved.Find("team")!.Path);

            var sameFolder = Assert.Throws<SecretsException>(() => registry.Register("again", folder.Combine("team")));
            Assert.Equal("StoreAlreadyRegistered", sameFolder.ErrorId);
            Assert.Contains("already registered as 'team'", sameFolder.Message);

            var personal = Assert.Throws<SecretsException>(() => registry.Register("mine", SecretsPaths.DefaultStorePath));
            Assert.Equal("StoreAlreadyRegistered", personal.ErrorId);
            Assert.Contains("your personal store", personal.Message);
        }

        [Theory]
        [InlineData("personal")]
        [InlineData("Personal")]
        public void ThePersonalNameIsReserved(string name)
        {
            using var folder = new TempFolder();
            var registry = StoreRegistry.Load(folder.Combine("stores.json"));
            var register = Assert.Throws<SecretsException>(() => registry.Register(name, folder.Combine("x")));
            Assert.Equal("StoreNameReserved", register.ErrorId);
            Assert.Equal(FailureKind.InvalidArgument, register.Kind);
            Assert.Contains("always registered", register.Message);
            Assert.Equal("StoreNameReserved", Assert.Throws<SecretsException>(() => registry.Unregister(name)).ErrorId);
        }

        [Fact]
        public void InvalidAndUnknownNamesAreRefused()
        {
            using var folder = new TempFolder();
            var registry = StoreRegistry.Load(folder.Combine("stores.json"));
            var invalid = Assert.Throws<InvalidInputException>(() => registry.Register("my team", folder.Combine("x")));
            Assert.Equal("InvalidStoreName", invalid.ErrorId);

            var unknown = Assert.Throws<SecretsException>(() => registry.Unregister("nosuch"));
            Assert.Equal("StoreNameNotFound", unknown.ErrorId);
            Assert.Equal(FailureKind.NotFound, unknown.Kind);
            Assert.Contains("No store is registered as 'nosuch'. The registered stores are 'personal'.", unknown.Message);
        }

        [Theory]
        [InlineData(new string[0], "at least one")]
        [InlineData(new[] { "team", "TEAM" }, "names 'TEAM' twice")]
        [InlineData(new[] { " " }, "empty or contains a control character")]
        public void ALookupOrderNamesEachPlaceOnce(string[] order, string expected)
        {
            using var folder = new TempFolder();
            var error = Assert.Throws<InvalidInputException>(() => StoreRegistry.Load(folder.Combine("stores.json")).WithLookupOrder(order, false));
            Assert.Equal("InvalidLookupOrder", error.ErrorId);
            Assert.Contains(expected, error.Message);
        }

        [Theory]
        [InlineData("{", "not valid YAML or JSON")]
        [InlineData("[]", "should be a JSON object")]
        [InlineData("{\"format\": 1}", "\"stores\" should be a list")]
        [InlineData("{\"format\": \"1\", \"stores\": []}", "\"format\" should be the number 1")]
        [InlineData("{\"format\": 1, \"stores\": [], \"extra\": 1}", "unknown key \"extra\"")]
        [InlineData("{\"format\": 1, \"stores\": [], \"stores\": []}", "the key 'stores' appears twice")]
        [InlineData("{\"format\": 1, \"stores\": [{\"name\": \"a b\", \"path\": \"/x\"}]}", "the store name 'a b' contains ' '")]
        [InlineData("{\"format\": 1, \"stores\": [{\"name\": \"personal\", \"path\": \"/x\"}]}", "is the personal store's")]
        [InlineData("{\"format\": 1, \"stores\": [{\"name\": \"a\", \"path\": \"relative\"}]}", "should be a full path")]
        [InlineData("{\"format\": 1, \"stores\": [{\"name\": \"a\", \"path\": \"/x\"}, {\"name\": \"A\", \"path\": \"/y\"}]}", "registered twice")]
        [InlineData("{\"format\": 1, \"stores\": [{\"name\": \"a\"}]}", "needs a \"path\"")]
        [InlineData("{\"format\": 1, \"stores\": [], \"lookup\": {\"order\": [], \"unlistedVaults\": \"search\"}}", "at least one")]
        [InlineData("{\"format\": 1, \"stores\": [], \"lookup\": {\"order\": [\"a\"], \"unlistedVaults\": \"maybe\"}}", "\"search\" or \"skip\"")]
        public void ADamagedFileIsReportedWithWhatIsWrong(string content, string expected)
        {
            using var folder = new TempFolder();
            var file = folder.Combine("stores.json");
            File.WriteAllText(file, content);
            var error = Assert.Throws<InvalidFileException>(() => StoreRegistry.Load(file));
            Assert.Equal("StoreRegistryInvalid", error.ErrorId);
            Assert.Equal(file, error.FilePath);
            Assert.Contains(expected, error.Message);
            Assert.Contains("delete it", error.RecommendedAction);
        }

        [Fact]
        public void ALaterFormatIsUnsupported()
        {
            using var folder = new TempFolder();
            var file = folder.Combine("stores.json");
            File.WriteAllText(file, "{\"format\": 2, \"stores\": [], \"new\": true}");
            Assert.Equal("UnsupportedFormat", Assert.Throws<UnsupportedFormatException>(() => StoreRegistry.Load(file)).ErrorId);
        }

        [Fact]
        public void ConcurrentRegistrationsAreAllKept()
        {
            using var folder = new TempFolder();
            var file = folder.Combine("stores.json");
            Parallel.For(0, 16, i => StoreRegistry.Update(r => r.Register("s" + i, folder.Combine("s" + i)), file));
            Assert.Equal(17, StoreRegistry.Load(file).Stores.Count);
        }

        [Fact]
        public void AFileWithABomAndUnicodePathsReadsBack()
        {
            using var folder = new TempFolder();
            var file = folder.Combine("stores.json");
            var path = folder.Combine("équipe \"x\"");
            File.WriteAllBytes(file, new byte[] { 0xEF, 0xBB, 0xBF }.Concat(StoreRegistry.Load(file).Register("equipe", path).Serialize()).ToArray());
            Assert.Equal(path, StoreRegistry.Load(file).Find("equipe")!.Path);
        }
    }
}
