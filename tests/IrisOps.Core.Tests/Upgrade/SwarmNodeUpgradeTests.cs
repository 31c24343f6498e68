using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;
using IrisOps.Core.Upgrade;
using IrisOps.Tests.Cpf;
using IrisOps.Tests.Docker;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>
    /// The Swarm upgrade of a node on a scripted swarm: what the preflight refuses, the steps -WhatIf shows, the
    /// order of the service updates, and the rollback (also after Ctrl+C). Backup and restore of real volumes, and
    /// real Swarm behaviour, are proven by tests/pester/Swarm.Upgrade.Tests.ps1.
    /// </summary>
    public sealed class SwarmNodeUpgradeTests : IDisposable
    {
        // The run's journal is written under the backup path even with -SkipBackup.
        private readonly TempFolder backups = new TempFolder();

        private ImageUpgradeOptions Options => new ImageUpgradeOptions { Image = "img:2", SkipBackup = true, StopTimeout = TimeSpan.FromSeconds(5), HealthTimeout = TimeSpan.FromSeconds(5), BackupPath = backups.Path };

        public void Dispose() => backups.Dispose();

        internal static ContainerDetails OldTask(string mountTarget = EcpMergeFiles.DurableRoot) => new ContainerDetails
        {
            Id = "old1",
            Name = "/c-data.1.abc",
            ImageId = "sha256:one",
            State = new ContainerStateInfo { Status = "running", Running = true, Health = "healthy" },
            Spec = new ContainerSpec
            {
                Image = "img:1",
                Labels = new Dictionary<string, string> { [ClusterLabels.SwarmService] = "c-data" },
                Mounts = new List<MountSpec> { new MountSpec { Kind = MountKind.Volume, Source = "c-data-durable", Target = mountTarget } },
            },
        };

        [Fact]
        public async Task The_preflight_refuses_what_cannot_be_upgraded_through_this_engine_and_names_each_problem()
        {
            var engine = new ScriptedSwarm { Replicas = 2 };
            engine.Tasks.Add(new SwarmTaskSummary { Id = "t1", State = "running", DesiredState = "running", NodeId = "other", ContainerId = "old1" });
            var node = new NodeInspection(new UpgradeTarget("c-data.1.abc"));
            var options = new ImageUpgradeOptions { Image = "img:2", MergeFileContent = "[Startup]\n", KeepPrevious = true };

            await SwarmUpgradeCheck.InspectAsync(engine, node, OldTask(mountTarget: "/home/irisowner"), "c-data", options, CancellationToken.None);

            Assert.Equal(new[] { "SwarmServiceReplicas", "SwarmTaskOnOtherNode", "SwarmDurableOnWorkingDirectory", "SwarmMergeFileNotSupported" }, node.Problems.Select(p => p.ErrorId));
            Assert.Contains("has 2 replicas", node.Problems[0].Message, StringComparison.Ordinal);
            Assert.Contains("swarm node other", node.Problems[1].Message, StringComparison.Ordinal);
            Assert.Contains("/home/irisowner/irissys", node.Problems[2].Message, StringComparison.Ordinal);
            Assert.Contains("-KeepPrevious has no effect", Assert.Single(node.Warnings), StringComparison.Ordinal);
            Assert.Empty(engine.Updates);
        }

        [Fact]
        public async Task An_engine_that_cannot_read_the_service_is_a_preflight_problem_not_an_exception()
        {
            var engine = new ScriptedSwarm { NotManager = true };
            var node = new NodeInspection(new UpgradeTarget("c-data.1.abc"));

            await SwarmUpgradeCheck.InspectAsync(engine, node, OldTask(), "c-data", Options, CancellationToken.None);

            PreflightProblem problem = Assert.Single(node.Problems);
            Assert.Equal("SwarmServiceNotReadable", problem.ErrorId);
            Assert.Contains("swarm manager", problem.Message, StringComparison.Ordinal);
            Assert.Null(node.Swarm);
        }

        [Fact]
        public async Task A_single_replica_service_on_this_node_passes_and_remembers_the_image_of_its_spec()
        {
            var engine = new ScriptedSwarm();
            engine.Tasks.Add(new SwarmTaskSummary { Id = "t1", State = "running", DesiredState = "running", NodeId = "here", ContainerId = "old1" });
            engine.Tasks.Add(new SwarmTaskSummary { Id = "t0", State = "shutdown", DesiredState = "shutdown", NodeId = "gone" });
            var node = new NodeInspection(new UpgradeTarget("c-data.1.abc"));

            await SwarmUpgradeCheck.InspectAsync(engine, node, OldTask(), "c-data", Options, CancellationToken.None);

            Assert.Empty(node.Problems);
            Assert.Equal(("c-data", "img:1@sha256:aaa"), (node.Swarm!.Service, node.Swarm.ServiceImage));
        }

        [Fact]
        public void The_steps_say_scale_down_backup_update_and_the_rollback()
        {
            var input = new NodeStepInput { Container = "c-data.1.abc", BackupMounts = { "'/irisops/durable' (volume c-data-durable)" }, BackupFolder = "/b/c-data.1.abc/t" };
            var options = new ImageUpgradeOptions { Image = "img:2", StopTimeout = TimeSpan.FromSeconds(10), HealthTimeout = TimeSpan.FromSeconds(60) };
            IReadOnlyList<string> steps = UpgradePlanner.SwarmSteps(input, new SwarmNodeFacts("c-data", "img:1"), options);
            // Swarm stops the task with the service's grace period: a longer one than -StopTimeout is waited for.
            Assert.Contains("up to 360 s", UpgradePlanner.SwarmSteps(input, new SwarmNodeFacts("c-data", "img:1", TimeSpan.FromSeconds(330)), options)[0], StringComparison.Ordinal);

            Assert.StartsWith("scale service 'c-data' to 0 replicas", steps[0], StringComparison.Ordinal);
            Assert.Contains("up to 40 s", steps[0], StringComparison.Ordinal);
            Assert.Contains("mgr/iris.ids", steps[1], StringComparison.Ordinal);
            Assert.StartsWith("back up '/irisops/durable' (volume c-data-durable) to '/b/c-data.1.abc/t'", steps[2], StringComparison.Ordinal);
            Assert.Equal("update service 'c-data' to image 'img:2' and 1 replica in one update, and wait up to 60 s until its new task runs healthy", steps[3]);
            Assert.Contains("update the service back to image 'img:1' and 1 replica", steps.Last(), StringComparison.Ordinal);
        }

        [Fact]
        public async Task An_upgrade_scales_to_zero_then_sets_the_new_image_and_one_replica_in_one_update()
        {
            var engine = new ScriptedSwarm();
            NodeUpgradeOutcome outcome = await new SwarmNodeUpgrade(engine, new RecordingReporter()).RunAsync(await PassedAsync(engine), Options, CancellationToken.None);

            Assert.Null(outcome.Error);
            Assert.Equal(UpgradeStatus.Upgraded, outcome.Result.Status);
            Assert.Equal(new[] { "replicas=0", "image=img:2 replicas=1" }, engine.Updates);
            Assert.Contains("'new1' is healthy", outcome.Result.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task The_run_keeps_its_journal_under_the_service_so_a_later_run_finds_it_whatever_task_runs_then()
        {
            var engine = new ScriptedSwarm();
            NodeInspection node = await PassedAsync(engine);
            Assert.Equal(Path.Combine(backups.Path, "c-data", "20261202-120000Z"), node.BackupFolder);

            await new SwarmNodeUpgrade(engine, new RecordingReporter()).RunAsync(node, Options, CancellationToken.None);

            UpgradeJournal journal = UpgradeJournal.Load(Path.Combine(node.BackupFolder, UpgradeJournal.FileName))!;
            Assert.Equal(("c-data", "c-data.1.abc", "img:1@sha256:aaa", "upgraded"), (journal.Service, journal.Node, journal.FromImage, journal.Outcome));
            Assert.Equal(EcpMergeFiles.DataDirectory, journal.DataDirectory);
            Assert.Contains(UpgradeJournal.SwarmUpdateStep, journal.Finished);
        }

        [Theory]
        [InlineData("failed")]
        [InlineData("complete")] // Swarm stopped the unhealthy container and the instance shut down cleanly
        public async Task A_new_task_that_ends_without_a_backup_leaves_the_service_at_zero_rather_than_run_the_old_image_on_changed_data(string state)
        {
            var engine = new ScriptedSwarm { NewTaskState = state };
            NodeUpgradeOutcome outcome = await new SwarmNodeUpgrade(engine, new RecordingReporter()).RunAsync(await PassedAsync(engine), Options, CancellationToken.None);

            Assert.Equal(UpgradeStatus.Failed, outcome.Result.Status);
            Assert.Equal("NewTaskFailed", outcome.Error!.ErrorId);
            Assert.Equal(new[] { "replicas=0", "image=img:2 replicas=1", "replicas=0" }, engine.Updates);
            Assert.Contains("stays at 0 replicas", outcome.Result.Message, StringComparison.Ordinal);
            Assert.Contains("task: non-zero exit (1)", outcome.Result.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Ctrl_C_after_the_scale_down_brings_the_old_image_back_with_one_replica_without_the_cancelled_token()
        {
            using var cancel = new CancellationTokenSource();
            var engine = new ScriptedSwarm();
            NodeInspection node = await PassedAsync(engine);
            engine.OnUpdate = change => { if (change.Replicas == 0) { cancel.Cancel(); } };
            NodeUpgradeOutcome outcome = await new SwarmNodeUpgrade(engine, new RecordingReporter()).RunAsync(node, Options, cancel.Token);

            Assert.Equal(UpgradeStatus.RolledBack, outcome.Result.Status);
            Assert.Equal("UpgradeCancelled", outcome.Error!.ErrorId);
            Assert.Equal(new[] { "replicas=0", "image=img:1@sha256:aaa replicas=1" }, engine.Updates);
            Assert.Contains("runs image 'img:1@sha256:aaa' again, healthy", outcome.Result.Message, StringComparison.Ordinal);
        }

        private async Task<NodeInspection> PassedAsync(ScriptedSwarm engine)
        {
            engine.Tasks.Add(new SwarmTaskSummary { Id = "t1", State = "running", DesiredState = "running", NodeId = "here", ContainerId = "old1" });
            var node = new NodeInspection(new UpgradeTarget("c-data.1.abc"))
            {
                BackupFolder = Path.Combine(backups.Path, "c-data.1.abc", "20261202-120000Z"),
                Container = OldTask(),
                FromImage = "img:1",
                DataDirectory = EcpMergeFiles.DataDirectory,
                DurableMount = OldTask().Spec.Mounts[0],
            };
            await SwarmUpgradeCheck.InspectAsync(engine, node, node.Container, "c-data", Options, CancellationToken.None);
            Assert.Empty(node.Problems);
            return node;
        }
    }
}
