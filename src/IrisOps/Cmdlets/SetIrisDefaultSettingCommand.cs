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

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("value")]
        [AllowEmptyString]
        public string SettingValue { get; set; } = string.Empty;

        private readonly PipelineBinding descriptionBinding = new PipelineBinding();
        private readonly PipelineBinding deployableBinding = new PipelineBinding();
        private string? description;
        private SwitchParameter deployable;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [AllowNull]
        public string? Description
        {
            get => description;
            set
            {
                description = value;
                descriptionBinding.Written();
            }
        }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BooleanTextTransformation]
        public SwitchParameter Deployable
        {
            get => deployable;
            set
            {
                deployable = value;
                deployableBinding.Written();
            }
        }

        [Parameter(ParameterSetName = ContainerSet)]
        [Parameter(ParameterSetName = InputObjectSet)]
        [Parameter(ParameterSetName = ScriptSet)]
        [ValidateNotNullOrEmpty]
        public string? Namespace { get; set; }

        [Parameter(ParameterSetName = ContainerSet)]
        [Parameter(ParameterSetName = InputObjectSet)]
        [Parameter(ParameterSetName = ScriptSet)]
        public SwitchParameter UpdateProduction { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ExportSet)]
        [ValidateNotNullOrEmpty]
        public string ExportPath { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ParameterSetName = ScriptSet)]
        public SwitchParameter AsScript { get; set; }

        protected override string? NamespaceParameter => Namespace;

        protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
        {
            descriptionBinding.Begin(MyInvocation.BoundParameters.ContainsKey(nameof(Description)));
            deployableBinding.Begin(MyInvocation.BoundParameters.ContainsKey(nameof(Deployable)));
            return base.BeginProcessingAsync(cancellationToken);
        }

        protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            bool descriptionGiven = descriptionBinding.GivenByThisRecord();
            bool deployableGiven = deployableBinding.GivenByThisRecord();
            DefaultSetting row = NewRow();
            row.SettingValue = SettingValue ?? string.Empty;
            row.Description = descriptionGiven ? Description ?? string.Empty : null;
            row.Deployable = deployableGiven ? Deployable.IsPresent : (bool?)null;
            Rows.Add(row);
            return Task.CompletedTask;
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
            string replacing = System.IO.File.Exists(path) ? ", replacing the existing file" : string.Empty;
            string description = $"Write {Rows.Count} default setting(s) to '{path}'{replacing}.";
            if (!await ShouldProcessAsync(description, description + " Continue?", "Set-IrisDefaultSetting").ConfigureAwait(false))
            {
                return;
            }

            DefaultSettingXml.WriteFile(Rows, path);
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
