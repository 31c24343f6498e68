using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Ecp
{
    /// <summary>
    /// A node of a Swarm-shaped plan as a service, and a service's removal. The service carries the node's
    /// labels, which its task containers get too, so Get-IrisEcpCluster reads a Swarm cluster as it reads one
    /// on an engine.
    /// </summary>
    public static class SwarmServices
    {
        public static SwarmServiceSpec ToService(DeploymentPlan plan, ContainerPlan container, IReadOnlyDictionary<string, string> objectIds)
        {
            SwarmFileMount Mount(FileMountPlan file)
            {
                string name = file.ObjectName(plan.ClusterName, ClusterFiles.ContentHash);
                return new SwarmFileMount { ObjectId = objectIds[name], ObjectName = name, Target = file.Target, Uid = IrisContainer.Uid, Gid = IrisContainer.Gid, Mode = file.Mode };
            }

            return new SwarmServiceSpec
            {
                Name = container.Name,
                Image = container.Image,
                HostName = container.HostName,
                Labels = new Dictionary<string, string>(container.Labels.ToDictionary(l => l.Key, l => l.Value), StringComparer.Ordinal),
                Environment = container.Environment.Select(e => e.Key + "=" + e.Value).ToList(),
                Args = container.Command.ToList(),
                Init = container.Init,
                StopGracePeriod = TimeSpan.FromSeconds(container.StopTimeoutSeconds),
                Mounts = container.Mounts.Select(m => new MountSpec { Kind = m.Kind, Source = m.Source, Target = m.Target, ReadOnly = m.ReadOnly }).ToList(),
                VolumeLabels = plan.Volumes.Where(v => container.Mounts.Any(m => m.Source == v.Name))
                    .ToDictionary(v => v.Name, v => (IDictionary<string, string>)v.Labels.ToDictionary(l => l.Key, l => l.Value), StringComparer.Ordinal),
                Secrets = container.Files.Where(f => f.Secret).Select(Mount).ToList(),
                Configs = container.Files.Where(f => !f.Secret).Select(Mount).ToList(),
                Network = plan.Network.Name,
                Aliases = container.Aliases.ToList(),
                HostModePorts = container.Ports.ToDictionary(p => p.ContainerPort, p => p.HostPort),
            };
        }

        /// <summary>
        /// Removes a service and waits (bounded) until its task containers on this engine are gone, so its
        /// volumes, secrets and network can be removed after it. Swarm stops a task with the service's grace period.
        /// </summary>
        public static async Task RemoveAndWaitAsync(IDockerEngine engine, string service, TimeSpan timeout, CancellationToken cancellationToken)
        {
            await engine.RemoveServiceAsync(service, cancellationToken).ConfigureAwait(false);
            var ofService = new Dictionary<string, string?> { [ClusterLabels.SwarmService] = service };
            DateTime deadline = DateTime.UtcNow + timeout;
            while ((await engine.ListContainersAsync(ofService, cancellationToken).ConfigureAwait(false)).Count > 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
