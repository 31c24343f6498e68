using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using IrisOps.Core.Errors;
using IrisOps.Core.Settings;

namespace IrisOps.Core.Productions
{
    /// <summary>
    /// The checks every item row passes before anything is sent. Each rule is from the manuals:
    /// - item names: Configuring Productions, "Configuration Names" (at least one character; letters, digits and any
    ///   printable character except | ; , : [ &lt; &gt; \ / &amp; "; not starting or ending with ! $ .; not starting
    ///   with _; not '*' alone);
    /// - production and host class names: Defining and Using Classes, "Class Names" (a package and a class name
    ///   separated by '.', starting with a letter or %, no other punctuation);
    /// - Pool Size: Configuring Productions, "Pool Size" (a number of system jobs: 0 or more);
    /// - Schedule: Configuring Productions, "Schedule Specifications" (a comma-separated list of
    ///   START|STOP:YYYY-MM-DDThh:mm:ss, or empty for none);
    /// - settings: a Name (a property name: no spaces, Configuring Productions, "Creating or Editing a System Default
    ///   Setting") and Host or Adapter as Target (Developing Productions, "A Look at a Production Definition").
    /// Values are free text: they reach IRIS only as ObjectScript string literals (<see cref="ObjectScriptLiteral"/>).
    /// </summary>
    public static class ProductionItemValidator
    {
        public const string InvalidItemId = "InvalidProductionItem";
        private const int MaximumListedProblems = 20;
        private const string ForbiddenNameCharacters = "|;,:[<>\\/&\"";
        private static readonly Regex ClassName = new Regex(@"^%?[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+$", RegexOptions.CultureInvariant);
        private static readonly Regex SettingName = new Regex(@"^%?[A-Za-z][A-Za-z0-9]*$", RegexOptions.CultureInvariant);
        private static readonly Regex ScheduleEvent = new Regex(@"^(START|STOP):(\d{4}|\*|WEEK)-(\d{2}|\*)-(\d{2}|\*)T([01]\d|2[0-3]):[0-5]\d:[0-5]\d$", RegexOptions.CultureInvariant);

        /// <summary>The problems of one row, each a sentence that starts with the row's description.</summary>
        public static IList<string> Check(ProductionItem row, bool requireClass)
        {
            var problems = new List<string>();
            string where = row.Describe();
            CheckClassName(row.ProductionName, "ProductionName", where, problems);
            string? nameProblem = ItemNameProblem(row.Name);
            if (nameProblem != null)
            {
                problems.Add($"{where}: Name {nameProblem}");
            }

            if (row.ClassName != null || requireClass)
            {
                CheckClassName(row.ClassName, "ClassName", where, problems);
            }

            if (row.PoolSize < 0)
            {
                problems.Add($"{where}: PoolSize is {row.PoolSize}; it is a number of jobs, 0 or more.");
            }

            CheckText(row.Category, "Category", where, problems);
            CheckText(row.Comment, "Comment", where, problems);
            if (row.Schedule != null && row.Schedule.Length > 0)
            {
                string? bad = row.Schedule.Split(',').FirstOrDefault(e => !ScheduleEvent.IsMatch(e));
                if (bad != null)
                {
                    problems.Add($"{where}: Schedule '{DefaultSetting.Show(row.Schedule)}' has the event '{DefaultSetting.Show(bad)}', which is not START or STOP:YYYY-MM-DDThh:mm:ss (Configuring Productions, \"Schedule Specifications\"; YYYY may be * or WEEK, MM and DD may be *); give '' for no schedule.");
                }
            }

            foreach (ProductionItemSetting setting in row.Settings)
            {
                if (!SettingName.IsMatch(setting.Name))
                {
                    problems.Add($"{where}: the setting '{DefaultSetting.Show(setting.Key)}' does not name a property (letters and digits, no spaces: the setting Log Trace Events is the property LogTraceEvents).");
                }

                CheckText(setting.Value, "the setting " + setting.Key, where, problems);
            }

            foreach (string key in row.RepeatedSettings())
            {
                problems.Add($"{where}: the setting {key} is given more than once.");
            }

            return problems;
        }

        /// <summary>Why <paramref name="name"/> is not a configuration item name, or null when it is one.</summary>
        public static string? ItemNameProblem(string? name)
        {
            if (string.IsNullOrEmpty(name))
            {
                return "is empty; give the configuration name of the item.";
            }

            foreach (char ch in name!)
            {
                if (ch < 0x20 || ch == 0x7F || char.IsSurrogate(ch))
                {
                    return string.Format(CultureInfo.InvariantCulture, "'{0}' contains the character U+{1:X4}; a configuration name has printable characters only (Configuring Productions, \"Configuration Names\").", DefaultSetting.Show(name), (int)ch);
                }

                if (ForbiddenNameCharacters.IndexOf(ch) >= 0)
                {
                    return $"'{DefaultSetting.Show(name)}' contains '{ch}'; a configuration name cannot contain any of | ; , : [ < > \\ / & \" (Configuring Productions, \"Configuration Names\").";
                }
            }

            if ("!$.".IndexOf(name[0]) >= 0 || "!$.".IndexOf(name[name.Length - 1]) >= 0)
            {
                return $"'{DefaultSetting.Show(name)}' starts or ends with ! $ or .; a configuration name cannot (Configuring Productions, \"Configuration Names\").";
            }

            if (name[0] == '_')
            {
                return $"'{DefaultSetting.Show(name)}' starts with _; a configuration name cannot (Configuring Productions, \"Configuration Names\").";
            }

            if (name == "*")
            {
                return "is '*', which a configuration name cannot be (Configuring Productions, \"Configuration Names\").";
            }

            if (name.Trim().Length != name.Length)
            {
                return $"'{DefaultSetting.Show(name)}' starts or ends with white space; remove it (nothing would match it).";
            }

            return null;
        }

        /// <summary>Checks every row and throws one error that lists every problem (rows named), or returns.</summary>
        public static void Validate(IReadOnlyList<ProductionItem> rows, bool requireClass)
        {
            var problems = new List<string>();
            foreach (ProductionItem row in rows)
            {
                problems.AddRange(Check(row, requireClass));
            }

            var first = new Dictionary<string, ProductionItem>(StringComparer.Ordinal);
            foreach (ProductionItem row in rows)
            {
                string key = row.ProductionName + "||" + row.Name;
                if (first.TryGetValue(key, out ProductionItem? earlier))
                {
                    problems.Add($"{row.Describe()}: the same item as {earlier.Source}; give each item once.");
                }
                else
                {
                    first[key] = row;
                }
            }

            if (problems.Count == 0)
            {
                return;
            }

            var message = new StringBuilder(problems.Count == 1 ? "A production item is not valid; nothing was sent:" : $"{problems.Count} problems; nothing was sent:");
            foreach (string problem in problems.Take(MaximumListedProblems))
            {
                message.Append(Environment.NewLine).Append("  ").Append(problem);
            }

            if (problems.Count > MaximumListedProblems)
            {
                message.Append(Environment.NewLine).Append("  ... and ").Append(problems.Count - MaximumListedProblems).Append(" more.");
            }

            throw new IrisOpsException(IrisErrorKind.InvalidArgument, InvalidItemId, message.ToString(), problems[0]);
        }

        private static void CheckClassName(string? value, string name, string where, List<string> problems)
        {
            if (string.IsNullOrEmpty(value))
            {
                problems.Add($"{where}: {name} is missing; give the full class name (Package.Class).");
            }
            else if (!ClassName.IsMatch(value))
            {
                problems.Add($"{where}: {name} '{DefaultSetting.Show(value)}' is not a full class name: a package and a class name separated by '.', starting with a letter or %, letters and digits only (Defining and Using Classes, \"Class Names\").");
            }
        }

        private static void CheckText(string? value, string name, string where, List<string> problems)
        {
            if (value == null)
            {
                return;
            }

            for (int i = 0; i < value.Length; i++)
            {
                if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                }
                else if (char.IsSurrogate(value[i]))
                {
                    problems.Add($"{where}: {name} has half of a surrogate pair at position {i + 1} (not valid Unicode); check the file's encoding.");
                    return;
                }
            }
        }
    }
}
