using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Errors;

namespace IrisOps.Infrastructure
{
    /// <summary>
    /// What the cmdlets that take rows from the pipeline share (default settings, production items): each pipeline
    /// object is read as one row (<see cref="SettingRow"/>) and collected while the pipeline runs; the targets are
    /// -Container or -InputObject; at the end the rows are checked and the command does its work once, so each
    /// target gets one session for the whole pipeline. A row that cannot be read is an error naming it, and then
    /// nothing is sent.
    /// </summary>
    public abstract class RowsCmdletBase<TRow> : SettingsCmdletBase
    {
        protected const string ContainerSet = TargetParameterSets.Name;
        protected const string InputObjectSet = TargetParameterSets.InputObject;

        /// <summary>Rows that could not be read, each already reported as an error naming it.</summary>
        private int unboundRows;

        /// <summary>
        /// A row from the pipeline (Import-Csv, hashtables, the command's own output objects): its properties named
        /// like the parameters give this row's values; a parameter given on the command line applies to every row.
        /// </summary>
        [Parameter(ValueFromPipeline = true)]
        public PSObject? Row { get; set; }

        /// <summary>Not mandatory: cluster, node and upgrade-result objects from the pipeline are targets too.</summary>
        [Parameter(Position = 0, ParameterSetName = ContainerSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RunningContainerCompleter))]
        public string[] Container { get; set; } = new string[0];

        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet)]
        [ValidateNotNullOrEmpty]
        [IrisTargetTransformation]
        public IrisTarget[] InputObject { get; set; } = new IrisTarget[0];

        /// <summary>Cluster, node and upgrade-result objects that came down the pipeline: targets, not rows.</summary>
        private readonly List<IrisTarget> pipedTargets = new List<IrisTarget>();

        /// <summary>-InputObject and the target objects from the pipeline.</summary>
        internal IEnumerable<IrisTarget> Targets => InputObject.Concat(pipedTargets);

        /// <summary>The rows of every pipeline record so far.</summary>
        protected List<TRow> Rows { get; } = new List<TRow>();

        /// <summary>The parameters given on the command line, which count for every row.</summary>
        protected InvocationSnapshot CommandLine { get; private set; } = InvocationSnapshot.Empty;

        /// <summary>The error id of one row that cannot be read ("...RowNotBound").</summary>
        protected abstract string RowNotBoundErrorId { get; }

        /// <summary>The error id that ends the command when any row could not be read ("...InputNotBound").</summary>
        protected abstract string InputNotBoundErrorId { get; }

        protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
        {
            CommandLine = Invocation;
            return Task.CompletedTask;
        }

        protected sealed override Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            if (PipelineTarget(Row) is IrisTarget target)
            {
                pipedTargets.Add(target);
                return Task.CompletedTask;
            }

            string source = "row " + (Rows.Count + unboundRows + 1).ToString(CultureInfo.InvariantCulture);
            try
            {
                Rows.Add(BindRow(SettingRow.From(Row), source));
            }
            catch (FormatException ex)
            {
                unboundRows++;
                Error(new IrisOpsException(IrisErrorKind.InvalidArgument, RowNotBoundErrorId, $"The input {source} cannot be used: {ex.Message}", Row), Row);
            }

            return Task.CompletedTask;
        }

        /// <summary>One row from the pipeline object (and the command line); throws FormatException for a row it cannot use.</summary>
        protected abstract TRow BindRow(SettingRow row, string source);

        /// <summary>A value from the command line if it was given there, else from the row (null when neither has it).</summary>
        internal string? Given(string parameter, string? commandLineValue, SettingRow row, string shortName) =>
            CommandLine.IsBound(parameter) ? commandLineValue : row.Text(parameter, shortName);

        protected sealed override async Task EndProcessingAsync(CancellationToken cancellationToken)
        {
            try
            {
                if (unboundRows > 0)
                {
                    throw new IrisOpsException(IrisErrorKind.InvalidArgument, InputNotBoundErrorId,
                        $"Nothing was sent or written: {unboundRows} input row(s) could not be bound to the parameters (see the errors above). Fix those rows and run the command again.");
                }

                if (Rows.Count == 0 && pipedTargets.Count > 0)
                {
                    // Only targets came down the pipeline: the command line is the one row.
                    Rows.Add(BindCommandLineRow());
                }

                if (Rows.Count == 0)
                {
                    Verbose("No rows were given; nothing to do.");
                    return;
                }

                ValidateRows();
                await ProcessRowsAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ReleaseEngine();
            }
        }

        private TRow BindCommandLineRow()
        {
            try
            {
                return BindRow(SettingRow.From(null), "the command line");
            }
            catch (FormatException ex)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, InputNotBoundErrorId, $"Nothing was sent: the command line cannot be used as a row: {ex.Message}");
            }
        }

        // Only the module's own target types (live, or deserialized by name) are targets: any other object is a row.
        private static IrisTarget? PipelineTarget(PSObject? row)
        {
            if (row == null)
            {
                return null;
            }

            string[] targetTypes = { typeof(IrisOps.Core.Ecp.IrisEcpCluster).FullName!, typeof(IrisOps.Core.Ecp.IrisEcpNode).FullName!, typeof(IrisOps.Core.Upgrade.IrisUpgradeResult).FullName! };
            bool isTarget = targetTypes.Any(type => row.TypeNames.Contains(type) || row.TypeNames.Contains("Deserialized." + type));
            return isTarget ? IrisTarget.From(row) : null;
        }

        /// <summary>Checks every row before anything is sent; throws one error naming each problem.</summary>
        protected abstract void ValidateRows();

        /// <summary>Does the command's work with <see cref="Rows"/>, which are there and valid.</summary>
        protected abstract Task ProcessRowsAsync(CancellationToken cancellationToken);
    }
}
