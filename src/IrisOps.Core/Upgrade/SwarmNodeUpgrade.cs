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
    /// image, as ordered steps with their undos (the step loop and the rollback are <see cref="NodeUpgradeRun"/>'s):
    /// scale the service to 0 (Swarm stops the task with its grace period), check the shutdown, cold backup of the
    /// durable volumes through a helper container, then one service update to the new image and 1 replica, and a
    /// wait until the new task runs healthy. Swarm's own rollback would put the old image back on data the new
    /// version already upgraded, so any failure or Ctrl+C scales the service to 0 again, restores the volumes from
    /// the backup and updates the service back to the old image, never with the caller's cancellation token.
    /// </summary>
    public sealed class SwarmNodeUpgrade : NodeUpgrader
    {
        private readonly SwarmServiceWaiter waiter;

        public SwarmNodeUpgrade(IDockerEngine engine, IOperationReporter reporter)
            : base(engine, reporter)
        {
            waiter = new SwarmServiceWaiter(engine);
        }

        /// <inheritdoc/>
        public override Task<NodeUpgradeOutcome> RunAsync(NodeInspection node, ImageUpgradeOptions options, CancellationToken cancellationToken)
        {
            if (node.Swarm == null || node.Container == null || node.DurableMount == null || node.DataDirectory == null || node.AlreadyOnImage)
            {
                throw new ArgumentException($"'{node.Target.Container}' did not pass the preflight for a Swarm upgrade.", nameof(node));
            }

            return new ServiceRun(this, node, options).RunAsync(cancellationToken);
        }

        /// <summary>One service's upgrade: the steps, their undos, and what the steps hand to each other.</summary>
        private sealed class ServiceRun : NodeUpgradeRun
        {
            private readonly SwarmNodeUpgrade owner;
            private readonly SwarmNodeFacts swarm;
            private ISet<string> tasksBeforeUpdate = new HashSet<string>(StringComparer.Ordinal);
            private string? newContainer;

            public ServiceRun(SwarmNodeUpgrade owner, NodeInspection node, ImageUpgradeOptions options)
                : base(owner, node, options)
            {
                this.owner = owner;
                swarm = node.Swarm!;
            }

            protected override string Subject => $"'{Name}' (service '{swarm.Service}')";

            protected override string NewInstanceNoun => "task";

            protected override string RollbackFailureAdvice =>
                $"Check service '{swarm.Service}' (docker service ps {swarm.Service} --no-trunc)" + (Backup != null ? $" and the backup in '{Node.BackupFolder}'" : string.Empty) + ", or run Update-IrisApplicationImage on the node again: it describes the service's state and offers -Resume and -RollBack";

            private TimeSpan StopWait => swarm.StopWait(Options.StopTimeout);

            protected override IReadOnlyList<NodeUpgradeStep> Steps()
            {
                var steps = new List<NodeUpgradeStep>
                {
                    new NodeUpgradeStep("scale the service to 0", ScaleDownAsync, BringOldServiceBackAsync, undoEvenIfItFails: true, progress: "scaling to 0", percent: 5),
                    new NodeUpgradeStep(UpgradeJournal.CheckShutdownStep, CheckShutdownAsync, progress: "checking the shutdown", percent: 15),
                };
                if (!Options.SkipBackup)
                {
                    steps.Add(new NodeUpgradeStep("back up the durable directories", cancellationToken => BackUpAsync(null, cancellationToken), progress: "backing up " + string.Join(", ", Node.BackupMounts.Select(m => m.Target)), percent: 20));
                }

                steps.Add(new NodeUpgradeStep(UpgradeJournal.SwarmUpdateStep, UpdateAsync, ScaleDownAndRestoreAsync, undoEvenIfItFails: true, progress: "updating the service", percent: 50));
                steps.Add(new NodeUpgradeStep("wait until the new task is healthy", WaitHealthyAsync, progress: "waiting until healthy", percent: 60));
                if (Options.PostUpgradeScript != null)
                {
                    steps.Add(new NodeUpgradeStep("run the post-upgrade script", cancellationToken => RunPostUpgradeScriptAsync(newContainer!, cancellationToken), progress: "running the post-upgrade script", percent: 85));
                }

                return steps;
            }

            // ------------------------------------------------------------ steps

            private async Task ScaleDownAsync(CancellationToken cancellationToken)
            {
                DownSince = DateTime.UtcNow;
                owner.Reporter.Verbose($"{swarm.Service}: scaling to 0 replicas; Swarm stops the task with its grace period (waiting up to {StopWait.TotalSeconds:0} s).");
                await Engine.UpdateServiceAsync(swarm.Service, new SwarmServiceChange { Replicas = 0 }, cancellationToken).ConfigureAwait(false);
                await owner.waiter.WaitStoppedAsync(swarm.Service, StopWait, cancellationToken).ConfigureAwait(false);
            }

            private async Task CheckShutdownAsync(CancellationToken cancellationToken)
            {
                ContainerDetails stopped = await Engine.InspectContainerAsync(Name, cancellationToken).ConfigureAwait(false)
                    ?? throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "ContainerNotFound", $"The task container '{Name}' of service '{swarm.Service}' disappeared during the upgrade; its durable volume {Node.DurableMount!.Source} is untouched.", Name);
                if (stopped.State.Running)
                {
                    throw new IrisOpsException(IrisErrorKind.InvalidOperation, "StopFailed", $"'{Name}' is still running after service '{swarm.Service}' was scaled to 0.", Name);
                }

                await JudgeShutdownAsync(stopped, " Give IRIS a longer stop grace period (-StopTimeout when the cluster is created) if Swarm killed it.", cancellationToken).ConfigureAwait(false);
            }

            // Image and replica count in one update: Swarm starts exactly one task, of the new image.
            private async Task UpdateAsync(CancellationToken cancellationToken)
            {
                tasksBeforeUpdate = await owner.waiter.TaskIdsAsync(swarm.Service, cancellationToken).ConfigureAwait(false);
                await Engine.UpdateServiceAsync(swarm.Service, new SwarmServiceChange { Image = Options.Image, Replicas = 1 }, cancellationToken).ConfigureAwait(false);
            }

            private async Task WaitHealthyAsync(CancellationToken cancellationToken)
            {
                newContainer = await owner.waiter.WaitHealthyAsync(swarm.Service, tasksBeforeUpdate, Options.HealthTimeout, cancellationToken).ConfigureAwait(false);
                Result.Downtime = DateTime.UtcNow - DownSince!.Value;
            }

            // ------------------------------------------------------------ undos (newest first in a rollback)

            // Undo of the update: the new task may have changed the durable data, so the service goes to 0 and the
            // volumes are restored from the backup.
            private async Task ScaleDownAndRestoreAsync()
            {
                string? failedTask = await owner.BoundedAsync(token => owner.waiter.NewestContainerAsync(swarm.Service, tasksBeforeUpdate, token)).ConfigureAwait(false);
                if (failedTask != null)
                {
                    Result.NewContainerLogTail ??= await Cleanup.Quietly(() => owner.BoundedAsync(token => Engine.GetContainerLogsAsync(failedTask, Options.LogTailLines, token))).ConfigureAwait(false);
                }

                await owner.BoundedAsync(token => Engine.UpdateServiceAsync(swarm.Service, new SwarmServiceChange { Replicas = 0 }, token)).ConfigureAwait(false);
                await owner.BoundedAsync(token => owner.waiter.WaitStoppedAsync(swarm.Service, StopWait, token), StopWait).ConfigureAwait(false);
                RollbackNotes.Add("the service was scaled to 0 again");
                await RestoreBackupAsync($"service '{swarm.Service}' stays at 0 replicas rather than run the old image on data the new version may have changed").ConfigureAwait(false);
            }

            // Undo of the scale-down: the old image and 1 replica again, proven healthy.
            private async Task BringOldServiceBackAsync()
            {
                if (!DurableDataAsOldLeftIt)
                {
                    return;
                }

                if (UncleanShutdown)
                {
                    RollbackNotes.Add($"service '{swarm.Service}' stays at 0 replicas: starting it would run automatic recovery, which the manual warns against; follow the remedy above, then scale it to 1 (docker service scale {swarm.Service}=1)");
                    return;
                }

                ISet<string> before = await owner.BoundedAsync(token => owner.waiter.TaskIdsAsync(swarm.Service, token)).ConfigureAwait(false);
                await owner.BoundedAsync(token => Engine.UpdateServiceAsync(swarm.Service, new SwarmServiceChange { Image = swarm.ServiceImage, Replicas = 1 }, token)).ConfigureAwait(false);
                try
                {
                    await owner.BoundedAsync(token => owner.waiter.WaitHealthyAsync(swarm.Service, before, Options.HealthTimeout, token), Options.HealthTimeout).ConfigureAwait(false);
                    OldInstanceBack = true;
                    RollbackNotes.Add($"service '{swarm.Service}' runs image '{swarm.ServiceImage}' again, healthy");
                    Result.Downtime = DateTime.UtcNow - DownSince!.Value;
                }
                catch (IrisOpsException ex)
                {
                    RollbackNotes.Add($"service '{swarm.Service}' is back on image '{swarm.ServiceImage}' but its task did not become healthy: {ex.Message}");
                }
            }

            protected override Task<string> CompleteAsync() =>
                Task.FromResult($"Upgraded service '{swarm.Service}' from '{swarm.ServiceImage}' to '{Options.Image}'; its new task '{newContainer}' is healthy.");
        }
    }
}
