using Secrets.Core.Errors;

namespace Secrets.Core.Interop
{
    /// <summary>
    /// Text in a file format (a .env, INI, JSON, YAML or Kubernetes file, a provider's credentials
    /// file) that cannot be read, or a secret that cannot be written in it. The message names the
    /// file or the text, the line and the key, never a value, and says what to do.
    /// </summary>
    public sealed class InvalidContentException : SecretsException
    {
        public InvalidContentException(string errorId, string source, int line, string problem, string? filePath = null)
            : base(errorId, FailureKind.InvalidData, Compose(source, line, problem))
        {
            Source = source;
            Line = line;
            FilePath = filePath;
        }

        /// <summary>What was read: "the file '/home/me/.env'", "the -Content text".</summary>
        public new string Source { get; }

        /// <summary>The line (1-based), or 0 when the problem is not on one line.</summary>
        public int Line { get; }

        private static string Compose(string source, int line, string problem)
        {
            var where = char.ToUpperInvariant(source[0]) + source.Substring(1);
            return line > 0 ? $"{where}, line {line}: {problem}" : $"{where}: {problem}";
        }
    }
}
