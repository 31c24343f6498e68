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
        }

        public string SourceName { get; }

        public int LineNumber { get; }

        /// <summary>The message without the location.</summary>
        public string Problem { get; }
    }
}
