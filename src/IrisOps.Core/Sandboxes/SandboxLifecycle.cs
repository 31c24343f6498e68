using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;
using IrisOps.Core.Upgrade;

namespace IrisOps.Core.Sandboxes
{
    /// <summary>
    /// What happens to a sandbox after its creation: a longer life (bounded by its limit), stop, start (a
    /// relaunch when it has expired, if its rules allow one), reset to the image's original state, removal.
    /// Every expiry decision uses the given clock.
    /// </summary>
    public sealed class SandboxLifecycle
    {
        private readonly IDockerEngine engine;
        private readonly IOperationReporter reporter;
        private readonly ISandboxClock clock;
        private readonly SandboxCreator creator;

        public SandboxLifecycle(IDockerEngine engine, IOperationReporter reporter, ISandboxClock clock, TimeSpan? pollInterval = null)
        {
            this.engine = engine;
            this.reporter = reporter;
            this.clock = clock;
            creator = new SandboxCreator(engine, reporter, pollInterval);
        }

        public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(IrisDefaults.StopTimeoutSeconds);

        public TimeSpan HealthTimeout
        {
            get => creator.HealthTimeout;
            set => creator.HealthTimeout = value;
        }

        /// <summary>The new expiry of -Extend, or an error when it passes the limit or revives a sandbox that may not be relaunched.</summary>
        public DateTime CheckExtend(IrisSandbox sandbox, TimeSpan by)
        {
            if (by <= TimeSpan.Zero)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "SandboxExtendInvalid", $"-Extend must be a positive time span; {by} was given.", sandbox.Name);
            }

            DateTime expires = sandbox.Expires + by;
            if (sandbox.Expired && !sandbox.AllowRelaunch && expires > clock.UtcNow)
            {
                throw RelaunchRefused(sandbox);
            }

            if (expires > sandbox.ExpiryLimit)
            {
                TimeSpan room = sandbox.ExpiryLimit - sandbox.Expires;
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "SandboxExtendBeyondLimit",
                    $"Sandbox '{sandbox.Name}' may live until {SandboxLabels.FormatTime(sandbox.ExpiryLimit)} at the latest (its maximum lifetime); -Extend {by} would reach {SandboxLabels.FormatTime(expires)}. Extend it by at most {(room > TimeSpan.Zero ? room : TimeSpan.Zero)}.", sandbox.Name);
            }

            return expires;
        }

        public async Task<IrisSandbox> ExtendAsync(IrisSandbox sandbox, TimeSpan by, CancellationToken cancellationToken)
        {
            DateTime expires = CheckExtend(sandbox, by);
            await SandboxExpiry.RecordAsync(engine, sandbox, expires, sandbox.ExpiryLimit, cancellationToken).ConfigureAwait(false);
            return await ReadAsync(sandbox, cancellationToken).ConfigureAwait(false);
        }

        public async Task<IrisSandbox> StopAsync(IrisSandbox sandbox, CancellationToken cancellationToken)
        {
            await engine.StopContainerAsync(sandbox.Name, StopTimeout, cancellationToken).ConfigureAwait(false);
            return await ReadAsync(sandbox, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Refuses to start an expired sandbox whose rules forbid a relaunch; says what a start would do.</summary>
        public string CheckStart(IrisSandbox sandbox)
        {
            if (!sandbox.Expired)
            {
                return $"Start sandbox {sandbox.Name} of owner '{sandbox.Owner}' (expires {SandboxLabels.FormatTime(sandbox.Expires)}).";
            }

            if (!sandbox.AllowRelaunch)
            {
                throw RelaunchRefused(sandbox);
            }

            return $"Relaunch the expired sandbox {sandbox.Name} of owner '{sandbox.Owner}' for a new lifetime of {sandbox.Lifetime} (until {SandboxLabels.FormatTime(Relaunch(sandbox).Expires)}).";
        }

        public async Task<IrisSandbox> StartAsync(IrisSandbox sandbox, CancellationToken cancellationToken)
        {
            CheckStart(sandbox);
            if (sandbox.Expired)
            {
                (DateTime expires, DateTime limit) = Relaunch(sandbox);
                await SandboxExpiry.RecordAsync(engine, sandbox, expires, limit, cancellationToken).ConfigureAwait(false);
            }

            await engine.StartContainerAsync(sandbox.Name, cancellationToken).ConfigureAwait(false);
            await creator.WaitHealthyAsync(sandbox.Name, cancellationToken).ConfigureAwait(false);
            return await ReadAsync(sandbox, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>What a reset deletes, for -WhatIf and the confirmation.</summary>
        public static string DescribeReset(IrisSandbox sandbox, bool discardData) =>
            sandbox.State == SandboxState.Preserved && discardData
                ? $"Reset sandbox {sandbox.Name} of owner '{sandbox.Owner}' to the original state of {sandbox.Image}: recreate its container and DELETE its durable data (volume {sandbox.DataVolume})."
                : sandbox.State == SandboxState.Preserved
                    ? $"Reset sandbox {sandbox.Name} of owner '{sandbox.Owner}': recreate its container from {sandbox.Image}; its durable data (volume {sandbox.DataVolume}) is kept."
                    : $"Reset sandbox {sandbox.Name} of owner '{sandbox.Owner}' to the original state of {sandbox.Image}: recreate its container (everything in it is lost).";

        /// <summary>
        /// Recreates the container with the same settings. The old one is stopped and renamed first and comes back
        /// if the new one fails, unless the durable data was discarded (that cannot be undone).
        /// </summary>
        public async Task<IrisSandbox> ResetAsync(IrisSandbox sandbox, bool discardData, CancellationToken cancellationToken)
        {
            ContainerDetails old = await engine.InspectContainerAsync(sandbox.Name, cancellationToken).ConfigureAwait(false)
                ?? throw SandboxReader.NotFound(engine, sandbox.Owner, sandbox.Name);
            ImageDetails? image = await engine.InspectImageAsync(old.Spec.Image, cancellationToken).ConfigureAwait(false);
            ContainerSpec spec = ContainerRecreation.NewSpec(old, image, old.Spec.Image);
            bool wasRunning = old.State.Running;
            string aside = sandbox.Name + "-reset";
            var ledger = new UndoLedger();
            try
            {
                await engine.StopContainerAsync(sandbox.Name, StopTimeout, cancellationToken).ConfigureAwait(false);
                if (wasRunning)
                {
                    ledger.Record($"stop of {sandbox.Name}", () => engine.StartContainerAsync(sandbox.Name, CancellationToken.None));
                }

                await engine.RenameContainerAsync(sandbox.Name, aside, cancellationToken).ConfigureAwait(false);
                ledger.Record($"rename of {sandbox.Name}", () => engine.RenameContainerAsync(aside, sandbox.Name, CancellationToken.None));
                if (discardData && sandbox.DataVolume != null)
                {
                    await DiscardDataAsync(sandbox, old, aside, cancellationToken).ConfigureAwait(false);
                    ledger = new UndoLedger(); // the old container and its data are gone: nothing to return to
                }

                await engine.CreateContainerAsync(spec, cancellationToken).ConfigureAwait(false);
                ledger.Record($"container {sandbox.Name}", () => engine.RemoveContainerAsync(sandbox.Name, force: true, removeAnonymousVolumes: true, CancellationToken.None));
                await engine.StartContainerAsync(sandbox.Name, cancellationToken).ConfigureAwait(false);
                await creator.WaitHealthyAsync(sandbox.Name, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception failure)
            {
                reporter.Verbose($"Resetting {sandbox.Name} failed ({failure.Message}); putting the old container back.");
                UndoResult undo = await ledger.UndoAllAsync(stopAtFirstFailure: true).ConfigureAwait(false);
                foreach ((string name, Exception error) in undo.Failures)
                {
                    reporter.Warning($"Could not undo the {name}: {error.Message}");
                }

                throw;
            }

            await Cleanup.Quietly(() => engine.RemoveContainerAsync(aside, force: true, removeAnonymousVolumes: true, CancellationToken.None)).ConfigureAwait(false);
            return await ReadAsync(sandbox, cancellationToken).ConfigureAwait(false);
        }

        private async Task DiscardDataAsync(IrisSandbox sandbox, ContainerDetails old, string aside, CancellationToken cancellationToken)
        {
            string volume = sandbox.DataVolume!;
            VolumeDetails? details = await engine.InspectVolumeAsync(volume, cancellationToken).ConfigureAwait(false);
            await engine.RemoveContainerAsync(aside, force: true, removeAnonymousVolumes: true, cancellationToken).ConfigureAwait(false);
            reporter.Verbose($"Deleting the durable data of {sandbox.Name} (volume {volume}).");
            await engine.RemoveVolumeAsync(volume, force: true, cancellationToken).ConfigureAwait(false);
            await engine.CreateVolumeAsync(new VolumeSpec { Name = volume, Labels = details?.Labels ?? new Dictionary<string, string>() }, cancellationToken).ConfigureAwait(false);
            string target = PreparePlanner.DurableRoot + sandbox.Name;
            var prepare = new ContainerSpec
            {
                Name = sandbox.Name + "-prepare",
                Image = old.Spec.Image,
                Entrypoint = new List<string> { "/bin/sh", "-c", PreparePlanner.OwnershipScript(null, null, new[] { target }) },
                Command = new List<string>(),
                Labels = new Dictionary<string, string> { [SandboxLabels.Owner] = sandbox.Owner, [SandboxLabels.Sandbox] = sandbox.Name },
                Mounts = new List<MountSpec> { new MountSpec { Kind = MountKind.Volume, Source = volume, Target = target } },
            };
            await SandboxCreator.RunPrepareAsync(prepare, sandbox.Name, engine, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>What a removal deletes and keeps, for -WhatIf and the confirmation.</summary>
        public static string DescribeRemove(IrisSandbox sandbox, bool removeData)
        {
            string kept = sandbox.DataVolume == null ? string.Empty
                : removeData ? $", and its durable data (volume {sandbox.DataVolume})"
                : $"; its durable data (volume {sandbox.DataVolume}) is kept";
            return $"Remove sandbox {sandbox.Name} of owner '{sandbox.Owner}': container, network {sandbox.Network}{kept}.";
        }

        public async Task RemoveAsync(IrisSandbox sandbox, bool removeData, CancellationToken cancellationToken)
        {
            await engine.StopContainerAsync(sandbox.Name, StopTimeout, cancellationToken).ConfigureAwait(false);
            await engine.RemoveContainerAsync(sandbox.Name, force: true, removeAnonymousVolumes: true, cancellationToken).ConfigureAwait(false);
            await engine.RemoveNetworkAsync(sandbox.Network, cancellationToken).ConfigureAwait(false);
            IList<VolumeDetails> volumes = await engine.ListVolumesAsync(new Dictionary<string, string?> { [SandboxLabels.Owner] = sandbox.Owner, [SandboxLabels.Sandbox] = sandbox.Name }, cancellationToken).ConfigureAwait(false);
            foreach (VolumeDetails volume in volumes)
            {
                bool data = volume.Labels.TryGetValue(SandboxLabels.Volume, out string? kind) && kind == SandboxLabels.DataVolume;
                if (!data || removeData)
                {
                    reporter.Verbose($"Removing volume {volume.Name}.");
                    await engine.RemoveVolumeAsync(volume.Name, force: true, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        private (DateTime Expires, DateTime Limit) Relaunch(IrisSandbox sandbox)
        {
            DateTime now = clock.UtcNow;
            DateTime start = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
            TimeSpan maxLifetime = sandbox.ExpiryLimit - sandbox.Created;
            return (start + sandbox.Lifetime, start + (maxLifetime > sandbox.Lifetime ? maxLifetime : sandbox.Lifetime));
        }

        private static IrisOpsException RelaunchRefused(IrisSandbox sandbox) =>
            new IrisOpsException(IrisErrorKind.InvalidOperation, "SandboxRelaunchRefused",
                $"Sandbox '{sandbox.Name}' expired at {SandboxLabels.FormatTime(sandbox.Expires)} and its rules{(sandbox.Template.Length > 0 ? $" (template '{sandbox.Template}')" : string.Empty)} do not allow a relaunch. Remove it with Remove-IrisSandbox and create a new one with New-IrisSandbox.", sandbox.Name);

        private Task<IrisSandbox> ReadAsync(IrisSandbox sandbox, CancellationToken cancellationToken) =>
            SandboxReader.ReadOneAsync(engine, sandbox.Owner, sandbox.Name, clock, cancellationToken);
    }
}
