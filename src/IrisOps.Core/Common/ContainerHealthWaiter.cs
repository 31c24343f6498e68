using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Common
{
    /// <summary>
    /// The one policy for "wait until this container is ready", built on inspection alone: healthy means running
    /// with the health check passing, or running for a container without a health check; a container that exits,
    /// dies or is being restarted by its restart policy (a crash loop) has failed; the engine's "unhealthy" is a
    /// failure at once; otherwise the container is inspected every <see cref="PollInterval"/> until the timeout.
    /// Exceptions of the inspection (unreachable engine, cancellation) pass through unchanged.
    /// </summary>
    public sealed class ContainerHealthWaiter
    {
        /// <summary>How often the container is inspected unless the caller says otherwise.</summary>
        public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(250);

        private readonly IContainerInspection containers;

        public ContainerHealthWaiter(IContainerInspection containers, TimeSpan? pollInterval = null)
        {
            this.containers = containers ?? throw new ArgumentNullException(nameof(containers));
            PollInterval = pollInterval ?? DefaultPollInterval;
        }

        public TimeSpan PollInterval { get; }

        /// <summary>
        /// Polls until healthy (running, for a container without a health check), unhealthy, stopped or the
        /// timeout; <paramref name="onPoll"/> sees every inspection. A missing container is ObjectNotFound ContainerNotFound.
        /// </summary>
        public async Task<HealthWaitResult> WaitAsync(string nameOrId, TimeSpan timeout, CancellationToken cancellationToken, Action<ContainerDetails>? onPoll = null)
        {
            DateTime started = DateTime.UtcNow;
            DateTime deadline = started + timeout;
            ContainerDetails? details;
            long? firstRestartCount = null;
            while (true)
            {
                details = await containers.InspectContainerAsync(nameOrId, cancellationToken).ConfigureAwait(false);
                if (details == null)
                {
                    throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "ContainerNotFound",
                        $"The container '{nameOrId}' does not exist on the Docker engine at {containers.Endpoint.Host}.", nameOrId);
                }

                onPoll?.Invoke(details);
                TimeSpan elapsed = DateTime.UtcNow - started;
                ContainerStateInfo state = details.State;
                firstRestartCount = firstRestartCount ?? details.RestartCount;
                if (!state.Running && !state.Restarting && (state.Status == "exited" || state.Status == "dead"))
                {
                    return Result(HealthWaitOutcome.Exited, $"The container '{details.Name}' stopped with exit code {state.ExitCode} before it became healthy.");
                }

                if (state.Restarting || details.RestartCount > firstRestartCount)
                {
                    // A restart policy brings a failing container back: a crash loop is a failure, not "starting".
                    return Result(HealthWaitOutcome.Exited,
                        $"The container '{details.Name}' stopped before it became healthy and its restart policy restarts it ({details.RestartCount} restarts so far); its log tells why.");
                }

                if (state.Running && (state.Health == "healthy" || state.Health == "none"))
                {
                    return Result(HealthWaitOutcome.Healthy, state.Health == "none"
                        ? $"The container '{details.Name}' is running (it has no health check)."
                        : $"The container '{details.Name}' is healthy.");
                }

                if (state.Health == "unhealthy")
                {
                    return Result(HealthWaitOutcome.Unhealthy, $"The container '{details.Name}' is unhealthy{LastHealthOutput(state)}.");
                }

                if (DateTime.UtcNow >= deadline)
                {
                    return Result(HealthWaitOutcome.TimedOut,
                        $"The container '{details.Name}' did not become healthy within {timeout.TotalSeconds:0.#} s (state {state.Status}, health {state.Health}{LastHealthOutput(state)}).");
                }

                TimeSpan wait = PollInterval;
                TimeSpan left = deadline - DateTime.UtcNow;
                await Task.Delay(left < wait ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : wait, cancellationToken).ConfigureAwait(false);

                HealthWaitResult Result(HealthWaitOutcome outcome, string description) =>
                    new HealthWaitResult { Outcome = outcome, Elapsed = elapsed, Container = details, Description = description };
            }
        }

        private static string LastHealthOutput(ContainerStateInfo state)
        {
            ContainerHealthLogEntry? last = state.HealthLog.LastOrDefault();
            if (last == null || string.IsNullOrWhiteSpace(last.Output))
            {
                return string.Empty;
            }

            string output = last.Output.Trim();
            if (output.Length > 300)
            {
                output = output.Substring(0, 300) + "...";
            }

            return ": last health check said '" + output + "'";
        }
    }
}
