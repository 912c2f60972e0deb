namespace Secrets.Core.Format
{
    /// <summary>One line of a file: its fields and where it starts (for "every byte before this line").</summary>
    internal sealed class Line
    {
        public Line(int number, int offset, string[] fields)
        {
            Number = number;
            Offset = offset;
            Fields = fields;
        }

        /// <summary>1-based line number, for messages.</summary>
        public int Number { get; }

        /// <summary>Byte offset of the first byte of the line in the file.</summary>
        public int Offset { get; }

        public string[] Fields { get; }

        public string Key => Fields[0];
    }
}
