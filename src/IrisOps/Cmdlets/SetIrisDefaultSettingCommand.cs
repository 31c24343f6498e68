using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Errors;
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
    public sealed class SetIrisDefaultSettingCommand : SettingsCmdletBase
    {
        private const string ContainerSet = "Container";
        private const string InputObjectSet = "InputObject";
        private const string ExportSet = "Export";
        private const string ScriptSet = "Script";

        private readonly List<DefaultSetting> rows = new List<DefaultSetting>();

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("production")]
        [AllowEmptyString]
        [AllowNull]
        public string? ProductionName { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("item")]
        [AllowEmptyString]
        [AllowNull]
        public string? ItemName { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("class")]
        [AllowEmptyString]
        [AllowNull]
        public string? HostClassName { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("setting")]
        [AllowEmptyString]
        public string SettingName { get; set; } = string.Empty;

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

        [Parameter(Mandatory = true, ParameterSetName = ContainerSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RunningContainerCompleter))]
        public string[] Container { get; set; } = new string[0];

        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet)]
        [ValidateNotNullOrEmpty]
        public object[] InputObject { get; set; } = new object[0];

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
            MarkErrors();
            descriptionBinding.Begin(MyInvocation.BoundParameters.ContainsKey(nameof(Description)));
            deployableBinding.Begin(MyInvocation.BoundParameters.ContainsKey(nameof(Deployable)));
            return Task.CompletedTask;
        }

        protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            bool descriptionGiven = descriptionBinding.GivenByThisRecord();
            bool deployableGiven = deployableBinding.GivenByThisRecord();
            rows.Add(new DefaultSetting
            {
                ProductionName = KeyOrAny(ProductionName),
                ItemName = KeyOrAny(ItemName),
                HostClassName = KeyOrAny(HostClassName),
                SettingName = SettingName ?? string.Empty,
                SettingValue = SettingValue ?? string.Empty,
                Description = descriptionGiven ? Description ?? string.Empty : null,
                Deployable = deployableGiven ? Deployable.IsPresent : (bool?)null,
                Source = "row " + (rows.Count + 1).ToString(CultureInfo.InvariantCulture),
            });
            return Task.CompletedTask;
        }

        protected override async Task EndProcessingAsync(CancellationToken cancellationToken)
        {
            try
            {
                await ApplyAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ReleaseEngine();
            }
        }

        private async Task ApplyAsync(CancellationToken cancellationToken)
        {
            ThrowIfInputWasLost();
            if (rows.Count == 0)
            {
                Verbose("No settings were given; nothing to do.");
                return;
            }

            DefaultSettingValidator.Validate(rows);
            switch (ParameterSetName)
            {
                case ScriptSet:
                    Emit(DefaultSettingScript.Create(SettingsScriptKind.Apply, rows, UpdateProduction.IsPresent).Text);
                    return;
                case ExportSet:
                    await ExportAsync().ConfigureAwait(false);
                    return;
            }

            List<SettingsTarget> targets = ResolveTargets(Container, InputObject);
            bool whatIf = IsWhatIf();
            SettingsScript script = DefaultSettingScript.Create(whatIf ? SettingsScriptKind.PreviewApply : SettingsScriptKind.Apply, rows, UpdateProduction.IsPresent);
            await RunAsync(targets, async target =>
            {
                string where = $"container '{target.Container}' (namespace {target.Namespace})";
                if (whatIf)
                {
                    SettingsOutcome preview = await DefaultSettingSession.RunAsync(DockerEngine, target.Container, target.Namespace, script, Reporter, DefaultSettingSession.DefaultTimeout, cancellationToken).ConfigureAwait(false);
                    Report(preview);
                    int add = preview.Results.Count(r => r.Action == DefaultSettingAction.WouldAdd);
                    int update = preview.Results.Count(r => r.Action == DefaultSettingAction.WouldUpdate);
                    string summary = $"Set {rows.Count} default setting(s) in {where}: {add} to add, {update} to update, {rows.Count - add - update} unchanged{(UpdateProduction.IsPresent ? ", then update the production" : string.Empty)}.";
                    await ShouldProcessAsync(summary, summary, "Set-IrisDefaultSetting").ConfigureAwait(false);
                    return;
                }

                string description = $"Set {rows.Count} default setting(s) in {where}{(UpdateProduction.IsPresent ? ", then update the running production" : string.Empty)}.";
                if (!await ShouldProcessAsync(description, description + " Continue?", "Set-IrisDefaultSetting").ConfigureAwait(false))
                {
                    return;
                }

                Report(await DefaultSettingSession.RunAsync(DockerEngine, target.Container, target.Namespace, script, Reporter, DefaultSettingSession.DefaultTimeout, cancellationToken).ConfigureAwait(false));
            }, cancellationToken).ConfigureAwait(false);
        }

        private async Task ExportAsync()
        {
            DefaultSettingValidator.ValidateForXml(rows);
            string path = await ResolveFileSystemPathAsync(ExportPath, nameof(ExportPath)).ConfigureAwait(false);
            string replacing = System.IO.File.Exists(path) ? ", replacing the existing file" : string.Empty;
            string description = $"Write {rows.Count} default setting(s) to '{path}'{replacing}.";
            if (!await ShouldProcessAsync(description, description + " Continue?", "Set-IrisDefaultSetting").ConfigureAwait(false))
            {
                return;
            }

            DefaultSettingXml.WriteFile(rows, path);
            Verbose($"Wrote {rows.Count} default setting(s) to {path}; import it with ##class(Ens.Config.DefaultSettings).%Import(file) or read it with Get-IrisDefaultSetting -Path.");
            foreach (DefaultSetting row in rows)
            {
                IrisDefaultSetting result = IrisDefaultSetting.From(row);
                result.Action = DefaultSettingAction.Exported;
                result.Target = path;
                Emit(result);
            }
        }

        /// <summary>A key part left out, or an empty CSV cell, means any: '*'.</summary>
        private static string KeyOrAny(string? value) => string.IsNullOrEmpty(value) ? DefaultSetting.Any : value!;
    }
}
