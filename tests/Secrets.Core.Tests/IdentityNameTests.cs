using System;
using System.IO;
using Secrets.Core.Errors;
using Secrets.Core.Identity;
using Xunit;

namespace Secrets.Core.Tests
{
    public class IdentityNameTests
    {
        [Fact]
        public void ATooLongIdentityNameIsInvalidInputNamingTheParameter()
        {
            var path = Path.Combine(Path.GetTempPath(), "secrets-tests", Guid.NewGuid().ToString("N"), "long.identity");
            var error = Assert.Throws<InvalidInputException>(() => IdentityFile.Create(path, new string('x', 300), null));
            Assert.Equal("InvalidIdentityName", error.ErrorId);
            Assert.Equal("Name", error.ParameterName);
            Assert.False(File.Exists(path));
        }
    }
}
