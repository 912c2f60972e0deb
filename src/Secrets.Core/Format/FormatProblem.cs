using System;

namespace Secrets.Core.Format
{
    /// <summary>
    /// Thrown by the parsers when a file breaks a rule of the format. Callers turn it into an
    /// <see cref="Errors.InvalidFileException"/> naming the file.
    /// </summary>
    internal sealed class FormatProblem : Exception
    {
        public FormatProblem(string problem) : base(problem)
        {
        }
    }
}
