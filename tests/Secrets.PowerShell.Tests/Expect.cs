using System.Management.Automation;
using Xunit;

namespace Secrets.PowerShell.Tests
{
    /// <summary>Assertions on error records as users see them.</summary>
    internal static class Expect
    {
        /// <summary>Pins the FullyQualifiedErrorId (<c>Id,Secrets.Commands.CmdletCommand</c>) and the category.</summary>
        public static ErrorRecord Error(ErrorRecord record, string errorId, string cmdletClass, ErrorCategory category)
        {
            Assert.Equal($"{errorId},Secrets.Commands.{cmdletClass}Command", record.FullyQualifiedErrorId);
            Assert.Equal(category, record.CategoryInfo.Category);
            return record;
        }

        /// <summary>The message PowerShell shows for the record.</summary>
        public static string Message(ErrorRecord record) => record.ErrorDetails?.Message ?? record.Exception.Message;
    }
}
