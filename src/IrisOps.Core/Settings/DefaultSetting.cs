using System;
using System.Globalization;
using System.Text;

namespace IrisOps.Core.Settings
{
    /// <summary>
    /// One row of Ens_Config.DefaultSettings as the user asks for it. The key is (ProductionName, ItemName,
    /// HostClassName, SettingName); the first three default to '*' (any), as in IRIS. A null Description or
    /// Deployable means "keep what the instance has" (a new row gets "" and false, IRIS's defaults).
    /// </summary>
    public sealed class DefaultSetting
    {
        /// <summary>The wildcard IRIS stores in a key part that applies to any production, item or class.</summary>
        public const string Any = "*";

        public string ProductionName { get; set; } = Any;

        public string ItemName { get; set; } = Any;

        public string HostClassName { get; set; } = Any;

        public string SettingName { get; set; } = string.Empty;

        public string SettingValue { get; set; } = string.Empty;

        public string? Description { get; set; }

        public bool? Deployable { get; set; }

        /// <summary>Where the row came from, for messages: "row 3", "item 2 (line 5) of site.xml".</summary>
        public string Source { get; set; } = string.Empty;

        /// <summary>The object id IRIS gives the row: the four key parts joined by "||".</summary>
        public string Id => ProductionName + "||" + ItemName + "||" + HostClassName + "||" + SettingName;

        /// <summary>"row 3 (ProductionName=APP.Production, ItemName=*, HostClassName=*, SettingName=Port)".</summary>
        public string Describe() =>
            string.Format(CultureInfo.InvariantCulture, "{0} (ProductionName={1}, ItemName={2}, HostClassName={3}, SettingName={4})",
                Source.Length == 0 ? "row" : Source, Show(ProductionName), Show(ItemName), Show(HostClassName), Show(SettingName));

        public override string ToString() => Describe();

        /// <summary>A value made safe to print in a message: control characters visible, long values cut.</summary>
        public static string Show(string? value, int maximum = 60)
        {
            if (value == null)
            {
                return "(null)";
            }

            var text = new StringBuilder();
            foreach (char ch in value)
            {
                if (text.Length >= maximum)
                {
                    text.Append("...");
                    break;
                }

                if (ch < 0x20 || ch == 0x7F)
                {
                    text.Append("\\x").Append(((int)ch).ToString("X2", CultureInfo.InvariantCulture));
                }
                else
                {
                    text.Append(ch);
                }
            }

            return text.ToString();
        }
    }

    /// <summary>What happened to a setting (or, under -WhatIf, what would happen).</summary>
    public enum DefaultSettingAction
    {
        /// <summary>Read only (Get-IrisDefaultSetting).</summary>
        None,
        Added,
        Updated,
        Unchanged,
        Removed,
        NotFound,
        WouldAdd,
        WouldUpdate,
        WouldRemove,
        Exported,
    }
}
