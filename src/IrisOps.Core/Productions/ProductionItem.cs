using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using IrisOps.Core.Settings;

namespace IrisOps.Core.Productions
{
    /// <summary>Where a setting of a configuration item applies: the business host class or its adapter.</summary>
    public enum ProductionItemSettingTarget
    {
        Host,
        Adapter,
    }

    /// <summary>
    /// One &lt;Setting Target="Host|Adapter" Name=".."&gt;value&lt;/Setting&gt; of an item, as the production
    /// definition in Developing Productions ("A Look at a Production Definition") shows them; stored as an
    /// Ens.Config.Setting (Name, Target, Value) in the item's Settings list.
    /// </summary>
    public sealed class ProductionItemSetting
    {
        public ProductionItemSetting(ProductionItemSettingTarget target, string name, string value)
        {
            Target = target;
            Name = name;
            Value = value;
        }

        public ProductionItemSettingTarget Target { get; }

        public string Name { get; }

        public string Value { get; }

        /// <summary>"Adapter.Port": how IrisOps names a setting in hashtables, CSV columns and output.</summary>
        public string Key => Target + "." + Name;
    }

    /// <summary>
    /// A configuration item of a production as the user asks for it (Ens.Config.Item, Configuring Productions,
    /// "Settings for All Business Hosts"). ProductionName, Name and ClassName identify it; every other property
    /// is null when not given, and a property not given is never changed.
    /// </summary>
    public sealed class ProductionItem
    {
        /// <summary>The item properties IrisOps sets, in the order results list them (all of them Ens.Config.Item properties).</summary>
        public static readonly IReadOnlyList<string> PropertyNames = new[] { "ClassName", "PoolSize", "Enabled", "Foreground", "Category", "Comment", "LogTraceEvents", "Schedule" };

        /// <summary>The boolean properties: 1 or 0 in the instance.</summary>
        public static readonly IReadOnlyList<string> FlagNames = new[] { "Enabled", "Foreground", "LogTraceEvents" };

        public string ProductionName { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        /// <summary>The host class; required to add an item, and an existing item must already have it.</summary>
        public string? ClassName { get; set; }

        public int? PoolSize { get; set; }

        public bool? Enabled { get; set; }

        public bool? Foreground { get; set; }

        public string? Category { get; set; }

        public string? Comment { get; set; }

        public bool? LogTraceEvents { get; set; }

        public string? Schedule { get; set; }

        public IList<ProductionItemSetting> Settings { get; } = new List<ProductionItemSetting>();

        /// <summary>Where the row came from, for messages: "row 3".</summary>
        public string Source { get; set; } = string.Empty;

        /// <summary>The given properties (not ClassName) and settings, as name -&gt; value in the instance's form (flags as 1/0).</summary>
        public IEnumerable<KeyValuePair<string, string>> GivenValues()
        {
            if (PoolSize.HasValue)
            {
                yield return Pair("PoolSize", PoolSize.Value.ToString(CultureInfo.InvariantCulture));
            }

            if (Enabled.HasValue)
            {
                yield return Pair("Enabled", Enabled.Value ? "1" : "0");
            }

            if (Foreground.HasValue)
            {
                yield return Pair("Foreground", Foreground.Value ? "1" : "0");
            }

            if (Category != null)
            {
                yield return Pair("Category", Category);
            }

            if (Comment != null)
            {
                yield return Pair("Comment", Comment);
            }

            if (LogTraceEvents.HasValue)
            {
                yield return Pair("LogTraceEvents", LogTraceEvents.Value ? "1" : "0");
            }

            if (Schedule != null)
            {
                yield return Pair("Schedule", Schedule);
            }
        }

        /// <summary>"row 3 (ProductionName=APP.Production, Name=File In)".</summary>
        public string Describe() =>
            string.Format(CultureInfo.InvariantCulture, "{0} (ProductionName={1}, Name={2})",
                Source.Length == 0 ? "row" : Source, DefaultSetting.Show(ProductionName), DefaultSetting.Show(Name));

        public override string ToString() => Describe();

        /// <summary>The settings keys given more than once ("Adapter.Port"), case as IRIS compares names: exactly.</summary>
        internal IEnumerable<string> RepeatedSettings() =>
            Settings.GroupBy(s => s.Key, System.StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key);

        private static KeyValuePair<string, string> Pair(string name, string value) => new KeyValuePair<string, string>(name, value);
    }

    /// <summary>What happened to an item (or, under -WhatIf, what would happen).</summary>
    public enum ProductionItemAction
    {
        /// <summary>Read only (Get-IrisProductionItem).</summary>
        None,
        Added,
        Updated,
        Unchanged,
        Removed,
        NotFound,
        WouldAdd,
        WouldUpdate,
        WouldRemove,
    }
}
