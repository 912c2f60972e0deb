using System;
using System.IO;
using System.Management.Automation;
using Secrets.Core.Errors;

namespace Secrets.Internal
{
    /// <summary>The one place core failures become PowerShell error records.</summary>
    internal static class ErrorMapping
    {
        public static ErrorCategory CategoryOf(FailureKind kind)
        {
            switch (kind)
            {
                case FailureKind.NotFound: return ErrorCategory.ObjectNotFound;
                case FailureKind.AlreadyExists: return ErrorCategory.ResourceExists;
                case FailureKind.InvalidArgument: return ErrorCategory.InvalidArgument;
                case FailureKind.InvalidData: return ErrorCategory.InvalidData;
                case FailureKind.Security: return ErrorCategory.SecurityError;
                case FailureKind.Authentication: return ErrorCategory.AuthenticationError;
                case FailureKind.Permission: return ErrorCategory.PermissionDenied;
                case FailureKind.Busy: return ErrorCategory.ResourceBusy;
                case FailureKind.Unsupported: return ErrorCategory.NotImplemented;
                default: return ErrorCategory.InvalidOperation;
            }
        }

        /// <summary>An error record for a core failure. The target is a name or a path, never a value.</summary>
        public static ErrorRecord ToErrorRecord(SecretsException exception, object? target)
        {
            var record = new ErrorRecord(exception, exception.ErrorId, CategoryOf(exception.Kind), target ?? exception.FilePath);
            // The recommended action is part of the message, which every host shows (Windows
            // PowerShell does not show ErrorDetails.RecommendedAction), and only there, so that
            // PowerShell 7 does not show it twice.
            var message = exception.RecommendedAction == null ? exception.Message : exception.Message + " " + exception.RecommendedAction;
            record.ErrorDetails = new ErrorDetails(message);
            return record;
        }

        /// <summary>An error record for a file-system failure (no access, disk full…).</summary>
        public static ErrorRecord FromIo(Exception exception, string errorId, object? target)
        {
            var category = exception is UnauthorizedAccessException ? ErrorCategory.PermissionDenied
                : exception is FileNotFoundException || exception is DirectoryNotFoundException ? ErrorCategory.ObjectNotFound
                : ErrorCategory.WriteError;
            return new ErrorRecord(exception, errorId, category, target);
        }

        public static ErrorRecord InvalidArgument(string errorId, string message, object? target) =>
            new ErrorRecord(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target);
    }
}
