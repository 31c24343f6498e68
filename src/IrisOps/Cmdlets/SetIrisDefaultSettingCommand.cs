using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Settings;
using IrisOps.Infrastructure;

namespace IrisOps.Cmdlets
{
    /// <summary>
    /// Set-IrisDefaultSetting: production default settings from parameters or a CSV. Rows are only collected
    /// while the pipeline runs; at the end all are checked, then each container gets ONE iris session that
    /// upserts every row in one transaction and reads each back (or, with -ExportPath, the XML file is written;
    /// with -AsScript the ObjectScript goes to the pipeline).
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "IrisDefaultSetting", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ContainerSet)]
    [OutputType(typeof(IrisDefaultSetting))]
    [OutputType(typeof(string), ParameterSetName = new[] { ScriptSet })]
    public sealed class SetIrisDefaultSettingCommand : SettingRowsCmdletBase
    {
        private const string ExportSet = "Export";
        private const string ScriptSet = "Script";

        [Parameter]
        [Alias("value")]
        [AllowEmptyString]
        public string? SettingValue { get; set; }

        [Parameter]
        [AllowEmptyString]
        [AllowNull]
        public string? Description { get; set; }

        [Parameter]
        [BooleanTextTransformation]
        public SwitchParameter Deployable { get; set; }

        [Parameter(ParameterSetName = ContainerSet)]
        [Parameter(ParameterSetName = InputObjectSet)]
        [Parameter(ParameterSetName = ScriptSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(NamespaceCompleter))]
        public string? Namespace { get; set; }

        [Parameter(ParameterSetName = ContainerSet)]
        [Parameter(ParameterSetName = InputObjectSet)]
        [Parameter(ParameterSetName = ScriptSet)]
        public SwitchParameter UpdateProduction { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ExportSet)]
        [ValidateNotNullOrEmpty]
        public string ExportPath { get; set; } = string.Empty;

        [Parameter(ParameterSetName = ExportSet)]
        public SwitchParameter Force { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ScriptSet)]
        public SwitchParameter AsScript { get; set; }

        protected override string? NamespaceParameter => Namespace;

        // A description or Deployable the row does not give stays as the instance has it (null), as %Import does.
        protected override void ReadRow(DefaultSetting setting, SettingRow row)
        {
            setting.SettingValue = Given(nameof(SettingValue), SettingValue, row, "value")
                ?? throw new FormatException("it has no SettingValue (give -SettingValue, or a SettingValue or value column)");
            setting.Description = Given(nameof(Description), Description ?? string.Empty, row, "description");
            setting.Deployable = CommandLine.IsBound(nameof(Deployable)) ? Deployable.IsPresent : row.Flag(nameof(Deployable));
        }

        protected override async Task ProcessRowsAsync(CancellationToken cancellationToken)
        {
            switch (ParameterSetName)
            {
                case ScriptSet:
                    Emit(DefaultSettingScript.Create(SettingsScriptKind.Apply, Rows, UpdateProduction.IsPresent).Text);
                    return;
                case ExportSet:
                    await ExportAsync().ConfigureAwait(false);
                    return;
            }

            string then = UpdateProduction.IsPresent ? ", then update the running production" : string.Empty;
            await RunInTargetsAsync(
                SettingsScriptKind.Apply,
                SettingsScriptKind.PreviewApply,
                UpdateProduction.IsPresent,
                where => $"Set {Rows.Count} default setting(s) in {where}{then}.",
                (where, preview) =>
                {
                    int add = preview.Results.Count(r => r.Action == DefaultSettingAction.WouldAdd);
                    int update = preview.Results.Count(r => r.Action == DefaultSettingAction.WouldUpdate);
                    return $"Set {Rows.Count} default setting(s) in {where}: {add} to add, {update} to update, {Rows.Count - add - update} unchanged{(UpdateProduction.IsPresent ? ", then update the production" : string.Empty)}.";
                },
                cancellationToken).ConfigureAwait(false);
        }

        private async Task ExportAsync()
        {
            DefaultSettingValidator.ValidateForXml(Rows);
            string path = await ResolveFileSystemPathAsync(ExportPath, nameof(ExportPath)).ConfigureAwait(false);
            DefaultSettingXml.CheckTarget(path, Force.IsPresent);
            string replacing = System.IO.File.Exists(path) ? ", replacing the existing file" : string.Empty;
            string description = $"Write {Rows.Count} default setting(s) to '{path}'{replacing}.";
            if (!await ShouldProcessAsync(description, description + " Continue?", "Set-IrisDefaultSetting").ConfigureAwait(false))
            {
                return;
            }

            DefaultSettingXml.WriteFile(Rows, path, Force.IsPresent);
            Verbose($"Wrote {Rows.Count} default setting(s) to {path}; import it with ##class(Ens.Config.DefaultSettings).%Import(file) or read it with Get-IrisDefaultSetting -Path.");
            foreach (DefaultSetting row in Rows)
            {
                IrisDefaultSetting result = IrisDefaultSetting.From(row);
                result.Action = DefaultSettingAction.Exported;
                result.Target = path;
                Emit(result);
            }
        }
    }
}
