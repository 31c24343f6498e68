using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Docker
{
    /// <summary>How a one-shot container ended: its exit code and, when it failed, the last lines of its log.</summary>
    public sealed class OneShotExit
    {
        public OneShotExit(long exitCode, string log)
        {
            ExitCode = exitCode;
            Log = log;
        }

        public long ExitCode { get; }

        /// <summary>The last lines of the container's log when it failed; empty when it exited 0.</summary>
        public string Log { get; }

        public bool Succeeded => ExitCode == 0;
    }

    /// <summary>
    /// The short root containers IrisOps runs beside IRIS (giving durable storage to the IRIS user, deleting files the
    /// IRIS user owns): run as root with no health check and no restart, waited for in bounded time, and removed
    /// whatever happens. Removal never takes the caller's token, so Ctrl+C still leaves no container behind.
    /// </summary>
    public static class OneShotContainer
    {
        private const int LogLines = 20;

        /// <summary>Runs the container to its end and removes it before returning.</summary>
        public static async Task<OneShotExit> RunAsync(IDockerEngine engine, ContainerSpec spec, CancellationToken cancellationToken)
        {
            (OneShotExit exit, Task removal) = await RunDeferringRemovalAsync(engine, spec, cancellationToken).ConfigureAwait(false);
            await removal.ConfigureAwait(false);
            return exit;
        }

        /// <summary>
        /// Runs the container to its end and returns as soon as its exit is known, with the removal under way, so a
        /// caller can start its own work meanwhile. On any failure the container is removed before the error is thrown.
        /// </summary>
        public static async Task<(OneShotExit Exit, Task Removal)> RunDeferringRemovalAsync(IDockerEngine engine, ContainerSpec spec, CancellationToken cancellationToken)
        {
            spec.User = "0:0";
            spec.HealthCheck = new HealthCheckSpec { Test = new List<string> { "NONE" } };
            spec.RestartPolicy = "no";
            await engine.CreateContainerAsync(spec, cancellationToken).ConfigureAwait(false);
            try
            {
                await engine.StartContainerAsync(spec.Name, cancellationToken).ConfigureAwait(false);
                long code = await engine.WaitContainerAsync(spec.Name, IrisDefaults.HelperTimeout, cancellationToken).ConfigureAwait(false);
                string log = code == 0 ? string.Empty : await LastLinesAsync(engine, spec.Name).ConfigureAwait(false);
                return (new OneShotExit(code, log), RemoveAsync(engine, spec.Name));
            }
            catch
            {
                await RemoveAsync(engine, spec.Name).ConfigureAwait(false);
                throw;
            }
        }

        private static async Task<string> LastLinesAsync(IDockerEngine engine, string name)
        {
            using (var cleanup = new CancellationTokenSource(IrisDefaults.CleanupTimeout))
            {
                string? log = await Cleanup.Quietly(() => engine.GetContainerLogsAsync(name, LogLines, cleanup.Token)).ConfigureAwait(false);
                return (log ?? "(its log could not be read)").Trim();
            }
        }

        private static async Task RemoveAsync(IDockerEngine engine, string name)
        {
            using (var cleanup = new CancellationTokenSource(IrisDefaults.CleanupTimeout))
            {
                await Cleanup.Quietly(() => engine.RemoveContainerAsync(name, force: true, removeAnonymousVolumes: true, cleanup.Token)).ConfigureAwait(false);
            }
        }
    }
}
