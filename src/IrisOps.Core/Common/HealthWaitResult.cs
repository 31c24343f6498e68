using System;
using IrisOps.Core.Docker;

using IrisOps.Core.Errors;

namespace IrisOps.Core.Common
{
    public enum HealthWaitOutcome
    {
        /// <summary>The health check passed (or, without a health check, the container is running).</summary>
        Healthy,

        /// <summary>The engine reports the container unhealthy.</summary>
        Unhealthy,

        /// <summary>The container stopped (exited or dead) while waiting, or its restart policy keeps restarting it.</summary>
        Exited,

        /// <summary>The time ran out first.</summary>
        TimedOut,
    }

    /// <summary>How a wait of <see cref="ContainerHealthWaiter"/> ended.</summary>
    public sealed class HealthWaitResult
    {
        public HealthWaitOutcome Outcome { get; set; }
        public TimeSpan Elapsed { get; set; }
        public ContainerDetails? Container { get; set; }

        /// <summary>A sentence for the user: what state the container ended in and the last health check output.</summary>
        public string Description { get; set; } = string.Empty;

        public bool IsHealthy => Outcome == HealthWaitOutcome.Healthy;

        /// <summary>How a failed wait is reported: a timeout only when the time ran out; an unhealthy or stopped container is a bad result.</summary>
        public IrisErrorKind FailureKind => Outcome == HealthWaitOutcome.TimedOut ? IrisErrorKind.OperationTimeout : IrisErrorKind.InvalidResult;
    }
}
