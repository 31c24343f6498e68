using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Certificates;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Core.FileSystem;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Ecp
{
    /// <summary>
    /// Applies a deployment plan to a Docker engine: files, network, volumes, ownership of durable storage,
    /// containers (all created and started in parallel), then waits until every node is healthy. Whatever this
    /// call created is removed again when anything fails or the caller cancels; what existed before (a
    /// network, a volume with durable data from an earlier run, files) is never touched.
    /// </summary>
    public sealed class EcpClusterDeployer
    {
        private const string Activity = "New-IrisEcpCluster";
        private readonly IDockerEngine engine;
        private readonly ContainerHealthWaiter health;
        private readonly IOperationReporter reporter;

        public EcpClusterDeployer(IDockerEngine engine, IOperationReporter reporter)
        {
            this.engine = engine;
            this.reporter = reporter;
            health = new ContainerHealthWaiter(engine);
        }

        public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromSeconds(IrisDefaults.HealthTimeoutSeconds);

        /// <summary>
        /// What exists already: null when nothing of this cluster is on the engine, the existing cluster when a
        /// previous call with the same arguments built it (a re-run changes nothing), and an error when the
        /// cluster exists with other arguments or something else holds its names.
        /// </summary>
        public async Task<IrisEcpCluster?> CheckExistingAsync(DeploymentPlan plan, CancellationToken cancellationToken)
        {
            // The one-shot prepare container is not a node: `docker-compose up` of an export leaves it behind, exited.
            List<ContainerSummary> containers = (await engine.ListContainersAsync(new Dictionary<string, string?> { [ClusterLabels.Cluster] = plan.ClusterName }, cancellationToken).ConfigureAwait(false))
                .Where(c => !(c.Labels.TryGetValue(ClusterLabels.Role, out string? role) && role == NodeRoles.PrepareLabel)).ToList();

            // Only an existing cluster is worth reading back (one inspect per node); a new name goes straight on.
            IReadOnlyList<IrisEcpCluster> existing = containers.Count == 0
                ? Array.Empty<IrisEcpCluster>()
                : await EcpClusterReader.ReadAsync(engine, plan.ClusterName, cancellationToken).ConfigureAwait(false);
            if (existing.Count > 0)
            {
                IrisEcpCluster cluster = existing[0];
                bool sameArguments = containers.All(c => c.Labels.TryGetValue(ClusterLabels.SpecHash, out string? hash) && hash == plan.SpecHash)
                    && containers.Count == plan.Containers.Count;
                string wantedImage = plan.Containers[0].Image;
                if (!sameArguments)
                {
                    IReadOnlyList<string> differences = EcpSpecLabel.Parse(containers[0].Labels.TryGetValue(ClusterLabels.Spec, out string? existingSpec) ? existingSpec : null)
                        .DifferencesFrom(EcpSpecLabel.Parse(plan.Containers[0].Labels[ClusterLabels.Spec]));
                    string which = differences.Count > 0 ? " (" + string.Join("; ", differences) + ")" : string.Empty;
                    throw new IrisOpsException(IrisErrorKind.ResourceExists, "ClusterExistsWithOtherArguments",
                        $"The ECP cluster '{plan.ClusterName}' already exists with other arguments{which}. Remove it first with Remove-IrisEcpCluster -Name {plan.ClusterName} (durable data is kept unless you add -RemoveData), or change its image with Update-IrisApplicationImage.", plan.ClusterName);
                }

                if (cluster.Nodes.Any(n => !string.Equals(n.Image, wantedImage, StringComparison.Ordinal)))
                {
                    throw new IrisOpsException(IrisErrorKind.ResourceExists, "ClusterExistsWithOtherImage",
                        $"The ECP cluster '{plan.ClusterName}' already exists and runs '{cluster.Image}', not '{wantedImage}'. To move it to another image use Update-IrisApplicationImage; to rebuild it use Remove-IrisEcpCluster first.", plan.ClusterName);
                }

                return cluster;
            }

            // A new name is checked with every lookup at once; the errors still come in a fixed order.
            Task<ContainerDetails?[]> containerLookups = Task.WhenAll(plan.Containers.Select(c => engine.InspectContainerAsync(c.Name, cancellationToken)));
            Task<NetworkDetails?> networkLookup = engine.InspectNetworkAsync(plan.Network.Name, cancellationToken);
            Task<VolumeDetails?[]> volumeLookups = Task.WhenAll(plan.Volumes.Select(v => engine.InspectVolumeAsync(v.Name, cancellationToken)));
            await Task.WhenAll(containerLookups, networkLookup, volumeLookups).ConfigureAwait(false);

            for (int i = 0; i < plan.Containers.Count; i++)
            {
                if (containerLookups.Result[i] != null)
                {
                    string name = plan.Containers[i].Name;
                    throw new IrisOpsException(IrisErrorKind.ResourceExists, "ContainerNameInUse",
                        $"A container named '{name}' exists and does not belong to cluster '{plan.ClusterName}'; choose another -Name or remove that container.", name);
                }
            }

            if (networkLookup.Result != null)
            {
                throw new IrisOpsException(IrisErrorKind.ResourceExists, "NetworkNameInUse",
                    $"A Docker network named '{plan.Network.Name}' already exists. If it is left over from this cluster, remove it with Remove-IrisEcpCluster -Name {plan.ClusterName}; otherwise choose another -Name.", plan.Network.Name);
            }

            for (int i = 0; i < plan.Volumes.Count; i++)
            {
                VolumeDetails? details = volumeLookups.Result[i];
                if (details != null && (!details.Labels.TryGetValue(ClusterLabels.Cluster, out string? owner) || owner != plan.ClusterName))
                {
                    string name = plan.Volumes[i].Name;
                    throw new IrisOpsException(IrisErrorKind.ResourceExists, "VolumeNameInUse",
                        $"A Docker volume named '{name}' exists and does not belong to cluster '{plan.ClusterName}'; choose another -Name.", name);
                }
            }

            return null;
        }

        /// <summary>Creates the cluster of the plan and returns it once every node is healthy.</summary>
        public async Task<IrisEcpCluster> DeployAsync(DeploymentPlan plan, CancellationToken cancellationToken)
        {
            var created = new CreatedResources();
            try
            {
                await DeployCoreAsync(plan, created, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception failure)
            {
                reporter.Progress(Activity, "Removing what this call created", 99);
                reporter.Verbose($"Deployment failed ({failure.Message}); removing what this call created.");
                await RollBackAsync(created).ConfigureAwait(false);
                throw;
            }

            reporter.Progress(Activity, "Done", 100);
            IReadOnlyList<IrisEcpCluster> clusters = await EcpClusterReader.ReadAsync(engine, plan.ClusterName, cancellationToken).ConfigureAwait(false);
            return clusters.Single();
        }

        /// <summary>Refuses, before -WhatIf or any change, a plan whose image the engine does not have.</summary>
        public async Task CheckImagesAsync(DeploymentPlan plan, CancellationToken cancellationToken)
        {
            foreach (string image in plan.Containers.Select(c => c.Image).Distinct())
            {
                if (!await engine.ImageExistsAsync(image, cancellationToken).ConfigureAwait(false))
                {
                    throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "ImageNotFound",
                        $"The image '{image}' is not on the Docker engine at {engine.Endpoint}; pull or build it first (docker pull {image}).", image);
                }
            }
        }

        private async Task DeployCoreAsync(DeploymentPlan plan, CreatedResources created, CancellationToken cancellationToken)
        {
            await CheckImagesAsync(plan, cancellationToken).ConfigureAwait(false);

            reporter.Progress(Activity, "Writing configuration files", 5);
            await ClusterFiles.WriteAsync(plan, reporter, created.Folders, cancellationToken).ConfigureAwait(false);

            reporter.Progress(Activity, $"Creating network {plan.Network.Name} and volumes", 15);
            await Task.WhenAll(
                new[] { CreateNetworkAsync(plan, created, cancellationToken) }
                    .Concat(plan.Volumes.Select(volume => CreateVolumeAsync(volume, plan, created, cancellationToken)))).ConfigureAwait(false);

            // The containers are created while the prepare container runs; none starts before it has finished.
            reporter.Progress(Activity, $"Giving durable storage and TLS files to the IRIS user (uid {IrisContainer.Uid}); creating containers", 25);
            Task<Task> prepare = PrepareOwnershipAsync(plan, cancellationToken);
            created.PrepareRemoval = RemovalOf(prepare);
            await Task.WhenAll(
                new Task[] { prepare }
                    .Concat(plan.Containers.Select(container => CreateContainerAsync(container, plan, created, cancellationToken)))).ConfigureAwait(false);

            // Every node is started at once (the data server's request goes first): an application server retries
            // its ECP connection ([ECP] ClientReconnectInterval) until the data server answers, so waiting for the
            // data server gains nothing. The finished prepare container is removed meanwhile.
            reporter.Progress(Activity, $"Starting {plan.Containers.Count} node(s)", 40);
            await Task.WhenAll(
                new[] { prepare.Result }
                    .Concat(plan.Containers.Select(container => engine.StartContainerAsync(container.Name, cancellationToken)))).ConfigureAwait(false);

            await WaitHealthyAsync(plan, cancellationToken).ConfigureAwait(false);
        }

        private async Task CreateNetworkAsync(DeploymentPlan plan, CreatedResources created, CancellationToken cancellationToken)
        {
            await engine.CreateNetworkAsync(new NetworkSpec { Name = plan.Network.Name, Subnet = plan.Network.Subnet, Labels = Copy(plan.Network.Labels) }, cancellationToken).ConfigureAwait(false);
            lock (created)
            {
                created.Network = plan.Network.Name;
            }
        }

        private async Task CreateVolumeAsync(VolumePlan volume, DeploymentPlan plan, CreatedResources created, CancellationToken cancellationToken)
        {
            if (await engine.InspectVolumeAsync(volume.Name, cancellationToken).ConfigureAwait(false) != null)
            {
                reporter.Verbose($"Reusing the existing {(volume.Durable ? "durable" : "TLS or license")} volume '{volume.Name}' of cluster '{plan.ClusterName}'.");
                return;
            }

            await engine.CreateVolumeAsync(new VolumeSpec { Name = volume.Name, Labels = Copy(volume.Labels) }, cancellationToken).ConfigureAwait(false);
            lock (created)
            {
                created.Volumes.Add(volume.Name);
            }
        }

        private async Task CreateContainerAsync(ContainerPlan container, DeploymentPlan plan, CreatedResources created, CancellationToken cancellationToken)
        {
            reporter.Verbose($"Creating container {container.Name} ({container.Role}, host name {container.HostName}).");
            await engine.CreateContainerAsync(ToSpec(container, plan), cancellationToken).ConfigureAwait(false);
            lock (created)
            {
                created.Containers.Add(container.Name);
            }
        }

        private async Task WaitHealthyAsync(DeploymentPlan plan, CancellationToken cancellationToken)
        {
            int healthy = 0;
            int total = plan.Containers.Count;
            reporter.Progress(Activity, $"Waiting for {total} node(s) to become healthy", 50);
            HealthWaitResult[] results = await Task.WhenAll(plan.Containers.Select(async container =>
            {
                HealthWaitResult result = await health.WaitAsync(container.Name, HealthTimeout, cancellationToken).ConfigureAwait(false);
                if (result.IsHealthy)
                {
                    int done = Interlocked.Increment(ref healthy);
                    reporter.Progress(Activity, $"{done} of {total} node(s) healthy ({container.Name} is)", 50 + (45 * done / total));
                }

                return (container, result);
            }).Select(async t => (await t.ConfigureAwait(false)).result)).ConfigureAwait(false);

            for (int i = 0; i < results.Length; i++)
            {
                if (!results[i].IsHealthy)
                {
                    string name = plan.Containers[i].Name;
                    string logs = await SafeLogsAsync(name).ConfigureAwait(false);
                    throw new IrisOpsException(results[i].FailureKind, "NodeNotHealthy",
                        $"Node '{name}' did not become healthy: {results[i].Description} Everything this call created was removed. Last lines of its log:\n{logs}", name);
                }
            }
        }

        // See PreparePlan: chown of durable storage and mounted files, as root, before any node starts. Returns
        // once chown has succeeded, with the removal of the finished container still under way (the nodes can
        // start meanwhile); on failure the container is removed before the error is thrown.
        private async Task<Task> PrepareOwnershipAsync(DeploymentPlan plan, CancellationToken cancellationToken)
        {
            var spec = new ContainerSpec
            {
                Name = plan.ClusterName + "-prepare-" + Guid.NewGuid().ToString("N").Substring(0, 6),
                Image = plan.Prepare.Image,
                Entrypoint = plan.Prepare.Command.ToList(),
                Command = new List<string>(),
                Labels = Copy(plan.Prepare.Labels),
            };
            foreach (MountPlan mount in plan.Prepare.Mounts)
            {
                spec.Mounts.Add(new MountSpec { Kind = mount.Kind, Source = mount.Source, Target = mount.Target, ReadOnly = mount.ReadOnly });
            }

            (OneShotExit exit, Task removal) = await OneShotContainer.RunDeferringRemovalAsync(engine, spec, cancellationToken).ConfigureAwait(false);
            if (!exit.Succeeded)
            {
                await removal.ConfigureAwait(false);
                throw new IrisOpsException(IrisErrorKind.InvalidOperation, "PrepareOwnershipFailed",
                    $"Could not give the durable storage to the IRIS user (chown exited with {exit.ExitCode}): {exit.Log}", plan.ClusterName);
            }

            return removal;
        }

        // Completes when the prepare container is gone, whether or not its chown succeeded.
        private static async Task RemovalOf(Task<Task> prepare)
        {
            Task removal;
            try
            {
                removal = await prepare.ConfigureAwait(false);
            }
            catch
            {
                return; // A failed prepare removed its container before it threw.
            }

            await removal.ConfigureAwait(false);
        }


        private async Task RollBackAsync(CreatedResources created)
        {
            // Cleanup must finish even after Ctrl+C, so it does not take the cancelled token.
            foreach (string container in created.Containers.AsEnumerable().Reverse())
            {
                await Quietly(() => engine.RemoveContainerAsync(container, force: true, removeAnonymousVolumes: true, CancellationToken.None), $"container {container}").ConfigureAwait(false);
            }

            // A volume still mounted by the prepare container could not be removed.
            if (created.PrepareRemoval != null)
            {
                await Quietly(() => created.PrepareRemoval, "the one-shot prepare container").ConfigureAwait(false);
            }

            if (created.Network != null)
            {
                await Quietly(() => engine.RemoveNetworkAsync(created.Network, CancellationToken.None), $"network {created.Network}").ConfigureAwait(false);
            }

            foreach (string volume in created.Volumes)
            {
                await Quietly(() => engine.RemoveVolumeAsync(volume, force: true, CancellationToken.None), $"volume {volume}").ConfigureAwait(false);
            }

            ClusterFiles.RemoveCreated(created.Folders, reporter);
        }

        private async Task Quietly(Func<Task> action, string what)
        {
            try
            {
                await action().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                reporter.Warning($"Could not remove {what}, which this call created: {ex.Message}");
            }
        }

        private async Task<string> SafeLogsAsync(string container)
        {
            try
            {
                string logs = await engine.GetContainerLogsAsync(container, 20, CancellationToken.None).ConfigureAwait(false);
                return string.IsNullOrWhiteSpace(logs) ? "(no output)" : logs.TrimEnd();
            }
            catch (IrisOpsException)
            {
                return "(its log could not be read)";
            }
        }

        internal static ContainerSpec ToSpec(ContainerPlan container, DeploymentPlan plan)
        {
            var spec = new ContainerSpec
            {
                Name = container.Name,
                Image = container.Image,
                HostName = container.HostName,
                Command = container.Command.ToList(),
                Labels = Copy(container.Labels),
                RestartPolicy = container.RestartPolicy,
                StopTimeout = TimeSpan.FromSeconds(container.StopTimeoutSeconds),
                Init = container.Init,
            };
            foreach (KeyValuePair<string, string> variable in container.Environment)
            {
                spec.Environment[variable.Key] = variable.Value;
            }

            foreach (MountPlan mount in container.Mounts)
            {
                spec.Mounts.Add(new MountSpec { Kind = mount.Kind, Source = mount.Source, Target = mount.Target, ReadOnly = mount.ReadOnly });
            }

            spec.Networks.Add(new NetworkAttachmentSpec { Network = plan.Network.Name, Aliases = container.Aliases.ToList(), IPv4Address = container.IPv4Address });
            foreach (PortPlan port in container.Ports)
            {
                spec.Ports.Add(new PortBindingSpec { ContainerPort = port.ContainerPort, HostIp = port.HostAddress, HostPort = port.HostPort });
            }

            return spec;
        }

        private static Dictionary<string, string> Copy(IReadOnlyDictionary<string, string> source) =>
            source.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

        private sealed class CreatedResources
        {
            public List<string> Containers { get; } = new List<string>();

            public string? Network { get; set; }

            /// <summary>The removal of the one-shot prepare container, which may still be under way.</summary>
            public Task? PrepareRemoval { get; set; }

            public List<string> Volumes { get; } = new List<string>();

            public List<string> Folders { get; } = new List<string>();
        }
    }
}
