using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Ecp
{
    /// <summary>
    /// Removes a cluster's containers, network and what IrisOps regenerates (the TLS and license volumes, the
    /// node files in the cluster folder). Durable data (the volumes or host folders of durable %SYS, and the
    /// cluster folder with its certificates) is kept unless the caller asks for it by name. What will go is
    /// planned first (<see cref="PlanAsync"/>), so -WhatIf and -Verbose name every item.
    /// </summary>
    public sealed class EcpClusterRemover
    {
        private const string Activity = "Remove-IrisEcpCluster";
        private readonly IDockerEngine engine;
        private readonly IOperationReporter reporter;

        public EcpClusterRemover(IDockerEngine engine, IOperationReporter reporter)
        {
            this.engine = engine;
            this.reporter = reporter;
        }

        /// <summary>Reads from the engine and the cluster folder what a removal would delete; changes nothing.</summary>
        public async Task<ClusterRemoval> PlanAsync(IrisEcpCluster cluster, bool removeData, CancellationToken cancellationToken)
        {
            var ofCluster = new Dictionary<string, string?> { [ClusterLabels.Cluster] = cluster.Name };
            IList<ContainerSummary> containers = await engine.ListContainersAsync(ofCluster, cancellationToken).ConfigureAwait(false);
            IList<NetworkDetails> networks = await engine.ListNetworksAsync(ofCluster, cancellationToken).ConfigureAwait(false);
            IList<VolumeDetails> volumes = await engine.ListVolumesAsync(ofCluster, cancellationToken).ConfigureAwait(false);
            string? folder = string.IsNullOrEmpty(cluster.ClusterFolder) ? null : cluster.ClusterFolder;

            // Application servers first, so the data server never loses its clients mid-write.
            var removal = new ClusterRemoval(cluster.Name, removeData)
            {
                Containers = containers.OrderBy(c => NodeRoles.FromLabel(c.Labels.TryGetValue(ClusterLabels.Role, out string? role) ? role : null) == EcpRole.Data ? 1 : 0).ToList(),
                Networks = networks.Select(n => n.Name).ToList(),
                GeneratedVolumes = volumes.Where(v => !IsDurable(v)).Select(v => v.Name).ToList(),
                DurableVolumes = volumes.Where(IsDurable).Select(v => v.Name).ToList(),
                DurableFolders = cluster.Nodes.Select(n => n.DurableStorage).Where(p => Path.IsPathRooted(p) && Directory.Exists(p)).ToList(),
                ClusterFolder = folder != null && Directory.Exists(folder) ? folder : null,
                Image = cluster.Image,
            };
            // A Swarm cluster's containers belong to its services: Swarm would start them again if only they went.
            if (containers.Any(c => c.Labels.ContainsKey(ClusterLabels.SwarmService)))
            {
                IList<SwarmServiceSummary> services = await engine.ListServicesAsync(ofCluster, cancellationToken).ConfigureAwait(false);
                removal.Services = services.OrderBy(s => NodeRoles.FromLabel(s.Labels.TryGetValue(ClusterLabels.Role, out string? role) ? role : null) == EcpRole.Data ? 1 : 0).Select(s => s.Name).ToList();
                removal.Containers = removal.Containers.Where(c => !c.Labels.ContainsKey(ClusterLabels.SwarmService)).ToList();
                removal.Secrets = (await engine.ListSecretsAsync(ofCluster, cancellationToken).ConfigureAwait(false)).Select(o => o.Name).ToList();
                removal.Configs = (await engine.ListConfigsAsync(ofCluster, cancellationToken).ConfigureAwait(false)).Select(o => o.Name).ToList();
            }

            if (removal.ClusterFolder != null)
            {
                foreach (string generated in GeneratedFolders(removal.ClusterFolder).Where(Directory.Exists))
                {
                    removal.GeneratedFiles.AddRange(Directory.EnumerateFiles(generated, "*", SearchOption.AllDirectories));
                    removal.GeneratedFiles.Add(generated + Path.DirectorySeparatorChar);
                }
            }

            return removal;
        }

        /// <summary>
        /// For a cluster whose containers are gone: its labelled volumes and networks, or null when nothing of it
        /// is left. Host folders are unknown then (their paths were labels of the containers).
        /// </summary>
        public async Task<ClusterRemoval?> PlanLeftoversAsync(string cluster, bool removeData, CancellationToken cancellationToken)
        {
            var ofCluster = new Dictionary<string, string?> { [ClusterLabels.Cluster] = cluster };
            IList<NetworkDetails> networks = await engine.ListNetworksAsync(ofCluster, cancellationToken).ConfigureAwait(false);
            IList<VolumeDetails> volumes = await engine.ListVolumesAsync(ofCluster, cancellationToken).ConfigureAwait(false);
            if (networks.Count == 0 && volumes.Count == 0)
            {
                return null;
            }

            return new ClusterRemoval(cluster, removeData)
            {
                Networks = networks.Select(n => n.Name).ToList(),
                GeneratedVolumes = volumes.Where(v => !IsDurable(v)).Select(v => v.Name).ToList(),
                DurableVolumes = volumes.Where(IsDurable).Select(v => v.Name).ToList(),
            };
        }

        public async Task RemoveAsync(ClusterRemoval removal, TimeSpan stopTimeout, CancellationToken cancellationToken)
        {
            foreach (string service in removal.Services)
            {
                reporter.Progress(Activity, $"Removing service {service}", 0);
                reporter.Verbose($"Removing service {service}; Swarm stops its task (up to its grace period for a clean shutdown).");
                await SwarmServices.RemoveAndWaitAsync(engine, service, stopTimeout + TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            }

            foreach (string secret in removal.Secrets)
            {
                await engine.RemoveSecretAsync(secret, cancellationToken).ConfigureAwait(false);
            }

            foreach (string config in removal.Configs)
            {
                await engine.RemoveConfigAsync(config, cancellationToken).ConfigureAwait(false);
            }

            int done = 0;
            foreach (ContainerSummary container in removal.Containers)
            {
                cancellationToken.ThrowIfCancellationRequested();
                reporter.Progress(Activity, $"Stopping and removing {container.Name}", 100 * done / Math.Max(1, removal.Containers.Count + 1));
                reporter.Verbose($"Stopping {container.Name} (up to {stopTimeout.TotalSeconds:0} s for a clean shutdown), then removing it.");
                await engine.StopContainerAsync(container.Id, stopTimeout, cancellationToken).ConfigureAwait(false);
                await engine.RemoveContainerAsync(container.Id, force: true, removeAnonymousVolumes: false, cancellationToken).ConfigureAwait(false);
                done++;
            }

            foreach (string network in removal.Networks)
            {
                reporter.Verbose($"Removing network {network}.");
                await engine.RemoveNetworkAsync(network, cancellationToken).ConfigureAwait(false);
            }

            foreach (string volume in removal.GeneratedVolumes.Concat(removal.RemoveData ? removal.DurableVolumes : Enumerable.Empty<string>()))
            {
                reporter.Verbose($"Removing volume {volume}{(removal.DurableVolumes.Contains(volume) ? " (durable data, -RemoveData)" : " (TLS files or license, refilled by New-IrisEcpCluster)")}.");
                await engine.RemoveVolumeAsync(volume, force: true, cancellationToken).ConfigureAwait(false);
            }

            if (removal.ClusterFolder != null)
            {
                foreach (string generated in GeneratedFolders(removal.ClusterFolder))
                {
                    reporter.Verbose($"Removing the generated node files in {generated}.");
                    TryDelete(generated);
                }
            }

            if (!removal.RemoveData)
            {
                DeleteIfEmpty(removal.ClusterFolder);
                reporter.Verbose($"Durable data of cluster '{removal.Cluster}' is kept: " + string.Join(", ", removal.DurableVolumes.Concat(removal.DurableFolders)) + ". Use -RemoveData to delete it.");
                reporter.Progress(Activity, "Done", 100);
                return;
            }

            foreach (string durable in removal.DurableFolders)
            {
                reporter.Verbose($"Removing durable folder {durable} (-RemoveData).");
                await DeleteDurableFolderAsync(durable, removal.Image, cancellationToken).ConfigureAwait(false);
            }

            if (removal.ClusterFolder != null)
            {
                reporter.Verbose($"Removing the cluster folder {removal.ClusterFolder} (-RemoveData).");
                TryDelete(removal.ClusterFolder);
            }

            reporter.Progress(Activity, "Done", 100);
        }

        /// <summary>Plans and removes in one call.</summary>
        public async Task RemoveAsync(IrisEcpCluster cluster, bool removeData, TimeSpan stopTimeout, CancellationToken cancellationToken) =>
            await RemoveAsync(await PlanAsync(cluster, removeData, cancellationToken).ConfigureAwait(false), stopTimeout, cancellationToken).ConfigureAwait(false);

        private static IEnumerable<string> GeneratedFolders(string clusterFolder) =>
            new[] { Path.Combine(clusterFolder, "nodes"), Path.Combine(clusterFolder, "license") };

        // Volumes IrisOps created before it labelled their purpose are durable %SYS: never deleted without -RemoveData.
        private static bool IsDurable(VolumeDetails volume) => !volume.Labels.ContainsKey(ClusterLabels.Volume);

        // IRIS (uid 51773) owns what it wrote in a bind-mounted durable folder, which a user who is not root cannot
        // delete; a root container from the cluster's image, with no network, deletes it then.
        private async Task DeleteDurableFolderAsync(string folder, string image, CancellationToken cancellationToken)
        {
            if (TryDelete(folder, warn: false))
            {
                return;
            }

            string parent = Path.GetDirectoryName(folder.TrimEnd(Path.DirectorySeparatorChar))!;
            string leaf = Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar));
            string helper = "irisops-remove-" + Guid.NewGuid().ToString("N").Substring(0, 10);
            reporter.Verbose($"'{folder}' holds files of the IRIS user (uid {IrisContainer.Uid}); deleting it from a root container of image {image}.");
            try
            {
                OneShotExit exit = await OneShotContainer.RunAsync(engine, new ContainerSpec
                {
                    Name = helper,
                    Image = image,
                    Entrypoint = new List<string> { "rm", "-rf", "--", "/irisops-remove/" + leaf },
                    Mounts = new List<MountSpec> { new MountSpec { Kind = MountKind.Bind, Source = parent, Target = "/irisops-remove" } },
                }, cancellationToken).ConfigureAwait(false);
                if (!exit.Succeeded || Directory.Exists(folder))
                {
                    reporter.Warning($"Could not remove '{folder}' (exit code {exit.ExitCode} of the removal container); delete it as root.");
                }
            }
            catch (IrisOpsException ex)
            {
                reporter.Warning($"Could not remove '{folder}': {ex.Message} Delete it as root.");
            }
        }

        private void DeleteIfEmpty(string? folder)
        {
            if (folder != null && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
            {
                reporter.Verbose($"Removing the cluster folder {folder}, which is empty now.");
                TryDelete(folder);
            }
        }

        private bool TryDelete(string folder, bool warn = true)
        {
            try
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }

                return true;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                if (warn)
                {
                    reporter.Warning($"Could not remove '{folder}': {ex.Message}");
                }

                return false;
            }
        }
    }
}
