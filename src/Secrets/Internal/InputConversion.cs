using System.Collections;
using System.Management.Automation;
using Secrets.Core.Errors;
using Secrets.Core.Values;

namespace Secrets.Internal
{
    /// <summary>Metadata hashtables, as the cmdlets receive them.</summary>
    internal static class InputConversion
    {
        public static SecretMetadata ToMetadata(Hashtable table)
        {
            var metadata = new SecretMetadata();
            foreach (DictionaryEntry entry in table)
            {
                var key = entry.Key is PSObject k ? k.BaseObject : entry.Key;
                if (!(key is string name))
                {
                    throw new InvalidInputException("InvalidMetadata", "Metadata", "Every metadata key must be a string.");
                }

                var value = entry.Value is PSObject v ? v.BaseObject : entry.Value;
                metadata.Add(name, value);
            }

            return metadata;
        }
    }
}
