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

namespace IrisOps.Core.Sandboxes
{
    /// <summary>
    /// Creates sandboxes: numbers them per owner (within the owner's limit, counting what exists), then builds
    /// each one step by step with an <see cref="UndoLedger"/>, so a failure or Ctrl+C removes exactly what that
    /// sandbox's call created; preserved data that existed before is never touched.
    /// </summary>
    public sealed class SandboxCreator
    {
        private readonly IDockerEngine engine;
        private readonly IOperationReporter reporter;
        private readonly ContainerHealthWaiter health;
        private readonly Dictionary<string, HashSet<string>> taken = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        private readonly List<string> subnets = new List<string>();

        public SandboxCreator(IDockerEngine engine, IOperationReporter reporter, TimeSpan? pollInterval = null)
        {
            this.engine = engine;
            this.reporter = reporter;
            health = new ContainerHealthWaiter(engine, pollInterval);
        }

        public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromSeconds(IrisDefaults.HealthTimeoutSeconds);

        /// <summary>Plans every sandbox of the specs in order (see the single-spec overload).</summary>
        public async Task<IReadOnlyList<SandboxPlan>> PlanAsync(IReadOnlyList<SandboxSpec> specs, DateTime utcNow, CancellationToken cancellationToken)
        {
            var plans = new List<SandboxPlan>();
            foreach (SandboxSpec spec in specs)
            {
                plans.AddRange(await PlanAsync(spec, utcNow, cancellationToken).ConfigureAwait(false));
            }

            return plans;
        }

        /// <summary>
        /// Plans the sandboxes of one spec: the owner's numbers continue after the sandboxes the owner has (and
        /// after the ones this creator planned before), and an owner who would pass the limit is refused.
        /// </summary>
        public async Task<IReadOnlyList<SandboxPlan>> PlanAsync(SandboxSpec spec, DateTime utcNow, CancellationToken cancellationToken)
        {
            if (!taken.TryGetValue(spec.Owner, out HashSet<string>? names))
            {
                IList<ContainerSummary> existing = await engine.ListContainersAsync(new Dictionary<string, string?> { [SandboxLabels.Owner] = spec.Owner, [SandboxLabels.Expires] = null }, cancellationToken).ConfigureAwait(false);
                names = new HashSet<string>(existing.Select(c => c.Name), StringComparer.Ordinal);
                taken[spec.Owner] = names;
            }

            if (names.Count + spec.Count > spec.MaxPerOwner)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidOperation, "SandboxLimitReached",
                    $"Owner '{spec.Owner}' has {names.Count} sandbox(es); {spec.Count} more would pass the limit of {spec.MaxPerOwner} per owner. Remove one first (Remove-IrisSandbox -Owner {spec.Owner}) or raise -MaxPerOwner when no template fixes it.", spec.Owner);
            }

            var plans = new List<SandboxPlan>();
            for (int index = 1; plans.Count < spec.Count; index++)
            {
                string name = SandboxNames.Container(spec.Owner, index);
                if (names.Contains(name) || await engine.InspectContainerAsync(name, cancellationToken).ConfigureAwait(false) != null)
                {
                    continue; // the owner's own, or a container of that name that is not a sandbox of this owner
                }

                // Docker's default address pools hold about 30 bridge networks; a /24 of IrisOps's own pool each
                // (ClusterSubnet) leaves room for a thousand sandboxes, and the subnets planned here never collide.
                string subnet = await ClusterSubnet.ChooseAsync(engine, name, 1, null, cancellationToken, subnets).ConfigureAwait(false);
                subnets.Add(subnet);
                names.Add(name);
                plans.Add(SandboxPlanner.Plan(spec, index, utcNow, subnet));
            }

            return plans;
        }

        /// <summary>Refuses, before -WhatIf or any change, an image the engine does not have.</summary>
        public async Task CheckImageAsync(string image, CancellationToken cancellationToken)
        {
            if (!await engine.ImageExistsAsync(image, cancellationToken).ConfigureAwait(false))
            {
                throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "ImageNotFound",
                    $"The image '{image}' is not on the Docker engine at {engine.Endpoint}; pull or build it first (docker pull {image}).", image);
            }
        }

        /// <summary>Creates one planned sandbox and returns it once it is healthy.</summary>
        public async Task<IrisSandbox> CreateAsync(SandboxPlan plan, ISandboxClock clock, CancellationToken cancellationToken)
        {
            var ledger = new UndoLedger();
            try
            {
                await CreateCoreAsync(plan, ledger, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception failure)
            {
                reporter.Verbose($"Creating {plan.Name} failed ({failure.Message}); removing what this call created.");
                UndoResult undo = await ledger.UndoAllAsync(stopAtFirstFailure: false).ConfigureAwait(false);
                foreach ((string name, Exception error) in undo.Failures)
                {
                    reporter.Warning($"Could not remove {name}, which this call created: {error.Message}");
                }

                throw;
            }

            return await SandboxReader.ReadOneAsync(engine, plan.Owner, plan.Name, clock, cancellationToken).ConfigureAwait(false);
        }

        private async Task CreateCoreAsync(SandboxPlan plan, UndoLedger ledger, CancellationToken cancellationToken)
        {
            NetworkDetails? network = await engine.InspectNetworkAsync(plan.Network.Name, cancellationToken).ConfigureAwait(false);
            if (network != null && !OwnedBy(network.Labels, plan))
            {
                throw InUse("network", plan.Network.Name, plan);
            }

            if (network == null)
            {
                await engine.CreateNetworkAsync(plan.Network, cancellationToken).ConfigureAwait(false);
                ledger.Record($"network {plan.Network.Name}", () => engine.RemoveNetworkAsync(plan.Network.Name, CancellationToken.None));
            }

            foreach (VolumeSpec volume in plan.Volumes)
            {
                VolumeDetails? existing = await engine.InspectVolumeAsync(volume.Name, cancellationToken).ConfigureAwait(false);
                if (existing != null && !OwnedBy(existing.Labels, plan))
                {
                    throw InUse("volume", volume.Name, plan);
                }

                if (existing != null)
                {
                    reporter.Verbose($"Reusing the volume '{volume.Name}' of sandbox {plan.Name} (owner '{plan.Owner}'): its data is kept.");
                    continue;
                }

                await engine.CreateVolumeAsync(volume, cancellationToken).ConfigureAwait(false);
                ledger.Record($"volume {volume.Name}", () => engine.RemoveVolumeAsync(volume.Name, force: true, CancellationToken.None));
            }

            if (plan.Prepare != null)
            {
                await RunPrepareAsync(plan.Prepare, plan.Name, engine, cancellationToken).ConfigureAwait(false);
            }

            await engine.CreateContainerAsync(plan.Container, cancellationToken).ConfigureAwait(false);
            ledger.Record($"container {plan.Name}", () => engine.RemoveContainerAsync(plan.Name, force: true, removeAnonymousVolumes: true, CancellationToken.None));
            await engine.StartContainerAsync(plan.Name, cancellationToken).ConfigureAwait(false);
            await WaitHealthyAsync(plan.Name, cancellationToken).ConfigureAwait(false);
        }

        internal async Task WaitHealthyAsync(string name, CancellationToken cancellationToken)
        {
            HealthWaitResult result = await health.WaitAsync(name, HealthTimeout, cancellationToken).ConfigureAwait(false);
            if (!result.IsHealthy)
            {
                string logs;
                try
                {
                    logs = (await engine.GetContainerLogsAsync(name, 20, CancellationToken.None).ConfigureAwait(false)).TrimEnd();
                }
                catch (IrisOpsException)
                {
                    logs = "(its log could not be read)";
                }

                throw new IrisOpsException(result.FailureKind, "SandboxNotHealthy",
                    $"Sandbox '{name}' did not become healthy: {result.Description} Last lines of its log:\n{logs}", name);
            }
        }

        /// <summary>Runs the one-shot root container (chown of durable storage, the license copy) and removes it, whatever happens.</summary>
        internal static async Task RunPrepareAsync(ContainerSpec prepare, string sandbox, IDockerEngine engine, CancellationToken cancellationToken)
        {
            OneShotExit exit = await OneShotContainer.RunAsync(engine, prepare, cancellationToken).ConfigureAwait(false);
            if (!exit.Succeeded)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidOperation, "PrepareOwnershipFailed",
                    $"Could not give the durable storage and license of sandbox '{sandbox}' to the IRIS user (uid {IrisContainer.Uid}): the prepare container exited with {exit.ExitCode}.", sandbox);
            }
        }

        private static bool OwnedBy(IDictionary<string, string> labels, SandboxPlan plan) =>
            labels.TryGetValue(SandboxLabels.Owner, out string? owner) && owner == plan.Owner
            && labels.TryGetValue(SandboxLabels.Sandbox, out string? sandbox) && sandbox == plan.Name;

        private static IrisOpsException InUse(string kind, string name, SandboxPlan plan) =>
            new IrisOpsException(IrisErrorKind.ResourceExists, "SandboxNameInUse",
                $"A Docker {kind} named '{name}' exists and does not belong to sandbox {plan.Name} of owner '{plan.Owner}'; remove it or rename it, then try again.", name);
    }
}
