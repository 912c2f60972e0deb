using System;
using Secrets.Core.Errors;

namespace Secrets.Core.Format
{
    /// <summary>
    /// Thrown by the parsers when a file breaks a rule of the format. Callers turn it into an
    /// <see cref="InvalidFileException"/> naming the file, or an <see cref="UnsupportedFormatException"/>
    /// when the file declares a later format version.
    /// </summary>
    internal sealed class FormatProblem : Exception
    {
        public FormatProblem(string problem) : base(problem)
        {
        }

        /// <summary>The magic of a later format version (e.g. "secrets/v2"), when that is the problem.</summary>
        public string? LaterFormat { get; private set; }

        /// <summary>
        /// Whether the problem is a manifest's owner hand-over not signed by the owner it names: a
        /// reader reports it as a change of owner (StoreOwnerChanged), not as a damaged file.
        /// </summary>
        public bool IsForgedHandOver { get; private set; }

        public static FormatProblem ForgedHandOver(string problem) => new FormatProblem(problem) { IsForgedHandOver = true };

        public static FormatProblem Later(string magic) =>
            new FormatProblem($"it is in format '{magic}', which is newer than this reader's 'secrets/v1'") { LaterFormat = magic };

        /// <summary>The exception a caller reports for this problem with the file at <paramref name="path"/>.</summary>
        public SecretsException ToException(string errorId, string path) =>
            LaterFormat != null
                ? new UnsupportedFormatException(path, $"format '{LaterFormat}'")
                : new InvalidFileException(errorId, path, Message);
    }
}
