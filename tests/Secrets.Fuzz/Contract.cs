using System;
using System.Linq;
using Secrets.Core.Errors;
using Secrets.Core.Format;
using Secrets.Core.Interop;

namespace Secrets.Fuzz
{
    /// <summary>A parser broke its contract: what a fuzz target reports as a crash.</summary>
    public sealed class ContractViolation : Exception
    {
        public ContractViolation(string message, Exception? inner = null)
            : base(message, inner)
        {
        }
    }

    /// <summary>The checks the targets make.</summary>
    internal static class Expect
    {
        private static readonly bool Tracing = Environment.GetEnvironmentVariable("SECRETS_FUZZ_TRACE") == "1";

        /// <summary>With SECRETS_FUZZ_TRACE=1, says on standard error which way an input went (for replaying finds).</summary>
        public static void Trace(string what)
        {
            if (Tracing)
            {
                Console.Error.WriteLine("  " + what);
            }
        }

        public static void That(bool condition, string what)
        {
            if (!condition)
            {
                throw new ContractViolation(what);
            }
        }

        /// <summary>Two byte strings are identical; the message says where they first differ.</summary>
        public static void SameBytes(byte[] expected, byte[] actual, string what)
        {
            int common = Math.Min(expected.Length, actual.Length);
            int at = 0;
            while (at < common && expected[at] == actual[at])
            {
                at++;
            }

            if (at == common && expected.Length == actual.Length)
            {
                return;
            }

            throw new ContractViolation($"{what}: {expected.Length} bytes expected, {actual.Length} given, first difference at byte {at}");
        }

        /// <summary>
        /// A file refused: the caller's exception is one of ours and names the file it is about.
        /// </summary>
        public static void Refused(SecretsException error, string path)
        {
            Trace($"refused ({error.ErrorId}): {error.Message}");
            That(error.FilePath == path, $"the {error.GetType().Name} ({error.ErrorId}) names '{error.FilePath}', not the file '{path}'");
            That(error.Message.Contains(path), $"the message of the {error.GetType().Name} does not name the file: {error.Message}");
            That(error is InvalidFileException || error is UnsupportedFormatException || error is SecurityViolationException,
                $"a damaged file is reported as {error.GetType().Name}");
        }

        /// <summary>A <see cref="FormatProblem"/> as the reader of <paramref name="path"/> reports it.</summary>
        public static void Refused(FormatProblem problem, string errorId, string path)
        {
            Trace("refused: " + problem.Message);
            That(!string.IsNullOrWhiteSpace(problem.Message), "a format problem without a message");
            var error = problem.ToException(errorId, path);
            Refused(error, path);
            if (error is InvalidFileException invalid)
            {
                That(invalid.ErrorId == errorId, $"error id {invalid.ErrorId}, {errorId} expected");
            }
        }

        /// <summary>Refused user input: an <see cref="InvalidInputException"/> naming the parameter.</summary>
        public static void Refused(InvalidInputException error, string errorId, string parameterName)
        {
            Trace("refused: " + error.Message);
            That(error.ErrorId == errorId, $"error id {error.ErrorId}, {errorId} expected");
            That(error.ParameterName == parameterName, $"the error names the parameter '{error.ParameterName}', not '{parameterName}'");
            That(!string.IsNullOrWhiteSpace(error.Message), "an error without a message");
        }

        /// <summary>
        /// Refused text of a file in an exchange format (an import, a provider's file): an
        /// <see cref="InvalidContentException"/> of one of the ids the reader has, naming the file.
        /// </summary>
        public static void Refused(InvalidContentException error, string path, params string[] errorIds)
        {
            Trace($"refused ({error.ErrorId}): {error.Message}");
            That(Array.IndexOf(errorIds, error.ErrorId) >= 0, $"refused as {error.ErrorId}, not as {string.Join(" or ", errorIds)}: {error.Message}");
            That(error.FilePath == path, $"the {error.ErrorId} error names '{error.FilePath}', not the file '{path}'");
            That(error.Message.Contains(path), $"the message of the {error.ErrorId} error does not name the file: {error.Message}");
            That(error.Line >= 0, $"the {error.ErrorId} error gives the line {error.Line}");
        }

        public static void SameBytes(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, string what) =>
            SameBytes(expected.ToArray(), actual.ToArray(), what);

        public static void AllZero(byte[] data, int from, string what) =>
            That(data.Skip(from).All(b => b == 0), what);
    }
}
