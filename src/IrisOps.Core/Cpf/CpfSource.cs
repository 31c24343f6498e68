namespace IrisOps.Core.Cpf
{
    /// <summary>Where a line or value came from, for messages: "merge.cpf line 7", "pipeline input 3".</summary>
    public sealed class CpfSource
    {
        public CpfSource(string name, int? line = null)
        {
            Name = name;
            Line = line;
        }

        /// <summary>The file path, or a description such as "pipeline input 3".</summary>
        public string Name { get; }

        public int? Line { get; }

        /// <summary>Whether the validation warnings about this line were already written (they are written once per file).</summary>
        internal bool ValidationReported { get; set; }

        public override string ToString() => Line.HasValue ? $"{Name} line {Line}" : Name;
    }
}
