using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Upgrade
{
    /// <summary>What an interrupted upgrade of a Swarm node (process killed, Docker engine restarted) left on its service.</summary>
    public sealed class InterruptedSwarmState
    {
        public InterruptedSwarmState(UpgradeJournal journal, SwarmServiceSummary service, SwarmTaskSummary? runningTask, IReadOnlyList<string> backupProblems)
        {
            Journal = journal;
            Service = service;
            RunningTask = runningTask;
            BackupProblems = backupProblems;
        }

        public UpgradeJournal Journal { get; }

        /// <summary>The service as it is now.</summary>
        public SwarmServiceSummary Service { get; }

        /// <summary>The service's task that runs now, if any.</summary>
        public SwarmTaskSummary? RunningTask { get; }

        /// <summary>Empty when the backup in the journal's folder reads back identical to its manifest.</summary>
        public IReadOnlyList<string> BackupProblems { get; }

        public bool BackupUsable => Journal.BackupVerified && BackupProblems.Count == 0;

        /// <summary>Why -Resume cannot finish the upgrade, or null when it can.</summary>
        public string? ResumeRefusal =>
            !Journal.NewInstanceMayHaveRun
                ? $"the service was not yet updated to '{Journal.ToImage}' (last step: '{Journal.LastStep}'); -RollBack brings '{Journal.FromImage}' back, with nothing to restore, and then the upgrade can run again"
                : null;

        /// <summary>Why -RollBack cannot restore the node, or null when it can.</summary>
        public string? RollBackRefusal =>
            Journal.NewInstanceMayHaveRun && !BackupUsable
                ? "the new task may have changed the durable data and there is no verified backup to restore it from" + (BackupProblems.Count > 0 ? ": " + string.Join("; ", BackupProblems) : string.Empty)
                : null;

        /// <summary>The service's state in one paragraph, with the commands (on <paramref name="container"/>, the run's new image) that can finish or undo the run.</summary>
        public string Describe(string container)
        {
            var text = new StringBuilder();
            text.Append($"An earlier upgrade of the Swarm service '{Service.Name}' did not finish (to '{Journal.ToImage}', journal '{Journal.Path}', last step: '{Journal.LastStep}'): ");
            text.Append($"the service runs image '{Service.Image}' with {(Service.Replicas?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no")} replica(s)");
            text.Append(RunningTask == null ? " and no running task; " : $", its task container {ShortId(RunningTask.ContainerId!)} runs; ");
            text.Append(!Journal.BackupVerified ? "no verified backup was recorded; "
                : BackupProblems.Count == 0 ? $"the backup in '{Journal.Folder}' verifies against its manifest; "
                : $"the backup in '{Journal.Folder}' does NOT verify ({string.Join("; ", BackupProblems)}); ");
            text.Append(Journal.NewInstanceMayHaveRun ? "a task of the new image may have run on the durable data." : "no task of the new image ran on the durable data.");
            text.Append(ResumeRefusal == null
                ? $" To finish it: Update-IrisApplicationImage -Name {container} -Image {Journal.ToImage} -Resume (updates the service to '{Journal.ToImage}' and 1 replica if needed and waits until its task is healthy)."
                : $" -Resume is not possible: {ResumeRefusal}.");
            text.Append(RollBackRefusal == null
                ? $" To undo it: Update-IrisApplicationImage -Name {container} -Image {Journal.ToImage} -RollBack (scales the service to 0, {(Journal.NewInstanceMayHaveRun ? "restores the durable data from the backup, " : string.Empty)}updates it back to '{Journal.FromImage}' and 1 replica and waits until its task is healthy)."
                : $" -RollBack is not possible: {RollBackRefusal}; check the service (docker service ps {Service.Name} --no-trunc) and its volumes by hand.");
            return text.ToString();
        }

        /// <summary>A container id as docker ps shows it (12 characters).</summary>
        internal static string ShortId(string id) => id.Length > 12 ? id.Substring(0, 12) : id;
    }

    /// <summary>
    /// Finds an interrupted upgrade of a Swarm node (an unfinished journal under the service's folder of the backup
    /// path, since Swarm replaces the task container), describes it from the engine and the journal, and finishes it
    /// (-Resume) or undoes it (-RollBack). Refuses whenever the state is not known well enough; never deletes the
    /// durable data except to restore a verified backup, and never starts the old image on data of an unclean shutdown.
    /// </summary>
    public sealed class InterruptedSwarmUpgrade
    {
        private readonly IDockerEngine engine;
        private readonly IOperationReporter reporter;
        private readonly SwarmServiceWaiter waiter;

        public InterruptedSwarmUpgrade(IDockerEngine engine, IOperationReporter reporter)
        {
            this.engine = engine;
            this.reporter = reporter;
            waiter = new SwarmServiceWaiter(engine);
        }

        public TimeSpan CleanupTimeout { get; set; } = IrisDefaults.CleanupTimeout;

        /// <summary>The state an interrupted upgrade left on <paramref name="service"/>, or null when there is none.</summary>
        public async Task<InterruptedSwarmState?> InspectAsync(string service, string backupPath, CancellationToken cancellationToken)
        {
            UpgradeJournal? journal = UpgradeJournal.FindUnfinishedOfService(backupPath, service);
            if (journal == null)
            {
                return null;
            }

            SwarmServiceSummary? summary = await engine.InspectServiceAsync(service, cancellationToken).ConfigureAwait(false);
            if (summary == null)
            {
                return null; // the service is gone: nothing of the run is left to finish or undo
            }

            SwarmTaskSummary? running = (await engine.ListTasksAsync(service, cancellationToken).ConfigureAwait(false))
                .FirstOrDefault(SwarmServiceWaiter.IsRunning);
            IReadOnlyList<string> problems = journal.BackupVerified ? InterruptedUpgrade.VerifyBackup(journal.Folder) : Array.Empty<string>();
            return new InterruptedSwarmState(journal, summary, running, problems);
        }

        /// <summary>Finishes the run: the service on the new image with 1 replica, its task healthy.</summary>
        public async Task<NodeUpgradeOutcome> ResumeAsync(InterruptedSwarmState state, string container, ImageUpgradeOptions options, CancellationToken cancellationToken)
        {
            IrisUpgradeResult result = NewResult(state, container);
            if (state.ResumeRefusal != null)
            {
                return InterruptedUpgrade.Refuse(result, "ResumeNotPossible", $"Cannot finish the interrupted upgrade of '{container}': {state.ResumeRefusal}. {state.Describe(container)}");
            }

            string service = state.Service.Name;
            UpgradeJournal journal = state.Journal;
            try
            {
                string task;
                if (state.RunningTask != null && state.Service.Image == journal.ToImage && state.Service.Replicas == 1)
                {
                    task = await waiter.WaitTaskHealthyAsync(service, state.RunningTask, options.HealthTimeout, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    reporter.Verbose($"{service}: updating the service to '{journal.ToImage}' and 1 replica.");
                    ISet<string> before = await waiter.TaskIdsAsync(service, cancellationToken).ConfigureAwait(false);
                    await engine.UpdateServiceAsync(service, new SwarmServiceChange { Image = journal.ToImage, Replicas = 1 }, cancellationToken).ConfigureAwait(false);
                    task = await waiter.WaitHealthyAsync(service, before, options.HealthTimeout, cancellationToken).ConfigureAwait(false);
                }

                InterruptedUpgrade.Close(journal, "upgraded", reporter);
                result.Status = UpgradeStatus.Upgraded;
                result.Message = $"The interrupted upgrade of service '{service}' to '{journal.ToImage}' was finished; its task container {InterruptedSwarmState.ShortId(task)} is healthy.";
                return new NodeUpgradeOutcome(result, null);
            }
            catch (IrisOpsException ex)
            {
                return InterruptedUpgrade.Refuse(result, ex.ErrorId,
                    $"The interrupted upgrade of service '{service}' could not be finished: {ex.Message} Undo it with Update-IrisApplicationImage -Name {container} -Image {journal.ToImage} -RollBack.");
            }
        }

        /// <summary>
        /// Undoes the run: the service to 0, the durable data restored when a task of the new image may have run on
        /// it (else the old task's shutdown judged, unless the run had judged it), then the old image and 1 replica.
        /// </summary>
        public async Task<NodeUpgradeOutcome> RollBackAsync(InterruptedSwarmState state, string container, ImageUpgradeOptions options, CancellationToken cancellationToken)
        {
            IrisUpgradeResult result = NewResult(state, container);
            if (state.RollBackRefusal != null)
            {
                return InterruptedUpgrade.Refuse(result, "RollBackNotPossible", $"Cannot roll back the interrupted upgrade of '{container}': {state.RollBackRefusal}. {state.Describe(container)}");
            }

            // From here on the rollback runs to its end: the caller's Ctrl+C would leave a half-restored service.
            string service = state.Service.Name;
            UpgradeJournal journal = state.Journal;
            TimeSpan stopWait = new SwarmNodeFacts(service, journal.FromImage, state.Service.StopGracePeriod).StopWait(options.StopTimeout);
            var notes = new List<string>();
            var restore = new DurableRestore(engine, HelperContainerArchive.MayUse(engine)) { CleanupTimeout = CleanupTimeout };
            try
            {
                await Cleanup.BoundedAsync(CleanupTimeout, token => HelperContainerArchive.RemoveLeftoverRestoreHelpersAsync(engine, journal.Node, token)).ConfigureAwait(false);
                await Cleanup.BoundedAsync(CleanupTimeout, token => engine.UpdateServiceAsync(service, new SwarmServiceChange { Replicas = 0 }, token)).ConfigureAwait(false);
                await Cleanup.BoundedAsync(CleanupTimeout + stopWait, token => waiter.WaitStoppedAsync(service, stopWait, token)).ConfigureAwait(false);
                notes.Add("the service was scaled to 0");

                if (journal.NewInstanceMayHaveRun)
                {
                    IReadOnlyList<BackupRecord> backups = DurableBackup.Load(journal.Folder);
                    await restore.RestoreAllAsync(journal.Node, journal.OldImageId, backups).ConfigureAwait(false);
                    notes.Add(DurableRestore.RestoredNote(backups));
                }
                else if (!journal.Finished.Contains(UpgradeJournal.CheckShutdownStep))
                {
                    string? unclean = await Cleanup.BoundedAsync(CleanupTimeout, token => UncleanShutdownAsync(journal, token)).ConfigureAwait(false);
                    if (unclean != null)
                    {
                        return InterruptedUpgrade.Refuse(result, "UncleanShutdown",
                            $"The interrupted upgrade of service '{service}' is not rolled back: {unclean}. The service stays at 0 replicas: starting it would run automatic recovery. {InstanceRunningMarker.Remedy(journal.Node, journal.FromImage)} Then scale it to 1 (docker service update --image {journal.FromImage} --replicas 1 {service}) and run the same command again.");
                    }

                    notes.Add("the old task had shut down cleanly");
                }

                ISet<string> before = await Cleanup.BoundedAsync(CleanupTimeout, token => waiter.TaskIdsAsync(service, token)).ConfigureAwait(false);
                await Cleanup.BoundedAsync(CleanupTimeout, token => engine.UpdateServiceAsync(service, new SwarmServiceChange { Image = journal.FromImage, Replicas = 1 }, token)).ConfigureAwait(false);
                string task = await Cleanup.BoundedAsync(CleanupTimeout + options.HealthTimeout, token => waiter.WaitHealthyAsync(service, before, options.HealthTimeout, token)).ConfigureAwait(false);
                notes.Add($"service '{service}' runs image '{journal.FromImage}' again, its task container {InterruptedSwarmState.ShortId(task)} healthy");

                InterruptedUpgrade.Close(journal, "rolled back", reporter);
                result.Status = UpgradeStatus.RolledBack;
                result.Message = "The interrupted upgrade was rolled back: " + string.Join("; ", notes) + ".";
                return new NodeUpgradeOutcome(result, null);
            }
            catch (Exception ex) when (ex is IrisOpsException || ex is IOException || ex is InvalidDataException || ex is OperationCanceledException)
            {
                return InterruptedUpgrade.RollBackFailed(result, $"service '{service}'", ex, notes);
            }
            finally
            {
                await restore.RemoveHelpersAsync().ConfigureAwait(false);
            }
        }

        // The run was interrupted before it judged the old task's shutdown: judged now, on the old task's container
        // (Swarm keeps it after the scale to 0), by the same documented facts.
        private async Task<string?> UncleanShutdownAsync(UpgradeJournal journal, CancellationToken cancellationToken)
        {
            ContainerDetails? old = await engine.InspectContainerAsync(journal.OldContainerId, cancellationToken).ConfigureAwait(false);
            if (old == null || journal.DataDirectory.Length == 0)
            {
                return $"whether the old task shut down cleanly cannot be told: its container {InterruptedSwarmState.ShortId(journal.OldContainerId)} is gone";
            }

            ShutdownVerdict verdict = await InstanceRunningMarker.JudgeAsync(engine, old.Id, old, journal.DataDirectory, cancellationToken).ConfigureAwait(false);
            return verdict.Clean ? null : $"the old task did not shut down cleanly: {verdict.Reason}";
        }

        private static IrisUpgradeResult NewResult(InterruptedSwarmState state, string container) => new IrisUpgradeResult
        {
            Node = container,
            FromImage = state.Journal.FromImage,
            ToImage = state.Journal.ToImage,
            BackupPath = state.Journal.BackupVerified ? state.Journal.Folder : null,
        };
    }
}
