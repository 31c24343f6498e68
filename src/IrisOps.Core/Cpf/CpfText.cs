using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace IrisOps.Core.Cpf
{
    /// <summary>
    /// The character and name rules the parser and the writer share, so that whatever the parser accepts the
    /// writer can write back, and nothing the writer emits can start a new CPF line.
    /// </summary>
    internal static class CpfText
    {
        // Section names as IRIS writes them: [config], [Map.%SYS], [MapMirrors.X].
        private static readonly Regex SectionName = new Regex("^[A-Za-z0-9_.%-]+$", RegexOptions.CultureInvariant);

        private static readonly Regex ActionName = new Regex("^[A-Za-z][A-Za-z0-9]*$", RegexOptions.CultureInvariant);

        private static readonly Regex PropertyName = new Regex("^[A-Za-z][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

        public static bool IsSectionName(string name) => SectionName.IsMatch(name);

        public static bool IsActionName(string name) => ActionName.IsMatch(name);

        public static bool IsPropertyName(string name) => PropertyName.IsMatch(name);

        /// <summary>CPF ignores spaces (and tabs) at both ends of a line.</summary>
        public static bool IsBlank(char c) => c == ' ' || c == '\t';

        public static string Trim(string text) => text.Trim(' ', '\t');

        public static bool HasOuterBlank(string text) => text.Length > 0 && (IsBlank(text[0]) || IsBlank(text[text.Length - 1]));

        /// <summary>
        /// The first character that has no place on a CPF line: a line break or any other C0 control except tab,
        /// a Unicode line separator, or half of a surrogate pair. Returns -1 when there is none.
        /// </summary>
        public static int FindForbiddenCharacter(string text, out string description)
        {
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                    continue;
                }

                string? problem = Describe(c);
                if (problem != null)
                {
                    description = problem;
                    return i;
                }
            }

            description = string.Empty;
            return -1;
        }

        private static string? Describe(char c)
        {
            switch (c)
            {
                case '\t':
                    return null;
                case '\n':
                    return "a line break";
                case '\r':
                    return "a carriage return";
                case '\0':
                    return "a NUL character";
                case '\u0085':
                case '\u2028':
                case '\u2029':
                    return $"a Unicode line separator (U+{(int)c:X4})";
            }

            if (c < ' ')
            {
                return $"a control character (U+{(int)c:X4})";
            }

            if (char.IsSurrogate(c))
            {
                return $"an unpaired UTF-16 surrogate (U+{(int)c:X4}), which is not valid Unicode";
            }

            return null;
        }

        /// <summary>
        /// Where a trailing comment seems to start in a value: a ';' or '#' or "//" after a space or tab. Returns
        /// -1 when there is none. Only a hint for a warning: IRIS's own iris.cpf has values with ';' and '#'.
        /// </summary>
        public static int FindTrailingComment(string value)
        {
            for (int i = 1; i < value.Length; i++)
            {
                if (!IsBlank(value[i - 1]) || IsBlank(value[i]))
                {
                    continue;
                }

                if (value[i] == ';' || value[i] == '#' || (value[i] == '/' && i + 1 < value.Length && value[i + 1] == '/'))
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>A short, printable rendering of a line for error messages: controls escaped, long lines cut.</summary>
        public static string Excerpt(string text, int maximum = 80)
        {
            var result = new StringBuilder();
            foreach (char c in text)
            {
                if (result.Length >= maximum)
                {
                    result.Append("...");
                    break;
                }

                if (c < ' ' || c == '\u0085' || c == '\u2028' || c == '\u2029' || char.IsSurrogate(c))
                {
                    result.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                }
                else
                {
                    result.Append(c);
                }
            }

            return result.ToString();
        }
    }
}
