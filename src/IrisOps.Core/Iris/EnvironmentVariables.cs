using System;
using System.Collections.Generic;

namespace IrisOps.Core.Iris
{
    /// <summary>The KEY=VALUE list of a container or image environment, as Docker reports it.</summary>
    public static class EnvironmentVariables
    {
        /// <summary>
        /// The variables of a KEY=VALUE list; the value is everything after the first '='. An entry without a name
        /// (a leading '=') is skipped; a name given twice keeps its last value, as a process would see it. A bare
        /// NAME (no '=') is skipped, or kept with an empty value when <paramref name="bareNamesAsEmpty"/> (how
        /// a container's own configuration is read back, so re-creating it keeps the name).
        /// </summary>
        public static IDictionary<string, string> Parse(IEnumerable<string>? entries, bool bareNamesAsEmpty = false)
        {
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string entry in entries ?? Array.Empty<string>())
            {
                int equals = entry.IndexOf('=');
                if (equals > 0)
                {
                    variables[entry.Substring(0, equals)] = entry.Substring(equals + 1);
                }
                else if (equals < 0 && bareNamesAsEmpty && entry.Length > 0)
                {
                    variables[entry] = string.Empty;
                }
            }

            return variables;
        }
    }
}
