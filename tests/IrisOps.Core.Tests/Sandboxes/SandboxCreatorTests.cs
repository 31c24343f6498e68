using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Errors;
using IrisOps.Core.Sandboxes;
using Xunit;

namespace IrisOps.Tests.Sandboxes
{
    /// <summary>Numbering per owner, the limit, the order of the engine calls and what a failure leaves behind, on an in-memory engine.</summary>
    public class SandboxCreatorTests
    {
        private static readonly FixedSandboxClock Clock = new FixedSandboxClock(new DateTime(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc));

        [Fact]
        public async Task A_sandbox_is_created_on_its_own_network_and_returned_healthy_with_its_ports()
        {
            var engine = new SandboxEngine();
            var creator = new SandboxCreator(engine, NullOperationReporter.Instance, TimeSpan.FromMilliseconds(1));
            IReadOnlyList<SandboxPlan> plans = await creator.PlanAsync(new[] { Spec("ann") }, Clock.UtcNow, CancellationToken.None);

            IrisSandbox sandbox = await creator.CreateAsync(plans.Single(), Clock, CancellationToken.None);

            Assert.Equal("sandbox-ann-1", sandbox.Name);
            Assert.Equal("ann", sandbox.Owner);
            Assert.Equal("healthy", sandbox.Health);
            Assert.Equal(new DateTime(2026, 12, 1, 17, 0, 0, DateTimeKind.Utc), sandbox.Expires);
            Assert.False(sandbox.Expired);
            Assert.Equal(40000, sandbox.SuperserverPort);
            Assert.Equal(40001, sandbox.WebPort);
            Assert.Equal(new[] { "create-network sandbox-ann-1-net", "create sandbox-ann-1", "start sandbox-ann-1" }, engine.Calls);
        }

        [Fact]
        public async Task Numbers_continue_per_owner_and_similar_owners_do_not_count_against_each_other()
        {
            var engine = new SandboxEngine();
            var creator = new SandboxCreator(engine, NullOperationReporter.Instance, TimeSpan.FromMilliseconds(1));
            foreach (SandboxPlan plan in await creator.PlanAsync(new[] { Spec("ann", count: 1, max: 3) }, Clock.UtcNow, CancellationToken.None))
            {
                await creator.CreateAsync(plan, Clock, CancellationToken.None);
            }

            IReadOnlyList<SandboxPlan> next = await creator.PlanAsync(new[] { Spec("ann", count: 2, max: 3), Spec("ann-2", count: 1, max: 1) }, Clock.UtcNow, CancellationToken.None);

            Assert.Equal(new[] { "sandbox-ann-2", "sandbox-ann-3", "sandbox-ann-2-1" }, next.Select(p => p.Name));
        }

        [Fact]
        public async Task Every_sandbox_gets_a_subnet_of_its_own_even_when_planned_together()
        {
            var engine = new SandboxEngine();
            engine.Networks["someone-else"] = new Dictionary<string, string>();
            var creator = new SandboxCreator(engine, NullOperationReporter.Instance);
            IReadOnlyList<SandboxPlan> first = await creator.PlanAsync(new[] { Spec("ann", count: 3) }, Clock.UtcNow, CancellationToken.None);
            engine.NetworkSubnets["someone-else"] = first[0].Network.Subnet!;

            IReadOnlyList<SandboxPlan> plans = await new SandboxCreator(engine, NullOperationReporter.Instance).PlanAsync(new[] { Spec("ann", count: 3), Spec("bob", count: 2) }, Clock.UtcNow, CancellationToken.None);

            Assert.All(plans, p => Assert.Matches(@"^172\.(2[89]|3[01])\.\d+\.0/24$", p.Network.Subnet));
            Assert.Equal(5, plans.Select(p => p.Network.Subnet).Distinct().Count());
            Assert.DoesNotContain(first[0].Network.Subnet, plans.Select(p => p.Network.Subnet));
            Assert.Contains("(" + plans[0].Network.Subnet + ")", plans[0].Describe());
        }

        [Fact]
        public async Task An_owner_at_the_limit_is_refused_before_anything_is_created()
        {
            var engine = new SandboxEngine();
            var creator = new SandboxCreator(engine, NullOperationReporter.Instance, TimeSpan.FromMilliseconds(1));
            await creator.CreateAsync((await creator.PlanAsync(new[] { Spec("ann") }, Clock.UtcNow, CancellationToken.None)).Single(), Clock, CancellationToken.None);
            int calls = engine.Calls.Count;

            IrisOpsException error = await Assert.ThrowsAsync<IrisOpsException>(() => creator.PlanAsync(new[] { Spec("ann") }, Clock.UtcNow, CancellationToken.None));

            Assert.Equal("SandboxLimitReached", error.ErrorId);
            Assert.Equal(calls, engine.Calls.Count);
        }

        [Fact]
        public async Task Two_rows_for_one_owner_in_one_call_share_the_limit()
        {
            var creator = new SandboxCreator(new SandboxEngine(), NullOperationReporter.Instance);
            IrisOpsException error = await Assert.ThrowsAsync<IrisOpsException>(() => creator.PlanAsync(new[] { Spec("ann"), Spec("ann") }, Clock.UtcNow, CancellationToken.None));
            Assert.Equal("SandboxLimitReached", error.ErrorId);
        }

        [Fact]
        public async Task A_sandbox_that_never_becomes_healthy_leaves_nothing_behind()
        {
            var engine = new SandboxEngine();
            var creator = new SandboxCreator(engine, NullOperationReporter.Instance, TimeSpan.FromMilliseconds(1));
            SandboxSpec spec = Spec("ann", image: SandboxEngine.UnhealthyImage, state: SandboxState.Preserved);
            SandboxPlan plan = (await creator.PlanAsync(new[] { spec }, Clock.UtcNow, CancellationToken.None)).Single();

            IrisOpsException error = await Assert.ThrowsAsync<IrisOpsException>(() => creator.CreateAsync(plan, Clock, CancellationToken.None));

            Assert.Equal("SandboxNotHealthy", error.ErrorId);
            Assert.Equal(IrisErrorKind.InvalidResult, error.Kind);
            Assert.Empty(engine.Containers);
            Assert.Empty(engine.Networks);
            Assert.Empty(engine.Volumes);
            List<string> calls = engine.Calls;
            Assert.True(calls.IndexOf("remove-container sandbox-ann-1") < calls.IndexOf("remove-volume sandbox-ann-1-data"));
        }

        [Fact]
        public async Task Preserved_data_of_the_same_sandbox_is_reused_and_survives_a_failed_creation()
        {
            var engine = new SandboxEngine();
            engine.Volumes["sandbox-ann-1-data"] = new Dictionary<string, string> { [SandboxLabels.Owner] = "ann", [SandboxLabels.Sandbox] = "sandbox-ann-1", [SandboxLabels.Volume] = "data" };
            var creator = new SandboxCreator(engine, NullOperationReporter.Instance, TimeSpan.FromMilliseconds(1));
            SandboxPlan plan = (await creator.PlanAsync(new[] { Spec("ann", image: SandboxEngine.UnhealthyImage, state: SandboxState.Preserved) }, Clock.UtcNow, CancellationToken.None)).Single();

            await Assert.ThrowsAsync<IrisOpsException>(() => creator.CreateAsync(plan, Clock, CancellationToken.None));

            Assert.True(engine.Volumes.ContainsKey("sandbox-ann-1-data"));
            Assert.DoesNotContain("create-volume sandbox-ann-1-data", engine.Calls);
        }

        [Fact]
        public async Task A_volume_of_another_owner_under_the_name_is_never_used()
        {
            var engine = new SandboxEngine();
            engine.Volumes["sandbox-ann-1-data"] = new Dictionary<string, string> { [SandboxLabels.Owner] = "bob", [SandboxLabels.Sandbox] = "sandbox-ann-1" };
            var creator = new SandboxCreator(engine, NullOperationReporter.Instance, TimeSpan.FromMilliseconds(1));
            SandboxPlan plan = (await creator.PlanAsync(new[] { Spec("ann", state: SandboxState.Preserved) }, Clock.UtcNow, CancellationToken.None)).Single();

            IrisOpsException error = await Assert.ThrowsAsync<IrisOpsException>(() => creator.CreateAsync(plan, Clock, CancellationToken.None));

            Assert.Equal("SandboxNameInUse", error.ErrorId);
            Assert.Empty(engine.Containers);
            Assert.Empty(engine.Networks);
            Assert.Equal("bob", engine.Volumes["sandbox-ann-1-data"][SandboxLabels.Owner]);
        }

        [Fact]
        public async Task A_failed_prepare_stops_the_creation_and_removes_the_prepare_container()
        {
            var engine = new SandboxEngine { PrepareExitCode = 1 };
            var creator = new SandboxCreator(engine, NullOperationReporter.Instance, TimeSpan.FromMilliseconds(1));
            SandboxPlan plan = (await creator.PlanAsync(new[] { Spec("ann", state: SandboxState.Preserved) }, Clock.UtcNow, CancellationToken.None)).Single();

            IrisOpsException error = await Assert.ThrowsAsync<IrisOpsException>(() => creator.CreateAsync(plan, Clock, CancellationToken.None));

            Assert.Equal("PrepareOwnershipFailed", error.ErrorId);
            Assert.Empty(engine.Containers);
            Assert.Empty(engine.Volumes);
            Assert.DoesNotContain("create sandbox-ann-1", engine.Calls);
        }

        [Fact]
        public async Task Cancelling_removes_what_was_created()
        {
            var engine = new SandboxEngine();
            var creator = new SandboxCreator(engine, NullOperationReporter.Instance, TimeSpan.FromMilliseconds(1));
            SandboxPlan plan = (await creator.PlanAsync(new[] { Spec("ann") }, Clock.UtcNow, CancellationToken.None)).Single();
            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => creator.CreateAsync(plan, Clock, cancelled.Token));

            Assert.Empty(engine.Containers);
            Assert.Empty(engine.Networks);
        }

        internal static SandboxSpec Spec(string owner, int count = 1, int? max = null, string image = "iris:1", SandboxState state = SandboxState.Fresh, bool relaunch = true, string lifetime = "08:00:00") =>
            SandboxSpecResolver.Resolve(new SandboxRequest
            {
                Owner = owner,
                Image = image,
                Count = count,
                MaxPerOwner = max,
                State = state,
                Template = relaunch ? null : SandboxTemplate.FromDictionary(new System.Collections.Hashtable { ["AllowRelaunch"] = false, ["Name"] = "strict", ["Lifetime"] = lifetime }, "t", "strict", "/"),
                Lifetime = relaunch ? TimeSpan.Parse(lifetime, System.Globalization.CultureInfo.InvariantCulture) : (TimeSpan?)null,
            });
    }
}
