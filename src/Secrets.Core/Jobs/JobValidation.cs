namespace Secrets.Core.Jobs
{
    /// <summary>
    /// How strictly a job's references are checked before it starts (after ZenML's secret
    /// validation levels). What a level lets through is skipped with a warning instead of stopping
    /// the job: a variable is not set, a file or folder is not written, a template reference is
    /// left as written. Whatever the level, a reference that cannot be valid (a bad name, a
    /// hashtable where one value is needed), a damaged or forged secret file, and a file that
    /// would be overwritten always stop the job.
    /// </summary>
    public enum JobValidation
    {
        /// <summary>Every secret must exist and be readable, and every key must exist (the default).</summary>
        Strict = 0,

        /// <summary>Every secret must exist; a key it lacks, or a secret not encrypted to you, is skipped.</summary>
        SecretExists = 1,

        /// <summary>Nothing must exist: a missing or unreadable secret or key is skipped.</summary>
        None = 2,
    }
}
