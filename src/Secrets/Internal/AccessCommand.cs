using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Secrets.Core.Store;

namespace Secrets.Internal
{
    /// <summary>What Grant-, Revoke- and Get-SecretAccess share: secret names (wildcards allowed) from the pipeline.</summary>
    public abstract class AccessCommand : IdentityCmdlet
    {
        private int _done;

        /// <summary>The secret's name; wildcards select several.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SecretNameCompleter))]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        /// <summary>The store folder; the personal default store when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(StoreNameCompleter))]
        public string? Store { get; set; }

        /// <summary>The progress activity, or null for commands that change nothing.</summary>
        protected abstract string? Activity { get; }

        protected override void ProcessRecord()
        {
            ForItem(Name, () =>
            {
                var (given, storeGiven) = InStore(Name, Store, nameof(Name));
                var store = ExistingStore(storeGiven);
                var names = WildcardPattern.ContainsWildcardCharacters(given)
                    ? store.List(new WildcardPattern(given, WildcardOptions.IgnoreCase).IsMatch).Where(l => l.Record != null).Select(l => l.Record!.Name).ToList()
                    : new List<string> { given };
                for (int i = 0; i < names.Count; i++)
                {
                    var name = names[i];
                    if (Activity != null)
                    {
                        Progress(2, Activity, name, names.Count > 1 ? i : ++_done, names.Count > 1 ? names.Count : 0);
                    }

                    ForItem(name, () => Process(store, name));
                }
            });
        }

        protected override void EndProcessing()
        {
            if (Activity != null && _done > 0)
            {
                CompleteProgress(2, Activity);
            }
        }

        /// <summary>Handles one secret.</summary>
        protected abstract void Process(SecretStore store, string name);

        internal void WriteAccess(SecretStore store, string name, string member)
        {
            var target = store.FindMember(member);
            foreach (var entry in store.GetAccess(name).Where(e => e.Member.Recipient.Equals(target.Recipient)))
            {
                WriteObject(new SecretAccessInfo(entry, store.Path));
            }
        }
    }
}
