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

    /// <summary>
    /// A default setting as IrisOps reports it: the row, the value before (Previous), what was done (Action)
    /// and where (Target: a container name or a file). The property names bind by name to
    /// Set-IrisDefaultSetting and Remove-IrisDefaultSetting, so settings can be read in one place and applied
    /// in another.
    /// </summary>
    public sealed class IrisDefaultSetting
    {
        public string ProductionName { get; set; } = DefaultSetting.Any;

        public string ItemName { get; set; } = DefaultSetting.Any;

        public string HostClassName { get; set; } = DefaultSetting.Any;

        public string SettingName { get; set; } = string.Empty;

        /// <summary>The value now (after Set: as read back from the instance; under -WhatIf: the value that would be written).</summary>
        public string SettingValue { get; set; } = string.Empty;

        public string? Description { get; set; }

        public bool Deployable { get; set; }

        /// <summary>The value before the change; null when the row did not exist.</summary>
        public string? Previous { get; set; }

        public DefaultSettingAction Action { get; set; }

        /// <summary>The container name, or the XML file.</summary>
        public string Target { get; set; } = string.Empty;

        /// <summary>The namespace, for a container target.</summary>
        public string? Namespace { get; set; }

        public string Id => ProductionName + "||" + ItemName + "||" + HostClassName + "||" + SettingName;

        public override string ToString() => Id + "=" + DefaultSetting.Show(SettingValue);

        /// <summary>The output object for a row as given (Action and Target left for the caller to set).</summary>
        public static IrisDefaultSetting From(DefaultSetting row) => new IrisDefaultSetting
        {
            ProductionName = row.ProductionName,
            ItemName = row.ItemName,
            HostClassName = row.HostClassName,
            SettingName = row.SettingName,
            SettingValue = row.SettingValue,
            Description = row.Description,
            Deployable = row.Deployable ?? false,
        };

        internal DefaultSetting ToRow(string source) => new DefaultSetting
        {
            ProductionName = ProductionName,
            ItemName = ItemName,
            HostClassName = HostClassName,
            SettingName = SettingName,
            SettingValue = SettingValue,
            Description = Description,
            Deployable = Deployable,
            Source = source,
        };
    }
}
