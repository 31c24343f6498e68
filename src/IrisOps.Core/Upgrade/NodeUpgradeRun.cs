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
    /// One node's upgrade as ordered steps with their undos, whatever runs the node (a container on one engine, a
    /// Swarm service): the step loop, the steps both kinds share (shutdown judgement, backup, restore, post-upgrade
    /// script), and the two endings. Each step that changes something records its undo in a ledger; any failure
    /// or cancellation runs the recorded undos newest first, never with the caller's cancellation token.
    /// </summary>
    internal abstract class NodeUpgradeRun
    {
        private readonly DateTime started = DateTime.UtcNow;

        protected NodeUpgradeRun(NodeUpgrader owner, NodeInspection node, ImageUpgradeOptions options)
        {
            Owner = owner;
            Node = node;
            Options = options;
            Name = node.Target.Container;
            Result = new IrisUpgradeResult
            {
                Node = Name,
                Cluster = node.Target.Cluster,
                Role = node.Target.Role,
                FromImage = node.FromImage,
                ToImage = options.Image,
                Warnings = node.Warnings.ToList(),
            };
            Journal = new UpgradeJournal
            {
                Node = Name,
                Service = node.Swarm?.Service ?? string.Empty,
                // A Swarm rollback puts back the image of the service's spec, not the task's resolved one.
                FromImage = node.Swarm?.ServiceImage ?? node.FromImage,
                ToImage = options.Image,
                OldContainerId = node.Container!.Id,
                OldImageId = node.Container.ImageId,
                WasRunning = node.Running,
                MountKind = node.DurableMount!.Kind.ToString(),
                MountSource = node.DurableMount.Source,
                MountTarget = node.DurableMount.Target,
                DataDirectory = node.DataDirectory ?? string.Empty,
                Folder = node.BackupFolder,
            };
        }

        protected NodeUpgrader Owner { get; }

        protected NodeInspection Node { get; }

        protected ImageUpgradeOptions Options { get; }

        protected IrisUpgradeResult Result { get; }

        /// <summary>The node's container name (on Swarm: the current task's container).</summary>
        protected string Name { get; }

        protected IDockerEngine Engine => Owner.Engine;

        /// <summary>What the rollback did, in order; the result's message lists them.</summary>
        protected List<string> RollbackNotes { get; } = new List<string>();

        protected DateTime? DownSince { get; set; }

        protected IReadOnlyList<BackupRecord>? Backup { get; private set; }

        // What the rollback established: whether the durable data is still what the old instance left (false once
        // the new one ran on it with no backup to restore), and whether the old instance is back as it was.
        protected bool DurableDataAsOldLeftIt { get; set; } = true;

        protected bool OldInstanceBack { get; set; }

        /// <summary>The stop left an unclean instance: the old one must stay stopped (see InstanceRunningMarker.Remedy).</summary>
        protected bool UncleanShutdown { get; private set; }

        /// <summary>How failures and the success message name the node, e.g. "'app1' (service 'x_app1')".</summary>
        protected abstract string Subject { get; }

        /// <summary>"container" or "task": what the new instance's log tail is called.</summary>
        protected abstract string NewInstanceNoun { get; }

        /// <summary>What to check when the rollback itself failed.</summary>
        protected abstract string RollbackFailureAdvice { get; }

        protected abstract IReadOnlyList<NodeUpgradeStep> Steps();

        /// <summary>What happens once every step passed (the success message), e.g. removing the old container.</summary>
        protected abstract Task<string> CompleteAsync();

        /// <summary>
        /// The record next to the backup of the steps reached, so that a later run can tell an interrupted run from a
        /// finished one (<see cref="InterruptedUpgrade"/>, <see cref="InterruptedSwarmUpgrade"/>).
        /// </summary>
        private UpgradeJournal Journal { get; }

        private void StepBegun(NodeUpgradeStep step)
        {
            Journal.Begun.Add(step.Name);
            Journal.Save();
        }

        private void StepFinished(NodeUpgradeStep step)
        {
            Journal.Finished.Add(step.Name);
            Journal.Save();
        }

        // The run ended ("upgraded", "rolled back", "failed"): the journal says so, so a later run does not take it
        // for an interrupted one.
        private void Ended(string outcome)
        {
            Journal.Outcome = outcome;
            try
            {
                Journal.Save();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                Warn($"Could not record the end of the run in '{Journal.Path}': {ex.Message}");
            }
        }

        public async Task<NodeUpgradeOutcome> RunAsync(CancellationToken cancellationToken)
        {
            var ledger = new UndoLedger();
            NodeUpgradeStep? current = null;
            try
            {
                foreach (NodeUpgradeStep step in Steps())
                {
                    current = step;
                    if (step.Undo != null && step.UndoEvenIfItFails)
                    {
                        ledger.Record(step.Name, step.Undo);
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    StepBegun(step);
                    if (step.Progress != null)
                    {
                        Owner.Progress(Name, step.Progress, step.Percent);
                    }

                    await step.Run(cancellationToken).ConfigureAwait(false);
                    StepFinished(step);
                    if (step.Undo != null && !step.UndoEvenIfItFails)
                    {
                        ledger.Record(step.Name, step.Undo);
                    }
                }
            }
            catch (Exception ex)
            {
                bool cancelled = ex is OperationCanceledException && cancellationToken.IsCancellationRequested;
                return await RollBackAsync(ledger, current!.Name, ex, cancelled).ConfigureAwait(false);
            }

            string message = await CompleteAsync().ConfigureAwait(false);
            Ended("upgraded");
            Owner.Progress(Name, "upgraded", 100);
            Result.Status = UpgradeStatus.Upgraded;
            Result.Message = message;
            Result.Duration = DateTime.UtcNow - started;
            return new NodeUpgradeOutcome(Result, null);
        }

        // ------------------------------------------------------------ steps both kinds share

        /// <summary>
        /// Durable %SYS refuses to upgrade an instance that did not shut down cleanly; judged by the documented facts
        /// (the container is down, no mgr/iris.ids left), with the exit code reported, never decisive.
        /// </summary>
        protected async Task JudgeShutdownAsync(ContainerDetails stopped, string advice, CancellationToken cancellationToken)
        {
            ShutdownVerdict verdict = await InstanceRunningMarker.JudgeAsync(Engine, Name, stopped, Node.DataDirectory!, cancellationToken).ConfigureAwait(false);
            if (!verdict.Clean)
            {
                UncleanShutdown = true;
                throw new IrisOpsException(IrisErrorKind.InvalidOperation, "UncleanShutdown",
                    $"'{Name}' did not shut down cleanly: {verdict.Reason}; the upgrade was not attempted.{advice} {InstanceRunningMarker.Remedy(Name, Node.FromImage)}", Name);
            }

            Owner.Reporter.Verbose($"{Name}: clean shutdown: {verdict.Reason}.");
            if (stopped.State.ExitCode != 0)
            {
                Warn($"'{Name}' exited with code {stopped.State.ExitCode} when it was stopped; the shutdown counts as clean because no instance-running marker is left (the exit code of iris-main is not documented).");
            }
        }

        protected async Task BackUpAsync(IReadOnlyList<AheadCopy>? ahead, CancellationToken cancellationToken)
        {
            Backup = await Owner.Backups.TakeAllAsync(Name, Node.FromImage, Node.Container!.ImageId, Node.BackupMounts, Node.DataDirectory!, Node.BackupFolder, cancellationToken, ahead).ConfigureAwait(false);
            Journal.BackupVerified = true;
            Result.BackupPath = Node.BackupFolder;
            Owner.Reporter.Verbose($"{Name}: backup of {Backup.Sum(b => b.Manifest.FileCount)} files ({UpgradePreflight.Megabytes(Backup.Sum(b => b.Manifest.ContentBytes))}) from {string.Join(", ", Backup.Select(b => "'" + b.Mount.Target + "'"))} in '{Node.BackupFolder}', verified ({string.Join(", ", Backup.Select(b => $"{b.Mount.Target}: {b.Writer} in {b.ReceiveTime.TotalSeconds:0.00} s, verified and on disk {b.CheckTime.TotalSeconds:0.00} s later"))}).");
        }

        /// <summary>
        /// The new instance may have changed the durable data, so once it is gone the data is restored from the
        /// backup; without a backup the old instance must not run on that data (false).
        /// </summary>
        protected async Task<bool> RestoreBackupAsync(string noBackupConsequence)
        {
            if (Backup == null)
            {
                DurableDataAsOldLeftIt = false;
                RollbackNotes.Add($"the new {NewInstanceNoun} ran on the durable data and there is no backup (-SkipBackup) to restore it from, so {noBackupConsequence}");
                return false;
            }

            var watch = System.Diagnostics.Stopwatch.StartNew();
            await Owner.Restores.RestoreAllAsync(Name, Node.Container!.ImageId, Backup).ConfigureAwait(false);
            Owner.Reporter.Verbose($"{Name}: restored from the backup and checked in {watch.Elapsed.TotalSeconds:0.00} s ({string.Join(", ", Backup.Select(b => b.Mount.Target + ": " + b.RestoreCheck))}).");
            RollbackNotes.Add(DurableRestore.RestoredNote(Backup));
            return true;
        }

        protected async Task RunPostUpgradeScriptAsync(string container, CancellationToken cancellationToken)
        {
            ExecResult exec = await Engine.ExecAsync(container, new ExecRequest
            {
                Command = IrisContainer.SessionCommand(Options.Namespace),
                StandardInput = Options.PostUpgradeScript!.TrimEnd() + "\nhalt\n",
                Timeout = Options.HealthTimeout + IrisDefaults.PostUpgradeScriptAllowance,
            }, cancellationToken).ConfigureAwait(false);
            string output = (exec.StandardOutput + exec.StandardError).Trim();
            if (output.Length > 0)
            {
                Owner.Reporter.Verbose($"{Name}: post-upgrade script output: {output}");
            }

            if (exec.ExitCode != 0)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidOperation, "PostUpgradeScriptFailed",
                    $"The post-upgrade script failed in '{container}' (iris session exit code {exec.ExitCode}){(output.Length == 0 ? ", with no output." : ": " + Tail(output, 10))}", Name);
            }
        }

        protected void Warn(string warning)
        {
            Result.Warnings.Add(warning);
            Owner.Reporter.Warning(warning);
        }

        // ------------------------------------------------------------ the rollback's ending

        private async Task<NodeUpgradeOutcome> RollBackAsync(UndoLedger ledger, string step, Exception failure, bool cancelled)
        {
            string cause = cancelled ? "the upgrade was cancelled (Ctrl+C)" : $"'{step}' failed: {failure.Message}";
            Owner.Reporter.Warning($"{Name}: {cause} Rolling back.");
            Owner.Progress(Name, "rolling back", 90);
            UndoResult undo;
            try
            {
                undo = await ledger.UndoAllAsync(stopAtFirstFailure: true).ConfigureAwait(false);
            }
            finally
            {
                // After the old instance runs again: removing a restore's helper makes the engine write the restored data out.
                var watch = System.Diagnostics.Stopwatch.StartNew();
                if (await Owner.Restores.RemoveHelpersAsync().ConfigureAwait(false) > 0)
                {
                    Owner.Reporter.Verbose($"{Name}: the restore's helper containers removed in {watch.Elapsed.TotalSeconds:0.00} s, after the rollback's other steps (the engine writes the restored data to disk as it removes them).");
                }
            }

            if (undo.Failures.Count > 0)
            {
                OldInstanceBack = false;
                RollbackNotes.Add("the rollback itself failed: " + undo.Failures[0].Error.Message + " " + RollbackFailureAdvice);
            }

            Result.Status = OldInstanceBack && DurableDataAsOldLeftIt ? UpgradeStatus.RolledBack : UpgradeStatus.Failed;
            string tail = string.IsNullOrWhiteSpace(Result.NewContainerLogTail) ? string.Empty : $" Last lines of the new {NewInstanceNoun}'s log:\n" + Tail(Result.NewContainerLogTail!, 15);
            Result.Message = $"{char.ToUpperInvariant(cause[0]) + cause.Substring(1)} Rollback: {string.Join("; ", RollbackNotes)}.{tail}";
            Result.Duration = DateTime.UtcNow - started;
            string errorId = cancelled ? "UpgradeCancelled" : failure is IrisOpsException iris ? iris.ErrorId : "UpgradeFailed";
            Result.ErrorId = errorId;
            IrisErrorKind kind = cancelled ? IrisErrorKind.OperationTimeout : failure is IrisOpsException known ? known.Kind : IrisErrorKind.NotSpecified;
            string prefix = Result.Status == UpgradeStatus.RolledBack
                ? $"Upgrade of {Subject} to '{Options.Image}' rolled back: "
                : $"Upgrade of {Subject} to '{Options.Image}' failed and was NOT fully rolled back: ";
            var error = new IrisOpsException(kind, errorId, prefix + Result.Message, Name, failure);
            Ended(Result.Status == UpgradeStatus.RolledBack ? "rolled back" : "failed");
            Owner.Progress(Name, Result.Status.ToString(), 100);
            return new NodeUpgradeOutcome(Result, error);
        }

        private static string Tail(string text, int lines)
        {
            string[] all = text.Replace("\r\n", "\n").TrimEnd().Split('\n');
            return string.Join("\n", all.Skip(Math.Max(0, all.Length - lines)));
        }
    }
}
