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
    /// <summary>What an upgrade that was interrupted (process killed, Docker engine restarted) left on a node.</summary>
    public sealed class InterruptedState
    {
        public string Node { get; set; } = string.Empty;
        public ContainerDetails Previous { get; set; } = new ContainerDetails();
        public ContainerDetails? NewContainer { get; set; }
        public UpgradeJournal? Journal { get; set; }

        /// <summary>Empty when the backup in the journal's folder reads back identical to its manifest.</summary>
        public IReadOnlyList<string> BackupProblems { get; set; } = new List<string>();

        public bool BackupUsable => Journal != null && Journal.BackupVerified && BackupProblems.Count == 0;

        /// <summary>The new instance may have changed the durable data: it was started, or the journal says the start began.</summary>
        public bool NewInstanceMayHaveRun => (Journal?.NewInstanceMayHaveRun ?? false) || NewContainer?.State.StartedAt != null;

        /// <summary>Why -Resume cannot finish the upgrade, or null when it can.</summary>
        public string? ResumeRefusal =>
            Previous.State.Running ? OldContainerRunning
            : Journal == null ? "no journal of the interrupted run was found under the backup path, so what happened to the durable data is unknown"
            : NewContainer == null ? $"the new container '{Node}' does not exist"
            : null;

        /// <summary>Why -RollBack cannot restore the node, or null when it can.</summary>
        public string? RollBackRefusal =>
            Previous.State.Running ? OldContainerRunning
            : Journal == null ? "no journal of the interrupted run was found under the backup path, so whether the durable data was changed is unknown"
            : NewInstanceMayHaveRun && !BackupUsable ? "the new instance may have changed the durable data and there is no verified backup to restore it from" + (BackupProblems.Count > 0 ? ": " + string.Join("; ", BackupProblems) : string.Empty)
            : null;

        // Someone started the renamed old container: two instances may be using one durable directory, and
        // neither finishing nor restoring is safe until a person has looked.
        private string OldContainerRunning => $"the old container '{Previous.Name.TrimStart('/')}' is running although it was renamed for the upgrade; two instances must never use one durable directory: stop it (docker stop) and check the data first";

        /// <summary>The node's state in one paragraph, with the commands that can finish or undo the run.</summary>
        public string Describe(string image)
        {
            var text = new StringBuilder();
            text.Append($"An earlier upgrade of '{Node}' did not finish");
            text.Append(Journal == null ? " (no journal found)" : $" (to '{Journal.ToImage}', journal '{Journal.Path}', last step: '{Journal.LastStep}')");
            text.Append($": the old container is renamed '{Previous.Name.TrimStart('/')}' ({Previous.State.Status}); ");
            text.Append(NewContainer == null
                ? $"the new container '{Node}' does not exist; "
                : $"the new container '{Node}' exists on image '{NewContainer.Spec.Image}' ({NewContainer.State.Status}{(NewContainer.State.Health == "none" ? string.Empty : ", " + NewContainer.State.Health)}); ");
            text.Append(Journal == null || !Journal.BackupVerified ? "no verified backup was recorded; "
                : BackupProblems.Count == 0 ? $"the backup in '{Journal.Folder}' verifies against its manifest; "
                : $"the backup in '{Journal.Folder}' does NOT verify ({string.Join("; ", BackupProblems)}); ");
            text.Append(NewInstanceMayHaveRun ? "the new instance may have run on the durable data." : "the new instance never ran on the durable data.");
            text.Append(ResumeRefusal == null
                ? $" To finish it: Update-IrisApplicationImage -Name {Node} -Image {image} -Resume (starts the new container if needed, waits until healthy, then removes the old one, or keeps it with -KeepPrevious)."
                : $" -Resume is not possible: {ResumeRefusal}.");
            text.Append(RollBackRefusal == null
                ? $" To undo it: Update-IrisApplicationImage -Name {Node} -Image {image} -RollBack (removes the new container, {(NewInstanceMayHaveRun ? "restores the durable directory from the backup, " : string.Empty)}renames the old container back{(Journal!.WasRunning ? " and starts it" : string.Empty)})."
                : $" -RollBack is not possible: {RollBackRefusal}; check the containers and the durable directory by hand.");
            return text.ToString();
        }
    }

    /// <summary>
    /// Finds an interrupted upgrade (the old container still renamed, see <see cref="UpgradePlanner.PreviousName"/>),
    /// describes it from the engine and the journal, and finishes it (-Resume) or undoes it (-RollBack). Refuses
    /// whenever the state is not known well enough; never deletes the durable data except to restore a verified backup.
    /// </summary>
    public sealed class InterruptedUpgrade
    {
        private readonly IDockerEngine engine;
        private readonly IOperationReporter reporter;
        private readonly ContainerHealthWaiter health;

        public InterruptedUpgrade(IDockerEngine engine, IOperationReporter reporter)
        {
            this.engine = engine;
            this.reporter = reporter;
            health = new ContainerHealthWaiter(engine);
        }

        public TimeSpan CleanupTimeout { get; set; } = IrisDefaults.CleanupTimeout;

        /// <summary>The state an interrupted upgrade left on <paramref name="node"/>, or null when there is none.</summary>
        public async Task<InterruptedState?> InspectAsync(string node, string backupPath, CancellationToken cancellationToken)
        {
            ContainerDetails? previous = await engine.InspectContainerAsync(UpgradePlanner.PreviousName(node), cancellationToken).ConfigureAwait(false);
            if (previous == null)
            {
                return null;
            }

            UpgradeJournal? journal = UpgradeJournal.FindUnfinished(backupPath, node);
            if (journal != null && journal.OldContainerId != previous.Id)
            {
                journal = null; // a journal of another container of that name
            }

            var state = new InterruptedState
            {
                Node = node,
                Previous = previous,
                NewContainer = await engine.InspectContainerAsync(node, cancellationToken).ConfigureAwait(false),
                Journal = journal,
            };
            if (journal != null && journal.BackupVerified)
            {
                state.BackupProblems = VerifyBackup(journal.Folder);
            }

            return state;
        }

        /// <summary>Finishes the run: the new container must become healthy; then the old one goes (or is kept).</summary>
        public async Task<NodeUpgradeOutcome> ResumeAsync(InterruptedState state, ImageUpgradeOptions options, CancellationToken cancellationToken)
        {
            string name = state.Node;
            IrisUpgradeResult result = NewResult(state, options);
            if (state.ResumeRefusal != null)
            {
                return Refuse(result, "ResumeNotPossible", $"Cannot finish the interrupted upgrade of '{name}': {state.ResumeRefusal}. {state.Describe(options.Image)}");
            }

            if (!state.NewContainer!.State.Running)
            {
                reporter.Verbose($"{name}: starting the new container again.");
                state.Journal!.Begun.Add(UpgradeJournal.StartStep);
                state.Journal.Save();
                await engine.StartContainerAsync(name, cancellationToken).ConfigureAwait(false);
            }

            HealthWaitResult healthy = await health.WaitAsync(name, options.HealthTimeout, cancellationToken).ConfigureAwait(false);
            if (!healthy.IsHealthy)
            {
                return Refuse(result, "NewContainerUnhealthy",
                    $"The new container '{name}' of the interrupted upgrade is not healthy: {healthy.Description} Nothing else was changed; undo the upgrade with Update-IrisApplicationImage -Name {name} -Image {options.Image} -RollBack.");
            }

            string previous = UpgradePlanner.PreviousName(name);
            if (options.KeepPrevious)
            {
                result.PreviousContainer = previous;
            }
            else
            {
                await engine.RemoveContainerAsync(previous, false, false, cancellationToken).ConfigureAwait(false);
            }

            Close(state.Journal!, "upgraded", reporter);
            result.Status = UpgradeStatus.Upgraded;
            result.Message = $"The interrupted upgrade to '{state.NewContainer.Spec.Image}' was finished; healthy." + (options.KeepPrevious ? $" The old container is kept as '{previous}'." : " The old container was removed.");
            return new NodeUpgradeOutcome(result, null);
        }

        /// <summary>Undoes the run: the new container goes, the durable data is restored when the new instance may have run on it, the old container is back.</summary>
        public async Task<NodeUpgradeOutcome> RollBackAsync(InterruptedState state, ImageUpgradeOptions options, CancellationToken cancellationToken)
        {
            string name = state.Node;
            IrisUpgradeResult result = NewResult(state, options);
            if (state.RollBackRefusal != null)
            {
                return Refuse(result, "RollBackNotPossible", $"Cannot roll back the interrupted upgrade of '{name}': {state.RollBackRefusal}. {state.Describe(options.Image)}");
            }

            // From here on the rollback runs to its end: the caller's Ctrl+C would leave a half-restored node.
            UpgradeJournal journal = state.Journal!;
            var notes = new List<string>();
            var restore = new DurableRestore(engine, HelperContainerArchive.MayUse(engine)) { CleanupTimeout = CleanupTimeout };
            try
            {
                using (var cleanup = new CancellationTokenSource(CleanupTimeout))
                {
                    await HelperContainerArchive.RemoveLeftoverRestoreHelpersAsync(engine, name, cleanup.Token).ConfigureAwait(false);
                    if (state.NewContainer != null)
                    {
                        await engine.RemoveContainerAsync(name, true, false, cleanup.Token).ConfigureAwait(false);
                        notes.Add("the new container was removed");
                    }
                }

                if (state.NewInstanceMayHaveRun)
                {
                    IReadOnlyList<BackupRecord> backups = DurableBackup.Load(journal.Folder);
                    await restore.RestoreAllAsync(name, journal.OldImageId, backups).ConfigureAwait(false);
                    notes.Add(DurableRestore.RestoredNote(backups));
                }

                using (var cleanup = new CancellationTokenSource(CleanupTimeout))
                {
                    await engine.RenameContainerAsync(UpgradePlanner.PreviousName(name), name, cleanup.Token).ConfigureAwait(false);
                    notes.Add($"the old container is '{name}' again");
                    if (journal.WasRunning && !state.Previous.State.Running)
                    {
                        await engine.StartContainerAsync(name, cleanup.Token).ConfigureAwait(false);
                    }
                }

                bool back = true;
                IrisErrorKind failureKind = IrisErrorKind.InvalidResult;
                if (journal.WasRunning)
                {
                    HealthWaitResult healthy = await Cleanup.BoundedAsync(CleanupTimeout + options.HealthTimeout, token => health.WaitAsync(name, options.HealthTimeout, token)).ConfigureAwait(false);
                    back = healthy.IsHealthy;
                    failureKind = healthy.FailureKind;
                    notes.Add(back ? "the old container is running and healthy" : "the old container did not become healthy: " + healthy.Description);
                }
                else
                {
                    notes.Add("the old container was not running before and stays stopped");
                }

                Close(journal, back ? "rolled back" : "failed", reporter);
                result.Status = back ? UpgradeStatus.RolledBack : UpgradeStatus.Failed;
                result.Message = "The interrupted upgrade was rolled back: " + string.Join("; ", notes) + ".";
                return new NodeUpgradeOutcome(result, back ? null : new IrisOpsException(failureKind, "OldContainerUnhealthy", result.Message, name));
            }
            catch (Exception ex) when (ex is IrisOpsException || ex is IOException || ex is InvalidDataException || ex is OperationCanceledException)
            {
                return RollBackFailed(result, $"'{name}'", ex, notes);
            }
            finally
            {
                await restore.RemoveHelpersAsync().ConfigureAwait(false);
            }
        }

        internal static IReadOnlyList<string> VerifyBackup(string folder)
        {
            try
            {
                return DurableBackup.Verify(folder);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is InvalidDataException || ex is IrisOpsException)
            {
                return new[] { ex.Message };
            }
        }

        internal static void Close(UpgradeJournal journal, string outcome, IOperationReporter reporter)
        {
            journal.Outcome = outcome;
            try
            {
                journal.Save();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                reporter.Warning($"Could not record the end of the run in '{journal.Path}': {ex.Message}");
            }
        }

        private static IrisUpgradeResult NewResult(InterruptedState state, ImageUpgradeOptions options) => new IrisUpgradeResult
        {
            Node = state.Node,
            FromImage = state.Journal?.FromImage ?? state.Previous.Spec.Image,
            ToImage = state.Journal?.ToImage ?? options.Image,
            BackupPath = state.Journal != null && state.Journal.BackupVerified ? state.Journal.Folder : null,
        };

        // The journal stays open: the same command can be run again once the cause is fixed.
        internal static NodeUpgradeOutcome RollBackFailed(IrisUpgradeResult result, string subject, Exception ex, IReadOnlyList<string> notes)
        {
            result.Status = UpgradeStatus.Failed;
            result.ErrorId = "RollBackFailed";
            result.Message = $"Rolling back the interrupted upgrade of {subject} failed: {ex.Message} Done so far: {(notes.Count == 0 ? "nothing" : string.Join("; ", notes))}. Fix the cause and run the same command again.";
            return new NodeUpgradeOutcome(result, new IrisOpsException(IrisErrorKind.InvalidOperation, "RollBackFailed", result.Message, result.Node, ex));
        }

        internal static NodeUpgradeOutcome Refuse(IrisUpgradeResult result, string errorId, string message)
        {
            result.Status = UpgradeStatus.Failed;
            result.ErrorId = errorId;
            result.Message = message;
            return new NodeUpgradeOutcome(result, new IrisOpsException(IrisErrorKind.InvalidOperation, errorId, message, result.Node));
        }
    }
}
