using System;
using System.Collections.Generic;

namespace IrisOps.Core.Iris
{
    /// <summary>The KEY=VALUE list of a container or image environment, as Docker reports it.</summary>
    public static class EnvironmentVariables
    {
        /// <summary>
        /// The variables of a KEY=VALUE list; the value is everything after the first '='. An entry without a name
        /// (no '=' or a leading '=') is skipped; a name given twice keeps its last value, as a process would see it.
        /// </summary>
        public static IDictionary<string, string> Parse(IEnumerable<string>? entries)
        {
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string entry in entries ?? Array.Empty<string>())
            {
                int equals = entry.IndexOf('=');
                if (equals > 0)
                {
                    variables[entry.Substring(0, equals)] = entry.Substring(equals + 1);
                }
            }

            return variables;
        }
    }
}
