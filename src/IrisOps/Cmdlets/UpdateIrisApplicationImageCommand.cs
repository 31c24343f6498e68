using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Cpf;
using IrisOps.Core.Docker;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;
using IrisOps.Core.Upgrade;
using IrisOps.Infrastructure;

namespace IrisOps.Cmdlets
{
    /// <summary>
    /// Update-IrisApplicationImage: moves containers (or whole ECP clusters) to a new image keeping durable %SYS,
    /// with a backup, a health gate and automatic rollback. Input is collected first, so every node of every
    /// cluster is preflighted before anything changes and nodes are upgraded one at a time in cluster order.
    /// </summary>
    [Cmdlet(VerbsData.Update, "IrisApplicationImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = NameSet)]
    [OutputType(typeof(IrisUpgradeResult))]
    public sealed class UpdateIrisApplicationImageCommand : IrisDockerCmdlet
    {
        private const string NameSet = "Name";
        private const string InputObjectSet = "InputObject";
        private readonly List<UpgradeTarget> targets = new List<UpgradeTarget>();

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet)]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; } = new string[0];

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        [ValidateNotNull]
        public object[] InputObject { get; set; } = new object[0];

        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Image { get; set; } = string.Empty;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? BackupPath { get; set; }

        [Parameter]
        public SwitchParameter SkipBackup { get; set; }

        [Parameter]
        [ValidateRange(1, 86400)]
        public int HealthTimeout { get; set; } = ImageUpgradeOptions.DefaultHealthTimeoutSeconds;

        [Parameter]
        [ValidateRange(1, 86400)]
        public int StopTimeout { get; set; } = ImageUpgradeOptions.DefaultStopTimeoutSeconds;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? MergeFile { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? PostUpgradeScript { get; set; }

        [Parameter]
        [ValidatePattern("^%?[A-Za-z][A-Za-z0-9_-]{0,63}$")]
        public string Namespace { get; set; } = "USER";

        [Parameter]
        public SwitchParameter KeepPrevious { get; set; }

        [Parameter]
        public DataServerOrder DataServerOrder { get; set; } = DataServerOrder.Last;

        [Parameter]
        public SwitchParameter Strict { get; set; }

        /// <summary>Where backups go when -BackupPath is not given.</summary>
        public static string DefaultBackupPath =>
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "IrisOps", "backups");

        protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            if (ParameterSetName == NameSet)
            {
                targets.AddRange(Name.Select(n => new UpgradeTarget(n)));
                return Task.CompletedTask;
            }

            foreach (object item in InputObject)
            {
                object value = item is PSObject ps ? ps.BaseObject : item;
                switch (value)
                {
                    case IrisEcpCluster cluster:
                        targets.AddRange(cluster.Nodes.Select(ToTarget));
                        break;
                    case IrisEcpNode node:
                        targets.Add(ToTarget(node));
                        break;
                    case string name when name.Length > 0:
                        targets.Add(new UpgradeTarget(name));
                        break;
                    case ContainerDetails details:
                        targets.Add(new UpgradeTarget(details.Name));
                        break;
                    case ContainerSummary summary:
                        targets.Add(new UpgradeTarget(summary.Name));
                        break;
                    case IrisUpgradeResult result:
                        targets.Add(new UpgradeTarget(result.Node, result.Cluster, result.Role));
                        break;
                    default:
                        Error(new IrisOpsException(IrisErrorKind.InvalidArgument, "InputObjectNotSupported",
                            $"Update-IrisApplicationImage takes IrisEcpCluster and IrisEcpNode objects (Get-IrisEcpCluster, New-IrisEcpCluster) or container names, not {value?.GetType().FullName ?? "null"}.", value));
                        break;
                }
            }

            return Task.CompletedTask;
        }

        private static UpgradeTarget ToTarget(IrisEcpNode node) =>
            new UpgradeTarget(node.Name, node.Cluster, node.Role == EcpRole.Data ? UpgradeNodeRole.Data : UpgradeNodeRole.Application);

        protected override async Task EndProcessingAsync(CancellationToken cancellationToken)
        {
            try
            {
                if (targets.Count > 0)
                {
                    await UpgradeAllAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                ReleaseEngine();
            }
        }

        private async Task UpgradeAllAsync(CancellationToken cancellationToken)
        {
            var options = new ImageUpgradeOptions
            {
                Image = Image,
                BackupPath = await ResolveFileSystemPathAsync(BackupPath ?? DefaultBackupPath, nameof(BackupPath)).ConfigureAwait(false),
                SkipBackup = SkipBackup.IsPresent,
                HealthTimeout = TimeSpan.FromSeconds(HealthTimeout),
                StopTimeout = TimeSpan.FromSeconds(StopTimeout),
                KeepPrevious = KeepPrevious.IsPresent,
                DataServerOrder = DataServerOrder,
                Namespace = Namespace,
                Strict = Strict.IsPresent,
            };

            if (MergeFile != null)
            {
                // Through the CPF model: the file is parsed (syntax errors name the line) and rendered by the one writer.
                string path = await ResolveFileSystemPathAsync(MergeFile, nameof(MergeFile)).ConfigureAwait(false);
                CpfDocument document = CpfParser.ParseFile(path, Reporter);
                options.MergeFileContent = CpfWriter.Write(document);
                options.MergeFileSource = path;
            }

            if (PostUpgradeScript != null)
            {
                string path = await ResolveFileSystemPathAsync(PostUpgradeScript, nameof(PostUpgradeScript)).ConfigureAwait(false);
                if (!File.Exists(path))
                {
                    throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "PostUpgradeScriptNotFound", $"-PostUpgradeScript '{PostUpgradeScript}' does not exist.", path);
                }

                options.PostUpgradeScript = File.ReadAllText(path, Encoding.UTF8);
            }

            var upgrader = new ImageUpgrader(DockerEngine, Reporter);
            await ResolveRolesAsync(cancellationToken).ConfigureAwait(false);
            IReadOnlyList<UpgradeTarget> ordered = UpgradePlanner.Order(targets, options.DataServerOrder);

            // Preflight of every node before anything changes.
            IReadOnlyList<NodeInspection> nodes = await upgrader.InspectAsync(ordered, options, cancellationToken).ConfigureAwait(false);
            if (ReportProblems(nodes, options))
            {
                return;
            }

            // -WhatIf / -Confirm per node, with the exact steps.
            var approved = new List<NodeInspection>();
            int wanted = 0;
            foreach (NodeInspection node in nodes.Where(n => !n.AlreadyOnImage))
            {
                wanted++;
                IReadOnlyList<string> steps = UpgradePlanner.Steps(node.StepInput, options);
                string description = $"Upgrade '{node.Target.Container}' from '{node.FromImage}' to '{options.Image}':" + Environment.NewLine +
                    string.Join(Environment.NewLine, steps.Select((s, i) => $"  {i + 1}. {s}"));
                if (await ShouldProcessAsync(description, description + Environment.NewLine + "Continue?", "Update-IrisApplicationImage").ConfigureAwait(false))
                {
                    approved.Add(node);
                }
            }

            if (wanted > 0 && approved.Count == 0)
            {
                return; // -WhatIf, or every node declined: nothing changed, nothing to report
            }

            foreach (NodeInspection node in approved)
            {
                await upgrader.CheckCodeDatabaseTrapAsync(node, options, cancellationToken).ConfigureAwait(false);
            }

            if (ReportProblems(nodes, options))
            {
                return;
            }

            foreach (string warning in nodes.SelectMany(n => n.Warnings))
            {
                Warning(warning);
            }

            // One node at a time, in cluster order; the first failure stops the run.
            NodeUpgradeOutcome? stoppedBy = null;
            bool cancelled = false;
            foreach (NodeInspection node in nodes)
            {
                if (node.AlreadyOnImage)
                {
                    Emit((await upgrader.UpgradeAsync(node, options, cancellationToken).ConfigureAwait(false)).Result);
                    continue;
                }

                if (!approved.Contains(node))
                {
                    continue;
                }

                if (stoppedBy != null || cancelled)
                {
                    Emit(NotAttempted(node, options, stoppedBy == null
                        ? "Not attempted: the upgrade was cancelled."
                        : $"Not attempted: the upgrade of '{stoppedBy.Result.Node}' did not succeed ({stoppedBy.Result.Status}), so the run stopped there."));
                    continue;
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    cancelled = true;
                    Emit(NotAttempted(node, options, "Not attempted: the upgrade was cancelled."));
                    continue;
                }

                Verbose($"Upgrading '{node.Target.Container}'{(node.Target.Cluster == null ? string.Empty : $" ({node.Target.Role} of cluster {node.Target.Cluster})")}.");
                NodeUpgradeOutcome outcome = await upgrader.UpgradeAsync(node, options, cancellationToken).ConfigureAwait(false);
                Emit(outcome.Result);
                if (outcome.Error != null)
                {
                    Error(outcome.Error, node.Target.Container);
                    stoppedBy = outcome;
                    cancelled = cancellationToken.IsCancellationRequested;
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        /// <summary>Reads cluster membership from the containers' labels when only names were given.</summary>
        private async Task ResolveRolesAsync(CancellationToken cancellationToken)
        {
            foreach (UpgradeTarget target in targets.Where(t => t.Cluster == null))
            {
                ContainerDetails? details = await DockerEngine.InspectContainerAsync(target.Container, cancellationToken).ConfigureAwait(false);
                if (details != null &&
                    details.Spec.Labels.TryGetValue(ClusterLabels.Cluster, out string? cluster) &&
                    details.Spec.Labels.TryGetValue(ClusterLabels.Role, out string? role))
                {
                    target.Cluster = cluster;
                    target.Role = role == "data" ? UpgradeNodeRole.Data : UpgradeNodeRole.Application;
                }
            }
        }

        /// <summary>Writes every preflight problem of every node; true when there was any (then nothing changes).</summary>
        private bool ReportProblems(IReadOnlyList<NodeInspection> nodes, ImageUpgradeOptions options)
        {
            if (!nodes.Any(n => n.Problems.Count > 0))
            {
                return false;
            }

            foreach (NodeInspection node in nodes)
            {
                foreach (PreflightProblem problem in node.Problems)
                {
                    Error(new IrisOpsException(problem.Kind, problem.ErrorId, $"Preflight: {problem.Message}", node.Target.Container), node.Target.Container);
                }
            }

            int count = nodes.Sum(n => n.Problems.Count);
            foreach (NodeInspection node in nodes)
            {
                IrisUpgradeResult result = NotAttempted(node, options, node.Problems.Count > 0
                    ? "Refused by the preflight: " + string.Join(" ", node.Problems.Select(p => p.Message))
                    : $"Not attempted: the preflight found {count} problem(s) on other nodes, and nothing changes until every node passes.");
                if (node.Problems.Count > 0)
                {
                    result.Status = UpgradeStatus.Failed;
                    result.ErrorId = node.Problems[0].ErrorId;
                }

                Emit(result);
            }

            return true;
        }

        private static IrisUpgradeResult NotAttempted(NodeInspection node, ImageUpgradeOptions options, string message) => new IrisUpgradeResult
        {
            Node = node.Target.Container,
            Cluster = node.Target.Cluster,
            Role = node.Target.Role,
            FromImage = node.FromImage,
            ToImage = options.Image,
            Status = UpgradeStatus.Skipped,
            Message = message,
            Warnings = node.Warnings.ToList(),
        };
    }
}
