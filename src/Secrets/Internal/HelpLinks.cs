namespace Secrets.Internal
{
    /// <summary>Where the cmdlets' help is published: Get-Help -Online opens it (each cmdlet's HelpUri).</summary>
    internal static class HelpLinks
    {
        /// <summary>The project's home.</summary>
        public const string Project = "https://github.com/secrets-ps/Secrets";

        /// <summary>The folder of the cmdlet help pages (docs/help/Verb-Noun.md); each cmdlet adds its own file name.</summary>
        public const string Base = Project + "/blob/main/docs/help/";
    }
}
