using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Ecp
{
    /// <summary>Rebuilds clusters from the engine alone: the labels IrisOps put on the containers say everything.</summary>
    public static class EcpClusterReader
    {
        /// <summary>Every cluster on the engine, or the one named; an unknown name gives an empty list.</summary>
        public static async Task<IReadOnlyList<IrisEcpCluster>> ReadAsync(IContainerInspection containers, string? name, CancellationToken cancellationToken)
        {
            var filter = new Dictionary<string, string?> { [ClusterLabels.Cluster] = name, [ClusterLabels.Managed] = "true" };
            IList<ContainerSummary> summaries = await containers.ListContainersAsync(filter, cancellationToken).ConfigureAwait(false);
            var clusters = new List<IrisEcpCluster>();
            foreach (IGrouping<string, ContainerSummary> group in summaries
                .Where(s => s.Labels.TryGetValue(ClusterLabels.Role, out string? role) && NodeRoles.IsNodeLabel(role))
                .GroupBy(s => s.Labels[ClusterLabels.Cluster], StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var nodes = new List<(IrisEcpNode Node, ContainerDetails Details)>();
                // A Swarm node leaves the containers of its earlier tasks: its running one (or newest) is the node.
                foreach (ContainerSummary summary in group
                    .GroupBy(s => s.Labels.TryGetValue(ClusterLabels.Node, out string? node) ? node : s.Id, StringComparer.Ordinal)
                    .Select(n => n.OrderByDescending(s => s.State == "running").ThenByDescending(s => s.Created).First()))
                {
                    ContainerDetails? details = await containers.InspectContainerAsync(summary.Id, cancellationToken).ConfigureAwait(false);
                    if (details != null)
                    {
                        nodes.Add((ToNode(group.Key, details, containers.Endpoint.ToString()), details));
                    }
                }

                IrisEcpNode? data = nodes.Select(n => n.Node).FirstOrDefault(n => n.Role == EcpRole.Data);
                ContainerDetails? first = nodes.Select(n => n.Details).FirstOrDefault();
                IDictionary<string, string> labels = first?.Spec.Labels ?? new Dictionary<string, string>();
                EcpSpecLabel spec = EcpSpecLabel.Parse(labels.TryGetValue(ClusterLabels.Spec, out string? json) ? json : null);
                clusters.Add(new IrisEcpCluster
                {
                    Name = group.Key,
                    Network = first?.Spec.Networks.Select(n => n.Network).FirstOrDefault() ?? string.Empty,
                    DataServer = data,
                    ApplicationServers = nodes.Select(n => n.Node).Where(n => n.Role == EcpRole.App).OrderBy(n => n.HostName, NaturalOrder.Instance).ToList(),
                    Image = data?.Image ?? nodes.Select(n => n.Node.Image).FirstOrDefault() ?? string.Empty,
                    Database = spec.Database,
                    Namespace = spec.Namespace,
                    ClusterFolder = spec.ClusterFolder,
                    DockerHost = containers.Endpoint.ToString(),
                });
            }

            return clusters;
        }

        internal static IrisEcpNode ToNode(string cluster, ContainerDetails details, string? dockerHost)
        {
            IDictionary<string, string> labels = details.Spec.Labels;
            // Swarm clusters of an earlier IrisOps kept durable %SYS on the working directory; they are still read
            // (and refused by Update-IrisApplicationImage, see SwarmUpgradeCheck).
            MountSpec? durable = details.Spec.Mounts.FirstOrDefault(m => m.Target == EcpMergeFiles.DurableRoot || m.Target == IrisContainer.WorkingDirectory);
            return new IrisEcpNode
            {
                Cluster = cluster,
                Name = details.Name.TrimStart('/'),
                Role = NodeRoles.FromLabel(labels.TryGetValue(ClusterLabels.Role, out string? role) ? role : null),
                HostName = labels.TryGetValue(ClusterLabels.Node, out string? host) ? host : details.Spec.HostName ?? string.Empty,
                ContainerId = details.Id,
                IPAddress = details.IPAddresses.Values.FirstOrDefault(a => !string.IsNullOrEmpty(a)),
                Image = details.Spec.Image,
                State = details.State.Status,
                // The engine keeps the last health status of a stopped container ("unhealthy" once its checks
                // stopped answering); a node that is not running is shown as what it is.
                Health = details.State.Running ? details.State.Health : details.State.Status,
                Ports = details.PublishedPorts.Select(p => $"{p.HostIp}:{p.HostPort}->{p.ContainerPort}/{p.Protocol}").ToList(),
                DurableStorage = durable?.Source ?? string.Empty,
                DockerHost = dockerHost,
            };
        }

        /// <summary>app-2 before app-10.</summary>
        private sealed class NaturalOrder : IComparer<string>
        {
            public static readonly NaturalOrder Instance = new NaturalOrder();

            public int Compare(string? x, string? y)
            {
                string a = x ?? string.Empty;
                string b = y ?? string.Empty;
                string prefixA = a.TrimEnd("0123456789".ToCharArray());
                string prefixB = b.TrimEnd("0123456789".ToCharArray());
                int byPrefix = string.CompareOrdinal(prefixA, prefixB);
                if (byPrefix != 0)
                {
                    return byPrefix;
                }

                int.TryParse(a.Substring(prefixA.Length), out int numberA);
                int.TryParse(b.Substring(prefixB.Length), out int numberB);
                return numberA.CompareTo(numberB);
            }
        }
    }
}
