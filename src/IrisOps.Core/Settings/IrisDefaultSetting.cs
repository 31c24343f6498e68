namespace IrisOps.Core.Settings
{
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
