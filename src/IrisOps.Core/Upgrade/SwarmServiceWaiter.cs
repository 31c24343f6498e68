using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// Waits on a single-replica Swarm service through its tasks, bounded in time: until no task runs and no task
    /// container on this engine runs (after a scale to 0), or until a task that did not exist before an update runs
    /// with a healthy container (Swarm reports a task with a health check as running only once it is healthy; the
    /// container is then checked by <see cref="ContainerHealthWaiter"/>). A new task that ends before (failed,
    /// rejected, or complete after Swarm stopped its unhealthy container) ends the wait at once: Swarm would only
    /// start another one of the same image.
    /// </summary>
    public sealed class SwarmServiceWaiter
    {
        private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
        private static readonly HashSet<string> Ended = new HashSet<string>(StringComparer.Ordinal) { "complete", "shutdown", "failed", "rejected", "orphaned", "remove" };
        private readonly IDockerEngine engine;

        public SwarmServiceWaiter(IDockerEngine engine) => this.engine = engine;

        public async Task WaitStoppedAsync(string service, TimeSpan timeout, CancellationToken cancellationToken)
        {
            DateTime deadline = DateTime.UtcNow + timeout;
            var ofService = new Dictionary<string, string?> { [ClusterLabels.SwarmService] = service };
            while (true)
            {
                IList<SwarmTaskSummary> tasks = await engine.ListTasksAsync(service, cancellationToken).ConfigureAwait(false);
                bool taskActive = tasks.Any(t => !Ended.Contains(t.State));
                bool containerRunning = !taskActive && (await engine.ListContainersAsync(ofService, cancellationToken).ConfigureAwait(false)).Any(c => c.State == "running");
                if (!taskActive && !containerRunning)
                {
                    return;
                }

                if (DateTime.UtcNow >= deadline)
                {
                    throw new IrisOpsException(IrisErrorKind.OperationTimeout, "SwarmStopTimeout",
                        $"The task of service '{service}' did not stop within {timeout.TotalSeconds:0} s after the service was scaled to 0. Look at docker service ps {service} --no-trunc.", service);
                }

                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>The id of the healthy container of a task not in <paramref name="tasksBefore"/>.</summary>
        public async Task<string> WaitHealthyAsync(string service, ISet<string> tasksBefore, TimeSpan timeout, CancellationToken cancellationToken)
        {
            DateTime deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                List<SwarmTaskSummary> fresh = (await engine.ListTasksAsync(service, cancellationToken).ConfigureAwait(false)).Where(t => !tasksBefore.Contains(t.Id)).ToList();
                // Swarm stops a task whose container turns unhealthy; it ends "complete" when the instance then
                // shuts down cleanly, "failed" otherwise. Either way it never became healthy.
                SwarmTaskSummary? ended = fresh.FirstOrDefault(t => Ended.Contains(t.State));
                if (ended != null)
                {
                    throw new IrisOpsException(IrisErrorKind.InvalidResult, "NewTaskFailed",
                        $"The new task of service '{service}' ended ({ended.State}) without becoming healthy: {ended.Error} {ended.Message}".TrimEnd() + ".", service);
                }

                SwarmTaskSummary? running = fresh.FirstOrDefault(IsRunning);
                if (running != null)
                {
                    TimeSpan left = deadline - DateTime.UtcNow;
                    return await WaitTaskHealthyAsync(service, running, left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                }

                if (DateTime.UtcNow >= deadline)
                {
                    string states = fresh.Count == 0 ? "no new task yet" : string.Join(", ", fresh.Select(t => t.State));
                    throw new IrisOpsException(IrisErrorKind.OperationTimeout, "SwarmHealthTimeout",
                        $"Within {timeout.TotalSeconds:0} s the new task of service '{service}' did not become healthy ({states}). Look at docker service ps {service} --no-trunc, or raise -HealthTimeout.", service);
                }

                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>The id of <paramref name="running"/>'s container once it is healthy (a task with a health check that Swarm reports running).</summary>
        public async Task<string> WaitTaskHealthyAsync(string service, SwarmTaskSummary running, TimeSpan timeout, CancellationToken cancellationToken)
        {
            HealthWaitResult health = await new ContainerHealthWaiter(engine).WaitAsync(running.ContainerId!, timeout, cancellationToken).ConfigureAwait(false);
            if (!health.IsHealthy)
            {
                throw new IrisOpsException(health.FailureKind, "NewContainerUnhealthy", $"The new task of service '{service}': {health.Description}", service);
            }

            return running.ContainerId!;
        }

        /// <summary>A task that runs, is meant to run, and has its container.</summary>
        public static bool IsRunning(SwarmTaskSummary task) => task.State == "running" && task.DesiredState == "running" && task.ContainerId != null;

        /// <summary>The ids of the service's tasks now: what a wait for a new task (<see cref="WaitHealthyAsync"/>) leaves out.</summary>
        public async Task<ISet<string>> TaskIdsAsync(string service, CancellationToken cancellationToken) =>
            new HashSet<string>((await engine.ListTasksAsync(service, cancellationToken).ConfigureAwait(false)).Select(t => t.Id), StringComparer.Ordinal);

        /// <summary>The container of the newest task not in <paramref name="tasksBefore"/>, or null.</summary>
        public async Task<string?> NewestContainerAsync(string service, ISet<string> tasksBefore, CancellationToken cancellationToken) =>
            (await engine.ListTasksAsync(service, cancellationToken).ConfigureAwait(false))
                .Where(t => !tasksBefore.Contains(t.Id) && t.ContainerId != null)
                .OrderByDescending(t => t.CreatedAt)
                .Select(t => t.ContainerId)
                .FirstOrDefault();
    }
}
