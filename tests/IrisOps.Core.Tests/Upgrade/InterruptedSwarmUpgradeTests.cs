using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Core.Upgrade;
using IrisOps.Tests.Cpf;
using IrisOps.Tests.Docker;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>
    /// A Swarm node's upgrade that a killed process left half-done, on a scripted swarm: found through the service's
    /// journal, described, finished with -Resume or undone with -RollBack, refused where the state is not safe. The
    /// restore of a real volume after such a run is proven by tests/pester/Swarm.Upgrade.Tests.ps1.
    /// </summary>
    public sealed class InterruptedSwarmUpgradeTests : IDisposable
    {
        private const string ScaleDown = "scale the service to 0";
        private const string BackUp = "back up the durable directories";
        private const string WaitHealthy = "wait until the new task is healthy";

        private readonly TempFolder backups = new TempFolder();

        private ImageUpgradeOptions Options => new ImageUpgradeOptions { Image = "img:2", StopTimeout = TimeSpan.FromSeconds(5), HealthTimeout = TimeSpan.FromSeconds(5), BackupPath = backups.Path };

        public void Dispose() => backups.Dispose();

        [Fact]
        public async Task Only_an_unfinished_journal_of_the_service_is_an_interrupted_run()
        {
            var engine = new ScriptedSwarm();
            var recovery = new InterruptedSwarmUpgrade(engine, new RecordingReporter());
            Assert.Null(await recovery.InspectAsync("c-data", backups.Path, CancellationToken.None));

            UpgradeJournal finished = Journal(ScaleDown, UpgradeJournal.CheckShutdownStep, UpgradeJournal.SwarmUpdateStep, WaitHealthy);
            finished.Outcome = "upgraded";
            finished.Save();
            Assert.Null(await recovery.InspectAsync("c-data", backups.Path, CancellationToken.None));

            // A run that failed on an unclean shutdown, before the update, gave its remedy and left nothing to undo.
            UpgradeJournal unclean = Journal(ScaleDown, UpgradeJournal.CheckShutdownStep);
            unclean.Outcome = "failed";
            unclean.Save();
            Assert.Null(await recovery.InspectAsync("c-data", backups.Path, CancellationToken.None));

            // Only the newest run counts: one that ended after an interrupted one has dealt with it.
            Journal(ScaleDown).Save();
            UpgradeJournal later = Journal(ScaleDown, UpgradeJournal.CheckShutdownStep, UpgradeJournal.SwarmUpdateStep, WaitHealthy);
            later.Folder = Path.Combine(backups.Path, "c-data", "20261202-130000Z");
            later.Outcome = "rolled back";
            later.Save();
            Assert.Null(await recovery.InspectAsync("c-data", backups.Path, CancellationToken.None));
            Directory.Delete(later.Folder, true);

            // A container's journal of the same name is not the service's.
            UpgradeJournal container = Journal(ScaleDown);
            container.Service = string.Empty;
            container.Save();
            Assert.Null(await recovery.InspectAsync("c-data", backups.Path, CancellationToken.None));
        }

        [Fact]
        public async Task After_the_update_began_the_state_names_the_last_step_the_backup_and_both_commands()
        {
            var engine = new ScriptedSwarm { Image = "img:2", Replicas = 0 };
            Journal(ScaleDown, UpgradeJournal.CheckShutdownStep, UpgradeJournal.SwarmUpdateStep);

            InterruptedSwarmState state = (await new InterruptedSwarmUpgrade(engine, new RecordingReporter()).InspectAsync("c-data", backups.Path, CancellationToken.None))!;
            string text = state.Describe("c-data.1.abc");

            Assert.Contains("An earlier upgrade of the Swarm service 'c-data' did not finish", text, StringComparison.Ordinal);
            Assert.Contains("last step: 'update the service to the new image (begun, not finished)'", text, StringComparison.Ordinal);
            Assert.Contains("runs image 'img:2' with 0 replica(s) and no running task", text, StringComparison.Ordinal);
            Assert.Contains("no verified backup was recorded", text, StringComparison.Ordinal);
            Assert.Contains("a task of the new image may have run on the durable data", text, StringComparison.Ordinal);
            Assert.Contains("-Image img:2 -Resume", text, StringComparison.Ordinal);
            Assert.Contains("-RollBack is not possible: the new task may have changed the durable data and there is no verified backup", text, StringComparison.Ordinal);
        }

        [Fact]
        public async Task RollBack_without_a_backup_after_the_update_began_is_refused_and_changes_nothing()
        {
            var engine = new ScriptedSwarm { Image = "img:2" };
            UpgradeJournal journal = Journal(ScaleDown, UpgradeJournal.CheckShutdownStep, UpgradeJournal.SwarmUpdateStep);

            NodeUpgradeOutcome outcome = await RollBackAsync(engine);

            Assert.Equal("RollBackNotPossible", outcome.Error!.ErrorId);
            Assert.Empty(engine.Updates);
            Assert.Null(UpgradeJournal.Load(journal.Path)!.Outcome);
        }

        [Fact]
        public async Task RollBack_before_the_update_brings_the_old_image_back_with_nothing_to_restore_and_closes_the_run()
        {
            var engine = new ScriptedSwarm { Replicas = 0 };
            UpgradeJournal journal = Journal(ScaleDown, UpgradeJournal.CheckShutdownStep, BackUp);

            NodeUpgradeOutcome outcome = await RollBackAsync(engine);

            Assert.Null(outcome.Error);
            Assert.Equal(UpgradeStatus.RolledBack, outcome.Result.Status);
            Assert.Equal(new[] { "replicas=0", "image=img:1@sha256:aaa replicas=1" }, engine.Updates);
            Assert.DoesNotContain("restored", outcome.Result.Message, StringComparison.Ordinal);
            Assert.Equal("rolled back", UpgradeJournal.Load(journal.Path)!.Outcome);
            Assert.Null(await new InterruptedSwarmUpgrade(engine, new RecordingReporter()).InspectAsync("c-data", backups.Path, CancellationToken.None));
        }

        [Fact]
        public async Task RollBack_of_a_run_killed_before_it_judged_the_shutdown_judges_it_and_keeps_an_unclean_instance_at_zero()
        {
            var engine = new ScriptedSwarm { Replicas = 0, RunningMarkerLeft = true };
            UpgradeJournal journal = Journal(ScaleDown);

            NodeUpgradeOutcome outcome = await RollBackAsync(engine);

            Assert.Equal("UncleanShutdown", outcome.Error!.ErrorId);
            Assert.Equal(new[] { "replicas=0" }, engine.Updates);
            Assert.Contains("--up false", outcome.Result.Message, StringComparison.Ordinal);
            Assert.Contains("stays at 0 replicas", outcome.Result.Message, StringComparison.Ordinal);
            Assert.Null(UpgradeJournal.Load(journal.Path)!.Outcome);

            engine.RunningMarkerLeft = false;
            Assert.Equal(UpgradeStatus.RolledBack, (await RollBackAsync(engine)).Result.Status);
            Assert.Equal("image=img:1@sha256:aaa replicas=1", engine.Updates.Last());
        }

        [Fact]
        public async Task Resume_before_the_update_is_refused_with_the_way_back()
        {
            var engine = new ScriptedSwarm { Replicas = 0 };
            Journal(ScaleDown, UpgradeJournal.CheckShutdownStep);

            NodeUpgradeOutcome outcome = await ResumeAsync(engine);

            Assert.Equal("ResumeNotPossible", outcome.Error!.ErrorId);
            Assert.Contains("-RollBack brings 'img:1@sha256:aaa' back", outcome.Result.Message, StringComparison.Ordinal);
            Assert.Empty(engine.Updates);
        }

        [Fact]
        public async Task Resume_with_the_new_task_running_only_waits_until_it_is_healthy()
        {
            var engine = new ScriptedSwarm { Image = "img:2" };
            engine.Tasks.Add(new SwarmTaskSummary { Id = "t2", State = "running", DesiredState = "running", NodeId = "here", ContainerId = "new2" });
            UpgradeJournal journal = Journal(ScaleDown, UpgradeJournal.CheckShutdownStep, UpgradeJournal.SwarmUpdateStep, WaitHealthy);

            NodeUpgradeOutcome outcome = await ResumeAsync(engine);

            Assert.Null(outcome.Error);
            Assert.Equal(UpgradeStatus.Upgraded, outcome.Result.Status);
            Assert.Empty(engine.Updates);
            Assert.Equal("upgraded", UpgradeJournal.Load(journal.Path)!.Outcome);
        }

        [Fact]
        public async Task Resume_of_a_service_left_at_zero_sets_the_new_image_and_one_replica()
        {
            var engine = new ScriptedSwarm { Replicas = 0 };
            Journal(ScaleDown, UpgradeJournal.CheckShutdownStep, UpgradeJournal.SwarmUpdateStep);

            NodeUpgradeOutcome outcome = await ResumeAsync(engine);

            Assert.Equal(UpgradeStatus.Upgraded, outcome.Result.Status);
            Assert.Equal(new[] { "image=img:2 replicas=1" }, engine.Updates);
        }

        private async Task<NodeUpgradeOutcome> RollBackAsync(ScriptedSwarm engine)
        {
            var recovery = new InterruptedSwarmUpgrade(engine, new RecordingReporter());
            InterruptedSwarmState state = (await recovery.InspectAsync("c-data", backups.Path, CancellationToken.None))!;
            return await recovery.RollBackAsync(state, "c-data.1.abc", Options, CancellationToken.None);
        }

        private async Task<NodeUpgradeOutcome> ResumeAsync(ScriptedSwarm engine)
        {
            var recovery = new InterruptedSwarmUpgrade(engine, new RecordingReporter());
            InterruptedSwarmState state = (await recovery.InspectAsync("c-data", backups.Path, CancellationToken.None))!;
            return await recovery.ResumeAsync(state, "c-data.1.abc", Options, CancellationToken.None);
        }

        // The journal a Swarm run killed during its last begun step leaves (no backup recorded: -SkipBackup).
        private UpgradeJournal Journal(params string[] begun)
        {
            var journal = new UpgradeJournal
            {
                Node = "c-data.1.abc",
                Service = "c-data",
                FromImage = "img:1@sha256:aaa",
                ToImage = "img:2",
                OldContainerId = "c-data.1.abc",
                OldImageId = "sha256:one",
                WasRunning = true,
                MountKind = nameof(MountKind.Volume),
                MountSource = "c-data-durable",
                MountTarget = "/irisops/durable",
                DataDirectory = "/irisops/durable/iconfig",
                Folder = Path.Combine(backups.Path, "c-data", "20261202-120000Z"),
            };
            journal.Begun.AddRange(begun);
            journal.Finished.AddRange(begun.Take(begun.Length - 1));
            journal.Save();
            return journal;
        }
    }
}
