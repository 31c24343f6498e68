using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Cpf
{
    public enum CpfLineEnding
    {
        /// <summary>"\n", what IRIS writes on every platform.</summary>
        Lf,

        /// <summary>"\r\n", for files edited on Windows.</summary>
        CrLf,
    }

    public sealed class CpfWriteOptions
    {
        public CpfLineEnding LineEnding { get; set; } = CpfLineEnding.Lf;
    }

    /// <summary>
    /// Writes a <see cref="CpfDocument"/> as canonical CPF text: section names as IRIS spells them, one item per
    /// line, a final newline, action values in double quotes when they contain ',' or '=' (or blanks at either
    /// end, or are empty). It refuses, naming the line and the action/property or section/key, anything that
    /// could change the meaning of the file: a line break, NUL or other control character in any value (it would
    /// inject a line), a double quote in an action value (IRIS documents no escape), a name that is not a name.
    /// Whatever it writes, <see cref="CpfParser"/> reads back as the same document.
    /// </summary>
    public static class CpfWriter
    {
        public const string UnwritableValueId = "CpfUnwritableValue";
        public const string InvalidNameId = "CpfInvalidName";
        public const string InvalidCommentId = "CpfInvalidComment";

        public static string Write(CpfDocument document, CpfWriteOptions? options = null)
        {
            if (document == null)
            {
                throw new ArgumentNullException(nameof(document));
            }

            var output = new Output((options ?? new CpfWriteOptions()).LineEnding == CpfLineEnding.CrLf ? "\r\n" : "\n");
            foreach (CpfItem item in document.Preamble)
            {
                WriteItem(output, item, null);
            }

            foreach (CpfSection section in document.Sections)
            {
                if (!CpfText.IsSectionName(section.Name))
                {
                    throw new IrisOpsException(IrisErrorKind.InvalidArgument, InvalidNameId,
                        $"Cannot write line {output.NextLine}: '{CpfText.Excerpt(section.Name)}'{From(section.Source)} is not a valid section name; use letters, digits and . % _ - only, e.g. Map.APP.", section.Name);
                }

                output.Line("[" + section.Name + "]");
                foreach (CpfItem item in section.Items)
                {
                    WriteItem(output, item, section);
                }
            }

            return output.ToString();
        }

        /// <summary>True when an action value must be written in double quotes to read back unchanged.</summary>
        public static bool NeedsQuotes(string value) =>
            value.Length == 0 || value.IndexOf(',') >= 0 || value.IndexOf('=') >= 0 || CpfText.HasOuterBlank(value);

        internal static string FormatActionValue(string value) => NeedsQuotes(value) ? "\"" + value + "\"" : value;

        private static void WriteItem(Output output, CpfItem item, CpfSection? section)
        {
            switch (item)
            {
                case CpfBlankLine _:
                    output.Line(string.Empty);
                    break;
                case CpfComment comment:
                    WriteComment(output, comment);
                    break;
                case CpfEntry entry:
                    output.Line(FormatEntry(entry, section!.Name, output.NextLine));
                    break;
                case CpfAction action:
                    output.Line(FormatAction(action, output.NextLine));
                    break;
                default:
                    throw new InvalidOperationException("Unknown CPF item type " + item.GetType().FullName);
            }
        }

        private static string FormatEntry(CpfEntry entry, string section, int line)
        {
            string where = $"line {line}, [{section}] {CpfText.Excerpt(entry.Name)}{From(entry.Source)}";
            string key = entry.Name;
            string? keyProblem = null;
            if (key.Length == 0)
            {
                keyProblem = "the key is empty";
            }
            else if (key.IndexOf('=') >= 0)
            {
                keyProblem = "the key contains '=', so IRIS would split it there";
            }
            else if (CpfText.FindForbiddenCharacter(key, out string what) >= 0)
            {
                keyProblem = $"the key contains {what}";
            }
            else if (CpfText.HasOuterBlank(key))
            {
                keyProblem = "the key starts or ends with a space";
            }
            else if (key[0] == '[' || key[0] == ';' || key[0] == '#' || key.StartsWith("//", StringComparison.Ordinal) || key.StartsWith("/*", StringComparison.Ordinal))
            {
                keyProblem = "the key starts like a section header or a comment, so the line would not be read as an entry";
            }

            if (keyProblem != null)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, InvalidNameId, $"Cannot write {where}: {keyProblem}.", entry);
            }

            CheckValue(entry.Value, where, entry);
            if (entry.Value.Length > 0 && CpfText.IsBlank(entry.Value[entry.Value.Length - 1]))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, UnwritableValueId,
                    $"Cannot write {where}: the value ends with a space, which IRIS drops at the end of a line. Remove it.", entry);
            }

            return key + "=" + entry.Value;
        }

        private static string FormatAction(CpfAction action, int line)
        {
            if (!CpfText.IsActionName(action.Action))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, InvalidNameId,
                    $"Cannot write line {line}{From(action.Source)}: '{CpfText.Excerpt(action.Action)}' is not a valid action name; action names are letters and digits, e.g. CreateDatabase.", action);
            }

            var text = new StringBuilder(action.Action).Append(':');
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i < action.Properties.Count; i++)
            {
                CpfProperty property = action.Properties[i];
                string where = $"line {line}, action {action.Action}, property {CpfText.Excerpt(property.Name)}{From(action.Source)}";
                if (!CpfText.IsPropertyName(property.Name))
                {
                    throw new IrisOpsException(IrisErrorKind.InvalidArgument, InvalidNameId,
                        $"Cannot write {where}: '{CpfText.Excerpt(property.Name)}' is not a valid property name; property names are letters, digits and _, e.g. Directory.", action);
                }

                if (!seen.Add(property.Name))
                {
                    throw new IrisOpsException(IrisErrorKind.InvalidArgument, InvalidNameId,
                        $"Cannot write {where}: {action.Action} sets {property.Name} twice; keep one.", action);
                }

                CheckValue(property.Value, where, action);
                if (property.Value.IndexOf('"') >= 0)
                {
                    throw new IrisOpsException(IrisErrorKind.InvalidArgument, UnwritableValueId,
                        $"Cannot write {where}: the value contains a double quote. Values with ',' or '=' are written in double quotes and IRIS documents no way to escape a quote inside them; use a value without it.", action);
                }

                if (i > 0)
                {
                    text.Append(',');
                }

                text.Append(property.Name).Append('=').Append(FormatActionValue(property.Value));
            }

            return text.ToString();
        }

        private static void CheckValue(string value, string where, object target)
        {
            int bad = CpfText.FindForbiddenCharacter(value, out string what);
            if (bad >= 0)
            {
                string consequence = what.Contains("line") || what.Contains("carriage")
                    ? ", which would start a new line in the file and could inject a CPF line. Remove it"
                    : ", which has no place in a CPF line. Remove it";
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, UnwritableValueId, $"Cannot write {where}: the value contains {what}{consequence}.", target);
            }
        }

        private static void WriteComment(Output output, CpfComment comment)
        {
            string[] lines = comment.Text.Split('\n');
            string? problem = null;
            if (comment.IsBlock)
            {
                string last = lines[lines.Length - 1];
                int end = comment.Text.IndexOf("*/", 2, StringComparison.Ordinal);
                if (!last.EndsWith("*/", StringComparison.Ordinal) || end != comment.Text.Length - 2)
                {
                    problem = "a /* comment must end with */ at the end of its last line, with no */ before that";
                }
            }
            else if (lines.Length > 1)
            {
                problem = "a comment that is not a /* */ block must be one line; add one comment per line";
            }
            else if (!(comment.Text.StartsWith(";", StringComparison.Ordinal) || comment.Text.StartsWith("#", StringComparison.Ordinal) || comment.Text.StartsWith("//", StringComparison.Ordinal)))
            {
                problem = "a comment must start with #, ;, // or /*";
            }

            foreach (string line in lines)
            {
                if (problem == null && CpfText.FindForbiddenCharacter(line, out string what) >= 0)
                {
                    problem = $"the comment contains {what}";
                }
            }

            if (problem != null)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, InvalidCommentId,
                    $"Cannot write line {output.NextLine}{From(comment.Source)}: {problem}: '{CpfText.Excerpt(comment.Text)}'.", comment);
            }

            foreach (string line in lines)
            {
                output.Line(line);
            }
        }

        private static string From(CpfSource? source) => source == null ? string.Empty : $" (from {source})";

        private sealed class Output
        {
            private readonly StringBuilder text = new StringBuilder();
            private readonly string newLine;

            public Output(string newLine) => this.newLine = newLine;

            /// <summary>The number of the line written next, for messages.</summary>
            public int NextLine { get; private set; } = 1;

            public void Line(string line)
            {
                text.Append(line).Append(newLine);
                NextLine++;
            }

            public override string ToString() => text.ToString();
        }
    }
}
