namespace IrisOps.Core.Cpf
{
    /// <summary>One line (or, for a block comment, a group of lines) of a CPF document.</summary>
    public abstract class CpfItem
    {
        /// <summary>The section block holding this item; null in the preamble or while detached.</summary>
        internal CpfSection? Owner { get; set; }

        /// <summary>Whether a section or the preamble holds the item (the preamble has no owner section).</summary>
        internal bool Attached { get; set; }

        /// <summary>Where the item was read from; null when it was built in code.</summary>
        public CpfSource? Source { get; set; }

        /// <summary>The line it was read from, for display; null when it was built in code.</summary>
        public int? Line => Source?.Line;

        /// <summary>A detached copy with the same content and source.</summary>
        public abstract CpfItem Clone();
    }

    /// <summary>A blank line, kept so an edited file keeps its layout.</summary>
    public sealed class CpfBlankLine : CpfItem
    {
        public override CpfItem Clone() => new CpfBlankLine { Source = Source };

        public override string ToString() => string.Empty;
    }
}
