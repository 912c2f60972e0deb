using System;
using Secrets.Core.Errors;
using Xunit;

namespace Secrets.Core.Tests.Support
{
    /// <summary>Assertions that a damaged or forged file was refused rather than read.</summary>
    public static class Detected
    {
        /// <summary>
        /// The action must throw a <see cref="SecretsException"/> of class InvalidData or Security (or
        /// Unsupported: damage to the first line can turn 'secrets/v1' into a later version's magic).
        /// </summary>
        public static SecretsException Tampering(Action action, string what)
        {
            SecretsException error;
            try
            {
                action();
            }
            catch (SecretsException e)
            {
                error = e;
                Assert.True(e.Kind == FailureKind.InvalidData || e.Kind == FailureKind.Security || e.Kind == FailureKind.Unsupported,
                    $"{what}: reported as {e.Kind} ({e.ErrorId}): {e.Message}");
                return error;
            }
            catch (Exception e)
            {
                Assert.Fail($"{what}: threw {e.GetType().Name} instead of a SecretsException: {e.Message}");
                throw;
            }

            Assert.Fail($"{what}: was accepted.");
            throw new InvalidOperationException();
        }

        /// <summary>The action must throw an <see cref="InvalidFileException"/> with the given error id naming the file.</summary>
        public static InvalidFileException InvalidFile(Action action, string errorId, string file)
        {
            var error = Assert.Throws<InvalidFileException>(action);
            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal(FailureKind.InvalidData, error.Kind);
            Assert.Equal(file, error.FilePath);
            Assert.Contains(file, error.Message);
            return error;
        }
    }
}
