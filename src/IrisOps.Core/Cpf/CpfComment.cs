using System;
using System.Linq;

namespace IrisOps.Core.Cpf
{
    /// <summary>
    /// A comment, kept with its marker exactly as written: "# text", "; text", "// text", or a "/* ... */" block
    /// whose lines are separated by '\n'. Comments are always on lines of their own, because values may legally
    /// contain ';' or '#'.
    /// </summary>
    public sealed class CpfComment : CpfItem
    {
        public CpfComment(string text)
        {
            if (text == null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            // CPF ignores blanks at both ends of a line, so the stored text is what a reader of the file gets back.
            Text = string.Join("\n", text.Split('\n').Select(line => line.Trim(' ', '\t', '\r')));
        }

        /// <summary>The comment with its marker; a block comment spans several lines joined by '\n'.</summary>
        public string Text { get; }

        public bool IsBlock => Text.StartsWith("/*", StringComparison.Ordinal);

        /// <summary>A "# text" comment line.</summary>
        public static CpfComment FromText(string text) => new CpfComment("# " + text);

        public override CpfItem Clone() => new CpfComment(Text) { Source = Source };

        public override string ToString() => Text;
    }
}
