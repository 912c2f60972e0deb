namespace Secrets.Core.Values
{
    /// <summary>The type of a secret's value. Names match SecretManagement's SecretType.</summary>
    public enum SecretType
    {
        String = 1,
        SecureString = 2,
        PSCredential = 3,
        ByteArray = 4,
        Hashtable = 5,
    }
}
