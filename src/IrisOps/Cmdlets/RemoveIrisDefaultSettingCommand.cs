using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Settings;
using IrisOps.Infrastructure;

namespace IrisOps.Cmdlets
{
    /// <summary>
    /// Remove-IrisDefaultSetting: deletes default settings by their exact key. Rows are collected while the
    /// pipeline runs; each container then gets one session that deletes them all in one transaction.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "IrisDefaultSetting", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ContainerSet)]
    [OutputType(typeof(IrisDefaultSetting))]
    public sealed class RemoveIrisDefaultSettingCommand : SettingsCmdletBase
    {
        private const string ContainerSet = "Container";
        private const string InputObjectSet = "InputObject";

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

        [Parameter(Mandatory = true, ParameterSetName = ContainerSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RunningContainerCompleter))]
        public string[] Container { get; set; } = new string[0];

        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet)]
        [ValidateNotNullOrEmpty]
        public object[] InputObject { get; set; } = new object[0];

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Namespace { get; set; }

        protected override string? NamespaceParameter => Namespace;

        protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
        {
            MarkErrors();
            return Task.CompletedTask;
        }

        protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            rows.Add(new DefaultSetting
            {
                ProductionName = string.IsNullOrEmpty(ProductionName) ? DefaultSetting.Any : ProductionName!,
                ItemName = string.IsNullOrEmpty(ItemName) ? DefaultSetting.Any : ItemName!,
                HostClassName = string.IsNullOrEmpty(HostClassName) ? DefaultSetting.Any : HostClassName!,
                SettingName = SettingName ?? string.Empty,
                Source = "row " + (rows.Count + 1).ToString(CultureInfo.InvariantCulture),
            });
            return Task.CompletedTask;
        }

        protected override async Task EndProcessingAsync(CancellationToken cancellationToken)
        {
            try
            {
                ThrowIfInputWasLost();
                if (rows.Count == 0)
                {
                    Verbose("No settings were given; nothing to do.");
                    return;
                }

                DefaultSettingValidator.Validate(rows);
                List<SettingsTarget> targets = ResolveTargets(Container, InputObject);
                bool whatIf = IsWhatIf();
                SettingsScript script = DefaultSettingScript.Create(whatIf ? SettingsScriptKind.PreviewRemove : SettingsScriptKind.Remove, rows);
                await RunAsync(targets, async target =>
                {
                    string where = $"container '{target.Container}' (namespace {target.Namespace})";
                    if (whatIf)
                    {
                        SettingsOutcome preview = await DefaultSettingSession.RunAsync(DockerEngine, target.Container, target.Namespace, script, Reporter, DefaultSettingSession.DefaultTimeout, cancellationToken).ConfigureAwait(false);
                        Report(preview);
                        int remove = preview.Results.Count(r => r.Action == DefaultSettingAction.WouldRemove);
                        string summary = $"Remove {remove} default setting(s) from {where} ({rows.Count - remove} of those given do not exist).";
                        await ShouldProcessAsync(summary, summary, "Remove-IrisDefaultSetting").ConfigureAwait(false);
                        return;
                    }

                    string names = string.Join(", ", rows.Take(5).Select(r => r.SettingName)) + (rows.Count > 5 ? $" and {rows.Count - 5} more" : string.Empty);
                    string description = $"Remove {rows.Count} default setting(s) ({names}) from {where}.";
                    if (!await ShouldProcessAsync(description, description + " Continue?", "Remove-IrisDefaultSetting").ConfigureAwait(false))
                    {
                        return;
                    }

                    Report(await DefaultSettingSession.RunAsync(DockerEngine, target.Container, target.Namespace, script, Reporter, DefaultSettingSession.DefaultTimeout, cancellationToken).ConfigureAwait(false));
                }, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ReleaseEngine();
            }
        }
    }
}
