using System;
using System.Collections.Generic;
using System.IO;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Secrets.Core.Vault;
using Xunit;

namespace Secrets.Core.Tests
{
    /// <summary>The parameters of a vault registered with SecretManagement (Register-SecretVault -VaultParameters).</summary>
    public class VaultSettingsTests
    {
        private static readonly string Root = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "vault-settings"));

        private static VaultSettings Parse(params (string Key, object? Value)[] pairs)
        {
            var list = new List<KeyValuePair<string, object?>>();
            foreach (var (key, value) in pairs)
            {
                list.Add(new KeyValuePair<string, object?>(key, value));
            }

            return VaultSettings.Parse("work", list);
        }

        private static InvalidInputException Fails(params (string Key, object? Value)[] pairs) =>
            Assert.Throws<InvalidInputException>(() => Parse(pairs));

        [Fact]
        public void NoParametersMeanTheDefaultStoreAndIdentity()
        {
            var settings = VaultSettings.Parse("work", null);
            Assert.Equal("work", settings.VaultName);
            Assert.Null(settings.StorePath);
            Assert.Null(settings.IdentityPath);
            Assert.True(settings.UsesDefaultStore);
            Assert.Equal(IdentitySession.DefaultTimeout, settings.UnlockTimeout);
            Assert.False(settings.Verbose);
        }

        [Fact]
        public void StoreAndIdentityAreFullPathsAndKeysIgnoreCase()
        {
            var store = Path.Combine(Root, "team");
            var identity = Path.Combine(Root, "ci.identity");
            var settings = Parse(("store", Path.Combine(Root, "x", "..", "team")), ("IDENTITY", identity));
            Assert.Equal(store, settings.StorePath);
            Assert.Equal(identity, settings.IdentityPath);
            Assert.False(settings.UsesDefaultStore);
            Assert.Equal(identity, settings.EffectiveIdentityPath);
        }

        [Fact]
        public void TildeIsTheHomeFolder()
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            var settings = Parse(("Store", "~/stores/team"), ("Identity", "~"));
            Assert.Equal(Path.GetFullPath(Path.Combine(home, "stores", "team")), settings.StorePath);
            Assert.Equal(Path.GetFullPath(home), settings.IdentityPath);
        }

        [Fact]
        public void EmptyPathMeansTheDefault()
        {
            var settings = Parse(("Store", "  "), ("Identity", null));
            Assert.Null(settings.StorePath);
            Assert.Null(settings.IdentityPath);
        }

        [Fact]
        public void RelativePathIsRefusedWithTheVaultAndKeyNamed()
        {
            var error = Fails(("Store", "stores/team"));
            Assert.Equal("VaultParameterInvalid", error.ErrorId);
            Assert.Equal(FailureKind.InvalidArgument, error.Kind);
            Assert.Contains("Vault 'work'", error.Message);
            Assert.Contains("'Store'", error.Message);
            Assert.Contains("full path", error.Message);
            Assert.Contains("Register-SecretVault -Name 'work' -ModuleName Secrets", error.RecommendedAction);
        }

        [Fact]
        public void NonStringPathIsRefused()
        {
            var error = Fails(("Identity", 42L));
            Assert.Equal("VaultParameterInvalid", error.ErrorId);
            Assert.Contains("System.Int64", error.Message);
        }

        [Fact]
        public void UnknownKeyIsRefusedWithoutRepeatingItsValue()
        {
            var error = Fails(("StorePath", "/very/distinctive/value"));
            Assert.Equal("VaultParameterUnknown", error.ErrorId);
            Assert.Contains("'StorePath'", error.Message);
            Assert.Contains("Store, Identity, UnlockTimeout", error.Message);
            Assert.DoesNotContain("distinctive", error.Message);
        }

        [Fact]
        public void KeyGivenTwiceInDifferentCaseIsRefused()
        {
            var error = Fails(("Store", Root), ("STORE", Root));
            Assert.Equal("VaultParameterInvalid", error.ErrorId);
        }

        [Theory]
        [InlineData(900, 900)]
        [InlineData(900L, 900)]
        [InlineData(90.5, 90.5)]
        [InlineData("600", 600)]
        [InlineData("01:30:00", 5400)]
        public void UnlockTimeoutIsSecondsOrATimeSpan(object value, double seconds)
        {
            Assert.Equal(TimeSpan.FromSeconds(seconds), Parse(("UnlockTimeout", value)).UnlockTimeout);
        }

        [Fact]
        public void UnlockTimeoutAcceptsATimeSpan()
        {
            Assert.Equal(TimeSpan.FromMinutes(5), Parse(("UnlockTimeout", TimeSpan.FromMinutes(5))).UnlockTimeout);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(-5)]
        [InlineData(86401)]
        [InlineData("soon")]
        [InlineData(true)]
        public void UnlockTimeoutOutOfRangeIsRefused(object value)
        {
            var error = Fails(("UnlockTimeout", value));
            Assert.Equal("VaultParameterInvalid", error.ErrorId);
            Assert.Contains("UnlockTimeout", error.Message);
        }

        [Fact]
        public void VerboseIsReservedAndRead()
        {
            Assert.True(Parse(("Verbose", true)).Verbose);
            Assert.False(Parse(("Verbose", false)).Verbose);
        }
    }
}
