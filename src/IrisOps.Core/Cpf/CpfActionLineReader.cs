using System.Linq;
using IrisOps.Core.Common;

namespace IrisOps.Core.Cpf
{
    /// <summary>
    /// Reads one [Actions] line, ActionName:Property=Value,Property=Value, the way IRIS reads it (Automating
    /// Configuration with Configuration Merge; Configuration Parameter File Reference). A value with ',' or '='
    /// should be in double quotes, but public merge files also write unquoted lists
    /// (PasswordHash=hash,salt,10000,SHA512 or Roles=%All,%DB_X): a comma fragment without '=' continues the
    /// value before it. Such lines are read that way with a warning naming the file, line and property; the writer
    /// puts these values in quotes. Text that looks like a trailing comment stays part of the value, with a
    /// warning: the manuals do not say how IRIS reads it. A double quote inside a value is refused, because no
    /// way to escape one is documented. Error hints show the whole corrected line when it is short.
    /// </summary>
    internal sealed class CpfActionLineReader
    {
        private const int ShortLine = 120;
        private readonly string sourceName;
        private readonly IOperationReporter reporter;
        private readonly string line;
        private readonly int number;
        private readonly CpfAction action;

        private CpfActionLineReader(string sourceName, IOperationReporter reporter, string line, int number, string name)
        {
            this.sourceName = sourceName;
            this.reporter = reporter;
            this.line = line;
            this.number = number;
            action = new CpfAction(name);
        }

        /// <summary>Reads a trimmed [Actions] line; throws <see cref="CpfSyntaxException"/> naming the line.</summary>
        public static CpfAction Read(string line, int number, string sourceName, IOperationReporter reporter)
        {
            int colon = line.IndexOf(':');
            int equals = line.IndexOf('=');
            if (colon < 0 || (equals >= 0 && equals < colon))
            {
                throw new CpfSyntaxException(sourceName, number, $"'{CpfText.Excerpt(line)}' in [Actions] is not an action; write ActionName:Property=Value,Property=Value.");
            }

            string name = line.Substring(0, colon);
            if (!CpfText.IsActionName(name))
            {
                throw new CpfSyntaxException(sourceName, number, $"'{CpfText.Excerpt(name)}' is not a valid action name; action names are letters and digits, e.g. CreateDatabase.");
            }

            var reader = new CpfActionLineReader(sourceName, reporter, line, number, name);
            int position = colon + 1;
            while (position < line.Length)
            {
                position = reader.ReadProperty(position);
            }

            return reader.action;
        }

        /// <summary>Reads one Property=Value (with any unquoted continuation) at <paramref name="start"/>; returns where the next one starts.</summary>
        private int ReadProperty(int start)
        {
            int equals = line.IndexOf('=', start);
            int comma = line.IndexOf(',', start);
            if (equals < 0 || (comma >= 0 && comma < equals))
            {
                int end = comma < 0 ? line.Length : comma;
                string fragment = line.Substring(start, end - start);
                if (fragment.Length == 0)
                {
                    throw Error($"{action.Action} has an empty property (two commas in a row, or a comma at the end of the line).");
                }

                // Only reached for the first property, or after a quoted value: an unquoted value takes the fragment.
                if (action.Properties.Count == 0)
                {
                    // The example names the property the action is identified by, as the reference's synopsis does.
                    string first = Catalog.CpfActionCatalog.Find(action.Action)?.RequiredProperties.FirstOrDefault() ?? "Name";
                    throw Error($"{action.Action}: '{CpfText.Excerpt(fragment)}' has no '='; write Property=Value.{Example(line.Substring(0, start) + first + "=" + line.Substring(start), "For example")}");
                }

                CpfProperty previous = action.Properties[action.Properties.Count - 1];
                throw Error($"{action.Action}: '{CpfText.Excerpt(fragment)}' has no '=' and follows the quoted value of {previous.Name}. If it belongs to that value, put it inside the quotes." +
                    Example(Quoted(line.LastIndexOf(previous.Name + "=\"", start - 1, System.StringComparison.Ordinal), previous.Name, end, previous.Value + "," + fragment)));
            }

            string property = line.Substring(start, equals - start);
            if (!CpfText.IsPropertyName(property))
            {
                string trimmed = CpfText.Trim(property);
                string hint = property.Length > 0 && CpfText.IsBlank(property[0])
                    ? " Remove the space after the comma or colon: spaces are part of the name for IRIS"
                    : property.Length > 0 && CpfText.IsBlank(property[property.Length - 1])
                        ? " Remove the space before '='"
                        : " Property names are letters, digits and _";
                string corrected = CpfText.IsPropertyName(trimmed) ? Example(line.Substring(0, start) + trimmed + line.Substring(equals)) : string.Empty;
                throw Error($"{action.Action}: '{CpfText.Excerpt(property)}' is not a valid property name.{hint}.{corrected}");
            }

            if (action.Properties.Contains(property))
            {
                throw Error($"{action.Action} sets {property} twice; keep one.");
            }

            int valueStart = equals + 1;
            return valueStart < line.Length && line[valueStart] == '"' ? ReadQuoted(property, valueStart) : ReadUnquoted(property, valueStart);
        }

        private int ReadQuoted(string property, int valueStart)
        {
            int close = line.IndexOf('"', valueStart + 1);
            if (close < 0)
            {
                throw Error($"{action.Action}, property {property}: the quoted value is never closed with \".");
            }

            string value = line.Substring(valueStart + 1, close - valueStart - 1);
            int next = close + 1;
            if (next < line.Length && line[next] != ',')
            {
                throw Error($"{action.Action}, property {property}: text follows the closing quote. A double quote inside a quoted value is not supported: IRIS documents no way to escape it.");
            }

            // A quoted value is the value, whatever it holds: no comment warning.
            action.Properties.Add(property, value);
            return AfterValue(next);
        }

        private int ReadUnquoted(string property, int valueStart)
        {
            int end = line.IndexOf(',', valueStart);
            int next = end < 0 ? line.Length : end;
            int fragments = 0;

            // A comma fragment without '=' continues this value.
            while (next < line.Length)
            {
                int fragmentEnd = line.IndexOf(',', next + 1);
                if (fragmentEnd < 0)
                {
                    fragmentEnd = line.Length;
                }

                string fragment = line.Substring(next + 1, fragmentEnd - next - 1);
                if (fragment.Length == 0 || fragment.IndexOf('=') >= 0)
                {
                    break;
                }

                fragments++;
                next = fragmentEnd;
            }

            string value = line.Substring(valueStart, next - valueStart);
            if (value.IndexOf('"') >= 0)
            {
                throw Error($"{action.Action}, property {property}: the value contains a double quote. IRIS documents no way to escape one; use a value without it.");
            }

            if (value.IndexOf('=') >= 0)
            {
                throw Error($"{action.Action}, property {property}: a value containing ',' or '=' must be in double quotes: {property}=\"{CpfText.Excerpt(value)}\"."
                    + Example(Quoted(valueStart - property.Length - 1, property, next, value), "Write the line as"));
            }

            if (CpfText.HasOuterBlank(value))
            {
                string trimmed = CpfText.Trim(value);
                throw Error($"{action.Action}, property {property}: the value '{CpfText.Excerpt(value)}' starts or ends with a space. Remove it, or quote the value if the space is meant."
                    + Example(line.Substring(0, valueStart) + CpfWriter.FormatActionValue(trimmed) + line.Substring(next)));
            }

            if (fragments > 0)
            {
                reporter.Warning($"{sourceName} line {number}: {action.Action}: the value of {property} is not in double quotes and goes on after a comma; " +
                    $"it is read as one value, '{CpfText.Excerpt(value)}', as IRIS reads a comma fragment without '='. It will be written as {property}=\"{CpfText.Excerpt(value)}\".");
            }

            WarnIfComment(property, value);
            action.Properties.Add(property, value);
            return AfterValue(next);
        }

        private int AfterValue(int next)
        {
            if (next < line.Length)
            {
                next++; // the comma
                if (next == line.Length)
                {
                    throw Error($"{action.Action} ends with a comma; remove it or add the missing property.");
                }
            }

            return next;
        }

        private void WarnIfComment(string property, string value)
        {
            int comment = CpfText.FindTrailingComment(value);
            if (comment >= 0)
            {
                reporter.Warning($"{sourceName} line {number}: {action.Action}, property {property}: the value '{CpfText.Excerpt(value)}' ends with text that looks like a comment " +
                    $"('{CpfText.Excerpt(value.Substring(comment))}'). The manuals do not say how IRIS reads a comment after a value, so it is kept as part of the value. Put comments on lines of their own.");
            }
        }

        /// <summary>The line with the property whose name starts at <paramref name="nameStart"/> (its value ending at <paramref name="to"/>) given a quoted value.</summary>
        private string Quoted(int nameStart, string property, int to, string value) =>
            nameStart < 0 ? string.Empty : line.Substring(0, nameStart) + property + "=\"" + value + "\"" + line.Substring(to);

        private static string Example(string corrected, string lead = "Write") =>
            corrected.Length == 0 || corrected.Length > ShortLine ? string.Empty : " " + lead + ": " + CpfText.Excerpt(corrected, ShortLine);

        private CpfSyntaxException Error(string problem) => new CpfSyntaxException(sourceName, number, problem);
    }
}
