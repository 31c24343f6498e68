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
    /// steps: stop, check the shutdown, cold backup, rename the old container, create the new one, start it, wait
    /// until healthy, post-upgrade script. Each step that changes something records its undo in a ledger; any
    /// failure or cancellation runs the recorded undos newest first, never with the caller's cancellation token.
    /// Once the node is healthy the old container is removed (or kept), and that is never undone.
    /// </summary>
    public sealed class NodeUpgrade
    {
        private const string Activity = "Update-IrisApplicationImage";
        private readonly IDockerEngine engine;
        private readonly ContainerHealthWaiter health;
        private readonly IOperationReporter reporter;
        private readonly DurableBackup backups;
        private readonly DurableRestore restores;
        private TimeSpan cleanupTimeout = IrisDefaults.CleanupTimeout;

        public NodeUpgrade(IDockerEngine engine, IOperationReporter reporter)
        {
            this.engine = engine;
            this.reporter = reporter;
            bool onThisHost = HelperContainerArchive.MayUse(engine);
            backups = new DurableBackup(engine, onThisHost);
            restores = new DurableRestore(engine, onThisHost);
            health = new ContainerHealthWaiter(engine);
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

        /// <summary>Upgrades the node. Never throws for a node failure: the outcome says what happened.</summary>
        public async Task<NodeUpgradeOutcome> RunAsync(NodeInspection node, ImageUpgradeOptions options, CancellationToken cancellationToken)
        {
            if (node.Container == null || node.DurableMount == null || node.DataDirectory == null || node.AlreadyOnImage)
            {
                throw new ArgumentException($"'{node.Target.Container}' did not pass the preflight for an upgrade.", nameof(node));
            }

            var run = new NodeRun(this, node, options);
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
                    run.Journal.Begun.Add(step.Name);
                    run.Journal.Save();
                    if (step.Progress != null)
                    {
                        Progress(node.Target.Container, step.Progress, step.Percent);
                    }

                    await step.Run(cancellationToken).ConfigureAwait(false);
                    run.Journal.Finished.Add(step.Name);
                    run.Journal.Save();
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

            return await run.FinishAsync().ConfigureAwait(false);
        }

        private CancellationToken CleanupToken() => new CancellationTokenSource(cleanupTimeout).Token;

        /// <summary>The run's own activity, shown above each node's (null: the node's activity stands alone).</summary>
        public string? ParentActivity { get; set; }

        private void Progress(string node, string status, int percent) => NestedProgress.Report(reporter, Activity + " " + node, status, percent, ParentActivity);

        private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);

        private static string Tail(string text, int lines)
        {
            string[] all = text.Replace("\r\n", "\n").TrimEnd().Split('\n');
            return string.Join("\n", all.Skip(Math.Max(0, all.Length - lines)));
        }

        /// <summary>One node's upgrade: the steps, their undos, and what the steps hand to each other.</summary>
        private sealed class NodeRun
        {
            private readonly NodeUpgrade owner;
            private readonly NodeInspection node;
            private readonly ImageUpgradeOptions options;
            private readonly IrisUpgradeResult result;
            private readonly DateTime started = DateTime.UtcNow;
            private readonly string name;
            private readonly string previous;
            private readonly List<string> rollbackNotes = new List<string>();
            private readonly UpgradeJournal journal;
            private DateTime? downSince;
            private IReadOnlyList<BackupRecord>? backup;
            private IReadOnlyList<AheadCopy>? ahead;

            // What the rollback established: whether the durable data is still what the old container left
            // (false once the new container ran on it with no backup to restore), and whether the old container
            // is back as it was (running and healthy, or stopped as it was found).
            private bool durableDataAsOldLeftIt = true;
            private bool oldContainerBack;

            // The stop left an unclean instance: the old container must stay stopped (see InstanceRunningMarker.Remedy).
            private bool uncleanShutdown;

            public NodeRun(NodeUpgrade owner, NodeInspection node, ImageUpgradeOptions options)
            {
                this.owner = owner;
                this.node = node;
                this.options = options;
                name = node.Target.Container;
                previous = UpgradePlanner.PreviousName(name);
                result = new IrisUpgradeResult
                {
                    Node = name,
                    Cluster = node.Target.Cluster,
                    Role = node.Target.Role,
                    FromImage = node.FromImage,
                    ToImage = options.Image,
                    Warnings = node.Warnings.ToList(),
                };
                journal = new UpgradeJournal
                {
                    Node = name,
                    FromImage = node.FromImage,
                    ToImage = options.Image,
                    OldContainerId = node.Container!.Id,
                    OldImageId = node.Container.ImageId,
                    WasRunning = node.Running,
                    MountKind = node.DurableMount!.Kind.ToString(),
                    MountSource = node.DurableMount.Source,
                    MountTarget = node.DurableMount.Target,
                    Folder = node.BackupFolder,
                };
            }

            /// <summary>The record of the steps reached, next to the backup (see <see cref="InterruptedUpgrade"/>).</summary>
            public UpgradeJournal Journal => journal;

            private IDockerEngine Engine => owner.engine;

            // The run ended: the journal says so, so a later run does not take it for an interrupted one.
            private void CloseJournal(string outcome)
            {
                journal.Outcome = outcome;
                try
                {
                    journal.Save();
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    result.Warnings.Add($"Could not record the end of the run in '{journal.Path}': {ex.Message}");
                    owner.reporter.Warning(result.Warnings.Last());
                }
            }

            public IReadOnlyList<NodeUpgradeStep> Steps()
            {
                var steps = new List<NodeUpgradeStep>();
                if (!options.SkipBackup && CopyAheadStep.Applies(node))
                {
                    // Before the stop on purpose: closed journal files and read-only databases are not written, so
                    // they are copied while the instance runs and only checked after the stop (see JournalCopyAhead).
                    steps.Add(new NodeUpgradeStep(CopyAheadStep.Name, CopyAheadAsync, DeleteUnusedAheadAsync, undoEvenIfItFails: true, progress: CopyAheadStep.Progress, percent: 2));
                }

                steps.Add(new NodeUpgradeStep("stop", StopAsync, BringOldContainerBackAsync, undoEvenIfItFails: true, progress: "stopping", percent: 5));
                steps.Add(new NodeUpgradeStep("check the shutdown", CheckShutdownAsync, progress: "checking the shutdown", percent: 15));
                if (!options.SkipBackup)
                {
                    // After the stop on purpose: the files of a running instance are not a consistent backup, and a
                    // rollback must restore exactly what the old instance left behind.
                    steps.Add(new NodeUpgradeStep("back up the durable directories", BackUpAsync, progress: "backing up " + string.Join(", ", node.BackupMounts.Select(m => m.Target)), percent: 20));
                }

                steps.Add(new NodeUpgradeStep("rename the old container", RenameAsync, RenameBackAsync, progress: "renaming the old container", percent: 40));
                steps.Add(new NodeUpgradeStep("create the new container", CreateAsync, RemoveNewContainerAsync, progress: "creating the new container", percent: 50));
                steps.Add(new NodeUpgradeStep("start the new container", StartAsync, RemoveNewContainerAndRestoreAsync, undoEvenIfItFails: true, progress: "starting the new container", percent: 60));
                steps.Add(new NodeUpgradeStep("wait until the new container is healthy", WaitHealthyAsync, progress: "waiting until healthy", percent: 70));
                if (options.PostUpgradeScript != null)
                {
                    steps.Add(new NodeUpgradeStep("run the post-upgrade script", RunScriptAsync, progress: "running the post-upgrade script", percent: 85));
                }

                return steps;
            }

            // ------------------------------------------------------------ steps

            private async Task CopyAheadAsync(CancellationToken cancellationToken)
            {
                ahead = await CopyAheadStep.RunAsync(Engine, owner.backups, node, owner.reporter, cancellationToken).ConfigureAwait(false);
            }

            // Undo of the copy ahead: its archives go, unless the backup took them over.
            private Task DeleteUnusedAheadAsync()
            {
                if (backup == null && ahead != null)
                {
                    DurableBackup.DeleteAhead(ahead);
                }

                return Task.CompletedTask;
            }

            private async Task StopAsync(CancellationToken cancellationToken)
            {
                if (node.Running)
                {
                    downSince = DateTime.UtcNow;
                    owner.reporter.Verbose($"{name}: docker stop with a timeout of {options.StopTimeout.TotalSeconds:0.#} s.");
                    await Engine.StopContainerAsync(name, options.StopTimeout, cancellationToken).ConfigureAwait(false);
                }
            }

            // Durable %SYS refuses to upgrade an instance that did not shut down cleanly; judged by the documented
            // facts (the container is down, no mgr/iris.ids left), with the exit code reported, never decisive.
            private async Task CheckShutdownAsync(CancellationToken cancellationToken)
            {
                ContainerDetails stopped = await Engine.InspectContainerAsync(name, cancellationToken).ConfigureAwait(false)
                    ?? throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "ContainerNotFound", $"The container '{name}' disappeared during the upgrade.", name);
                if (stopped.State.Running)
                {
                    throw new IrisOpsException(IrisErrorKind.InvalidOperation, "StopFailed", $"'{name}' is still running after docker stop.", name);
                }

                ShutdownVerdict verdict = await InstanceRunningMarker.JudgeAsync(Engine, name, stopped, node.DataDirectory!, cancellationToken).ConfigureAwait(false);
                if (!verdict.Clean)
                {
                    uncleanShutdown = true;
                    string killed = stopped.State.ExitCode == 137
                        ? $" The engine probably killed it when the stop timeout of {options.StopTimeout.TotalSeconds:0.#} s ran out; give IRIS longer with -StopTimeout next time."
                        : string.Empty;
                    throw new IrisOpsException(IrisErrorKind.InvalidOperation, "UncleanShutdown",
                        $"'{name}' did not shut down cleanly: {verdict.Reason}; the upgrade was not attempted.{killed} {InstanceRunningMarker.Remedy(name, node.FromImage)}", name);
                }

                owner.reporter.Verbose($"{name}: clean shutdown: {verdict.Reason}.");
                if (stopped.State.ExitCode != 0)
                {
                    result.Warnings.Add($"'{name}' exited with code {stopped.State.ExitCode} after docker stop; the shutdown counts as clean because no instance-running marker is left (the exit code of iris-main is not documented).");
                    owner.reporter.Warning(result.Warnings.Last());
                }
            }

            private async Task BackUpAsync(CancellationToken cancellationToken)
            {
                backup = await owner.backups.TakeAllAsync(name, node.FromImage, node.Container!.ImageId, node.BackupMounts, node.DataDirectory!, node.BackupFolder, cancellationToken, ahead).ConfigureAwait(false);
                result.BackupPath = node.BackupFolder;
                journal.BackupVerified = true;
                owner.reporter.Verbose($"{name}: backup of {backup.Sum(b => b.Manifest.FileCount)} files ({UpgradePreflight.Megabytes(backup.Sum(b => b.Manifest.ContentBytes))}) from {string.Join(", ", backup.Select(b => "'" + b.Mount.Target + "'"))} in '{node.BackupFolder}', verified ({string.Join(", ", backup.Select(b => $"{b.Mount.Target}: {b.Writer} in {b.ReceiveTime.TotalSeconds:0.00} s, verified and on disk {b.CheckTime.TotalSeconds:0.00} s later"))}).");
            }

            private Task RenameAsync(CancellationToken cancellationToken) => Engine.RenameContainerAsync(name, previous, cancellationToken);

            // Same configuration, new image; the old container itself is never changed.
            private async Task CreateAsync(CancellationToken cancellationToken)
            {
                node.MergeFile?.Write();
                ContainerSpec spec = ContainerRecreation.NewSpec(node.Container!, node.OldImage, options.Image, node.MergeFile?.HostPath);
                await Engine.CreateContainerAsync(spec, cancellationToken).ConfigureAwait(false);
            }

            private Task StartAsync(CancellationToken cancellationToken) => Engine.StartContainerAsync(name, cancellationToken);

            private async Task WaitHealthyAsync(CancellationToken cancellationToken)
            {
                HealthWaitResult health = await owner.health.WaitAsync(name, options.HealthTimeout, cancellationToken).ConfigureAwait(false);
                if (!health.IsHealthy)
                {
                    throw new IrisOpsException(health.FailureKind, "NewContainerUnhealthy", health.Description, name);
                }

                if (downSince != null)
                {
                    result.Downtime = DateTime.UtcNow - downSince.Value;
                }
            }

            private async Task RunScriptAsync(CancellationToken cancellationToken)
            {
                string script = options.PostUpgradeScript!.TrimEnd() + "\nhalt\n";
                ExecResult exec = await Engine.ExecAsync(name, new ExecRequest
                {
                    Command = IrisContainer.SessionCommand(options.Namespace),
                    StandardInput = script,
                    Timeout = options.HealthTimeout + IrisDefaults.PostUpgradeScriptAllowance,
                }, cancellationToken).ConfigureAwait(false);
                string output = (exec.StandardOutput + exec.StandardError).Trim();
                if (output.Length > 0)
                {
                    owner.reporter.Verbose($"{name}: post-upgrade script output: {output}");
                }

                if (exec.ExitCode != 0)
                {
                    throw new IrisOpsException(IrisErrorKind.InvalidOperation, "PostUpgradeScriptFailed",
                        $"The post-upgrade script failed in '{name}' (iris session exit code {exec.ExitCode}){(output.Length == 0 ? ", with no output." : ": " + Tail(output, 10))}", name);
                }
            }

            // ------------------------------------------------------------ undos (newest first in a rollback)

            // Undo of the start: the new instance may have changed the durable data, so it goes first and the
            // data is restored from the backup; without a backup the old container must not run on that data.
            private async Task RemoveNewContainerAndRestoreAsync()
            {
                await RemoveNewContainerAsync().ConfigureAwait(false);
                if (backup != null)
                {
                    var watch = System.Diagnostics.Stopwatch.StartNew();
                    await owner.restores.RestoreAllAsync(name, node.Container!.ImageId, backup).ConfigureAwait(false);
                    owner.reporter.Verbose($"{name}: restored from the backup and checked in {watch.Elapsed.TotalSeconds:0.00} s ({string.Join(", ", backup.Select(b => b.Mount.Target + ": " + b.RestoreCheck))}).");
                    rollbackNotes.Add($"{string.Join(", ", backup.Select(b => "'" + b.Mount.Target + "'"))} {(backup.Count == 1 ? "was" : "were")} restored from the backup and verified identical to it");
                }
                else
                {
                    durableDataAsOldLeftIt = false;
                    rollbackNotes.Add("the new container ran on the durable directory and there is no backup (-SkipBackup) to restore it from, so the old container was NOT started on data the new version may have changed");
                }
            }

            // Undo of the create; also the first half of the start's undo, so a second call finds nothing to remove.
            private async Task RemoveNewContainerAsync()
            {
                result.NewContainerLogTail ??= await Cleanup.Quietly(() => Engine.GetContainerLogsAsync(name, options.LogTailLines, owner.CleanupToken())).ConfigureAwait(false);
                if (await Engine.RemoveContainerAsync(name, true, false, owner.CleanupToken()).ConfigureAwait(false))
                {
                    rollbackNotes.Add("the new container was removed");
                }
            }

            private async Task RenameBackAsync()
            {
                await Engine.RenameContainerAsync(previous, name, owner.CleanupToken()).ConfigureAwait(false);
                rollbackNotes.Add($"the old container is '{name}' again");
            }

            // Undo of the stop: the old container runs again if it ran before, and must prove itself healthy.
            private async Task BringOldContainerBackAsync()
            {
                if (!durableDataAsOldLeftIt)
                {
                    return;
                }

                if (uncleanShutdown)
                {
                    rollbackNotes.Add("the old container stays stopped: starting it would run automatic recovery, which the manual warns against; follow the remedy above");
                    return;
                }

                if (!node.Running)
                {
                    oldContainerBack = true;
                    rollbackNotes.Add("the old container was not running before and stays stopped");
                    return;
                }

                ContainerDetails? current = await Engine.InspectContainerAsync(name, owner.CleanupToken()).ConfigureAwait(false);
                if (current != null && !current.State.Running)
                {
                    await Engine.StartContainerAsync(name, owner.CleanupToken()).ConfigureAwait(false);
                }

                HealthWaitResult health = await owner.health.WaitAsync(name, options.HealthTimeout, owner.CleanupToken()).ConfigureAwait(false);
                oldContainerBack = health.IsHealthy;
                rollbackNotes.Add(health.IsHealthy ? "the old container is running and healthy" : "the old container did not become healthy: " + health.Description);
                if (health.IsHealthy && downSince != null)
                {
                    result.Downtime = DateTime.UtcNow - downSince.Value;
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
                    oldContainerBack = false;
                    rollbackNotes.Add("the rollback itself failed: " + undo.Failures[0].Error.Message + $" Check the containers '{name}' and '{previous}'" + (backup != null ? $" and the backup in '{node.BackupFolder}'" : string.Empty) + ", or run Update-IrisApplicationImage on the node again: it describes the node's state and offers -Resume and -RollBack");
                }

                result.Status = oldContainerBack && durableDataAsOldLeftIt ? UpgradeStatus.RolledBack : UpgradeStatus.Failed;
                string tail = string.IsNullOrWhiteSpace(result.NewContainerLogTail) ? string.Empty : " Last lines of the new container's log:\n" + Tail(result.NewContainerLogTail!, 15);
                result.Message = $"{Capitalize(cause)} Rollback: {string.Join("; ", rollbackNotes)}.{tail}";
                result.Duration = DateTime.UtcNow - started;
                string errorId = cancelled ? "UpgradeCancelled" : failure is IrisOpsException iris ? iris.ErrorId : "UpgradeFailed";
                result.ErrorId = errorId;
                IrisErrorKind kind = cancelled ? IrisErrorKind.OperationTimeout : failure is IrisOpsException known ? known.Kind : IrisErrorKind.NotSpecified;
                string prefix = result.Status == UpgradeStatus.RolledBack
                    ? $"Upgrade of '{name}' to '{options.Image}' rolled back: "
                    : $"Upgrade of '{name}' to '{options.Image}' failed and was NOT fully rolled back: ";
                var error = new IrisOpsException(kind, errorId, prefix + result.Message, name, failure);
                CloseJournal(result.Status == UpgradeStatus.RolledBack ? "rolled back" : "failed");
                owner.Progress(name, result.Status.ToString(), 100);
                return new NodeUpgradeOutcome(result, error);
            }

            // The old container goes (unless kept); a failure here does not undo a healthy upgrade.
            public async Task<NodeUpgradeOutcome> FinishAsync()
            {
                if (options.KeepPrevious)
                {
                    result.PreviousContainer = previous;
                }
                else
                {
                    try
                    {
                        await Engine.RemoveContainerAsync(previous, false, false, owner.CleanupToken()).ConfigureAwait(false);
                    }
                    catch (IrisOpsException ex)
                    {
                        result.PreviousContainer = previous;
                        result.Warnings.Add($"The upgrade succeeded but the old container '{previous}' could not be removed: {ex.Message}");
                        owner.reporter.Warning(result.Warnings.Last());
                    }
                }

                CloseJournal("upgraded");
                owner.Progress(name, "upgraded", 100);
                result.Status = UpgradeStatus.Upgraded;
                result.Message = $"Upgraded from '{node.FromImage}' to '{options.Image}'; healthy." + (options.KeepPrevious ? $" The old container is kept as '{previous}'." : string.Empty);
                result.Duration = DateTime.UtcNow - started;
                return new NodeUpgradeOutcome(result, null);
            }
        }
    }
}
