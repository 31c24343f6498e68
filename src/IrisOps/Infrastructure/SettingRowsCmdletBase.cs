using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Settings;

namespace IrisOps.Infrastructure
{
    /// <summary>
    /// What Set- and Remove-IrisDefaultSetting share: the key parameters, bound from the pipeline and collected
    /// as rows while it runs; the targets (-Container or -InputObject); the checks before anything is sent; and
    /// one session per target, or under -WhatIf a read-only preview session whose result the summary tells.
    /// </summary>
    public abstract class SettingRowsCmdletBase : SettingsCmdletBase
    {
        protected const string ContainerSet = "Container";
        protected const string InputObjectSet = "InputObject";

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

        /// <summary>The rows of every pipeline record so far.</summary>
        protected List<DefaultSetting> Rows { get; } = new List<DefaultSetting>();

        protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
        {
            MarkErrors();
            return Task.CompletedTask;
        }

        protected sealed override async Task EndProcessingAsync(CancellationToken cancellationToken)
        {
            try
            {
                ThrowIfInputWasLost();
                if (Rows.Count == 0)
                {
                    Verbose("No settings were given; nothing to do.");
                    return;
                }

                DefaultSettingValidator.Validate(Rows, Reporter);
                await ProcessRowsAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ReleaseEngine();
            }
        }

        /// <summary>Does the command's work with <see cref="Rows"/>, which are there and valid.</summary>
        protected abstract Task ProcessRowsAsync(CancellationToken cancellationToken);

        /// <summary>A row with the current record's key; a key part left out, or an empty CSV cell, means any: '*'.</summary>
        protected DefaultSetting NewRow() => new DefaultSetting
        {
            ProductionName = KeyOrAny(ProductionName),
            ItemName = KeyOrAny(ItemName),
            HostClassName = KeyOrAny(HostClassName),
            SettingName = SettingName ?? string.Empty,
            Source = "row " + (Rows.Count + 1).ToString(CultureInfo.InvariantCulture),
        };

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
            List<SettingsTarget> targets = ResolveTargets(Container, InputObject);
            bool whatIf = IsWhatIf();
            SettingsScript script = DefaultSettingScript.Create(whatIf ? previewKind : kind, Rows, updateProduction);
            string caption = MyInvocation.MyCommand.Name;
            await RunAsync(targets, async target =>
            {
                string where = $"container '{target.Container}' (namespace {target.Namespace})";
                if (whatIf)
                {
                    SettingsOutcome preview = await DefaultSettingSession.RunAsync(DockerEngine, target.Container, target.Namespace, script, Reporter, DefaultSettingSession.DefaultTimeout, cancellationToken).ConfigureAwait(false);
                    Report(preview);
                    string summary = summarize(where, preview);
                    await ShouldProcessAsync(summary, summary, caption).ConfigureAwait(false);
                    return;
                }

                string description = describe(where);
                if (!await ShouldProcessAsync(description, description + " Continue?", caption).ConfigureAwait(false))
                {
                    return;
                }

                Report(await DefaultSettingSession.RunAsync(DockerEngine, target.Container, target.Namespace, script, Reporter, DefaultSettingSession.DefaultTimeout, cancellationToken).ConfigureAwait(false));
            }, cancellationToken).ConfigureAwait(false);
        }

        private static string KeyOrAny(string? value) => string.IsNullOrEmpty(value) ? DefaultSetting.Any : value!;
    }
}
