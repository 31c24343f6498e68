using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace IrisOps.Core.Settings
{
    /// <summary>
    /// Writes any string as an ObjectScript string expression that evaluates to exactly that string and can
    /// never run code: printable ASCII goes inside double quotes (a quote doubled), every other character
    /// (control characters, DEL, anything beyond ASCII, and '|') goes through $char(n), one UTF-16 code unit per
    /// argument, the way IRIS stores Unicode strings. The parts are joined with the concatenation operator _:
    /// "a"_$char(10)_"b". The expression is pure ASCII, so no terminal translation can change it.
    /// </summary>
    public static class ObjectScriptLiteral
    {
        private const int MaximumCharArguments = 32;

        /// <summary>The whole string as one expression.</summary>
        public static string Encode(string value) => string.Join("_", EncodeParts(value, int.MaxValue));

        /// <summary>
        /// The expression as a list of parts (each a quoted literal or a $char(...)) that each carry at most
        /// <paramref name="maximumCharacters"/> characters of the value, so a long value can be built over
        /// several short lines: set v=part1_part2 then set v=v_part3.
        /// </summary>
        public static IReadOnlyList<string> EncodeParts(string value, int maximumCharacters)
        {
            if (value == null)
            {
                throw new ArgumentNullException(nameof(value));
            }

            if (maximumCharacters < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(maximumCharacters));
            }

            var parts = new List<string>();
            if (value.Length == 0)
            {
                parts.Add("\"\"");
                return parts;
            }

            var text = new StringBuilder();
            int textCount = 0;
            var codes = new List<int>();

            void FlushText()
            {
                if (textCount > 0)
                {
                    parts.Add("\"" + text + "\"");
                    text.Clear();
                    textCount = 0;
                }
            }

            void FlushCodes()
            {
                if (codes.Count > 0)
                {
                    var call = new StringBuilder("$char(");
                    for (int i = 0; i < codes.Count; i++)
                    {
                        call.Append(i == 0 ? string.Empty : ",").Append(codes[i].ToString(CultureInfo.InvariantCulture));
                    }

                    parts.Add(call.Append(')').ToString());
                    codes.Clear();
                }
            }

            foreach (char ch in value)
            {
                if (IsPlain(ch))
                {
                    FlushCodes();
                    text.Append(ch == '"' ? "\"\"" : ch.ToString());
                    if (++textCount >= maximumCharacters)
                    {
                        FlushText();
                    }
                }
                else
                {
                    FlushText();
                    codes.Add(ch);
                    if (codes.Count >= Math.Min(MaximumCharArguments, maximumCharacters))
                    {
                        FlushCodes();
                    }
                }
            }

            FlushText();
            FlushCodes();
            return parts;
        }

        /// <summary>
        /// Printable ASCII except '|': the only characters written inside quotes. '|' goes through $char(124)
        /// so that no line of a script can ever contain the result marker IRISOPS|, even if a terminal echoes
        /// its input.
        /// </summary>
        public static bool IsPlain(char ch) => ch >= 0x20 && ch <= 0x7E && ch != '|';

        /// <summary>
        /// Reads back an expression written by <see cref="Encode"/>: quoted literals and $char(n,...) (or $c)
        /// joined by _. Anything else is a FormatException, so a test that decodes the script proves that
        /// nothing but literals was written where a value goes.
        /// </summary>
        public static string Decode(string expression)
        {
            if (expression == null)
            {
                throw new ArgumentNullException(nameof(expression));
            }

            var result = new StringBuilder();
            int position = 0;
            while (true)
            {
                position = DecodePart(expression, position, result);
                if (position == expression.Length)
                {
                    return result.ToString();
                }

                if (expression[position] != '_')
                {
                    throw new FormatException($"Expected _ at position {position} of the expression.");
                }

                position++;
            }
        }

        private static int DecodePart(string expression, int position, StringBuilder result)
        {
            if (position >= expression.Length)
            {
                throw new FormatException("The expression ends where a literal or $char(...) was expected.");
            }

            if (expression[position] == '"')
            {
                position++;
                while (true)
                {
                    if (position >= expression.Length)
                    {
                        throw new FormatException("A string literal is not closed.");
                    }

                    char ch = expression[position];
                    if (ch == '"')
                    {
                        if (position + 1 < expression.Length && expression[position + 1] == '"')
                        {
                            result.Append('"');
                            position += 2;
                            continue;
                        }

                        return position + 1;
                    }

                    result.Append(ch);
                    position++;
                }
            }

            string rest = expression.Substring(position);
            string? prefix = rest.StartsWith("$char(", StringComparison.OrdinalIgnoreCase) ? "$char(" : rest.StartsWith("$c(", StringComparison.OrdinalIgnoreCase) ? "$c(" : null;
            if (prefix == null)
            {
                throw new FormatException($"Expected a string literal or $char(...) at position {position} of the expression.");
            }

            int close = expression.IndexOf(')', position);
            if (close < 0)
            {
                throw new FormatException("$char( is not closed.");
            }

            string arguments = expression.Substring(position + prefix.Length, close - position - prefix.Length);
            foreach (string argument in arguments.Split(','))
            {
                if (argument.Length == 0 || argument.Length > 5 || !IsDigits(argument))
                {
                    throw new FormatException($"'{argument}' is not a character code.");
                }

                int code = int.Parse(argument, NumberStyles.None, CultureInfo.InvariantCulture);
                if (code > 0xFFFF)
                {
                    throw new FormatException($"{code} is beyond one UTF-16 code unit.");
                }

                result.Append((char)code);
            }

            return close + 1;
        }

        private static bool IsDigits(string text)
        {
            foreach (char ch in text)
            {
                if (ch < '0' || ch > '9')
                {
                    return false;
                }
            }

            return true;
        }
    }
}
