using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// The policy of an image upgrade over many nodes: every node is preflighted and every problem reported before
    /// anything changes; nodes go one at a time in cluster order (the data server last by default: "Upgrade ECP
    /// Configurations" in the Upgrade an Instance guide upgrades application servers first); each node needs the
    /// caller's approval; the first failure stops the run, and the nodes after it are reported as not attempted.
    /// </summary>
    public sealed class UpgradeRun
    {
        private readonly IDockerEngine engine;
        private readonly IOperationReporter reporter;
        private readonly Func<NodeInspection, string, Task<bool>> approve;
        private readonly Action<IrisUpgradeResult> emit;
        private readonly Action<IrisOpsException, string> error;

        /// <param name="approve">Asked once per node that would change, with the exact steps; false leaves the node alone (-WhatIf, -Confirm).</param>
        /// <param name="emit">Receives each node's result as soon as it is known.</param>
        /// <param name="error">Receives each error with the node it is about.</param>
        public UpgradeRun(IDockerEngine engine, IOperationReporter reporter, Func<NodeInspection, string, Task<bool>> approve,
            Action<IrisUpgradeResult> emit, Action<IrisOpsException, string> error)
        {
            this.engine = engine;
            this.reporter = reporter;
            this.approve = approve;
            this.emit = emit;
            this.error = error;
        }

        /// <summary>Time allowed for each cleanup call (probe removal, rollback), which the user cannot cancel.</summary>
        public TimeSpan CleanupTimeout { get; set; } = IrisDefaults.CleanupTimeout;

        public async Task RunAsync(IReadOnlyList<UpgradeTarget> targets, ImageUpgradeOptions options, CancellationToken cancellationToken)
        {
            await ResolveRolesAsync(targets, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<UpgradeTarget> ordered = UpgradePlanner.Order(targets, options.DataServerOrder);
            if (options.Resume || options.RollBack)
            {
                await RecoverInOrderAsync(ordered, options, cancellationToken).ConfigureAwait(false);
                return;
            }

            PreflightReport preflight = await new UpgradePreflight(engine, reporter).InspectAsync(ordered, options, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<NodeInspection> nodes = preflight.Nodes;
            if (ReportProblems(nodes, options))
            {
                return;
            }

            List<NodeInspection> wanted = nodes.Where(n => !n.AlreadyOnImage).ToList();
            var approved = new List<NodeInspection>();
            foreach (NodeInspection node in wanted)
            {
                if (await approve(node, Describe(node, options)).ConfigureAwait(false))
                {
                    approved.Add(node);
                }
            }

            if (wanted.Count > 0 && approved.Count == 0)
            {
                return; // -WhatIf, or every node declined: nothing changed, nothing to report
            }

            // Only approved nodes are probed: the probe creates a container from the new image.
            if (approved.Count > 0 && preflight.NewImage != null)
            {
                var probe = new CodeDatabaseProbe(engine) { CleanupTimeout = CleanupTimeout };
                ImageCpf imageCpf = await probe.ReadImageCpfAsync(preflight.NewImage, options.Image, cancellationToken).ConfigureAwait(false);
                foreach (NodeInspection node in approved)
                {
                    await probe.CheckAsync(node, imageCpf, options, cancellationToken).ConfigureAwait(false);
                    NodeBackupScope.CheckAgainstImage(node, imageCpf, preflight.NewImage);
                }
            }

            if (ReportProblems(nodes, options))
            {
                return;
            }

            foreach (string warning in nodes.SelectMany(n => n.Warnings))
            {
                reporter.Warning(warning);
            }

            await UpgradeInOrderAsync(nodes, approved, options, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }

        /// <summary>What the approval callback is shown for a node: the exact steps it will go through.</summary>
        public static string Describe(NodeInspection node, ImageUpgradeOptions options)
        {
            IReadOnlyList<string> steps = node.Swarm != null ? UpgradePlanner.SwarmSteps(node.StepInput, node.Swarm, options) : UpgradePlanner.Steps(node.StepInput, options);
            string what = node.Swarm != null ? $"the Swarm service '{node.Swarm.Service}' of '{node.Target.Container}'" : $"'{node.Target.Container}'";
            return $"Upgrade {what} from '{node.FromImage}' to '{options.Image}':" + Environment.NewLine +
                string.Join(Environment.NewLine, steps.Select((s, i) => $"  {i + 1}. {s}"));
        }

        // One node at a time, in cluster order; the first failure stops the run.
        private async Task UpgradeInOrderAsync(IReadOnlyList<NodeInspection> nodes, IReadOnlyList<NodeInspection> approved, ImageUpgradeOptions options, CancellationToken cancellationToken)
        {
            const string RunActivity = "Update-IrisApplicationImage";
            var upgrade = new NodeUpgrade(engine, reporter) { CleanupTimeout = CleanupTimeout, ParentActivity = nodes.Count > 1 ? RunActivity : null };
            var swarmUpgrade = new SwarmNodeUpgrade(engine, reporter) { CleanupTimeout = CleanupTimeout, ParentActivity = upgrade.ParentActivity };
            NodeUpgradeOutcome? stoppedBy = null;
            bool cancelled = false;
            int index = 0;
            foreach (NodeInspection node in nodes)
            {
                if (nodes.Count > 1)
                {
                    reporter.Progress(RunActivity, $"Node {index + 1} of {nodes.Count}: {node.Target.Container}", index * 100 / nodes.Count);
                }

                index++;
                if (node.AlreadyOnImage)
                {
                    IrisUpgradeResult skipped = NotAttempted(node, options, $"Already on image '{options.Image}'; nothing to do.");
                    skipped.Duration = TimeSpan.Zero;
                    emit(skipped);
                    continue;
                }

                if (!approved.Contains(node))
                {
                    continue;
                }

                if (stoppedBy != null || cancelled)
                {
                    emit(NotAttempted(node, options, stoppedBy == null
                        ? "Not attempted: the upgrade was cancelled."
                        : $"Not attempted: the upgrade of '{stoppedBy.Result.Node}' did not succeed ({stoppedBy.Result.Status}), so the run stopped there."));
                    continue;
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    cancelled = true;
                    emit(NotAttempted(node, options, "Not attempted: the upgrade was cancelled."));
                    continue;
                }

                reporter.Verbose($"Upgrading '{node.Target.Container}'{(node.Target.Cluster == null ? string.Empty : $" ({node.Target.Role} of cluster {node.Target.Cluster})")}.");
                NodeUpgradeOutcome outcome = node.Swarm != null
                    ? await swarmUpgrade.RunAsync(node, options, cancellationToken).ConfigureAwait(false)
                    : await upgrade.RunAsync(node, options, cancellationToken).ConfigureAwait(false);
                emit(outcome.Result);
                if (outcome.Error != null)
                {
                    error(outcome.Error, node.Target.Container);
                    stoppedBy = outcome;
                    cancelled = cancellationToken.IsCancellationRequested;
                }
            }

            if (nodes.Count > 1)
            {
                reporter.Progress(RunActivity, "Done", 100);
            }
        }

        // -Resume / -RollBack: each node's interrupted run is described, approved, and finished or undone; the
        // first failure stops the run, as in an upgrade. A Swarm task's run is found through its service.
        private async Task RecoverInOrderAsync(IReadOnlyList<UpgradeTarget> targets, ImageUpgradeOptions options, CancellationToken cancellationToken)
        {
            var recovery = new InterruptedUpgrade(engine, reporter) { CleanupTimeout = CleanupTimeout };
            var swarmRecovery = new InterruptedSwarmUpgrade(engine, reporter) { CleanupTimeout = CleanupTimeout };
            string action = options.Resume ? "-Resume" : "-RollBack";
            bool stopped = false;
            foreach (UpgradeTarget target in targets)
            {
                var node = new NodeInspection(target);
                string? service = stopped ? null : await SwarmServiceOfAsync(target.Container, cancellationToken).ConfigureAwait(false);
                InterruptedSwarmState? swarmState = service == null ? null : await swarmRecovery.InspectAsync(service, options.BackupPath, cancellationToken).ConfigureAwait(false);
                InterruptedState? state = stopped || swarmState != null ? null : await recovery.InspectAsync(target.Container, options.BackupPath, cancellationToken).ConfigureAwait(false);
                if (state == null && swarmState == null)
                {
                    string none = service != null
                        ? $"No interrupted upgrade of '{target.Container}' was found (no unfinished journal of service '{service}' under '{options.BackupPath}'); nothing to do."
                        : $"No interrupted upgrade of '{target.Container}' was found (no container '{UpgradePlanner.PreviousName(target.Container)}'); nothing to do.";
                    emit(NotAttempted(node, options, stopped ? $"Not attempted: {action} stopped at an earlier node." : none));
                    continue;
                }

                string described = swarmState != null ? swarmState.Describe(target.Container) : state!.Describe(options.Image);
                string description = $"{(options.Resume ? "Finish" : "Roll back")} the interrupted upgrade of '{target.Container}'. {described}";
                if (!await approve(node, description).ConfigureAwait(false))
                {
                    continue;
                }

                NodeUpgradeOutcome outcome = swarmState != null
                    ? options.Resume
                        ? await swarmRecovery.ResumeAsync(swarmState, target.Container, options, cancellationToken).ConfigureAwait(false)
                        : await swarmRecovery.RollBackAsync(swarmState, target.Container, options, cancellationToken).ConfigureAwait(false)
                    : options.Resume
                        ? await recovery.ResumeAsync(state!, options, cancellationToken).ConfigureAwait(false)
                        : await recovery.RollBackAsync(state!, options, cancellationToken).ConfigureAwait(false);
                emit(outcome.Result);
                if (outcome.Error != null)
                {
                    error(outcome.Error, target.Container);
                    stopped = true;
                }
            }
        }

        private async Task<string?> SwarmServiceOfAsync(string container, CancellationToken cancellationToken)
        {
            ContainerDetails? details = await engine.InspectContainerAsync(container, cancellationToken).ConfigureAwait(false);
            return details != null && details.Spec.Labels.TryGetValue(ClusterLabels.SwarmService, out string? service) ? service : null;
        }

        /// <summary>Reads cluster membership from the containers' labels when only names were given.</summary>
        private async Task ResolveRolesAsync(IReadOnlyList<UpgradeTarget> targets, CancellationToken cancellationToken)
        {
            foreach (UpgradeTarget target in targets.Where(t => t.Cluster == null))
            {
                ContainerDetails? details = await engine.InspectContainerAsync(target.Container, cancellationToken).ConfigureAwait(false);
                if (details != null &&
                    details.Spec.Labels.TryGetValue(ClusterLabels.Cluster, out string? cluster) &&
                    details.Spec.Labels.TryGetValue(ClusterLabels.Role, out string? role))
                {
                    target.Cluster = cluster;
                    target.Role = NodeRoles.ToUpgradeRole(NodeRoles.FromLabel(role));
                }
            }
        }

        /// <summary>Reports every preflight problem of every node; true when there was any (then nothing changes).</summary>
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
                    error(new IrisOpsException(problem.Kind, problem.ErrorId, $"Preflight: {problem.Message}", node.Target.Container), node.Target.Container);
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

                emit(result);
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
