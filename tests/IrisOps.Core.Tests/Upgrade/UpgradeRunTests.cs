using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;
using IrisOps.Core.Upgrade;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>The run policy of Update-IrisApplicationImage, without PowerShell: preflight first, order, approval, first failure stops.</summary>
    public sealed class UpgradeRunTests : IDisposable
    {
        private readonly TempFolder backups = new TempFolder();
        private readonly ScriptedUpgradeEngine engine = new ScriptedUpgradeEngine();
        private readonly List<IrisUpgradeResult> results = new List<IrisUpgradeResult>();
        private readonly List<(IrisOpsException Error, string Node)> errors = new List<(IrisOpsException, string)>();
        private readonly List<string> asked = new List<string>();

        public void Dispose() => backups.Dispose();

        private ImageUpgradeOptions Options => new ImageUpgradeOptions { Image = ScriptedUpgradeEngine.NewImage, BackupPath = backups.Path, HealthTimeout = TimeSpan.FromSeconds(5) };

        private UpgradeRun Run(Func<string, bool>? approve = null) => new UpgradeRun(engine, NullOperationReporter.Instance,
            (node, description) =>
            {
                asked.Add(node.Target.Container);
                // A running node with databases on its durable mount: the copy before the stop comes first.
                Assert.StartsWith($"Upgrade '{node.Target.Container}' from 'app:1' to 'app:2':{Environment.NewLine}  1. while it still runs", description, StringComparison.Ordinal);
                Assert.Contains($"{Environment.NewLine}  2. stop container '{node.Target.Container}'", description, StringComparison.Ordinal);
                return Task.FromResult(approve?.Invoke(node.Target.Container) ?? true);
            },
            results.Add,
            (error, node) => errors.Add((error, node)));

        private static UpgradeTarget[] Targets(params string[] names) => names.Select(n => new UpgradeTarget(n)).ToArray();

        [Fact]
        public async Task Every_preflight_problem_of_every_node_is_reported_and_nothing_changes()
        {
            engine.AddNode("a");
            engine.AddNode("b", durable: false);
            engine.AddNode("d", running: false);
            engine.Container("d")!.ExitCode = 137;
            engine.PutDurableFile("d", "dur/iconfig/mgr/iris.ids", "host"); // killed: the marker stays
            // Stopped with exit code 0, but the instance never removed its running flag.
            engine.AddNode("e", running: false);
            engine.PutDurableFile("e", "dur/iconfig/mgr/iris.ids", "host");

            await Run().RunAsync(Targets("a", "b", "c", "d", "e"), Options, CancellationToken.None);

            Assert.Equal(new[] { ("DurableSysMissing", "b"), ("ContainerNotFound", "c"), ("UncleanPreviousShutdown", "d"), ("UncleanPreviousShutdown", "e") }, errors.Select(e => (e.Error.ErrorId, e.Node)));
            Assert.Contains("instance-running marker '/dur/iconfig/mgr/iris.ids'", errors[3].Error.Message, StringComparison.Ordinal);
            Assert.All(errors, e => Assert.StartsWith("Preflight: ", e.Error.Message, StringComparison.Ordinal));
            Assert.Equal(new[] { "a", "b", "c", "d", "e" }, results.Select(r => r.Node));
            Assert.Equal(new[] { UpgradeStatus.Skipped, UpgradeStatus.Failed, UpgradeStatus.Failed, UpgradeStatus.Failed, UpgradeStatus.Failed }, results.Select(r => r.Status));
            Assert.Equal("Not attempted: the preflight found 4 problem(s) on other nodes, and nothing changes until every node passes.", results[0].Message);
            Assert.StartsWith("Refused by the preflight: 'b' does not use durable %SYS", results[1].Message, StringComparison.Ordinal);
            Assert.Equal("ContainerNotFound", results[2].ErrorId);
            Assert.Empty(asked);
            Assert.Empty(engine.Changes);
        }

        [Fact]
        public async Task A_run_over_several_nodes_shows_the_run_with_each_node_beneath_it()
        {
            engine.AddNode("a");
            engine.AddNode("b");
            var reporter = new NestedRecordingReporter();

            await new UpgradeRun(engine, reporter, (n, d) => Task.FromResult(true), results.Add, (e, n) => errors.Add((e, n)))
                .RunAsync(Targets("a", "b"), Options, CancellationToken.None);

            Assert.Empty(errors);
            var run = reporter.Records.Where(r => r.Parent == null).ToList();
            Assert.Equal(new[] { ("Update-IrisApplicationImage", "Node 1 of 2: a", 0), ("Update-IrisApplicationImage", "Node 2 of 2: b", 50), ("Update-IrisApplicationImage", "Done", 100) }, run.Select(r => (r.Activity, r.Status, r.Percent)));
            var nodes = reporter.Records.Where(r => r.Parent != null).ToList();
            Assert.All(nodes, r => Assert.Equal("Update-IrisApplicationImage", r.Parent));
            Assert.Equal(new[] { "Update-IrisApplicationImage a", "Update-IrisApplicationImage b" }, nodes.Select(r => r.Activity).Distinct());
            Assert.Equal(100, nodes.Last(r => r.Activity.EndsWith(" a", StringComparison.Ordinal)).Percent);
        }

        private sealed class NestedRecordingReporter : IOperationReporter, INestedProgressReporter
        {
            public List<(string Activity, string Status, int Percent, string? Parent)> Records { get; } = new List<(string, string, int, string?)>();

            public void Progress(string activity, string status, int percentComplete) => Records.Add((activity, status, percentComplete, null));

            public void Progress(string activity, string status, int percentComplete, string parentActivity) => Records.Add((activity, status, percentComplete, parentActivity));

            public void Verbose(string message)
            {
            }

            public void Warning(string message)
            {
            }
        }

        [Fact]
        public async Task A_node_the_caller_does_not_approve_is_left_alone_and_not_reported()
        {
            engine.AddNode("a");
            engine.AddNode("b");

            await Run(approve: node => node != "b").RunAsync(Targets("a", "b"), Options, CancellationToken.None);

            Assert.Equal(new[] { "a", "b" }, asked);
            IrisUpgradeResult result = Assert.Single(results);
            Assert.Equal(("a", UpgradeStatus.Upgraded), (result.Node, result.Status));
            Assert.Empty(errors);
            Assert.DoesNotContain(engine.Calls, c => c.EndsWith(" b", StringComparison.Ordinal) && ScriptedUpgradeEngine.IsChange(c));
            Assert.Equal("sha256:old", engine.Container("b")!.ImageId);
        }

        [Fact]
        public async Task When_no_node_is_approved_nothing_changes_and_nothing_is_reported()
        {
            engine.AddNode("a");

            await Run(approve: _ => false).RunAsync(Targets("a"), Options, CancellationToken.None);

            Assert.Equal(new[] { "a" }, asked);
            Assert.Empty(results);
            Assert.Empty(engine.Changes);
        }

        [Fact]
        public async Task The_first_failure_stops_the_run_and_the_rest_are_reported_not_attempted()
        {
            engine.AddNode("a");
            engine.AddNode("b");
            engine.AddNode("c");
            engine.FailOn("health b");

            await Run().RunAsync(Targets("a", "b", "c"), Options, CancellationToken.None);

            Assert.Equal(new[] { UpgradeStatus.Upgraded, UpgradeStatus.RolledBack, UpgradeStatus.Skipped }, results.Select(r => r.Status));
            Assert.Equal("Not attempted: the upgrade of 'b' did not succeed (RolledBack), so the run stopped there.", results[2].Message);
            (IrisOpsException error, string node) = Assert.Single(errors);
            Assert.Equal(("FakeFailure", "b"), (error.ErrorId, node));
            Assert.DoesNotContain(engine.Calls, c => c.EndsWith(" c", StringComparison.Ordinal) && ScriptedUpgradeEngine.IsChange(c));
            Assert.True(engine.Container("c")!.Running);
        }

        [Fact]
        public async Task Cancelling_stops_the_run_after_the_rollback_and_the_rest_are_reported_not_attempted()
        {
            engine.AddNode("a");
            engine.AddNode("b");
            using var cancellation = new CancellationTokenSource();
            engine.CancelOn("health a", cancellation);

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Run().RunAsync(Targets("a", "b"), Options, cancellation.Token));

            Assert.Equal(new[] { UpgradeStatus.RolledBack, UpgradeStatus.Skipped }, results.Select(r => r.Status));
            Assert.Equal("Not attempted: the upgrade of 'a' did not succeed (RolledBack), so the run stopped there.", results[1].Message);
            Assert.Equal("UpgradeCancelled", Assert.Single(errors).Error.ErrorId);
            Assert.True(engine.Container("a")!.Running);
        }

        [Fact]
        public async Task Cluster_members_named_alone_go_application_servers_first_and_a_node_already_on_the_image_is_skipped()
        {
            engine.AddNode("c1-data", labels: new Dictionary<string, string> { [ClusterLabels.Cluster] = "c1", [ClusterLabels.Role] = "data" });
            engine.AddNode("c1-app", labels: new Dictionary<string, string> { [ClusterLabels.Cluster] = "c1", [ClusterLabels.Role] = "application" });
            engine.AddNode("done");
            await Run().RunAsync(Targets("done"), Options, CancellationToken.None);
            results.Clear();
            engine.Calls.Clear();

            await Run().RunAsync(Targets("c1-data", "done", "c1-app"), Options, CancellationToken.None);

            Assert.Equal(new[] { "stop c1-app", "stop c1-data" }, engine.Calls.Where(c => c.StartsWith("stop ", StringComparison.Ordinal)));
            Assert.Equal(new[] { ("c1-app", UpgradeStatus.Upgraded), ("c1-data", UpgradeStatus.Upgraded), ("done", UpgradeStatus.Skipped) }, results.Select(r => (r.Node, r.Status)));
            Assert.Equal("Already on image 'app:2'; nothing to do.", results[2].Message);
            Assert.Equal(UpgradeNodeRole.Data, results[1].Role);
        }
    }
}
