namespace Secrets.Core.Store
{
    /// <summary>What someone may do with a secret. Each level includes the ones below it.</summary>
    public enum AccessLevel
    {
        None = 0,

        /// <summary>Is a recipient: can decrypt the value.</summary>
        Read = 1,

        /// <summary>May write new versions; readers accept versions signed by them.</summary>
        Write = 2,

        /// <summary>May grant and revoke access to the secret.</summary>
        Manage = 3,
    }

    /// <summary>A store member's role.</summary>
    public enum MemberRole
    {
        /// <summary>Creates secrets; reads and writes others' secrets as their access lists say.</summary>
        Member,

        /// <summary>Adds and removes members; manages and reads every secret.</summary>
        Admin,

        /// <summary>The store's owner (not a log entry: named by the manifest).</summary>
        Owner,
    }
}
