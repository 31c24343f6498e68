using System.Collections.Generic;
using System.Linq;
using System.Text;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Cpf
{
    /// <summary>
    /// Text that is not a valid CPF: the message always names the source (file) and the line, so the user can go
    /// straight to the problem. The only exception the parser lets escape on bad input.
    /// </summary>
    public sealed class CpfSyntaxException : IrisOpsException
    {
        public const string Id = "CpfSyntaxError";

        public CpfSyntaxException(string sourceName, int lineNumber, string problem)
            : base(IrisErrorKind.InvalidData, Id, $"{sourceName} line {lineNumber}: {problem}", sourceName)
        {
            SourceName = sourceName;
            LineNumber = lineNumber;
            Problem = problem;
            Problems = new[] { this };
        }

        /// <summary>Several lines of one source that cannot be read: one error listing each (the first ones, when there are very many).</summary>
        public CpfSyntaxException(string sourceName, IReadOnlyList<CpfSyntaxException> problems)
            : base(IrisErrorKind.InvalidData, Id, Describe(sourceName, problems), sourceName)
        {
            SourceName = sourceName;
            Problems = problems.OrderBy(p => p.LineNumber).ToList();
            LineNumber = Problems[0].LineNumber;
            Problem = Problems[0].Problem;
        }

        public string SourceName { get; }

        /// <summary>Every problem of the source, in line order (one item for a single problem).</summary>
        public IReadOnlyList<CpfSyntaxException> Problems { get; } = System.Array.Empty<CpfSyntaxException>();

        public int LineNumber { get; }

        /// <summary>The message without the location.</summary>
        public string Problem { get; }

        private const int ListedProblems = 20;

        private static string Describe(string sourceName, IReadOnlyList<CpfSyntaxException> problems)
        {
            var text = new StringBuilder($"{sourceName}: {problems.Count} lines cannot be read:");
            foreach (CpfSyntaxException problem in problems.OrderBy(p => p.LineNumber).Take(ListedProblems))
            {
                text.Append('\n').Append("  line ").Append(problem.LineNumber).Append(": ").Append(problem.Problem);
            }

            if (problems.Count > ListedProblems)
            {
                text.Append('\n').Append($"  and {problems.Count - ListedProblems} more.");
            }

            return text.ToString();
        }
    }
}
