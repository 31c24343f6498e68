using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Errors;
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
        protected const string ContainerSet = TargetParameterSets.Name;
        protected const string InputObjectSet = TargetParameterSets.InputObject;

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

        /// <summary>
        /// A row from the pipeline (Import-Csv, hashtables, Get-IrisDefaultSetting): its properties named like the
        /// parameters (or production, item, class, setting, value, description) give this row's values; a
        /// parameter given on the command line applies to every row.
        /// </summary>
        [Parameter(ValueFromPipeline = true)]
        public PSObject? Row { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ContainerSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RunningContainerCompleter))]
        public string[] Container { get; set; } = new string[0];

        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet)]
        [ValidateNotNullOrEmpty]
        [IrisTargetTransformation]
        public IrisTarget[] InputObject { get; set; } = new IrisTarget[0];

        /// <summary>The rows of every pipeline record so far.</summary>
        protected List<DefaultSetting> Rows { get; } = new List<DefaultSetting>();

        /// <summary>The parameters given on the command line, which count for every row.</summary>
        protected InvocationSnapshot CommandLine { get; private set; } = InvocationSnapshot.Empty;

        /// <summary>Rows that could not be read, each already reported as an error naming it.</summary>
        private int unboundRows;

        protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
        {
            CommandLine = Invocation;
            return Task.CompletedTask;
        }

        protected sealed override Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            SettingRow row = SettingRow.From(Row);
            string source = "row " + (Rows.Count + unboundRows + 1).ToString(CultureInfo.InvariantCulture);
            try
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
                Rows.Add(setting);
            }
            catch (FormatException ex)
            {
                unboundRows++;
                Error(new IrisOpsException(IrisErrorKind.InvalidArgument, "DefaultSettingRowNotBound", $"The input {source} cannot be used: {ex.Message}", Row), Row);
            }

            return Task.CompletedTask;
        }

        /// <summary>Reads what the derived command needs besides the key; throws FormatException for a row it cannot use.</summary>
        protected abstract void ReadRow(DefaultSetting setting, SettingRow row);

        /// <summary>A value from the command line if it was given there, else from the row (null when neither has it).</summary>
        internal string? Given(string parameter, string? commandLineValue, SettingRow row, string shortName) =>
            CommandLine.IsBound(parameter) ? commandLineValue : row.Text(parameter, shortName);

        protected sealed override async Task EndProcessingAsync(CancellationToken cancellationToken)
        {
            try
            {
                if (unboundRows > 0)
                {
                    throw new IrisOpsException(IrisErrorKind.InvalidArgument, "DefaultSettingInputNotBound",
                        $"Nothing was sent or written: {unboundRows} input row(s) could not be bound to the parameters (see the errors above). Fix those rows and run the command again.");
                }

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
            bool whatIf = Invocation.WhatIf;
            SettingsScript script = DefaultSettingScript.Create(whatIf ? previewKind : kind, Rows, updateProduction);
            string caption = Invocation.CommandName;
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
