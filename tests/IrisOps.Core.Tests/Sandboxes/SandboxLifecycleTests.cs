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
    /// <summary>
    /// Expiry, extension, relaunch, reset and removal against a fixed clock that the tests move forward: no test
    /// waits for time to pass.
    /// </summary>
    public class SandboxLifecycleTests
    {
        private static readonly DateTime Start = new DateTime(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);
        private readonly SandboxEngine engine = new SandboxEngine();
        private readonly FixedSandboxClock clock = new FixedSandboxClock(Start);

        [Fact]
        public async Task A_sandbox_expires_when_the_clock_passes_its_lifetime()
        {
            await Create(SandboxCreatorTests.Spec("ann", lifetime: "02:00:00"));
            await Create(SandboxCreatorTests.Spec("bob", lifetime: "04:00:00"));

            clock.UtcNow = Start.AddHours(2).AddSeconds(-1);
            Assert.Empty(await Read(new SandboxFilter { ExpiredOnly = true }));

            clock.UtcNow = Start.AddHours(2);
            Assert.Equal(new[] { "sandbox-ann-1" }, (await Read(new SandboxFilter { ExpiredOnly = true })).Select(s => s.Name));

            clock.UtcNow = Start.AddHours(5);
            Assert.Equal(2, (await Read(new SandboxFilter { ExpiredOnly = true })).Count);
        }

        [Fact]
        public async Task Extending_moves_the_expiry_up_to_the_limit_and_no_further()
        {
            IrisSandbox sandbox = await Create(SandboxCreatorTests.Spec("ann", lifetime: "08:00:00"));
            SandboxLifecycle lifecycle = Lifecycle();

            IrisSandbox extended = await lifecycle.ExtendAsync(sandbox, TimeSpan.FromDays(1), CancellationToken.None);
            Assert.Equal(Start.AddHours(32), extended.Expires);
            extended = await lifecycle.ExtendAsync(extended, TimeSpan.FromHours(1), CancellationToken.None);
            Assert.Equal(Start.AddHours(33), extended.Expires);
            Assert.Single(engine.Volumes.Keys, k => k.StartsWith("sandbox-ann-1-expiry-", StringComparison.Ordinal));

            IrisOpsException error = Assert.Throws<IrisOpsException>(() => lifecycle.CheckExtend(extended, TimeSpan.FromDays(7)));
            Assert.Equal("SandboxExtendBeyondLimit", error.ErrorId);
            Assert.Contains("2026-12-08T09:00:00Z", error.Message);
            Assert.Equal("SandboxExtendInvalid", Assert.Throws<IrisOpsException>(() => lifecycle.CheckExtend(extended, TimeSpan.Zero)).ErrorId);
        }

        [Fact]
        public async Task An_expired_sandbox_whose_rules_forbid_a_relaunch_is_neither_started_nor_revived_by_an_extension()
        {
            IrisSandbox sandbox = await Create(SandboxCreatorTests.Spec("ann", relaunch: false, lifetime: "01:00:00"));
            await Lifecycle().StopAsync(sandbox, CancellationToken.None);
            clock.UtcNow = Start.AddHours(1);
            IrisSandbox expired = (await Read(new SandboxFilter { Owner = "ann" })).Single();
            int calls = engine.Calls.Count;

            IrisOpsException start = await Assert.ThrowsAsync<IrisOpsException>(() => Lifecycle().StartAsync(expired, CancellationToken.None));
            Assert.Equal("SandboxRelaunchRefused", start.ErrorId);
            Assert.Equal(IrisErrorKind.InvalidOperation, start.Kind);
            Assert.Contains("template 'strict'", start.Message);
            Assert.Equal("SandboxRelaunchRefused", Assert.Throws<IrisOpsException>(() => Lifecycle().CheckExtend(expired, TimeSpan.FromHours(1))).ErrorId);
            Assert.Equal(calls, engine.Calls.Count);
            Assert.Equal("exited", engine.Containers["sandbox-ann-1"].State.Status);
        }

        [Fact]
        public async Task A_relaunch_starts_a_new_lifetime_from_now()
        {
            IrisSandbox sandbox = await Create(SandboxCreatorTests.Spec("ann", lifetime: "01:00:00"));
            await Lifecycle().StopAsync(sandbox, CancellationToken.None);
            clock.UtcNow = Start.AddDays(3);
            IrisSandbox expired = (await Read(new SandboxFilter { Owner = "ann" })).Single();
            Assert.True(expired.Expired);

            IrisSandbox relaunched = await Lifecycle().StartAsync(expired, CancellationToken.None);

            Assert.False(relaunched.Expired);
            Assert.Equal(Start.AddDays(3).AddHours(1), relaunched.Expires);
            Assert.Equal(Start.AddDays(10), relaunched.ExpiryLimit);
            Assert.Equal("healthy", relaunched.Health);
        }

        [Fact]
        public async Task One_owner_never_reads_another_owners_sandbox_by_a_similar_name()
        {
            await Create(SandboxCreatorTests.Spec("ann-2"));
            await Create(SandboxCreatorTests.Spec("ann"));

            Assert.Equal(new[] { "sandbox-ann-1" }, (await Read(new SandboxFilter { Owner = "ann" })).Select(s => s.Name));
            IrisOpsException error = await Assert.ThrowsAsync<IrisOpsException>(() => SandboxReader.ReadOneAsync(engine, "ann", "sandbox-ann-2-1", clock, CancellationToken.None));
            Assert.Equal("SandboxNotFound", error.ErrorId);
        }

        [Fact]
        public async Task Removal_keeps_preserved_data_unless_asked_and_removes_the_rest()
        {
            IrisSandbox sandbox = await Create(SandboxCreatorTests.Spec("ann", state: SandboxState.Preserved));
            sandbox = await Lifecycle().ExtendAsync(sandbox, TimeSpan.FromHours(1), CancellationToken.None);
            Assert.Contains("is kept", SandboxLifecycle.DescribeRemove(sandbox, removeData: false));

            await Lifecycle().RemoveAsync(sandbox, removeData: false, CancellationToken.None);

            Assert.Empty(engine.Containers);
            Assert.Empty(engine.Networks);
            Assert.Equal(new[] { "sandbox-ann-1-data" }, engine.Volumes.Keys);

            IrisSandbox again = await Create(SandboxCreatorTests.Spec("ann", state: SandboxState.Preserved));
            Assert.Equal("sandbox-ann-1-data", again.DataVolume);
            await Lifecycle().RemoveAsync(again, removeData: true, CancellationToken.None);
            Assert.Empty(engine.Volumes);
        }

        [Fact]
        public async Task Reset_recreates_the_container_and_keeps_preserved_data_unless_discarded()
        {
            IrisSandbox sandbox = await Create(SandboxCreatorTests.Spec("ann", state: SandboxState.Preserved));
            Assert.Contains("is kept", SandboxLifecycle.DescribeReset(sandbox, discardData: false));

            IrisSandbox reset = await Lifecycle().ResetAsync(sandbox, discardData: false, CancellationToken.None);

            Assert.Equal("healthy", reset.Health);
            Assert.Equal(sandbox.Expires, reset.Expires);
            Assert.DoesNotContain(engine.Calls, c => c.StartsWith("remove-volume", StringComparison.Ordinal));
            Assert.Equal(new[] { "sandbox-ann-1" }, engine.Containers.Keys);

            await Lifecycle().ResetAsync(reset, discardData: true, CancellationToken.None);

            List<string> calls = engine.Calls;
            Assert.Contains("remove-volume sandbox-ann-1-data", calls);
            Assert.True(calls.LastIndexOf("create-volume sandbox-ann-1-data") < calls.LastIndexOf("create sandbox-ann-1"));
            Assert.True(engine.Volumes.ContainsKey("sandbox-ann-1-data"));
        }

        [Fact]
        public async Task A_reset_whose_new_container_fails_puts_the_old_one_back()
        {
            IrisSandbox sandbox = await Create(SandboxCreatorTests.Spec("ann"));
            engine.Containers["sandbox-ann-1"].Spec.Image = SandboxEngine.UnhealthyImage;
            engine.Images.Add(SandboxEngine.UnhealthyImage);

            await Assert.ThrowsAsync<IrisOpsException>(() => Lifecycle().ResetAsync(sandbox, discardData: false, CancellationToken.None));

            Assert.Equal(new[] { "sandbox-ann-1" }, engine.Containers.Keys);
            Assert.True(engine.Containers["sandbox-ann-1"].State.Running);
        }

        private SandboxLifecycle Lifecycle() => new SandboxLifecycle(engine, NullOperationReporter.Instance, clock, TimeSpan.FromMilliseconds(1));

        private async Task<IrisSandbox> Create(SandboxSpec spec)
        {
            var creator = new SandboxCreator(engine, NullOperationReporter.Instance, TimeSpan.FromMilliseconds(1));
            SandboxPlan plan = (await creator.PlanAsync(new[] { spec }, clock.UtcNow, CancellationToken.None)).Single();
            return await creator.CreateAsync(plan, clock, CancellationToken.None);
        }

        private Task<IReadOnlyList<IrisSandbox>> Read(SandboxFilter filter) => SandboxReader.ReadAsync(engine, filter, clock, CancellationToken.None);
    }
}
