using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using Xunit;

namespace IrisOps.Tests.Common
{
    /// <summary>The waiting policy on scripted inspections alone: no engine, no timing beyond a few polls.</summary>
    public class ContainerHealthWaiterTests
    {
        private static readonly TimeSpan Fast = TimeSpan.FromMilliseconds(1);

        private static ContainerDetails State(string status, string health = "none", bool restarting = false, long restarts = 0, long exitCode = 0, string? lastCheck = null)
        {
            var details = new ContainerDetails { Name = "node", RestartCount = restarts };
            details.State.Status = status;
            details.State.Running = status == "running";
            details.State.Restarting = restarting;
            details.State.Health = health;
            details.State.ExitCode = exitCode;
            if (lastCheck != null)
            {
                details.State.HealthLog.Add(new ContainerHealthLogEntry { Output = lastCheck });
            }

            return details;
        }

        [Fact]
        public async Task Starting_then_healthy_is_healthy_and_every_poll_is_reported()
        {
            var inspection = new ScriptedInspection(State("running", "starting"), State("running", "starting"), State("running", "healthy"));
            var polls = new List<string>();

            HealthWaitResult result = await new ContainerHealthWaiter(inspection, Fast).WaitAsync("node", TimeSpan.FromSeconds(10), CancellationToken.None, d => polls.Add(d.State.Health));

            Assert.Equal(HealthWaitOutcome.Healthy, result.Outcome);
            Assert.Equal("The container 'node' is healthy.", result.Description);
            Assert.Equal(new[] { "starting", "starting", "healthy" }, polls);
        }

        [Fact]
        public async Task Running_without_a_health_check_counts_as_healthy()
        {
            HealthWaitResult result = await new ContainerHealthWaiter(new ScriptedInspection(State("running")), Fast).WaitAsync("node", TimeSpan.FromSeconds(10), CancellationToken.None);

            Assert.True(result.IsHealthy);
            Assert.Equal("The container 'node' is running (it has no health check).", result.Description);
        }

        [Fact]
        public async Task An_exited_container_has_failed_with_its_exit_code()
        {
            HealthWaitResult result = await new ContainerHealthWaiter(new ScriptedInspection(State("exited", exitCode: 3)), Fast).WaitAsync("node", TimeSpan.FromSeconds(10), CancellationToken.None);

            Assert.Equal(HealthWaitOutcome.Exited, result.Outcome);
            Assert.Equal("The container 'node' stopped with exit code 3 before it became healthy.", result.Description);
        }

        [Fact]
        public async Task A_restart_policy_bringing_the_container_back_is_a_crash_loop()
        {
            var inspection = new ScriptedInspection(State("running", "starting", restarts: 1), State("running", "starting", restarts: 2));

            HealthWaitResult result = await new ContainerHealthWaiter(inspection, Fast).WaitAsync("node", TimeSpan.FromSeconds(10), CancellationToken.None);

            Assert.Equal(HealthWaitOutcome.Exited, result.Outcome);
            Assert.Contains("restart policy restarts it (2 restarts so far)", result.Description, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Unhealthy_ends_the_wait_with_the_last_health_check_output()
        {
            var inspection = new ScriptedInspection(State("running", "unhealthy", lastCheck: "  no superserver  "));

            HealthWaitResult result = await new ContainerHealthWaiter(inspection, Fast).WaitAsync("node", TimeSpan.FromSeconds(10), CancellationToken.None);

            Assert.Equal(HealthWaitOutcome.Unhealthy, result.Outcome);
            Assert.Equal("The container 'node' is unhealthy: last health check said 'no superserver'.", result.Description);
        }

        [Fact]
        public async Task A_container_still_starting_at_the_deadline_times_out()
        {
            var inspection = new ScriptedInspection(State("running", "starting"));

            HealthWaitResult result = await new ContainerHealthWaiter(inspection, TimeSpan.FromMilliseconds(20)).WaitAsync("node", TimeSpan.FromMilliseconds(100), CancellationToken.None);

            Assert.Equal(HealthWaitOutcome.TimedOut, result.Outcome);
            Assert.Equal("The container 'node' did not become healthy within 0.1 s (state running, health starting).", result.Description);
        }

        [Fact]
        public async Task A_missing_container_is_ContainerNotFound_naming_the_engine()
        {
            IrisOpsException error = await Assert.ThrowsAsync<IrisOpsException>(() =>
                new ContainerHealthWaiter(new ScriptedInspection(), Fast).WaitAsync("gone", TimeSpan.FromSeconds(1), CancellationToken.None));

            Assert.Equal("ContainerNotFound", error.ErrorId);
            Assert.Equal(IrisErrorKind.ObjectNotFound, error.Kind);
            Assert.Equal("The container 'gone' does not exist on the Docker engine at unix:///fake.sock.", error.Message);
        }

        [Fact]
        public async Task Cancelling_ends_the_wait()
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                new ContainerHealthWaiter(new ScriptedInspection(State("running", "starting")), TimeSpan.FromMilliseconds(10)).WaitAsync("node", TimeSpan.FromSeconds(30), cancel.Token));
        }

        /// <summary>Inspection only, which is all the waiter needs: returns the scripted states in turn, then repeats the last.</summary>
        private sealed class ScriptedInspection : IContainerInspection
        {
            private readonly Queue<ContainerDetails> states;
            private ContainerDetails? last;

            public ScriptedInspection(params ContainerDetails[] states) => this.states = new Queue<ContainerDetails>(states);

            public DockerEndpoint Endpoint { get; } = DockerEndpointResolver.Resolve("unix:///fake.sock", new DockerEnvironment(new Dictionary<string, string?>(), Path.GetTempPath(), false));

            public Task<ContainerDetails?> InspectContainerAsync(string nameOrId, CancellationToken cancellationToken)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (states.Count > 0)
                {
                    last = states.Dequeue();
                }

                return Task.FromResult(last);
            }

            public Task<IList<ContainerSummary>> ListContainersAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken) => throw new NotSupportedException();
        }
    }
}
