using System.Globalization;

namespace Secrets.Core.Errors
{
    /// <summary>Numbers in messages, written the same way whatever the culture.</summary>
    public static class MessageText
    {
        /// <summary>A count with thousands separators: 65,536.</summary>
        public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
    }
}
