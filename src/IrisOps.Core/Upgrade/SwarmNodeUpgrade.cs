using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// Moves one node of a Swarm cluster (a single-replica service whose task runs on this engine) to the new
    /// image, as ordered steps with their undos like <see cref="NodeUpgrade"/>: scale the service to 0 (Swarm stops
    /// the task with its grace period), check the shutdown, cold backup of the durable volumes through a helper
    /// container, then one service update to the new image and 1 replica, and a wait until the new task runs
    /// healthy. Swarm's own rollback would put the old image back on data the new version already upgraded, so
    /// any failure or Ctrl+C scales the service to 0 again, restores the volumes from the backup and updates the
    /// service back to the old image, never with the caller's cancellation token.
    /// </summary>
    public sealed class SwarmNodeUpgrade
    {
        private const string Activity = "Update-IrisApplicationImage";
        private readonly IDockerEngine engine;
        private readonly IOperationReporter reporter;
        private readonly DurableBackup backups;
        private readonly DurableRestore restores;
        private readonly SwarmServiceWaiter waiter;
        private TimeSpan cleanupTimeout = IrisDefaults.CleanupTimeout;

        public SwarmNodeUpgrade(IDockerEngine engine, IOperationReporter reporter)
        {
            this.engine = engine;
            this.reporter = reporter;
            bool onThisHost = HelperContainerArchive.MayUse(engine);
            backups = new DurableBackup(engine, onThisHost);
            restores = new DurableRestore(engine, onThisHost);
            waiter = new SwarmServiceWaiter(engine);
        }

        /// <summary>Time allowed for each call of a rollback (which cannot be cancelled by the user).</summary>
        public TimeSpan CleanupTimeout
        {
            get => cleanupTimeout;
            set
            {
                cleanupTimeout = value;
                restores.CleanupTimeout = value;
            }
        }

        /// <summary>The run's own activity, shown above each node's (null: the node's activity stands alone).</summary>
        public string? ParentActivity { get; set; }

        /// <summary>Upgrades the node's service. Never throws for a node failure: the outcome says what happened.</summary>
        public async Task<NodeUpgradeOutcome> RunAsync(NodeInspection node, ImageUpgradeOptions options, CancellationToken cancellationToken)
        {
            if (node.Swarm == null || node.Container == null || node.DurableMount == null || node.DataDirectory == null || node.AlreadyOnImage)
            {
                throw new ArgumentException($"'{node.Target.Container}' did not pass the preflight for a Swarm upgrade.", nameof(node));
            }

            var run = new ServiceRun(this, node, options);
            var ledger = new UndoLedger();
            NodeUpgradeStep? current = null;
            try
            {
                foreach (NodeUpgradeStep step in run.Steps())
                {
                    current = step;
                    if (step.Undo != null && step.UndoEvenIfItFails)
                    {
                        ledger.Record(step.Name, step.Undo);
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    if (step.Progress != null)
                    {
                        Progress(node.Target.Container, step.Progress, step.Percent);
                    }

                    await step.Run(cancellationToken).ConfigureAwait(false);
                    if (step.Undo != null && !step.UndoEvenIfItFails)
                    {
                        ledger.Record(step.Name, step.Undo);
                    }
                }
            }
            catch (Exception ex)
            {
                bool cancelled = ex is OperationCanceledException && cancellationToken.IsCancellationRequested;
                return await run.RollBackAsync(ledger, current!.Name, ex, cancelled).ConfigureAwait(false);
            }

            return run.Finish();
        }

        private CancellationToken CleanupToken() => new CancellationTokenSource(cleanupTimeout).Token;

        private void Progress(string node, string status, int percent) => NestedProgress.Report(reporter, Activity + " " + node, status, percent, ParentActivity);

        /// <summary>One service's upgrade: the steps, their undos, and what the steps hand to each other.</summary>
        private sealed class ServiceRun
        {
            private readonly SwarmNodeUpgrade owner;
            private readonly NodeInspection node;
            private readonly SwarmNodeFacts swarm;
            private readonly ImageUpgradeOptions options;
            private readonly IrisUpgradeResult result;
            private readonly DateTime started = DateTime.UtcNow;
            private readonly string name;
            private readonly List<string> rollbackNotes = new List<string>();
            private DateTime? downSince;
            private IReadOnlyList<BackupRecord>? backup;
            private ISet<string> tasksBeforeUpdate = new HashSet<string>(StringComparer.Ordinal);
            private string? newContainer;

            // What the rollback established (see NodeUpgrade): the durable data is what the old task left, and the
            // service runs the old image again, healthy.
            private bool durableDataAsOldLeftIt = true;
            private bool oldServiceBack;
            private bool uncleanShutdown;

            public ServiceRun(SwarmNodeUpgrade owner, NodeInspection node, ImageUpgradeOptions options)
            {
                this.owner = owner;
                this.node = node;
                this.options = options;
                swarm = node.Swarm!;
                name = node.Target.Container;
                result = new IrisUpgradeResult
                {
                    Node = name,
                    Cluster = node.Target.Cluster,
                    Role = node.Target.Role,
                    FromImage = node.FromImage,
                    ToImage = options.Image,
                    Warnings = node.Warnings.ToList(),
                };
            }

            private IDockerEngine Engine => owner.engine;

            private TimeSpan StopWait => swarm.StopWait(options.StopTimeout);

            public IReadOnlyList<NodeUpgradeStep> Steps()
            {
                var steps = new List<NodeUpgradeStep>
                {
                    new NodeUpgradeStep("scale the service to 0", ScaleDownAsync, BringOldServiceBackAsync, undoEvenIfItFails: true, progress: "scaling to 0", percent: 5),
                    new NodeUpgradeStep("check the shutdown", CheckShutdownAsync, progress: "checking the shutdown", percent: 15),
                };
                if (!options.SkipBackup)
                {
                    steps.Add(new NodeUpgradeStep("back up the durable directories", BackUpAsync, progress: "backing up " + string.Join(", ", node.BackupMounts.Select(m => m.Target)), percent: 20));
                }

                steps.Add(new NodeUpgradeStep("update the service to the new image", UpdateAsync, ScaleDownAndRestoreAsync, undoEvenIfItFails: true, progress: "updating the service", percent: 50));
                steps.Add(new NodeUpgradeStep("wait until the new task is healthy", WaitHealthyAsync, progress: "waiting until healthy", percent: 60));
                if (options.PostUpgradeScript != null)
                {
                    steps.Add(new NodeUpgradeStep("run the post-upgrade script", RunScriptAsync, progress: "running the post-upgrade script", percent: 85));
                }

                return steps;
            }

            // ------------------------------------------------------------ steps

            private async Task ScaleDownAsync(CancellationToken cancellationToken)
            {
                downSince = DateTime.UtcNow;
                owner.reporter.Verbose($"{swarm.Service}: scaling to 0 replicas; Swarm stops the task with its grace period (waiting up to {StopWait.TotalSeconds:0} s).");
                await Engine.UpdateServiceAsync(swarm.Service, new SwarmServiceChange { Replicas = 0 }, cancellationToken).ConfigureAwait(false);
                await owner.waiter.WaitStoppedAsync(swarm.Service, StopWait, cancellationToken).ConfigureAwait(false);
            }

            // The same documented judgement as on one engine: the task's container is down and no mgr/iris.ids is left.
            private async Task CheckShutdownAsync(CancellationToken cancellationToken)
            {
                ContainerDetails stopped = await Engine.InspectContainerAsync(name, cancellationToken).ConfigureAwait(false)
                    ?? throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "ContainerNotFound", $"The task container '{name}' of service '{swarm.Service}' disappeared during the upgrade; its durable volume {node.DurableMount!.Source} is untouched.", name);
                if (stopped.State.Running)
                {
                    throw new IrisOpsException(IrisErrorKind.InvalidOperation, "StopFailed", $"'{name}' is still running after service '{swarm.Service}' was scaled to 0.", name);
                }

                ShutdownVerdict verdict = await InstanceRunningMarker.JudgeAsync(Engine, name, stopped, node.DataDirectory!, cancellationToken).ConfigureAwait(false);
                if (!verdict.Clean)
                {
                    uncleanShutdown = true;
                    throw new IrisOpsException(IrisErrorKind.InvalidOperation, "UncleanShutdown",
                        $"'{name}' did not shut down cleanly: {verdict.Reason}; the upgrade was not attempted. Give IRIS a longer stop grace period (-StopTimeout when the cluster is created) if Swarm killed it. {InstanceRunningMarker.Remedy(name, node.FromImage)}", name);
                }

                owner.reporter.Verbose($"{name}: clean shutdown: {verdict.Reason}.");
            }

            private async Task BackUpAsync(CancellationToken cancellationToken)
            {
                backup = await owner.backups.TakeAllAsync(name, node.FromImage, node.Container!.ImageId, node.BackupMounts, node.DataDirectory!, node.BackupFolder, cancellationToken).ConfigureAwait(false);
                result.BackupPath = node.BackupFolder;
                owner.reporter.Verbose($"{name}: backup of {backup.Sum(b => b.Manifest.FileCount)} files ({UpgradePreflight.Megabytes(backup.Sum(b => b.Manifest.ContentBytes))}) from {string.Join(", ", backup.Select(b => "'" + b.Mount.Target + "'"))} in '{node.BackupFolder}', verified.");
            }

            // Image and replica count in one update: Swarm starts exactly one task, of the new image.
            private async Task UpdateAsync(CancellationToken cancellationToken)
            {
                tasksBeforeUpdate = new HashSet<string>((await Engine.ListTasksAsync(swarm.Service, cancellationToken).ConfigureAwait(false)).Select(t => t.Id), StringComparer.Ordinal);
                await Engine.UpdateServiceAsync(swarm.Service, new SwarmServiceChange { Image = options.Image, Replicas = 1 }, cancellationToken).ConfigureAwait(false);
            }

            private async Task WaitHealthyAsync(CancellationToken cancellationToken)
            {
                newContainer = await owner.waiter.WaitHealthyAsync(swarm.Service, tasksBeforeUpdate, options.HealthTimeout, cancellationToken).ConfigureAwait(false);
                result.Downtime = DateTime.UtcNow - downSince!.Value;
            }

            private async Task RunScriptAsync(CancellationToken cancellationToken)
            {
                ExecResult exec = await Engine.ExecAsync(newContainer!, new ExecRequest
                {
                    Command = IrisContainer.SessionCommand(options.Namespace),
                    StandardInput = options.PostUpgradeScript!.TrimEnd() + "\nhalt\n",
                    Timeout = options.HealthTimeout + IrisDefaults.PostUpgradeScriptAllowance,
                }, cancellationToken).ConfigureAwait(false);
                string output = (exec.StandardOutput + exec.StandardError).Trim();
                if (exec.ExitCode != 0)
                {
                    throw new IrisOpsException(IrisErrorKind.InvalidOperation, "PostUpgradeScriptFailed",
                        $"The post-upgrade script failed in '{newContainer}' (iris session exit code {exec.ExitCode}){(output.Length == 0 ? ", with no output." : ": " + output)}", name);
                }
            }

            // ------------------------------------------------------------ undos (newest first in a rollback)

            // Undo of the update: the new task may have changed the durable data, so the service goes to 0 and the
            // volumes are restored from the backup; without a backup the old image must not run on that data.
            private async Task ScaleDownAndRestoreAsync()
            {
                string? failedTask = await owner.waiter.NewestContainerAsync(swarm.Service, tasksBeforeUpdate, owner.CleanupToken()).ConfigureAwait(false);
                if (failedTask != null)
                {
                    result.NewContainerLogTail ??= await Cleanup.Quietly(() => Engine.GetContainerLogsAsync(failedTask, options.LogTailLines, owner.CleanupToken())).ConfigureAwait(false);
                }

                await Engine.UpdateServiceAsync(swarm.Service, new SwarmServiceChange { Replicas = 0 }, owner.CleanupToken()).ConfigureAwait(false);
                await owner.waiter.WaitStoppedAsync(swarm.Service, StopWait, owner.CleanupToken()).ConfigureAwait(false);
                rollbackNotes.Add("the service was scaled to 0 again");
                if (backup != null)
                {
                    await owner.restores.RestoreAllAsync(name, node.Container!.ImageId, backup).ConfigureAwait(false);
                    rollbackNotes.Add($"{string.Join(", ", backup.Select(b => "'" + b.Mount.Target + "'"))} {(backup.Count == 1 ? "was" : "were")} restored from the backup and verified identical to it");
                }
                else
                {
                    durableDataAsOldLeftIt = false;
                    rollbackNotes.Add($"the new task ran on the durable volume and there is no backup (-SkipBackup) to restore it from, so service '{swarm.Service}' stays at 0 replicas rather than run the old image on data the new version may have changed");
                }
            }

            // Undo of the scale-down: the old image and 1 replica again, proven healthy.
            private async Task BringOldServiceBackAsync()
            {
                if (!durableDataAsOldLeftIt)
                {
                    return;
                }

                if (uncleanShutdown)
                {
                    rollbackNotes.Add($"service '{swarm.Service}' stays at 0 replicas: starting it would run automatic recovery, which the manual warns against; follow the remedy above, then scale it to 1 (docker service scale {swarm.Service}=1)");
                    return;
                }

                ISet<string> before = new HashSet<string>((await Engine.ListTasksAsync(swarm.Service, owner.CleanupToken()).ConfigureAwait(false)).Select(t => t.Id), StringComparer.Ordinal);
                await Engine.UpdateServiceAsync(swarm.Service, new SwarmServiceChange { Image = swarm.ServiceImage, Replicas = 1 }, owner.CleanupToken()).ConfigureAwait(false);
                try
                {
                    await owner.waiter.WaitHealthyAsync(swarm.Service, before, options.HealthTimeout, new CancellationTokenSource(options.HealthTimeout + owner.cleanupTimeout).Token).ConfigureAwait(false);
                    oldServiceBack = true;
                    rollbackNotes.Add($"service '{swarm.Service}' runs image '{swarm.ServiceImage}' again, healthy");
                    result.Downtime = DateTime.UtcNow - downSince!.Value;
                }
                catch (IrisOpsException ex)
                {
                    rollbackNotes.Add($"service '{swarm.Service}' is back on image '{swarm.ServiceImage}' but its task did not become healthy: {ex.Message}");
                }
            }

            // ------------------------------------------------------------ endings

            public async Task<NodeUpgradeOutcome> RollBackAsync(UndoLedger ledger, string step, Exception failure, bool cancelled)
            {
                string cause = cancelled ? "the upgrade was cancelled (Ctrl+C)" : $"'{step}' failed: {failure.Message}";
                owner.reporter.Warning($"{name}: {cause} Rolling back.");
                owner.Progress(name, "rolling back", 90);
                UndoResult undo = await ledger.UndoAllAsync(stopAtFirstFailure: true).ConfigureAwait(false);
                if (undo.Failures.Count > 0)
                {
                    oldServiceBack = false;
                    rollbackNotes.Add("the rollback itself failed: " + undo.Failures[0].Error.Message + $" Check service '{swarm.Service}' (docker service ps {swarm.Service} --no-trunc)" + (backup != null ? $" and the backup in '{node.BackupFolder}'" : string.Empty));
                }

                result.Status = oldServiceBack && durableDataAsOldLeftIt ? UpgradeStatus.RolledBack : UpgradeStatus.Failed;
                string tail = string.IsNullOrWhiteSpace(result.NewContainerLogTail) ? string.Empty : " Last lines of the new task's log:\n" + result.NewContainerLogTail!.TrimEnd();
                result.Message = $"{char.ToUpperInvariant(cause[0]) + cause.Substring(1)} Rollback: {string.Join("; ", rollbackNotes)}.{tail}";
                result.Duration = DateTime.UtcNow - started;
                string errorId = cancelled ? "UpgradeCancelled" : failure is IrisOpsException iris ? iris.ErrorId : "UpgradeFailed";
                result.ErrorId = errorId;
                IrisErrorKind kind = cancelled ? IrisErrorKind.OperationTimeout : failure is IrisOpsException known ? known.Kind : IrisErrorKind.NotSpecified;
                string prefix = result.Status == UpgradeStatus.RolledBack
                    ? $"Upgrade of '{name}' (service '{swarm.Service}') to '{options.Image}' rolled back: "
                    : $"Upgrade of '{name}' (service '{swarm.Service}') to '{options.Image}' failed and was NOT fully rolled back: ";
                owner.Progress(name, result.Status.ToString(), 100);
                return new NodeUpgradeOutcome(result, new IrisOpsException(kind, errorId, prefix + result.Message, name, failure));
            }

            public NodeUpgradeOutcome Finish()
            {
                owner.Progress(name, "upgraded", 100);
                result.Status = UpgradeStatus.Upgraded;
                result.Message = $"Upgraded service '{swarm.Service}' from '{swarm.ServiceImage}' to '{options.Image}'; its new task '{newContainer}' is healthy.";
                result.Duration = DateTime.UtcNow - started;
                return new NodeUpgradeOutcome(result, null);
            }
        }
    }
}
