using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Settings
{
    /// <summary>
    /// The checks every row passes before anything is sent or written (Ens.Config.DefaultSettings, InterSystems class reference): key parts of 1 to 255
    /// characters with no "||" (the id separator) and no "|" at either end (the id would split elsewhere), no
    /// control characters or surrounding spaces in a key; SettingName not '*'; SettingValue and Description at
    /// most 2000 characters; valid Unicode everywhere; one row per key. Every message names the row. The
    /// settings that act as system overrides (Configuring Productions, "Settings That Can Act As System
    /// Overrides": Enabled and PoolSize of business hosts, ActorPoolSize and TestingEnabled of productions) are
    /// accepted with a warning, because as default settings they win over the production.
    /// </summary>
    public static class DefaultSettingValidator
    {
        public const int MaximumKeyLength = 255;
        public const int MaximumValueLength = 2000;
        public const string InvalidSettingId = "InvalidDefaultSetting";
        public const string DuplicateSettingId = "DuplicateDefaultSetting";
        public const string NotXmlSafeId = "DefaultSettingNotXmlSafe";
        private const int MaximumListedProblems = 20;

        /// <summary>The problems of one row, each a sentence that starts with the row's description.</summary>
        public static IList<string> Check(DefaultSetting row)
        {
            var problems = new List<string>();
            string where = row.Describe();
            CheckKey(row.ProductionName, "ProductionName", where, problems);
            CheckKey(row.ItemName, "ItemName", where, problems);
            CheckKey(row.HostClassName, "HostClassName", where, problems);
            CheckKey(row.SettingName, "SettingName", where, problems);
            if (row.SettingName == DefaultSetting.Any)
            {
                problems.Add($"{where}: SettingName cannot be '*': a default setting names the one setting it gives a value to.");
            }

            CheckText(row.SettingValue, "SettingValue", where, problems);
            if (row.Description != null)
            {
                CheckText(row.Description, "Description", where, problems);
            }

            return problems;
        }

        /// <summary>The settings that, as default settings, are system overrides (IRIS 2023.3 and later).</summary>
        public static IReadOnlyList<string> SystemOverrides { get; } = new[] { "Enabled", "PoolSize", "ActorPoolSize", "TestingEnabled" };

        /// <summary>What a row does that the user may not expect, each a sentence that starts with the row's description; empty when nothing.</summary>
        public static IList<string> Warn(DefaultSetting row)
        {
            var warnings = new List<string>();
            string? name = SystemOverrides.FirstOrDefault(n => string.Equals(n, row.SettingName, StringComparison.OrdinalIgnoreCase));
            if (name != null)
            {
                string owner = name == "Enabled" || name == "PoolSize" ? "a business host" : "a production";
                warnings.Add($"{row.Describe()}: {name} of {owner} is a system override (Configuring Productions, \"Settings That Can Act As System Overrides\"; IRIS 2023.3 and later): " +
                    $"as a default setting it wins over the value in the production, which can then no longer change it, and the productions of the namespace are updated to use it. " +
                    "Earlier versions do not take PoolSize as a default setting.");
            }

            return warnings;
        }

        /// <summary>Checks every row and throws one error that lists every problem (rows named), or returns.</summary>
        public static void Validate(IReadOnlyList<DefaultSetting> rows) => Validate(rows, null);

        /// <summary>As <see cref="Validate(IReadOnlyList{DefaultSetting})"/>, and writes the warnings of valid rows (once per row) to <paramref name="reporter"/>.</summary>
        public static void Validate(IReadOnlyList<DefaultSetting> rows, IrisOps.Core.Common.IOperationReporter? reporter)
        {
            var problems = new List<string>();
            foreach (DefaultSetting row in rows)
            {
                problems.AddRange(Check(row));
            }

            problems.AddRange(FindDuplicates(rows));
            ThrowIfAny(problems, InvalidSettingId, "is not a valid default setting");
            if (reporter != null)
            {
                foreach (string warning in rows.SelectMany(Warn))
                {
                    reporter.Warning(warning);
                }
            }
        }

        /// <summary>Rows that share a key: which value should win would be a guess.</summary>
        public static IList<string> FindDuplicates(IReadOnlyList<DefaultSetting> rows)
        {
            var problems = new List<string>();
            var first = new Dictionary<string, DefaultSetting>(StringComparer.Ordinal);
            foreach (DefaultSetting row in rows)
            {
                if (first.TryGetValue(row.Id, out DefaultSetting? earlier))
                {
                    problems.Add($"{row.Describe()}: the same setting as {earlier.Source}; give each setting once.");
                }
                else
                {
                    first[row.Id] = row;
                }
            }

            return problems;
        }

        /// <summary>
        /// XML 1.0 cannot carry NUL and most other control characters, even as character references, nor the
        /// noncharacters U+FFFE and U+FFFF: such values can be applied to an instance but not exported.
        /// </summary>
        public static void ValidateForXml(IReadOnlyList<DefaultSetting> rows)
        {
            var problems = new List<string>();
            foreach (DefaultSetting row in rows)
            {
                CheckXml(row.ProductionName, "ProductionName", row, problems);
                CheckXml(row.ItemName, "ItemName", row, problems);
                CheckXml(row.HostClassName, "HostClassName", row, problems);
                CheckXml(row.SettingName, "SettingName", row, problems);
                CheckXml(row.SettingValue, "SettingValue", row, problems);
                CheckXml(row.Description, "Description", row, problems);
            }

            ThrowIfAny(problems, NotXmlSafeId, "cannot be exported");
        }

        /// <summary>The first character XML 1.0 cannot carry, or -1.</summary>
        public static int FindNonXmlCharacter(string value)
        {
            for (int i = 0; i < value.Length; i++)
            {
                char ch = value[i];
                bool valid = ch == '\t' || ch == '\n' || ch == '\r' || (ch >= 0x20 && ch <= 0xD7FF) || (ch >= 0xE000 && ch <= 0xFFFD);
                if (char.IsHighSurrogate(ch) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }

                if (!valid)
                {
                    return i;
                }
            }

            return -1;
        }

        private static void CheckXml(string? value, string name, DefaultSetting row, List<string> problems)
        {
            if (value == null)
            {
                return;
            }

            int at = FindNonXmlCharacter(value);
            if (at >= 0)
            {
                problems.Add(string.Format(CultureInfo.InvariantCulture,
                    "{0}: {1} has the character U+{2:X4} at position {3}, which XML 1.0 cannot carry (not even as &#...;); the XML file cannot hold this value. Apply it to the instance directly, or change it.",
                    row.Describe(), name, (int)value[at], at + 1));
            }
        }

        private static void ThrowIfAny(List<string> problems, string errorId, string what)
        {
            if (problems.Count == 0)
            {
                return;
            }

            var message = new StringBuilder();
            message.Append(problems.Count == 1 ? "A default setting " + what + "; nothing was sent or written:" : $"{problems.Count} problems; nothing was sent or written:");
            foreach (string problem in problems.Take(MaximumListedProblems))
            {
                message.Append(Environment.NewLine).Append("  ").Append(problem);
            }

            if (problems.Count > MaximumListedProblems)
            {
                message.Append(Environment.NewLine).Append("  ... and ").Append(problems.Count - MaximumListedProblems).Append(" more.");
            }

            throw new IrisOpsException(IrisErrorKind.InvalidArgument, errorId, message.ToString(), problems[0]);
        }

        private static void CheckKey(string? value, string name, string where, List<string> problems)
        {
            if (string.IsNullOrEmpty(value))
            {
                problems.Add($"{where}: {name} is empty; give a name, or '*' for any.");
                return;
            }

            if (value!.Length > MaximumKeyLength)
            {
                problems.Add($"{where}: {name} has {value.Length} characters; IRIS allows at most {MaximumKeyLength}.");
            }

            if (value.Contains("||"))
            {
                problems.Add($"{where}: {name} contains '||', which separates the parts of the row's id in IRIS; remove it.");
            }
            else if (value.StartsWith("|", StringComparison.Ordinal) || value.EndsWith("|", StringComparison.Ordinal))
            {
                problems.Add($"{where}: {name} starts or ends with '|', which would run into the '||' that separates the parts of the row's id; remove it.");
            }

            foreach (char ch in value)
            {
                if (ch < 0x20 || ch == 0x7F)
                {
                    problems.Add(string.Format(CultureInfo.InvariantCulture, "{0}: {1} contains the control character U+{2:X4}; names cannot contain control characters.", where, name, (int)ch));
                    break;
                }
            }

            if (value.Trim().Length != value.Length)
            {
                problems.Add($"{where}: {name} '{DefaultSetting.Show(value)}' starts or ends with white space; remove it (IRIS would store it, and nothing would match).");
            }

            CheckUnicode(value, name, where, problems);
        }

        private static void CheckText(string? value, string name, string where, List<string> problems)
        {
            if (value == null)
            {
                problems.Add($"{where}: {name} is missing; give a value ('' for an empty one).");
                return;
            }

            if (value.Length > MaximumValueLength)
            {
                problems.Add($"{where}: {name} has {value.Length} characters; IRIS allows at most {MaximumValueLength}.");
            }

            CheckUnicode(value, name, where, problems);
        }

        private static void CheckUnicode(string value, string name, string where, List<string> problems)
        {
            for (int i = 0; i < value.Length; i++)
            {
                if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }

                if (char.IsSurrogate(value[i]))
                {
                    problems.Add($"{where}: {name} has half of a surrogate pair at position {i + 1} (not valid Unicode); check the file's encoding.");
                    return;
                }
            }
        }
    }
}
