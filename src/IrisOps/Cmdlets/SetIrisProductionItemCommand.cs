using System;
using System.Collections;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Productions;
using IrisOps.Core.Settings;
using IrisOps.Infrastructure;

namespace IrisOps.Cmdlets
{
    /// <summary>
    /// Set-IrisProductionItem: adds configuration items to productions or changes the properties given, from
    /// parameters or a CSV. Rows are collected while the pipeline runs; at the end all are checked, then each
    /// container gets ONE iris session that changes every row in one transaction and reads each back (with
    /// -AsScript the ObjectScript goes to the pipeline instead).
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "IrisProductionItem", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ContainerSet)]
    [OutputType(typeof(IrisProductionItem))]
    [OutputType(typeof(string), ParameterSetName = new[] { ScriptSet })]
    public sealed class SetIrisProductionItemCommand : ProductionItemRowsCmdletBase
    {
        private const string ScriptSet = "Script";

        /// <summary>The host class; an existing item must already have it.</summary>
        [Parameter]
        public string? ClassName { get; set; }

        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int? PoolSize { get; set; }

        [Parameter]
        [BooleanTextTransformation]
        public SwitchParameter Enabled { get; set; }

        [Parameter]
        [BooleanTextTransformation]
        public SwitchParameter Foreground { get; set; }

        [Parameter]
        [AllowEmptyString]
        public string? Category { get; set; }

        [Parameter]
        [AllowEmptyString]
        public string? Comment { get; set; }

        [Parameter]
        [BooleanTextTransformation]
        public SwitchParameter LogTraceEvents { get; set; }

        [Parameter]
        [AllowEmptyString]
        public string? Schedule { get; set; }

        /// <summary>Settings of the item: "Host.Name" or "Adapter.Name" -&gt; value.</summary>
        [Parameter]
        public IDictionary? Setting { get; set; }

        [Parameter(ParameterSetName = ContainerSet)]
        [Parameter(ParameterSetName = InputObjectSet)]
        [Parameter(ParameterSetName = ScriptSet)]
        public SwitchParameter UpdateProduction { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ScriptSet)]
        public SwitchParameter AsScript { get; set; }

        // An empty cell leaves the property as it is: a CSV row names only what it changes.
        protected override void ReadRow(ProductionItem item, SettingRow row)
        {
            item.ClassName = Given(nameof(ClassName), ClassName, row, nameof(ClassName)) is string cls && cls.Length > 0
                ? cls
                : throw new FormatException("it has no ClassName (give -ClassName, or a ClassName column)");
            item.PoolSize = CommandLine.IsBound(nameof(PoolSize)) ? PoolSize : Number(row.Text(nameof(PoolSize), nameof(PoolSize)));
            item.Enabled = Flag(nameof(Enabled), Enabled, row);
            item.Foreground = Flag(nameof(Foreground), Foreground, row);
            item.LogTraceEvents = Flag(nameof(LogTraceEvents), LogTraceEvents, row);
            item.Category = Text(nameof(Category), Category, row);
            item.Comment = Text(nameof(Comment), Comment, row);
            item.Schedule = Text(nameof(Schedule), Schedule, row);

            // Settings: Host.x / Adapter.x columns, then the row's Setting table, then -Setting; a later one wins.
            var settings = new System.Collections.Generic.Dictionary<string, ProductionItemSetting>(StringComparer.Ordinal);
            foreach (var property in row.Properties())
            {
                if (IsSettingKey(property.Key) && Convert.ToString(property.Value is PSObject p ? p.BaseObject : property.Value, CultureInfo.InvariantCulture) is string value && value.Length > 0)
                {
                    Add(settings, property.Key, value);
                }
            }

            object? table = CommandLine.IsBound(nameof(Setting)) ? Setting : row.Raw(nameof(Setting), out _);
            if (table != null)
            {
                if (!(table is IDictionary dictionary))
                {
                    throw new FormatException("its Setting is not a hashtable of 'Host.Name' or 'Adapter.Name' = value");
                }

                foreach (DictionaryEntry entry in dictionary)
                {
                    object? value = entry.Value is PSObject p ? p.BaseObject : entry.Value;
                    Add(settings, Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty, Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
                }
            }

            foreach (ProductionItemSetting setting in settings.Values)
            {
                item.Settings.Add(setting);
            }
        }

        protected override void ValidateRows() => ProductionItemValidator.Validate(Rows, requireClass: true);

        protected override Task ProcessRowsAsync(CancellationToken cancellationToken)
        {
            if (ParameterSetName == ScriptSet)
            {
                Emit(ProductionItemScript.Create(SettingsScriptKind.Apply, Rows, UpdateProduction.IsPresent).Text);
                return Task.CompletedTask;
            }

            string then = UpdateProduction.IsPresent ? ", then update the running production" : string.Empty;
            return RunItemsAsync(
                SettingsScriptKind.Apply,
                SettingsScriptKind.PreviewApply,
                UpdateProduction.IsPresent,
                where => $"Add or update {Names()} in {where}{then}.",
                (where, preview) =>
                {
                    int add = preview.Results.Count(r => r.Action == ProductionItemAction.WouldAdd);
                    int update = preview.Results.Count(r => r.Action == ProductionItemAction.WouldUpdate);
                    return $"Set {Rows.Count} production item(s) in {where}: {add} to add, {update} to update, {Rows.Count - add - update} unchanged{(UpdateProduction.IsPresent ? ", then update the production" : string.Empty)}.";
                },
                cancellationToken);
        }

        private static bool IsSettingKey(string key) =>
            key.StartsWith("Host.", StringComparison.OrdinalIgnoreCase) || key.StartsWith("Adapter.", StringComparison.OrdinalIgnoreCase);

        private static void Add(System.Collections.Generic.Dictionary<string, ProductionItemSetting> settings, string key, string value)
        {
            int dot = key.IndexOf('.');
            string prefix = dot > 0 ? key.Substring(0, dot) : string.Empty;
            ProductionItemSettingTarget target = string.Equals(prefix, "Host", StringComparison.OrdinalIgnoreCase) ? ProductionItemSettingTarget.Host
                : string.Equals(prefix, "Adapter", StringComparison.OrdinalIgnoreCase) ? ProductionItemSettingTarget.Adapter
                : throw new FormatException($"the setting '{DefaultSetting.Show(key)}' does not say its target: write Host.<name> for a setting of the business host, Adapter.<name> for one of its adapter");
            var setting = new ProductionItemSetting(target, key.Substring(dot + 1), value);
            settings[setting.Key] = setting;
        }

        private bool? Flag(string parameter, SwitchParameter commandLineValue, SettingRow row)
        {
            if (CommandLine.IsBound(parameter))
            {
                return commandLineValue.IsPresent;
            }

            object? value = row.Raw(parameter, out bool found);
            return !found || value == null || (value is string text && text.Trim().Length == 0) ? (bool?)null : BooleanText.Parse(value);
        }

        private string? Text(string parameter, string? commandLineValue, SettingRow row)
        {
            string? value = Given(parameter, commandLineValue, row, parameter);
            return CommandLine.IsBound(parameter) || !string.IsNullOrEmpty(value) ? value : null;
        }

        private static int? Number(string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            return int.TryParse(text!.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number)
                ? number
                : throw new FormatException($"its PoolSize '{DefaultSetting.Show(text)}' is not a whole number");
        }
    }
}
