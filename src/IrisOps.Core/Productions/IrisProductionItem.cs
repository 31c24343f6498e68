using System.Collections.Specialized;
using System.Globalization;

namespace IrisOps.Core.Productions
{
    /// <summary>
    /// A configuration item of a production as IrisOps reports it: the item as it is now (after Set: read back from
    /// the instance; under -WhatIf: as it would be), the values of the given properties before (Previous) and
    /// after (New), what was done (Action) and where. Its property names bind by name to Set- and
    /// Remove-IrisProductionItem, so items can be read in one place and applied in another.
    /// </summary>
    public sealed class IrisProductionItem
    {
        public string ProductionName { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public string ClassName { get; set; } = string.Empty;

        public int? PoolSize { get; set; }

        public bool Enabled { get; set; }

        public bool Foreground { get; set; }

        public string Category { get; set; } = string.Empty;

        public string Comment { get; set; } = string.Empty;

        public bool LogTraceEvents { get; set; }

        public string Schedule { get; set; } = string.Empty;

        /// <summary>"Host.Name" or "Adapter.Name" -&gt; value: every setting (Get), or the settings given (Set).</summary>
        public OrderedDictionary Setting { get; set; } = new OrderedDictionary();

        /// <summary>The given properties and settings as they were before; a name is missing when it had no value (a new item, a new setting).</summary>
        public OrderedDictionary Previous { get; set; } = new OrderedDictionary();

        /// <summary>The given properties and settings as they are now (or would be under -WhatIf).</summary>
        public OrderedDictionary New { get; set; } = new OrderedDictionary();

        public ProductionItemAction Action { get; set; }

        /// <summary>The container name.</summary>
        public string Target { get; set; } = string.Empty;

        public string? Namespace { get; set; }

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0}||{1}", ProductionName, Name);
    }
}
