using System;
using System.Collections.Generic;
using System.IO;
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
    /// Moves one node that passed the preflight to the new image, keeping durable %SYS, as an ordered list of named
    /// steps: (copy closed journal files ahead,) stop, check the shutdown, cold backup, rename the old container,
    /// create the new one, start it, wait until healthy, post-upgrade script; the step loop and the rollback are
    /// <see cref="NodeUpgradeRun"/>'s. Once the node is healthy the old container is removed (or kept), and that is
    /// never undone.
    /// </summary>
    public sealed class NodeUpgrade : NodeUpgrader
    {
        private readonly ContainerHealthWaiter health;

        public NodeUpgrade(IDockerEngine engine, IOperationReporter reporter)
            : base(engine, reporter)
        {
            health = new ContainerHealthWaiter(engine);
        }

        /// <inheritdoc/>
        public override Task<NodeUpgradeOutcome> RunAsync(NodeInspection node, ImageUpgradeOptions options, CancellationToken cancellationToken)
        {
            if (node.Container == null || node.DurableMount == null || node.DataDirectory == null || node.AlreadyOnImage)
            {
                throw new ArgumentException($"'{node.Target.Container}' did not pass the preflight for an upgrade.", nameof(node));
            }

            return new NodeRun(this, node, options).RunAsync(cancellationToken);
        }

        /// <summary>One node's upgrade: the steps, their undos, and what the steps hand to each other.</summary>
        private sealed class NodeRun : NodeUpgradeRun
        {
            private readonly NodeUpgrade owner;
            private readonly string previous;
            private IReadOnlyList<AheadCopy>? ahead;

            public NodeRun(NodeUpgrade owner, NodeInspection node, ImageUpgradeOptions options)
                : base(owner, node, options)
            {
                this.owner = owner;
                previous = UpgradePlanner.PreviousName(Name);
            }

            protected override string Subject => $"'{Name}'";

            protected override string NewInstanceNoun => "container";

            protected override string RollbackFailureAdvice =>
                $"Check the containers '{Name}' and '{previous}'" + (Backup != null ? $" and the backup in '{Node.BackupFolder}'" : string.Empty) + ", or run Update-IrisApplicationImage on the node again: it describes the node's state and offers -Resume and -RollBack";

            protected override IReadOnlyList<NodeUpgradeStep> Steps()
            {
                var steps = new List<NodeUpgradeStep>();
                if (!Options.SkipBackup && CopyAheadStep.Applies(Node))
                {
                    // Before the stop on purpose: closed journal files and read-only databases are not written, so
                    // they are copied while the instance runs and only checked after the stop (see JournalCopyAhead).
                    steps.Add(new NodeUpgradeStep(CopyAheadStep.Name, CopyAheadAsync, DeleteUnusedAheadAsync, undoEvenIfItFails: true, progress: CopyAheadStep.Progress, percent: 2));
                }

                steps.Add(new NodeUpgradeStep("stop", StopAsync, BringOldContainerBackAsync, undoEvenIfItFails: true, progress: "stopping", percent: 5));
                steps.Add(new NodeUpgradeStep(UpgradeJournal.CheckShutdownStep, CheckShutdownAsync, progress: "checking the shutdown", percent: 15));
                if (!Options.SkipBackup)
                {
                    // After the stop on purpose: the files of a running instance are not a consistent backup, and a
                    // rollback must restore exactly what the old instance left behind.
                    steps.Add(new NodeUpgradeStep("back up the durable directories", BackUpAsync, progress: "backing up " + string.Join(", ", Node.BackupMounts.Select(m => m.Target)), percent: 20));
                }

                steps.Add(new NodeUpgradeStep("rename the old container", RenameAsync, RenameBackAsync, progress: "renaming the old container", percent: 40));
                steps.Add(new NodeUpgradeStep("create the new container", CreateAsync, RemoveNewContainerAsync, progress: "creating the new container", percent: 50));
                steps.Add(new NodeUpgradeStep(UpgradeJournal.StartStep, StartAsync, RemoveNewContainerAndRestoreAsync, undoEvenIfItFails: true, progress: "starting the new container", percent: 60));
                steps.Add(new NodeUpgradeStep("wait until the new container is healthy", WaitHealthyAsync, progress: "waiting until healthy", percent: 70));
                if (Options.PostUpgradeScript != null)
                {
                    steps.Add(new NodeUpgradeStep("run the post-upgrade script", cancellationToken => RunPostUpgradeScriptAsync(Name, cancellationToken), progress: "running the post-upgrade script", percent: 85));
                }

                return steps;
            }

            // ------------------------------------------------------------ steps

            private async Task CopyAheadAsync(CancellationToken cancellationToken)
            {
                ahead = await CopyAheadStep.RunAsync(Engine, owner.Backups, Node, owner.Reporter, cancellationToken).ConfigureAwait(false);
            }

            // Undo of the copy ahead: its archives go, unless the backup took them over.
            private Task DeleteUnusedAheadAsync()
            {
                if (Backup == null && ahead != null)
                {
                    DurableBackup.DeleteAhead(ahead);
                }

                return Task.CompletedTask;
            }

            private async Task StopAsync(CancellationToken cancellationToken)
            {
                if (Node.Running)
                {
                    DownSince = DateTime.UtcNow;
                    owner.Reporter.Verbose($"{Name}: docker stop with a timeout of {Options.StopTimeout.TotalSeconds:0.#} s.");
                    await Engine.StopContainerAsync(Name, Options.StopTimeout, cancellationToken).ConfigureAwait(false);
                }
            }

            private async Task CheckShutdownAsync(CancellationToken cancellationToken)
            {
                ContainerDetails stopped = await Engine.InspectContainerAsync(Name, cancellationToken).ConfigureAwait(false)
                    ?? throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "ContainerNotFound", $"The container '{Name}' disappeared during the upgrade.", Name);
                if (stopped.State.Running)
                {
                    throw new IrisOpsException(IrisErrorKind.InvalidOperation, "StopFailed", $"'{Name}' is still running after docker stop.", Name);
                }

                string killed = stopped.State.ExitCode == 137
                    ? $" The engine probably killed it when the stop timeout of {Options.StopTimeout.TotalSeconds:0.#} s ran out; give IRIS longer with -StopTimeout next time."
                    : string.Empty;
                await JudgeShutdownAsync(stopped, killed, cancellationToken).ConfigureAwait(false);
            }

            private Task BackUpAsync(CancellationToken cancellationToken) => BackUpAsync(ahead, cancellationToken);

            private Task RenameAsync(CancellationToken cancellationToken) => Engine.RenameContainerAsync(Name, previous, cancellationToken);

            // Same configuration, new image; the old container itself is never changed.
            private async Task CreateAsync(CancellationToken cancellationToken)
            {
                Node.MergeFile?.Write();
                ContainerSpec spec = ContainerRecreation.NewSpec(Node.Container!, Node.OldImage, Options.Image, Node.MergeFile?.HostPath);
                await Engine.CreateContainerAsync(spec, cancellationToken).ConfigureAwait(false);
            }

            private Task StartAsync(CancellationToken cancellationToken) => Engine.StartContainerAsync(Name, cancellationToken);

            private async Task WaitHealthyAsync(CancellationToken cancellationToken)
            {
                HealthWaitResult health = await owner.health.WaitAsync(Name, Options.HealthTimeout, cancellationToken).ConfigureAwait(false);
                if (!health.IsHealthy)
                {
                    throw new IrisOpsException(health.FailureKind, "NewContainerUnhealthy", health.Description, Name);
                }

                if (DownSince != null)
                {
                    Result.Downtime = DateTime.UtcNow - DownSince.Value;
                }
            }

            // ------------------------------------------------------------ undos (newest first in a rollback)

            // Undo of the start: the new instance goes first, then the durable data is restored from the backup.
            private async Task RemoveNewContainerAndRestoreAsync()
            {
                await RemoveNewContainerAsync().ConfigureAwait(false);
                await RestoreBackupAsync("the old container was NOT started on data the new version may have changed").ConfigureAwait(false);
            }

            // Undo of the create; also the first half of the start's undo, so a second call finds nothing to remove.
            private async Task RemoveNewContainerAsync()
            {
                Result.NewContainerLogTail ??= await Cleanup.Quietly(() => owner.BoundedAsync(token => Engine.GetContainerLogsAsync(Name, Options.LogTailLines, token))).ConfigureAwait(false);
                if (await owner.BoundedAsync(token => Engine.RemoveContainerAsync(Name, true, false, token)).ConfigureAwait(false))
                {
                    RollbackNotes.Add("the new container was removed");
                }
            }

            private async Task RenameBackAsync()
            {
                await owner.BoundedAsync(token => Engine.RenameContainerAsync(previous, Name, token)).ConfigureAwait(false);
                RollbackNotes.Add($"the old container is '{Name}' again");
            }

            // Undo of the stop: the old container runs again if it ran before, and must prove itself healthy.
            private async Task BringOldContainerBackAsync()
            {
                if (!DurableDataAsOldLeftIt)
                {
                    return;
                }

                if (UncleanShutdown)
                {
                    RollbackNotes.Add("the old container stays stopped: starting it would run automatic recovery, which the manual warns against; follow the remedy above");
                    return;
                }

                if (!Node.Running)
                {
                    OldInstanceBack = true;
                    RollbackNotes.Add("the old container was not running before and stays stopped");
                    return;
                }

                ContainerDetails? current = await owner.BoundedAsync(token => Engine.InspectContainerAsync(Name, token)).ConfigureAwait(false);
                if (current != null && !current.State.Running)
                {
                    await owner.BoundedAsync(token => Engine.StartContainerAsync(Name, token)).ConfigureAwait(false);
                }

                HealthWaitResult health = await owner.BoundedAsync(token => owner.health.WaitAsync(Name, Options.HealthTimeout, token), Options.HealthTimeout).ConfigureAwait(false);
                OldInstanceBack = health.IsHealthy;
                RollbackNotes.Add(health.IsHealthy ? "the old container is running and healthy" : "the old container did not become healthy: " + health.Description);
                if (health.IsHealthy && DownSince != null)
                {
                    Result.Downtime = DateTime.UtcNow - DownSince.Value;
                }
            }

            // ------------------------------------------------------------ ending

            // The old container goes (unless kept); a failure here does not undo a healthy upgrade.
            protected override async Task<string> CompleteAsync()
            {
                if (Options.KeepPrevious)
                {
                    Result.PreviousContainer = previous;
                }
                else
                {
                    try
                    {
                        await owner.BoundedAsync(token => Engine.RemoveContainerAsync(previous, false, false, token)).ConfigureAwait(false);
                    }
                    catch (IrisOpsException ex)
                    {
                        Result.PreviousContainer = previous;
                        Warn($"The upgrade succeeded but the old container '{previous}' could not be removed: {ex.Message}");
                    }
                }

                return $"Upgraded from '{Node.FromImage}' to '{Options.Image}'; healthy." + (Options.KeepPrevious ? $" The old container is kept as '{previous}'." : string.Empty);
            }
        }
    }
}
