using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Settings;

namespace IrisOps.Infrastructure
{
    /// <summary>
    /// What Set- and Remove-IrisDefaultSetting share: the key parameters of a default setting, read from each
    /// pipeline row (<see cref="RowsCmdletBase{TRow}"/>); the checks before anything is sent; and one session per
    /// target, or under -WhatIf a read-only preview session whose result the summary tells.
    /// </summary>
    public abstract class SettingRowsCmdletBase : RowsCmdletBase<DefaultSetting>
    {
        [Parameter]
        [Alias("production")]
        [AllowEmptyString]
        [AllowNull]
        public string? ProductionName { get; set; }

        [Parameter]
        [Alias("item")]
        [AllowEmptyString]
        [AllowNull]
        public string? ItemName { get; set; }

        [Parameter]
        [Alias("class")]
        [AllowEmptyString]
        [AllowNull]
        public string? HostClassName { get; set; }

        [Parameter]
        [Alias("setting")]
        [AllowEmptyString]
        public string? SettingName { get; set; }

        protected override string RowNotBoundErrorId => "DefaultSettingRowNotBound";

        protected override string InputNotBoundErrorId => "DefaultSettingInputNotBound";

        protected sealed override DefaultSetting BindRow(SettingRow row, string source)
        {
            DefaultSetting setting = new DefaultSetting
            {
                ProductionName = KeyOrAny(Given(nameof(ProductionName), ProductionName, row, "production")),
                ItemName = KeyOrAny(Given(nameof(ItemName), ItemName, row, "item")),
                HostClassName = KeyOrAny(Given(nameof(HostClassName), HostClassName, row, "class")),
                SettingName = Given(nameof(SettingName), SettingName, row, "setting")
                    ?? throw new FormatException("it has no SettingName (give -SettingName, or a SettingName or setting column)"),
                Source = source,
            };
            ReadRow(setting, row);
            return setting;
        }

        /// <summary>Reads what the derived command needs besides the key; throws FormatException for a row it cannot use.</summary>
        protected abstract void ReadRow(DefaultSetting setting, SettingRow row);

        protected sealed override void ValidateRows() => DefaultSettingValidator.Validate(Rows, Reporter);

        /// <summary>
        /// Runs a script of <paramref name="kind"/> over <see cref="Rows"/> in every target, after ShouldProcess
        /// with <paramref name="describe"/>(where). Under -WhatIf the read-only <paramref name="previewKind"/>
        /// runs instead, its rows are written, and <paramref name="summarize"/>(where, preview) is the What if line.
        /// </summary>
        internal async Task RunInTargetsAsync(
            SettingsScriptKind kind,
            SettingsScriptKind previewKind,
            bool updateProduction,
            Func<string, string> describe,
            Func<string, SettingsOutcome, string> summarize,
            CancellationToken cancellationToken)
        {
            SettingsScript script = DefaultSettingScript.Create(Invocation.WhatIf ? previewKind : kind, Rows, updateProduction);
            await PreviewOrRunAsync(
                ResolveTargets(Container, Targets),
                target => DefaultSettingSession.RunAsync(DockerEngine, target.Container, target.Namespace, script, Reporter, DefaultSettingSession.DefaultTimeout, cancellationToken),
                Report,
                describe,
                summarize,
                cancellationToken).ConfigureAwait(false);
        }

        private static string KeyOrAny(string? value) => string.IsNullOrEmpty(value) ? DefaultSetting.Any : value!;
    }
}
