using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Upgrade;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>
    /// The clean-shutdown check judged by what the manuals document (no mgr/iris.ids left, the container down),
    /// with the exit code reported but not decisive, and the manual's remedy for an unclean shutdown.
    /// </summary>
    public sealed class ShutdownCheckTests : IDisposable
    {
        private const string Node = "app";
        private const string Marker = "dur/iconfig/mgr/iris.ids";
        private readonly TempFolder backups = new TempFolder();

        public void Dispose() => backups.Dispose();

        private ImageUpgradeOptions Options() => new ImageUpgradeOptions { Image = ScriptedUpgradeEngine.NewImage, BackupPath = backups.Path, HealthTimeout = TimeSpan.FromSeconds(5) };

        private async Task<NodeInspection> PreflightAsync(ScriptedUpgradeEngine engine)
        {
            PreflightReport report = await new UpgradePreflight(engine, NullOperationReporter.Instance).InspectAsync(new[] { new UpgradeTarget(Node) }, Options(), CancellationToken.None);
            return Assert.Single(report.Nodes);
        }

        private static void AssertRemedy(string message)
        {
            Assert.Contains("\"could damage data integrity\"", message, StringComparison.Ordinal);
            Assert.Contains("adding the iris-main option --up false", message, StringComparison.Ordinal);
            Assert.Contains("\"Starting InterSystems IRIS Without Automatic WIJ and Journal Recovery\"", message, StringComparison.Ordinal);
            Assert.Contains("run iris stop IRIS", message, StringComparison.Ordinal);
            Assert.DoesNotContain("let it recover", message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_non_zero_exit_code_without_a_marker_is_a_clean_shutdown_and_the_exit_code_is_reported()
        {
            var engine = new ScriptedUpgradeEngine { StopExitCode = 143 };
            engine.AddNode(Node);
            NodeInspection node = await PreflightAsync(engine);

            NodeUpgradeOutcome outcome = await new NodeUpgrade(engine, NullOperationReporter.Instance).RunAsync(node, Options(), CancellationToken.None);

            Assert.Null(outcome.Error);
            Assert.Equal(UpgradeStatus.Upgraded, outcome.Result.Status);
            string warning = Assert.Single(outcome.Result.Warnings);
            Assert.Equal("'app' exited with code 143 when it was stopped; the shutdown counts as clean because no instance-running marker is left (the exit code of iris-main is not documented).", warning);
        }

        [Fact]
        public async Task A_marker_left_by_the_stop_refuses_with_the_manuals_remedy_and_leaves_the_old_container_stopped()
        {
            var engine = new ScriptedUpgradeEngine { StopExitCode = 137 };
            engine.AddNode(Node);
            NodeInspection node = await PreflightAsync(engine);
            engine.PutDurableFile(Node, Marker, "host 42"); // the stop timeout ran out: the engine killed the instance
            engine.Calls.Clear();

            NodeUpgradeOutcome outcome = await new NodeUpgrade(engine, NullOperationReporter.Instance).RunAsync(node, Options(), CancellationToken.None);

            Assert.Equal("UncleanShutdown", outcome.Result.ErrorId);
            Assert.Equal(UpgradeStatus.Failed, outcome.Result.Status);
            Assert.StartsWith("'check the shutdown' failed: 'app' did not shut down cleanly: its durable directory still holds the instance-running marker '/dur/iconfig/mgr/iris.ids' (exit code 137)", outcome.Result.Message, StringComparison.Ordinal);
            Assert.Contains("-StopTimeout", outcome.Result.Message, StringComparison.Ordinal);
            AssertRemedy(outcome.Result.Message);
            Assert.Contains("the old container stays stopped", outcome.Result.Message, StringComparison.Ordinal);
            // Nothing after the stop: no backup, no rename, and above all no start on the unclean data.
            Assert.Equal(new[] { "stop app" }, engine.Changes);
            Assert.DoesNotContain("copy-from app /dur", engine.Calls);
            Assert.False(engine.Container(Node)!.Running);
            Assert.Equal("id-app", engine.Container(Node)!.Id);
        }

        [Fact]
        public async Task The_preflight_passes_a_stopped_node_with_a_non_zero_exit_code_and_no_marker_and_refuses_one_with_a_marker()
        {
            var engine = new ScriptedUpgradeEngine();
            engine.AddNode(Node, running: false);
            engine.Container(Node)!.ExitCode = 1;

            NodeInspection clean = await PreflightAsync(engine);
            Assert.Empty(clean.Problems);
            Assert.Contains(clean.Warnings, w => w.Contains("stopped with exit code 1", StringComparison.Ordinal));

            engine.PutDurableFile(Node, Marker, "host 42");
            engine.Container(Node)!.ExitCode = 0;
            NodeInspection unclean = await PreflightAsync(engine);
            PreflightProblem problem = Assert.Single(unclean.Problems);
            Assert.Equal("UncleanPreviousShutdown", problem.ErrorId);
            Assert.Contains("instance-running marker '/dur/iconfig/mgr/iris.ids' (exit code 0)", problem.Message, StringComparison.Ordinal);
            AssertRemedy(problem.Message);
            Assert.DoesNotContain(engine.Calls, c => ScriptedUpgradeEngine.IsChange(c));
        }
    }
}
