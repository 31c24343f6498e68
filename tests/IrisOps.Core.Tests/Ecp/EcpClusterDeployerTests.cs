using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;
using IrisOps.Tests.Docker;
using Xunit;

namespace IrisOps.Tests.Ecp
{
    /// <summary>
    /// The order of the deployer's engine calls and what a failure leaves behind, on a recording engine: the
    /// integration tests on the stand-in see the outcome, these see the sequence (no node starts before the
    /// ownership step has finished; a volume is removed only after the prepare container that mounts it).
    /// </summary>
    public class EcpClusterDeployerTests
    {
        [Fact]
        public async Task A_node_that_cannot_be_created_leaves_nothing_behind_and_nothing_was_started()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder);
            var engine = new RecordingEngine { FailCreate = "dep-app-2" };

            IrisOpsException error = await DeployExpectingFailure(engine, plan);

            Assert.Contains("dep-app-2", error.Message);
            Assert.DoesNotContain(engine.Calls, IsNodeStart);
            Assert.Empty(engine.Containers);
            Assert.Empty(engine.Networks);
            Assert.Empty(engine.Volumes);
            AssertVolumesRemovedAfterPrepare(engine);
        }

        [Fact]
        public async Task A_failed_chown_stops_the_deployment_before_any_node_starts()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder);
            var engine = new RecordingEngine { PrepareExitCode = 1 };

            IrisOpsException error = await DeployExpectingFailure(engine, plan);

            Assert.Equal("PrepareOwnershipFailed", error.ErrorId);
            Assert.DoesNotContain(engine.Calls, IsNodeStart);
            Assert.Empty(engine.Containers);
            Assert.Empty(engine.Volumes);
            AssertVolumesRemovedAfterPrepare(engine);
        }

        [Fact]
        public async Task Nodes_start_only_after_the_ownership_step_and_a_failed_start_rolls_everything_back()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder);
            var engine = new RecordingEngine { FailStart = "dep-app-1", PrepareDelay = TimeSpan.FromMilliseconds(200) };

            await DeployExpectingFailure(engine, plan);

            List<string> calls = engine.Calls;
            int prepareDone = calls.FindIndex(c => c.StartsWith("waited dep-prepare-", StringComparison.Ordinal));
            int firstNodeStart = calls.FindIndex(IsNodeStart);
            Assert.True(prepareDone >= 0 && firstNodeStart > prepareDone, string.Join("\n", calls));
            Assert.Equal(plan.Containers.Count, calls.Count(IsNodeStart));
            Assert.Empty(engine.Containers);
            Assert.Empty(engine.Networks);
            Assert.Empty(engine.Volumes);
        }

        [Fact]
        public async Task A_rollback_keeps_a_durable_volume_that_existed_before_the_call()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder);
            var engine = new RecordingEngine { FailCreate = "dep-data" };
            string kept = plan.Volumes[0].Name;
            engine.Volumes[kept] = new Dictionary<string, string> { [ClusterLabels.Cluster] = "dep" };

            await DeployExpectingFailure(engine, plan);

            Assert.Equal(new[] { kept }, engine.Volumes.Keys.ToArray());
            Assert.DoesNotContain("remove-volume " + kept, engine.Calls);
        }

        private static Task<IrisOpsException> DeployExpectingFailure(RecordingEngine engine, DeploymentPlan plan) =>
            Assert.ThrowsAsync<IrisOpsException>(() => new EcpClusterDeployer(engine, NullOperationReporter.Instance).DeployAsync(plan, CancellationToken.None));

        private static DeploymentPlan Plan(TempFolder folder)
        {
            EcpClusterSpec spec = EcpTestSupport.Spec(folder, "dep", 3);
            spec.CertificateSet = EcpTestSupport.CertificateSet(folder, "dep-data", "dep-app-1", "dep-app-2", "dep-app-3");
            return EcpClusterPlanner.Plan(spec);
        }

        private static bool IsNodeStart(string call) =>
            call.StartsWith("start dep-", StringComparison.Ordinal) && !call.StartsWith("start dep-prepare-", StringComparison.Ordinal);

        private static void AssertVolumesRemovedAfterPrepare(RecordingEngine engine)
        {
            List<string> calls = engine.Calls;
            int prepareRemoved = calls.FindIndex(c => c.StartsWith("remove-container dep-prepare-", StringComparison.Ordinal));
            int firstVolumeRemoved = calls.FindIndex(c => c.StartsWith("remove-volume ", StringComparison.Ordinal));
            Assert.True(prepareRemoved >= 0, string.Join("\n", calls));
            Assert.True(firstVolumeRemoved > prepareRemoved, string.Join("\n", calls));
        }
    }
}
