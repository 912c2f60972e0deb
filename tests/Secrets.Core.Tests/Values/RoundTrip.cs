using Secrets.Core.Store;
using Secrets.Core.Values;

namespace Secrets.Core.Tests.Values
{
    /// <summary>Writes a value to a fresh store and reads it back through a reopened store, as another process would.</summary>
    internal static class RoundTrip
    {
        public static SecretValue Through(TestStore t, SecretValue value, string name = "round/trip")
        {
            using (value)
            {
                t.Store.Write(name, value, null, t.Owner, WriteMode.CreateOnly);
            }

            return t.Reopen().Read(name, t.Owner);
        }
    }
}
