using System;
using System.IO;
using Secrets.Core.Store;
using Secrets.Core.Tests.Support;
using Secrets.Core.Values;
using Xunit;
using Secrets.Core.Names;

namespace Secrets.Core.Tests.Contracts
{
    public class StoreContractTests
    {
        [Fact]
        public void NullPathsAreArgumentNull()
        {
            using var t = new TestStore();
            Assert.Throws<ArgumentNullException>(() => SecretStore.Create(null!, t.Owner, stateRoot: t.StateRoot));
            Assert.Throws<ArgumentNullException>(() => SecretStore.Open(null!, t.StateRoot));
        }

        [Fact]
        public void NullOwnerIsArgumentNullAndCreatesNothing()
        {
            using var folder = new TempFolder();
            var path = folder.Combine("store");
            Assert.Equal("owner", Assert.Throws<ArgumentNullException>(() => SecretStore.Create(path, null!, stateRoot: folder.Combine("state"))).ParamName);
            Assert.False(Directory.Exists(path));
        }

        [Fact]
        public void NullValuesIdentitiesAndMetadataAreArgumentNull()
        {
            using var t = new TestStore();
            using var value = SecretValue.FromString("v");
            t.Store.Write("a", value, null, t.Owner, WriteMode.CreateOnly);

            Assert.Equal("value", Assert.Throws<ArgumentNullException>(() => t.Store.Write("b", null!, null, t.Owner, WriteMode.CreateOnly)).ParamName);
            Assert.Equal("writer", Assert.Throws<ArgumentNullException>(() => t.Store.Write("b", value, null, null!, WriteMode.CreateOnly)).ParamName);
            Assert.Equal("metadata", Assert.Throws<ArgumentNullException>(() => t.Store.SetMetadata("a", null!, t.Owner)).ParamName);
            Assert.Equal("writer", Assert.Throws<ArgumentNullException>(() => t.Store.SetMetadata("a", new SecretMetadata(), null!)).ParamName);
            Assert.Equal("writer", Assert.Throws<ArgumentNullException>(() => t.Store.Remove("a", null!)).ParamName);
            Assert.Equal("reader", Assert.Throws<ArgumentNullException>(() => t.Store.Read("a", null!)).ParamName);
            Assert.Equal("owner", Assert.Throws<ArgumentNullException>(() => t.Store.SetKeepVersions(5, null!)).ParamName);
            Assert.False(Directory.Exists(Path.GetDirectoryName(t.VersionFile("b", 1))));
        }

        [Fact]
        public void NamesAreInputAndRefusedAsInvalidInput()
        {
            // Names come from users: a null or empty name is an invalid name, with its error id.
            using var t = new TestStore();
            using var value = SecretValue.FromString("v");
            Assert.Equal("InvalidSecretName", Assert.Throws<Secrets.Core.Errors.InvalidInputException>(() => t.Store.Write(null!, value, null, t.Owner, WriteMode.CreateOnly)).ErrorId);
            Assert.Equal("InvalidSecretName", Assert.Throws<Secrets.Core.Errors.InvalidInputException>(() => t.Store.Read(null!, t.Owner)).ErrorId);
            Assert.Equal("InvalidSecretName", Assert.Throws<Secrets.Core.Errors.InvalidInputException>(() => t.Store.GetInfo(string.Empty)).ErrorId);
        }

        [Fact]
        public void NullFolderHasNoCanonicalName()
        {
            Assert.Throws<ArgumentNullException>(() => SecretName.CanonicalFromFolder(null!));
        }

        [Fact]
        public void ValueLargerThanSixteenMebibytesIsArgumentExceptionAndLeavesTheStoreUsable()
        {
            using var t = new TestStore();
            using var huge = SecretValue.FromBytes(new byte[16 * 1024 * 1024]);
            Assert.Throws<ArgumentException>(() => t.Store.Write("huge", huge, null, t.Owner, WriteMode.CreateOnly));
            Assert.False(File.Exists(t.VersionFile("huge", 1)));

            t.Store.LockTimeout = TimeSpan.FromSeconds(2);
            using var small = SecretValue.FromString("v");
            Assert.Equal(1, t.Store.Write("huge", small, null, t.Owner, WriteMode.CreateOnly).Version);
        }
    }
}
