namespace Secrets
{
    /// <summary>
    /// Invoke-WithSecrets -Validation: what must exist before a job starts. What a relaxed level
    /// lets through is skipped with a warning. The same names and order as the core's levels.
    /// </summary>
    public enum JobValidationLevel
    {
        /// <summary>Every secret must exist and be readable, and every key must exist.</summary>
        Strict = 0,

        /// <summary>Every secret must exist; a missing key, or a secret not encrypted to you, is skipped.</summary>
        SecretExists = 1,

        /// <summary>Nothing is required: whatever is missing or unreadable is skipped.</summary>
        None = 2,
    }
}
