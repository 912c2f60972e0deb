namespace ConflictingBouncyCastle
{
    /// <summary>Proves which copy of BouncyCastle.Cryptography a load context resolved: only this copy has it.</summary>
    public static class ConflictingMarker
    {
        public const string Text = "conflicting BouncyCastle fixture";
    }
}
