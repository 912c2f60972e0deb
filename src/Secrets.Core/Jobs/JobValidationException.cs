using System.Collections.Generic;
using System.Linq;
using Secrets.Core.Errors;

namespace Secrets.Core.Jobs
{
    /// <summary>The job was not started because one or more references cannot be satisfied. Lists them all.</summary>
    public sealed class JobValidationException : SecretsException
    {
        public JobValidationException(IReadOnlyList<string> problems)
            : this(problems, dryRun: false)
        {
        }

        /// <summary>The problems; with <paramref name="dryRun"/> (-WhatIf), worded as what would happen.</summary>
        public JobValidationException(IReadOnlyList<string> problems, bool dryRun)
            : base("JobValidationFailed", FailureKind.InvalidArgument,
                   $"The job {(dryRun ? "would not start" : "was not started")}: {problems.Count} problem{(problems.Count == 1 ? string.Empty : "s")} with its secrets:"
                   + string.Concat(problems.Select(p => "\n  - " + p)))
        {
            Problems = problems;
            RecommendedAction = "Fix every reference listed (Get-SecretInfo lists the secrets), then run the job again.";
        }

        public IReadOnlyList<string> Problems { get; }
    }
}
